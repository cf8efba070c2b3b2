use crate::core::api::{ApiError, use_api};
use crate::core::host::link;
use crate::core::i18n::{Key, t, use_i18n};
use crate::core::session::{SessionStatus, home_path, safe_next, use_session};
use crate::features::accounts::use_head_start;
use crate::ui::form::{
    FormStatus, SendFailure, SubmitButton, SubmitForm, TextField, UseSubmitOptions, checked, use_submit_with_options,
};
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use portal_contract::{Credentials, SessionInfo};

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

    let (email, password) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let signed_in = {
        let api = api.clone();
        move |info: SessionInfo| {
            if let Some(head_start) = head_start {
                head_start.start_for(&landing(&info), &api);
            }
            session.signed_in(info);
        }
    };
    let submit = use_submit_with_options(
        move || checked(i18n, Credentials { email: email.get().trim().to_owned(), password: password.get() }),
        move |credentials, _| {
            let api = api.clone();
            async move { api.sign_in(&credentials).await }
        },
        signed_in,
        UseSubmitOptions::default().on_failure(move |error| {
            if matches!(error, ApiError::InvalidCredentials { .. }) {
                password.set(String::new());
            }
        }),
    );

    view! {
        <section class="page page-narrow" aria-labelledby="login-title">
            <h1 id="login-title">{t(Key::LoginTitle)}</h1>
            {expired.then(|| view! { <p class="notice notice-info" role="status">{t(Key::LoginExpired)}</p> })}
            <p>{t(Key::LoginIntro)}</p>
            <SendFailure submit />
            <SubmitForm submit>
                <TextField
                    id="login-email"
                    label=Key::LoginEmail
                    field=submit.field("email", email)
                    kind="email"
                    autocomplete="username"
                    required=true
                />
                <TextField
                    id="login-password"
                    label=Key::LoginPassword
                    field=submit.field("password", password)
                    kind="password"
                    autocomplete="current-password"
                    required=true
                />
                <SubmitButton submit label=Key::LoginSubmit primary=true />
                <FormStatus submit sending=Key::LoginSubmitting />
            </SubmitForm>
            <p><A href=link("/reset-password")>{t(Key::LoginForgot)}</A></p>
        </section>
    }
}
