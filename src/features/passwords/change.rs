use super::NewPasswordField;
use crate::core::api::use_api;
use crate::core::i18n::{Key, t, use_i18n};
use crate::ui::form::{FormStatus, SendFailure, SubmitButton, SubmitForm, TextField, checked, use_submit};
use leptos::prelude::*;
use portal_contract::PasswordChange;

/// "Change password": the current one, then the new one. The API ends every other session of
/// the person; this one stays. A wrong current password is said next to its field.
#[component]
pub fn ChangePasswordForm() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let (current, password) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let submit = use_submit(
        move || checked(i18n, PasswordChange { current_password: current.get(), password: password.get() }),
        move |change, _| {
            let api = api.clone();
            async move { api.change_password(&change).await }
        },
        move |()| {
            current.set(String::new());
            password.set(String::new());
        },
    );
    view! {
        <section class="settings-section" aria-labelledby="change-password-title">
            <h2 id="change-password-title">{t(Key::PasswordChangeTitle)}</h2>
            <p class="muted">{t(Key::PasswordChangeIntro)}</p>
            <SendFailure submit />
            <SubmitForm submit>
                <TextField
                    id="current-password"
                    label=Key::PasswordCurrent
                    field=submit.field("current_password", current)
                    kind="password"
                    autocomplete="current-password"
                    required=true
                />
                <NewPasswordField id="changed-password" field=submit.field("password", password) />
                <div class="form-actions">
                    <SubmitButton submit label=Key::PasswordChange />
                </div>
                <FormStatus submit sending=Key::PasswordChanging done=Key::PasswordChanged />
            </SubmitForm>
        </section>
    }
}
