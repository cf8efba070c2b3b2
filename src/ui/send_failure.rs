use super::ErrorView;
use crate::core::api::ApiError;
use leptos::prelude::*;

/// Why a send failed, with "Try again" when retrying can help. A refused field is not shown
/// here: its message stands next to the field instead.
#[component]
pub fn SendFailure(
    failure: RwSignal<Option<ApiError>>,
    #[prop(optional)] on_retry: Option<Callback<()>>,
) -> impl IntoView {
    move || {
        failure.get().filter(|e| !matches!(e, ApiError::Validation { .. })).map(|error| match on_retry {
            Some(on_retry) => view! { <ErrorView error on_retry /> }.into_any(),
            None => view! { <ErrorView error /> }.into_any(),
        })
    }
}
