use crate::core::api::use_api;
use crate::core::host::link;
use crate::core::i18n::{Key, t, use_i18n};
use crate::ui::form::{FormStatus, SendFailure, SubmitButton, SubmitForm, TextField, checked, use_submit};
use leptos::html::P;
use leptos::prelude::*;
use leptos_router::components::A;
use portal_contract::PasswordResetRequest;

/// `/reset-password`: the email of a forgotten password. What follows reads the same whatever
/// the address, as the API's answer does, so the page never tells which addresses have an
/// account.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let email = RwSignal::new(String::new());
    let submit = use_submit(
        move || checked(i18n, PasswordResetRequest { email: email.get().trim().to_owned() }),
        move |request, _| {
            let api = api.clone();
            async move { api.request_password_reset(&request).await }
        },
        |()| (),
    );
    // The form goes once it is sent; focus goes to what replaced it rather than to the page.
    let sent_notice = NodeRef::<P>::new();
    Effect::new(move |_| {
        if submit.sent.get() {
            request_animation_frame(move || {
                if let Some(notice) = sent_notice.get_untracked() {
                    let _ = notice.focus();
                }
            });
        }
    });
    view! {
        <section class="page page-narrow" aria-labelledby="forgot-title">
            <h1 id="forgot-title">{t(Key::PasswordForgotTitle)}</h1>
            <div role="status">
                <Show when=move || submit.sent.get()>
                    <p class="notice notice-info" tabindex="-1" node_ref=sent_notice>{t(Key::PasswordLinkSent)}</p>
                </Show>
            </div>
            <Show when=move || !submit.sent.get()>
                <p>{t(Key::PasswordForgotIntro)}</p>
                <SendFailure submit />
                <SubmitForm submit>
                    <TextField
                        id="reset-email"
                        label=Key::PasswordEmail
                        field=submit.field("email", email)
                        kind="email"
                        autocomplete="username"
                        required=true
                    />
                    <SubmitButton submit label=Key::PasswordSendLink primary=true />
                    <FormStatus submit sending=Key::PasswordSendingLink />
                </SubmitForm>
            </Show>
            <p><A href=link("/login")>{t(Key::PasswordBackToSignIn)}</A></p>
        </section>
    }
}
