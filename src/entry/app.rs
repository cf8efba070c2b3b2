use crate::core::api::{ApiClient, BearerToken};
use crate::core::host::{Host, ReportToHost, link, provide_host};
use crate::core::i18n::{I18n, Key, Locale, initial_locale, provide_i18n_for, t};
use crate::core::session::{Session, provide_session_with};
use crate::entry::on_demand::{OnDemand, Page};
use crate::features::accounts::HomeRedirect;
use crate::features::layout::Shell;
use crate::features::sign_in::{LoginPage, RequireSession};
use leptos::prelude::*;
use leptos_router::components::{A, ParentRoute, Route, Router, Routes};
use leptos_router::path;

/// The standalone portal: the page's own origin, the session cookie, the person's language.
#[component]
pub fn App() -> impl IntoView {
    view! { <Portal host=Host::standalone() locale=initial_locale() /> }
}

/// What a host may steer after mounting: the token, the language, a new session check.
#[derive(Clone)]
pub struct PortalControls {
    pub session: Session,
    pub api: ApiClient,
    pub i18n: I18n,
}

impl PortalControls {
    /// The host handed over a new token: requests use it from now on and, if the session had
    /// ended, the portal asks the API again and carries on where it was.
    pub fn hand_over_token(&self, token: &str) {
        if let Some(bearer) = self.api.bearer() {
            bearer.set(token.trim().to_owned());
        }
        if self.session.info().is_none() {
            self.session.check(self.api.clone());
        }
    }
}

/// The whole portal, standalone or embedded. Contexts first (host, language, session, API
/// client), then the routes of DESIGN.md inside the shell, under the host's base path.
#[component]
pub fn Portal(
    host: Host,
    locale: Locale,
    /// Origin of the API; empty for the page's own.
    #[prop(optional, into)]
    api_origin: String,
    #[prop(optional)] bearer: Option<BearerToken>,
    /// The element whose `lang` follows the language; default `<html>`.
    #[prop(optional)]
    lang_root: Option<web_sys::Element>,
    #[prop(optional)] on_ready: Option<Box<dyn FnOnce(PortalControls)>>,
) -> impl IntoView {
    let lang_root = lang_root.or_else(|| web_sys::window()?.document()?.document_element());
    let i18n = provide_i18n_for(locale, lang_root);
    crate::ui::when_idle(move || crate::ui::time::warm(locale));
    let (session, api) = provide_session_with(&api_origin, bearer);
    crate::features::uploads::provide_upload_queue(api.clone());
    crate::features::accounts::provide_head_start();
    let base = host.base().to_owned();
    provide_host(host);
    session.check(api.clone());
    // Once, the first time the session is known to be signed in. The wait is the portal's own,
    // not the effect's, which would cancel it when the session changes and never start it again.
    let portal = Owner::current();
    Effect::new(move |scheduled: Option<bool>| {
        if scheduled == Some(true) {
            return true;
        }
        let signed_in = session.role().is_some();
        if let (true, Some(portal)) = (signed_in, &portal) {
            portal.with(crate::entry::on_demand::preload_soon);
        }
        signed_in
    });
    if let Some(ready) = on_ready {
        ready(PortalControls { session, api, i18n });
    }

    view! {
        <Router base>
            <ReportToHost />
            <Shell>
                <Routes fallback=|| view! { <NotFound /> }>
                    <Route path=path!("/login") view=|| {
                        crate::entry::on_demand::prefetch(Page::Account);
                        view! { <LoginPage /> }
                    } />
                    <Route path=path!("/reset-password") view=|| view! { <OnDemand page=Page::ForgotPassword /> } />
                    <Route path=path!("/reset-password/:token") view=|| view! { <OnDemand page=Page::ResetPassword /> } />
                    <Route path=path!("/invitations/:token") view=|| view! { <OnDemand page=Page::Invitation /> } />
                    <ParentRoute path=path!("") view=RequireSession>
                        <Route path=path!("/") view=HomeRedirect />
                        <Route path=path!("/accounts") view=|| view! { <OnDemand page=Page::Accounts /> } />
                        <Route path=path!("/accounts/:account_id") view=|| view! { <OnDemand page=Page::Account /> } />
                        <Route path=path!("/accounts/:account_id/cases") view=|| view! { <OnDemand page=Page::CaseList /> } />
                        <Route path=path!("/accounts/:account_id/cases/new") view=|| view! { <OnDemand page=Page::NewCase /> } />
                        <Route path=path!("/accounts/:account_id/tam") view=|| view! { <OnDemand page=Page::Tam /> } />
                        <Route path=path!("/accounts/:account_id/members") view=|| view! { <OnDemand page=Page::Colleagues /> } />
                        <Route path=path!("/cases/:case_id") view=|| view! { <OnDemand page=Page::Case /> } />
                        <Route path=path!("/settings/notifications") view=|| view! { <OnDemand page=Page::Settings /> } />
                    </ParentRoute>
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
                <A href=link("/")>{t(Key::ErrorGoHome)}</A>
            </p>
        </section>
    }
}
