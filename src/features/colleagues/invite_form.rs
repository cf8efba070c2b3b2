use crate::core::api::{ApiError, use_api};
use crate::core::i18n::{Key, t, use_i18n};
use crate::ui::form::{
    SelectField, SendFailure, SubmitButton, SubmitForm, TextField, UseSubmitOptions, checked, use_submit_with_options,
};
use crate::ui::time::date_time;
use leptos::prelude::*;
use portal_contract::{AccountId, AccountRole, Invitation, NewInvitation};

/// Why the API refused to invite an address (a 409), in words: the person belongs to the
/// account already, or is one of Bird's people.
pub fn refusal(error: &ApiError) -> Option<Key> {
    match error {
        ApiError::Conflict { code, .. } if code == "bird_user" => Some(Key::InviteBirdUser),
        ApiError::Conflict { .. } => Some(Key::InviteTaken),
        _ => None,
    }
}

fn is_conflict(error: &ApiError) -> bool {
    refusal(error).is_some()
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
    let refused = RwSignal::new(None::<(Key, String)>);
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
            refused.set(None);
            invited.set(Some(invitation));
            on_invited.run(());
        },
        UseSubmitOptions::default().key_in(key_store).shown_by_caller(is_conflict).on_failure(move |error| {
            refused.set(refusal(&error).map(|key| (key, email.get_untracked().trim().to_owned())));
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
            {move || refused.get().map(|(key, address)| view! {
                <p class="notice notice-error" role="alert">{i18n.f(key, &[("email", &address)])}</p>
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_address_is_told_by_why() {
        let conflict = |code: &str| ApiError::Conflict { code: code.into(), request_id: None };
        assert_eq!(refusal(&conflict("already_member")), Some(Key::InviteTaken));
        assert_eq!(refusal(&conflict("bird_user")), Some(Key::InviteBirdUser));
        assert_eq!(refusal(&ApiError::RateLimited { retry_after: None, request_id: None }), None);
    }
}
