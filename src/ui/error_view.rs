use crate::core::api::ApiError;
use crate::core::host::{link, use_host};
use crate::core::i18n::{Key, t, use_i18n};
use crate::core::session::{here, login_href};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

/// The one way the portal reports a failure: what happened in plain words, the request id
/// for support, and the way forward (retry, sign in again, or go home).
#[component]
pub fn ErrorView(error: ApiError, #[prop(optional, into)] on_retry: Option<Callback<()>>) -> impl IntoView {
    let i18n = use_i18n();
    let message = error.message();
    let reference = error.request_id().map(str::to_owned);
    let retry = on_retry.filter(|_| error.is_retryable());
    let embedded = use_host().is_embedded();
    // Embedded, the host signs the person in (the session view says so); no sign-in link.
    let signed_out = matches!(error, ApiError::Unauthorized { .. }) && !embedded;
    let missing = matches!(error, ApiError::NotFound { .. } | ApiError::Forbidden { .. });
    // A page's code that stays out of reach may belong to a build that has since been replaced;
    // reloading fetches the current one (drafts are in storage). `rel=external` keeps the
    // router from treating the link as a navigation.
    let reload = matches!(error, ApiError::PageCode) && !embedded;
    let this_page = move || web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_else(|| "/".to_owned());
    let location = use_location();
    let again = move || login_href(&here(&location.pathname.get(), &location.search.get()));
    view! {
        <div class="notice notice-error" role="alert">
            <p>{move || i18n.t(message)}</p>
            {reference.map(|id| view! { <p class="reference">{move || i18n.f(Key::ErrorReference, &[("id", &id)])}</p> })}
            <p class="notice-actions">
                {retry.map(|cb| view! { <button type="button" on:click=move |_| cb.run(())>{t(Key::ErrorRetry)}</button> })}
                {signed_out.then(|| view! { <A href=again>{t(Key::ErrorSignInAgain)}</A> })}
                {missing.then(|| view! { <A href=link("/")>{t(Key::ErrorGoHome)}</A> })}
                {reload.then(|| view! { <a href=this_page rel="external">{t(Key::AppReload)}</a> })}
            </p>
        </div>
    }
}
