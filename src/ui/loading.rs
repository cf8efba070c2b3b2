use crate::core::i18n::{Key, t};
use leptos::prelude::*;

/// A polite, announced "Loading…" for anything that waits on the network.
#[component]
pub fn Loading() -> impl IntoView {
    view! {
        <p class="loading" role="status" aria-live="polite">
            <span class="spinner" aria-hidden="true"></span>
            {t(Key::AppLoading)}
        </p>
    }
}
