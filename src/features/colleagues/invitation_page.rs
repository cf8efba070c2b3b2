use crate::core::api::{ApiError, use_api, use_view_abort};
use crate::core::host::link;
use crate::core::i18n::{Key, t, use_i18n};
use crate::core::session::use_session;
use crate::features::passwords::NewPasswordField;
use crate::ui::form::{
    FormStatus, Refused, SendFailure, SubmitButton, SubmitForm, TextField, UseSubmitOptions, problem_text,
    use_submit_with_options,
};
use crate::ui::time::date_time;
use crate::ui::{ErrorView, Loading};
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use portal_contract::{AccountRole, InvitationAcceptance, InvitationPreview, SessionInfo};

/// An unknown link, and one that expired, was used or was withdrawn (404 and 410), read alike:
/// a link that no longer works, with the ways on.
fn link_spent(error: &ApiError) -> bool {
    matches!(error, ApiError::NotFound { .. })
}

fn spent_or_conflict(error: &ApiError) -> bool {
    link_spent(error) || matches!(error, ApiError::Conflict { .. })
}

/// What accepting sends, checked by the contract's rules for who is accepting: a new person
/// chooses a name and a password; someone who already has a user gives its password.
pub fn acceptance(
    name: &str,
    password: &str,
    existing_user: bool,
) -> Result<InvitationAcceptance, Vec<(&'static str, portal_contract::FieldProblem)>> {
    let body = InvitationAcceptance {
        name: if existing_user { String::new() } else { name.trim().to_owned() },
        password: password.to_owned(),
    };
    let problems = if existing_user { body.problems_as_existing_user() } else { body.problems_as_new_person() };
    if problems.is_empty() { Ok(body) } else { Err(problems) }
}

/// `/invitations/:token`, opened from the emailed link, signed in or not: who invited the
/// person to which account; accepting signs them in and lands on that account.
#[component]
pub fn InvitationPage() -> impl IntoView {
    let (api, abort) = (use_api(), use_view_abort());
    let params = use_params_map();
    let token = Memo::new(move |_| params.with(|p| p.get("token").unwrap_or_default()));
    let spent = RwSignal::new(false);
    let preview = LocalResource::new(move || {
        let (api, token) = (api.clone(), token.get());
        async move { api.invitation(&token, abort.signal()).await }
    });
    let body = move || {
        if spent.get() {
            return view! { <LinkSpent /> }.into_any();
        }
        match preview.get() {
            None => view! { <Loading /> }.into_any(),
            Some(Err(error)) if link_spent(&error) => view! { <LinkSpent /> }.into_any(),
            Some(Err(ApiError::Aborted)) => ().into_any(),
            Some(Err(error)) => {
                view! { <ErrorView error on_retry=Callback::new(move |()| preview.refetch()) /> }.into_any()
            }
            Some(Ok(found)) => {
                let stale = Callback::new(move |()| preview.refetch());
                view! { <AcceptInvitation preview=found token=token.get_untracked() spent stale /> }.into_any()
            }
        }
    };
    view! { <section class="page page-narrow invitation-page" aria-labelledby="invitation-title">{body}</section> }
}

/// The link no longer works: a link works once, for seven days. Whoever used it signs in;
/// whoever did not asks for a new one.
#[component]
fn LinkSpent() -> impl IntoView {
    view! {
        <h1 id="invitation-title">{t(Key::InvitationSpentTitle)}</h1>
        <div class="notice notice-error" role="alert">
            <p>{t(Key::InvitationSpent)}</p>
        </div>
        <p>{t(Key::InvitationSpentAsk)}</p>
        <p>{t(Key::InvitationSpentUsed)}</p>
        <p class="notice-actions">
            <A href=link("/login") attr:class="button button-primary">{t(Key::LoginSubmit)}</A>
        </p>
    }
}

