use crate::core::api::use_api;
use crate::core::host::use_host;
use crate::core::i18n::{Key, t};
use crate::core::session::{SessionStatus, here, login_href, use_session};
use crate::ui::{ErrorView, Loading};
use leptos::prelude::*;
use leptos_router::components::{Outlet, Redirect};
use leptos_router::hooks::use_location;

#[derive(Clone, Copy, PartialEq)]
enum Phase {
    Checking,
    SignedOut,
    SignedIn,
    Unreachable,
}

/// The parent route of every page that needs a session: the page (its `Outlet`) shows only
/// with a session; without one the person is sent to sign in and back here afterwards. Drafts
/// live in browser storage, so nothing typed is lost on the way.
#[component]
pub fn RequireSession() -> impl IntoView {
    let session = use_session();
    let api = use_api();
    let location = use_location();
    // The page is rebuilt only when the phase changes, not when the session info refreshes.
    let phase = Memo::new(move |_| match session.status() {
        SessionStatus::Checking => Phase::Checking,
        SessionStatus::SignedOut { .. } => Phase::SignedOut,
        SessionStatus::SignedIn(_) => Phase::SignedIn,
        SessionStatus::Unreachable(_) => Phase::Unreachable,
    });
    move || match phase.get() {
        Phase::Checking => view! { <Loading /> }.into_any(),
        Phase::SignedIn => view! { <Outlet /> }.into_any(),
        Phase::SignedOut if use_host().is_embedded() => {
            // No sign-in form inside a host: the host signs the person in and hands over a
            // token (`setToken`), which checks the session again; drafts wait in storage.
            let api = api.clone();
            view! {
                <section class="page" role="alert">
                    <p>{t(Key::SessionHostEnded)}</p>
                    <button type="button" on:click=move |_| session.check(api.clone())>{t(Key::ErrorRetry)}</button>
                </section>
            }
            .into_any()
        }
        Phase::SignedOut => {
            let back = here(&location.pathname.get_untracked(), &location.search.get_untracked());
            view! { <Redirect path=login_href(&back) /> }.into_any()
        }
        Phase::Unreachable => {
            let error = match session.status() {
                SessionStatus::Unreachable(e) => e,
                _ => crate::core::api::ApiError::Network,
            };
            let api = api.clone();
            view! { <ErrorView error on_retry=Callback::new(move |_| session.check(api.clone())) /> }.into_any()
        }
    }
}
