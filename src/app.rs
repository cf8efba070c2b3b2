use crate::accounts::{AccountPage, AccountsPage, HomeRedirect};
use crate::cases::{CaseListPage, CasePage, NewCasePage};
use crate::i18n::{Key, initial_locale, provide_i18n, t};
use crate::layout::Shell;
use crate::session::{LoginPage, RequireSession, provide_session};
use crate::tam::TamPage;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

/// The whole portal. Contexts first (language, session, API client), then the routes of
/// DESIGN.md inside the shell.
#[component]
pub fn App() -> impl IntoView {
    provide_i18n(initial_locale());
    let (session, api) = provide_session("");
    crate::uploads::provide_upload_queue(api.clone());
    session.check(api);

    view! {
        <Router>
            <Shell>
                <Routes fallback=|| view! { <NotFound /> }>
                    <Route path=path!("/login") view=LoginPage />
                    <Route path=path!("/") view=|| view! { <RequireSession><HomeRedirect /></RequireSession> } />
                    <Route path=path!("/accounts") view=|| view! { <RequireSession><AccountsPage /></RequireSession> } />
                    <Route
                        path=path!("/accounts/:account_id")
                        view=|| view! { <RequireSession><AccountPage /></RequireSession> }
                    />
                    <Route
                        path=path!("/accounts/:account_id/cases")
                        view=|| view! { <RequireSession><CaseListPage /></RequireSession> }
                    />
                    <Route
                        path=path!("/accounts/:account_id/cases/new")
                        view=|| view! { <RequireSession><NewCasePage /></RequireSession> }
                    />
                    <Route
                        path=path!("/accounts/:account_id/tam")
                        view=|| view! { <RequireSession><TamPage /></RequireSession> }
                    />
                    <Route path=path!("/cases/:case_id") view=|| view! { <RequireSession><CasePage /></RequireSession> } />
                </Routes>
            </Shell>
        </Router>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    view! {
        <section class="page">
            <h1>{t(Key::AppNotFoundTitle)}</h1>
            <p>
                <a href="/">{t(Key::ErrorGoHome)}</a>
            </p>
        </section>
    }
}
