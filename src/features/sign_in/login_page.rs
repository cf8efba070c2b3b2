use crate::core::api::{ApiError, use_api};
use crate::core::i18n::{Key, t, use_i18n};
use crate::core::session::{SessionStatus, home_path, safe_next, use_session};
use crate::features::accounts::use_head_start;
use crate::ui::{ErrorView, TextField, problem_text};
use leptos::html::Input;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};
use portal_contract::{Credentials, SessionInfo, Validate};

/// `/login`. A wrong email and a wrong password read the same, so the page never tells
/// whether an address has an account.
#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    let query = use_query_map();
    let navigate = use_navigate();
    let head_start = use_head_start();

    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let email_error = RwSignal::new(None::<String>);
    let password_error = RwSignal::new(None::<String>);
    let failure = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    let email_ref = NodeRef::<Input>::new();
    let password_ref = NodeRef::<Input>::new();
    let expired = matches!(session.status(), SessionStatus::SignedOut { expired: true });

    // `/` is the home page by another name: going there directly saves a redirect, and lets the
    // account page's head start apply to people who open the portal at its root.
    let landing = move |info: &SessionInfo| match query.with_untracked(|q| safe_next(q.get("next").as_deref())) {
        Some(next) if next != "/" => next,
        _ => home_path(info),
    };
    Effect::new(move |_| {
        if let SessionStatus::SignedIn(info) = session.status() {
            navigate(&landing(&info), NavigateOptions { replace: true, ..Default::default() });
        }
    });

    let submit = move || {
        let credentials =
            Credentials { email: email.get_untracked().trim().to_owned(), password: password.get_untracked() };
        let problems = credentials.problems();
        let find = |field: &str| problems.iter().find(|(f, _)| *f == field).map(|(_, p)| problem_text(i18n, *p));
        email_error.set(find("email"));
        password_error.set(find("password"));
        failure.set(None);
        if let Some((field, _)) = problems.first() {
            let target = if *field == "email" { email_ref } else { password_ref };
            if let Some(input) = target.get_untracked() {
                let _ = input.focus();
            }
            return;
        }
        pending.set(true);
        let api = api.clone();
        spawn_local(async move {
            match api.sign_in(&credentials).await {
                Ok(info) => {
                    if let Some(head_start) = head_start {
                        head_start.start_for(&landing(&info), &api);
                    }
                    session.signed_in(info);
                }
                Err(error) => {
                    if matches!(error, ApiError::InvalidCredentials { .. }) {
                        password.set(String::new());
                    }
                    failure.set(Some(error));
                }
            }
            pending.set(false);
        });
    };
    let retry = submit.clone();

    view! {
        <section class="page page-narrow" aria-labelledby="login-title">
            <h1 id="login-title">{t(Key::LoginTitle)}</h1>
            {expired.then(|| view! { <p class="notice notice-info" role="status">{t(Key::LoginExpired)}</p> })}
            <p>{t(Key::LoginIntro)}</p>
            {move || failure.get().map(|error| {
                let retry = retry.clone();
                view! { <ErrorView error on_retry=Callback::new(move |_| retry()) /> }
            })}
            <form
                class="form"
                novalidate
                on:submit=move |ev| {
                    ev.prevent_default();
                    if !pending.get_untracked() {
                        submit();
                    }
                }
            >
                <TextField
                    id="login-email"
                    label=Key::LoginEmail
                    value=email
                    error=email_error
                    kind="email"
                    autocomplete="username"
                    node_ref=email_ref
                    required=true
                />
                <TextField
                    id="login-password"
                    label=Key::LoginPassword
                    value=password
                    error=password_error
                    kind="password"
                    autocomplete="current-password"
                    node_ref=password_ref
                    required=true
                />
                <button type="submit" class="button-primary" aria-disabled=move || pending.get().then_some("true")>
                    {t(Key::LoginSubmit)}
                </button>
                <p class="form-status" role="status">{move || pending.get().then(|| i18n.t(Key::LoginSubmitting))}</p>
            </form>
        </section>
    }
}
