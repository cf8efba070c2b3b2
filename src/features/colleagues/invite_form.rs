use crate::core::api::{ApiError, use_api};
use crate::core::i18n::{Key, t, use_i18n};
use crate::ui::form::{
    SelectField, SendFailure, SubmitButton, SubmitForm, TextField, UseSubmitOptions, checked, use_submit_with_options,
};
use crate::ui::time::date_time;
use leptos::prelude::*;
use portal_contract::{AccountId, AccountRole, Invitation, NewInvitation};

/// A 409 to an invitation: the address already belongs to the account, or has an open
/// invitation to it.
fn is_conflict(error: &ApiError) -> bool {
    matches!(error, ApiError::Conflict { .. })
}

/// "Colleague's email", "Role" and "Send invitation", for the account's admins. What was typed
/// stays after a failure; a retry sends the same idempotency key, so one invitation goes out.
#[component]
pub fn InviteForm(account_id: AccountId, on_invited: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let email = RwSignal::new(String::new());
    let role = RwSignal::new(AccountRole::Member.as_str().to_owned());
    let invited = RwSignal::new(None::<Invitation>);
    let taken = RwSignal::new(None::<String>);
    let key_store = format!("bird-portal.invitation.{account_id}");
    let submit = use_submit_with_options(
        move || {
            let body = NewInvitation {
                email: email.get().trim().to_owned(),
                role: AccountRole::parse(&role.get()),
                language: None,
            };
            checked(i18n, body)
        },
        move |body, key| {
            let (api, account) = (api.clone(), account_id.clone());
            async move { api.invite(&account, &body, &key.unwrap_or_default()).await }
        },
        move |invitation: Invitation| {
            email.set(String::new());
            role.set(AccountRole::Member.as_str().to_owned());
            taken.set(None);
            invited.set(Some(invitation));
            on_invited.run(());
        },
        UseSubmitOptions::default().key_in(key_store).shown_by_caller(is_conflict).on_failure(move |error| {
            taken.set(is_conflict(&error).then(|| email.get_untracked().trim().to_owned()));
        }),
    );
    let status = move || {
        if submit.pending.get() {
            return Some(i18n.t(Key::InviteSending).to_owned());
        }
        let sent = invited.get().filter(|_| submit.sent.get())?;
        let until = date_time(sent.expires_at, i18n.locale(), None);
        Some(i18n.f(Key::InviteSent, &[("email", &sent.email), ("date", &until)]))
    };
    let roles = vec![
        (AccountRole::Member.as_str(), Key::AccountRoleMember),
        (AccountRole::Admin.as_str(), Key::AccountRoleAdmin),
    ];
    view! {
        <section class="invite card" aria-labelledby="invite-title">
            <h2 id="invite-title">{t(Key::InviteTitle)}</h2>
            <p class="hint">{t(Key::InviteIntro)}</p>
            <SendFailure submit />
            {move || taken.get().map(|address| view! {
                <p class="notice notice-error" role="alert">{i18n.f(Key::InviteTaken, &[("email", &address)])}</p>
            })}
            <SubmitForm submit>
                <TextField
                    id="invite-email"
                    label=Key::InviteEmail
                    field=submit.field("email", email)
                    kind="email"
                    autocomplete="off"
                    required=true
                />
                <SelectField id="invite-role" label=Key::InviteRole field=submit.field("role", role) options=roles described_by="invite-role-hint" />
                <p class="hint" id="invite-role-hint">{t(Key::InviteRoleHint)}</p>
                <div>
                    <SubmitButton submit label=Key::InviteSend primary=true />
                </div>
                <p class="form-status" role="status">{status}</p>
            </SubmitForm>
        </section>
    }
}
