use super::CurrentAccount;
use super::language_switch::LanguageSwitch;
use crate::api::use_api;
use crate::i18n::{Key, t, use_i18n};
use crate::session::use_session;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_navigate};
use portal_contract::Role;
use wasm_bindgen::JsCast;

fn focus_main() {
    let main = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("main"));
    if let Some(main) = main.and_then(|m| m.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = main.focus();
    }
}

#[component]
pub fn Shell(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let api = use_api();
    let navigate = use_navigate();
    let current = CurrentAccount(RwSignal::new(None));
    provide_context(current);

    // The account the navigation points into: the page's, else a customer's only account.
    let account = Memo::new(move |_| {
        current.0.get().or_else(|| match session.accounts().as_slice() {
            [only] => Some(only.id.clone()),
            _ => None,
        })
    });
    let user = Memo::new(move |_| session.info().map(|i| i.user));
    let sees_many = Memo::new(move |_| session.role().is_some_and(Role::is_bird) || session.accounts().len() > 1);

    // After a navigation, keyboard and screen-reader users start at the new page's content, not
    // wherever the link they used was.
    let location = use_location();
    Effect::new(move |previous: Option<String>| {
        let path = location.pathname.get();
        if previous.is_some_and(|p| p != path) {
            request_animation_frame(focus_main);
        }
        path
    });

    let sign_out = move |_| {
        let api = api.clone();
        let navigate = navigate.clone();
        spawn_local(async move {
            // Signed out locally even if the API is unreachable: the cookie is cleared on the
            // next successful call, and the person asked to leave.
            let _ = api.sign_out().await;
            session.signed_out();
            navigate("/login", Default::default());
        });
    };

    view! {
        <a
            class="skip-link"
            href="#main"
            on:click=move |ev| {
                // The router would treat "#main" as a navigation; moving focus is what is meant.
                ev.prevent_default();
                focus_main();
            }
        >
            {t(Key::AppSkipToContent)}
        </a>
        <header class="app-header">
            <a class="brand" href="/">
                <span class="brand-mark" aria-hidden="true"></span>
                {t(Key::AppName)}
            </a>
            {move || user.get().map(|_| view! {
                <nav class="app-nav" aria-label=move || i18n.t(Key::NavLabel)>
                    <ul>
                        {move || sees_many.get().then(|| view! { <li><A href="/accounts" exact=true>{t(Key::NavAccounts)}</A></li> })}
                        {move || account.get().map(|id| view! {
                            <li><A href=format!("/accounts/{id}") exact=true>{t(Key::NavAccount)}</A></li>
                            <li><A href=format!("/accounts/{id}/cases")>{t(Key::NavCases)}</A></li>
                            <li><A href=format!("/accounts/{id}/tam")>{t(Key::NavTam)}</A></li>
                        })}
                    </ul>
                </nav>
            })}
            <div class="header-tools">
                <LanguageSwitch />
                {move || user.get().map(|user| view! {
                    <span class="signed-in-as">{move || i18n.f(Key::NavSignedInAs, &[("name", &user.name)])}</span>
                    <button type="button" class="button-quiet" on:click=sign_out.clone()>{t(Key::SessionSignOut)}</button>
                })}
            </div>
        </header>
        <main id="main" tabindex="-1">{children()}</main>
    }
}
