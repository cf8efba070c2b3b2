use super::NewPasswordField;
use crate::core::api::{ApiError, use_api};
use crate::core::host::link;
use crate::core::i18n::{Key, t, use_i18n};
use crate::core::session::{home_path, use_session};
use crate::ui::form::{
    FormStatus, SendFailure, SubmitButton, SubmitForm, UseSubmitOptions, checked, use_submit_with_options,
};
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use portal_contract::{NewPassword, SessionInfo};

/// Unknown, used and expired links read alike: each is a link that no longer works.
fn link_spent(error: &ApiError) -> bool {
    matches!(error, ApiError::NotFound { .. })
}

/// `/reset-password/:token`, opened from the emailed link: a new password, after which the
/// person is signed in (the API ends every other session) and brought home.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let session = use_session();
    let navigate = use_navigate();
    let params = use_params_map();
    let token = move || params.with(|p| p.get("token").unwrap_or_default());
    let password = RwSignal::new(String::new());
    let spent = RwSignal::new(false);
    let submit = use_submit_with_options(
        move || checked(i18n, NewPassword { password: password.get() }),
        move |body, _| {
            let (api, token) = (api.clone(), token());
            async move { api.reset_password(&token, &body).await }
        },
        move |info: SessionInfo| {
            let home = home_path(&info);
            session.signed_in(info);
            navigate(&home, NavigateOptions { replace: true, ..Default::default() });
        },
        UseSubmitOptions::default().shown_by_caller(link_spent).on_failure(move |error| {
            if link_spent(&error) {
                spent.set(true);
            }
        }),
    );
    view! {
        <section class="page page-narrow" aria-labelledby="reset-title">
            <h1 id="reset-title">{t(Key::PasswordNewTitle)}</h1>
            <Show
                when=move || !spent.get()
                fallback=|| view! {
                    <div class="notice notice-error" role="alert">
                        <p>{t(Key::PasswordLinkExpired)}</p>
                        <p class="notice-actions">
                            <A href=link("/reset-password")>{t(Key::PasswordSendNewLink)}</A>
                        </p>
                    </div>
                }
            >
                <p>{t(Key::PasswordNewIntro)}</p>
                <SendFailure submit />
                <SubmitForm submit>
                    <NewPasswordField id="new-password" field=submit.field("password", password) />
                    <SubmitButton submit label=Key::PasswordSet primary=true />
                    <FormStatus submit sending=Key::PasswordSetting />
                </SubmitForm>
            </Show>
        </section>
    }
}
