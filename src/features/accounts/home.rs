use crate::core::session::{home_path, use_session};
use leptos::prelude::*;
use leptos_router::components::Redirect;

/// `/`: the signed-in person's home (see `home_path`).
#[component]
pub fn HomeRedirect() -> impl IntoView {
    let session = use_session();
    move || session.info().map(|info| view! { <Redirect path=home_path(&info) /> })
}