/// The invitation and the form that accepts it; `spent` is set when the link stopped working
/// meanwhile, and `stale` runs when the address got a user of its own meanwhile (the
/// invitation then asks for that user's password).
#[component]
pub fn AcceptInvitation(
    preview: InvitationPreview,
    token: String,
    spent: RwSignal<bool>,
    stale: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (api, session, navigate) = (use_api(), use_session(), use_navigate());
    let existing = preview.existing_user;
    let (name, password) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let landing = format!("/accounts/{}", preview.account.id);
    // Accepted before (this person belongs to the account already): signing in is the way on.
    let member_already = RwSignal::new(false);
    let submit = use_submit_with_options(
        move || -> Result<InvitationAcceptance, Refused> {
            acceptance(&name.get(), &password.get(), existing)
                .map_err(|problems| problems.into_iter().map(|(field, p)| (field, problem_text(i18n, p))).collect())
        },
        move |body, _| {
            let (api, token) = (api.clone(), token.clone());
            async move { api.accept_invitation(&token, &body).await }
        },
        move |info: SessionInfo| {
            session.signed_in(info);
            navigate(&landing, NavigateOptions { replace: true, ..Default::default() });
        },
        UseSubmitOptions::default().shown_by_caller(spent_or_conflict).on_failure(move |error| {
            match &error {
                ApiError::Conflict { code, .. } if code == "existing_user" => stale.run(()),
                ApiError::Conflict { .. } => member_already.set(true),
                error if link_spent(error) => spent.set(true),
                _ => {}
            }
            if matches!(error, ApiError::InvalidCredentials { .. }) {
                password.set(String::new());
            }
        }),
    );
    let (account, inviter, email, role) =
        (preview.account.name.clone(), preview.invited_by.clone(), preview.email.clone(), preview.role);
    let title = {
        let account = account.clone();
        move || i18n.f(Key::InvitationTitle, &[("account", &account)])
    };
    let invited = move || {
        let key = if role == AccountRole::Admin { Key::InvitationFromAdmin } else { Key::InvitationFromMember };
        i18n.f(key, &[("name", &inviter), ("account", &account)])
    };
    let expires = preview.expires_at;
    let valid =
        move || i18n.f(Key::InvitationFor, &[("email", &email), ("date", &date_time(expires, i18n.locale(), None))]);
    let account_id = preview.account.id.clone();
    let already = {
        let account = preview.account.name.clone();
        move || i18n.f(Key::InvitationAlreadyMember, &[("account", &account)])
    };
    let intro = if existing { Key::InvitationExistingIntro } else { Key::InvitationNewIntro };
    view! {
        <h1 id="invitation-title">{title}</h1>
        <p class="lead">{invited}</p>
        <p>{valid}</p>
        <p>{t(intro)}</p>
        <SendFailure submit />
        <Show when=move || member_already.get()>
            <div class="notice notice-info" role="alert">
                <p>{already.clone()}</p>
                <p><A href=link(format!("/login?next=/accounts/{account_id}"))>{t(Key::LoginSubmit)}</A></p>
            </div>
        </Show>
        <SubmitForm submit>
            {if existing {
                view! {
                    <TextField
                        id="invitation-password"
                        label=Key::LoginPassword
                        field=submit.field("password", password)
                        kind="password"
                        autocomplete="current-password"
                        required=true
                    />
                }
                .into_any()
            } else {
                view! {
                    <TextField
                        id="invitation-name"
                        label=Key::InvitationName
                        field=submit.field("name", name)
                        autocomplete="name"
                        required=true
                    />
                    <NewPasswordField id="invitation-password" field=submit.field("password", password) />
                }
                .into_any()
            }}
            <SubmitButton submit label=Key::InvitationJoin primary=true />
            <FormStatus submit sending=Key::InvitationJoining />
        </SubmitForm>
        {existing.then(|| view! { <p><A href=link("/reset-password")>{t(Key::LoginForgot)}</A></p> })}
    }
}

#[cfg(test)]
mod tests {
    use super::acceptance;
    use portal_contract::FieldProblem;

    #[test]
    fn a_new_person_chooses_a_name_and_a_long_enough_password() {
        assert!(acceptance(" Grace Hopper ", "portal-demo", false).is_ok_and(|a| a.name == "Grace Hopper"));
        let refused = acceptance("  ", "short", false).err().unwrap_or_default();
        let fields: Vec<&str> = refused.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["name", "password"]);
        assert!(matches!(refused[1].1, FieldProblem::TooShort { .. }));
    }

    #[test]
    fn someone_with_a_user_gives_only_their_password() {
        let accepted = acceptance("Ignored", "old", true);
        assert!(accepted.as_ref().is_ok_and(|a| a.name.is_empty() && a.password == "old"), "{accepted:?}");
        let refused = acceptance("", "", true).err().unwrap_or_default();
        assert_eq!(refused.iter().map(|(f, _)| *f).collect::<Vec<_>>(), ["password"]);
    }
}
