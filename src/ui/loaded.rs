use super::{ErrorView, Loading};
use crate::core::api::ApiError;
use leptos::prelude::*;

/// Shows a resource: "Loading…" the first time, the previous content while it reloads, and
/// the shared error view (with "Try again") when it fails.
pub fn loaded<T, V>(
    resource: LocalResource<Result<T, ApiError>>,
    render: impl Fn(T) -> V + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + 'static,
    V: IntoView + 'static,
{
    view! {
        <Transition fallback=|| view! { <Loading /> }>
            {move || {
                resource
                    .get()
                    .map(|result| match result {
                        Ok(data) => render(data).into_any(),
                        Err(ApiError::Aborted) => ().into_any(),
                        Err(error) => {
                            view! { <ErrorView error on_retry=Callback::new(move |_| resource.refetch()) /> }
                                .into_any()
                        }
                    })
            }}
        </Transition>
    }
}
