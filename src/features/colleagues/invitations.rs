use super::role_label;
use crate::core::api::use_api;
use crate::core::i18n::{Key, t, use_i18n};
use crate::ui::form::{SendFailure, SubmitForm, use_submit};
use crate::ui::time::DateTimeText;
use leptos::prelude::*;
use portal_contract::{AccountId, Invitation};

/// The invitations nobody has accepted yet, each with "Revoke": its link stops working.
#[component]
pub fn OpenInvitations(account_id: AccountId, invitations: Vec<Invitation>, on_revoked: Callback<()>) -> impl IntoView {
    let body = if invitations.is_empty() {
        view! { <p class="empty">{t(Key::InvitationsEmpty)}</p> }.into_any()
    } else {
        let rows = invitations
            .into_iter()
            .map(|invitation| view! { <OpenInvitation account_id=account_id.clone() invitation on_revoked /> })
            .collect_view();
        view! { <ul class="people">{rows}</ul> }.into_any()
    };
    view! {
        <section aria-labelledby="invitations-title">
            <h2 id="invitations-title">{t(Key::InvitationsTitle)}</h2>
            {body}
        </section>
    }
}

#[component]
fn OpenInvitation(account_id: AccountId, invitation: Invitation, on_revoked: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let id = invitation.id.clone();
    let submit = use_submit(
        move || Ok(()),
        move |(), _| {
            let (api, account, id) = (api.clone(), account_id.clone(), id.clone());
            async move { api.revoke_invitation(&account, &id).await }
        },
        move |()| on_revoked.run(()),
    );
    let role = invitation.role;
    let by = invitation.invited_by.name.clone();
    let email_id = format!("invitation-{}", invitation.id);
    let labelled_by = email_id.clone();
    view! {
        <li class="person" aria-labelledby=labelled_by>
            <div class="person-who">
                <p class="person-name" id=email_id>{invitation.email.clone()}</p>
                <p class="person-email">{move || i18n.f(Key::InvitationsBy, &[("name", &by)])}</p>
            </div>
            <dl class="person-facts">
                <div><dt>{t(Key::ColleaguesRole)}</dt><dd>{move || i18n.t(role_label(role))}</dd></div>
                <div><dt>{t(Key::InvitationsExpires)}</dt><dd><DateTimeText at=invitation.expires_at /></dd></div>
            </dl>
            <div class="person-actions">
                <SubmitForm submit class="action-form">
                    <button type="submit" aria-disabled=move || submit.pending.get().then_some("true")>
                        {t(Key::InvitationsRevoke)}
                        <span class="visually-hidden">{format!(" {}", invitation.email)}</span>
                    </button>
                    <SendFailure submit />
                </SubmitForm>
            </div>
        </li>
    }
}
