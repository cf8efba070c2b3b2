use super::account_switch::AccountSwitch;
use super::language_switch::LanguageSwitch;
use super::{CurrentAccount, use_current_account};
use crate::core::api::use_api;
use crate::core::host::{HostMode, link, use_host};
use crate::core::i18n::{Key, t, use_i18n};
use crate::core::session::use_session;
use crate::ui::DisclosureButton;
use leptos::html::Div;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_navigate};
use portal_contract::{Role, rules};

/// The page: skip link, header with navigation and language, and the content. Standalone and
/// framed, the header is the banner and the content the main landmark; mounted in a host page
/// (which has its own), all of it is one region named after the portal.
#[component]
pub fn Shell(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let mounted = use_host().mode() == HostMode::Mounted;
    provide_context(CurrentAccount(RwSignal::new(None)));
    let (main, focus_main, mark_used) = use_focus_after_navigation();
    let page = view! {
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
        <header class="app-header" on:pointerdown=move |_| mark_used() on:keydown=move |_| mark_used()>
            <A href=link("/") exact=true attr:class="brand">
                <span class="brand-mark" aria-hidden="true"></span>
                {t(Key::AppName)}
            </A>
            <HeaderMenu />
        </header>
        <div
            id="main"
            class="app-main"
            role=(!mounted).then_some("main")
            tabindex="-1"
            node_ref=main
            on:pointerdown=move |_| mark_used()
            on:keydown=move |_| mark_used()
        >
            {children()}
        </div>
    };
    if mounted {
        view! { <section class="app-region" aria-label=move || i18n.t(Key::AppName)>{page}</section> }.into_any()
    } else {
        page.into_any()
    }
}

/// After a navigation, keyboard and screen-reader users start at the new page's content, not
/// wherever the link they used was. Only once the person has used the portal (`mark_used`):
/// the redirects of the first load (`/` to the home page, a host's base path to the account)
/// must not take focus, which in a host page would also scroll the host to the portal.
fn use_focus_after_navigation() -> (NodeRef<Div>, impl Fn() + Copy + 'static, impl Fn() + Copy + 'static) {
    let main = NodeRef::<Div>::new();
    let focus_main = move || {
        if let Some(main) = main.get_untracked() {
            let _ = main.focus();
        }
    };
    let used = StoredValue::new(false);
    let location = use_location();
    Effect::new(move |previous: Option<String>| {
        let path = location.pathname.get();
        if previous.is_some_and(|p| p != path) && used.get_value() {
            request_animation_frame(focus_main);
        }
        path
    });
    (main, focus_main, move || used.set_value(true))
}

/// The navigation and the header's tools; on a narrow screen folded behind "Menu" (CSS shows
/// the button there only), so the header stays one line and the page starts on the first
/// screen. Going somewhere folds it again.
#[component]
fn HeaderMenu() -> impl IntoView {
    let open = RwSignal::new(false);
    let location = use_location();
    Effect::new(move |_| {
        location.pathname.track();
        open.set(false);
    });
    view! {
        <DisclosureButton open controls="app-menu" class="menu-button">
            <span class="menu-icon" aria-hidden="true"></span>
            <span class="menu-label">{t(Key::NavMenu)}</span>
        </DisclosureButton>
        <div id="app-menu" class="app-menu" class:app-menu-open=move || open.get()>
            <AccountSwitch />
            <AppNav />
            <HeaderTools />
        </div>
    }
}

/// Where the person can go: the accounts (for whoever sees several) and, in the account on
/// screen (or a customer's only one), its page, its cases, its TAM, its people and, for
/// whoever may open one, a new case.
#[component]
fn AppNav() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let current = use_current_account();
    let account = Memo::new(move |_| {
        current.0.get().or_else(|| match session.accounts().as_slice() {
            [only] => Some(only.id.clone()),
            _ => None,
        })
    });
    let signed_in = Memo::new(move |_| session.info().is_some());
    let sees_many = Memo::new(move |_| session.role().is_some_and(Role::is_bird) || session.accounts().len() > 1);
    let opens_cases = Memo::new(move |_| session.role().is_some_and(|role| rules::may_open_case(role).is_ok()));
    move || {
        signed_in.get().then(|| view! {
        <nav class="app-nav" aria-label=move || i18n.t(Key::NavLabel)>
            <ul>
                {move || sees_many.get().then(|| view! { <li><A href=link("/accounts") exact=true>{t(Key::NavAccounts)}</A></li> })}
                {move || account.get().map(|id| view! {
                    <li><A href=link(format!("/accounts/{id}")) exact=true>{t(Key::NavAccount)}</A></li>
                    <li><A href=link(format!("/accounts/{id}/cases"))>{t(Key::NavCases)}</A></li>
                    <li><A href=link(format!("/accounts/{id}/tam"))>{t(Key::NavTam)}</A></li>
                    <li><A href=link(format!("/accounts/{id}/members"))>{t(Key::NavColleagues)}</A></li>
                    {opens_cases.get().then(|| view! {
                        <li><A href=link(format!("/accounts/{id}/cases/new"))>{t(Key::CasesNew)}</A></li>
                    })}
                })}
            </ul>
        </nav>
    })
    }
}

/// The language, who is signed in with their notification settings under their name (the
/// person's own things together, and no wider than the name, so the header keeps to one line
/// at desktop widths) and, standalone, "Sign out" (embedded, the host owns the person's
/// session).
#[component]
fn HeaderTools() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let can_sign_out = !use_host().is_embedded();
    let user = Memo::new(move |_| session.info().map(|i| i.user));
    let (api, navigate) = (use_api(), use_navigate());
    let sign_out = move |_| {
        let (api, navigate) = (api.clone(), navigate.clone());
        spawn_local(async move {
            // Signed out locally even if the API is unreachable: the cookie is cleared on the
            // next successful call, and the person asked to leave.
            let _ = api.sign_out().await;
            session.signed_out();
            navigate("/login", Default::default());
        });
    };
    view! {
        <div class="header-tools">
            <LanguageSwitch />
            {move || user.get().map(|user| view! {
                <div class="signed-in">
                    <span class="signed-in-as">{move || i18n.f(Key::NavSignedInAs, &[("name", &user.name)])}</span>
                    <A href=link("/settings/notifications") attr:class="settings-link">{t(Key::NavNotificationSettings)}</A>
                </div>
                {can_sign_out.then(|| view! {
                    <button type="button" class="button-quiet" on:click=sign_out.clone()>{t(Key::SessionSignOut)}</button>
                })}
            })}
        </div>
    }
}
