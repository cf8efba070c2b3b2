//! The account's people, each with what the viewer may do to them: change a colleague's role,
//! remove them (after saying what stays), or leave the account oneself.

use super::controls::{MemberControls, Viewer, controls_for, keeps_an_admin, other_role};
use super::role_label;
use crate::core::api::{ApiError, use_api};
use crate::core::i18n::{Key, t, use_i18n};
use crate::core::session::{home_path, use_session};
use crate::ui::form::{SendFailure, SubmitForm, UseSubmitOptions, UseSubmitReturn, use_submit_with_options};
use crate::ui::time::DateText;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;
use portal_contract::{AccountId, AccountRole, Member, MemberUpdate};

/// The account the list belongs to.
#[derive(Clone)]
pub struct ListedAccount {
    pub id: AccountId,
    pub name: String,
}

/// What a row is asking the viewer to confirm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Asking {
    Remove,
    Leave,
}

/// A 409 from these writes means the account would be left without an admin.
fn is_conflict(error: &ApiError) -> bool {
    matches!(error, ApiError::Conflict { .. })
}

/// The list of people: name, email, role and the day they joined, the viewer's own row marked.
#[component]
pub fn People(
    members: Vec<Member>,
    viewer: Viewer,
    account: ListedAccount,
    reload: Callback<()>,
    /// Where a change is said once it is done ("Grace Hopper is now an admin.").
    said: RwSignal<Option<String>>,
) -> impl IntoView {
    if members.is_empty() {
        return view! { <p class="empty">{t(Key::ColleaguesEmpty)}</p> }.into_any();
    }
    let rows = members
        .iter()
        .map(|member| {
            let controls = controls_for(&viewer, member);
            // Only leaving can take the last admin away: an admin changing or removing someone
            // else stays one.
            let may_leave = keeps_an_admin(&members, member, None);
            let myself = member.id == viewer.id;
            view! { <Person member=member.clone() controls myself may_leave account=account.clone() reload said /> }
        })
        .collect_view();
    view! { <ul class="people">{rows}</ul> }.into_any()
}

#[component]
fn Person(
    member: Member,
    controls: MemberControls,
    myself: bool,
    may_leave: bool,
    account: ListedAccount,
    reload: Callback<()>,
    said: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let role = member.role;
    let name_id = format!("person-{}", member.id);
    let labelled_by = name_id.clone();
    let asking = RwSignal::new(None::<Asking>);
    // Set when the API refused a change of role because the account would keep no admin (the
    // list on screen was out of date).
    let last_admin = RwSignal::new(false);
    let last_admin_text = {
        let name = account.name.clone();
        move || i18n.f(Key::ColleaguesLastAdmin, &[("account", &name)])
    };
    // The button stays where it is and discloses the confirmation below it; "Cancel" gives
    // focus back to it.
    let opener_ref = NodeRef::<leptos::html::Button>::new();
    let confirm_id = format!("confirm-{}", member.id);
    let opener = (controls.remove || controls.leave).then(|| {
        let (ask, key) = if controls.leave {
            (Asking::Leave, Key::ColleaguesLeave)
        } else {
            (Asking::Remove, Key::ColleaguesRemove)
        };
        let target = (!controls.leave).then(|| member.name.clone());
        view! {
            <button
                type="button"
                node_ref=opener_ref
                aria-controls=confirm_id.clone()
                aria-expanded=move || if asking.get().is_some() { "true" } else { "false" }
                on:click=move |_| asking.update(|a| *a = if a.is_some() { None } else { Some(ask) })
            >
                {t(key)}
                {target.map(|name| view! { <span class="visually-hidden">{format!(" {name}")}</span> })}
            </button>
        }
    });
    let confirm = {
        let (member, account, confirm_id) = (member.clone(), account.clone(), confirm_id.clone());
        move || {
            asking.get().map(|ask| {
                let allowed = ask == Asking::Remove || may_leave;
                let cancel = Callback::new(move |()| {
                    asking.set(None);
                    if let Some(button) = opener_ref.get_untracked() {
                        let _ = button.focus();
                    }
                });
                view! {
                    <Confirm id=confirm_id.clone() member=member.clone() ask allowed account=account.clone() cancel reload said />
                }
            })
        }
    };
    view! {
        <li class="person" aria-labelledby=labelled_by>
            <div class="person-who">
                <p class="person-name" id=name_id>
                    {member.name.clone()}
                    {myself.then(|| view! { " " <span class="person-you">{t(Key::ColleaguesYou)}</span> })}
                </p>
                <p class="person-email">{member.email.clone()}</p>
            </div>
            <dl class="person-facts">
                <div><dt>{t(Key::ColleaguesRole)}</dt><dd>{move || i18n.t(role_label(role))}</dd></div>
                <div><dt>{t(Key::ColleaguesJoined)}</dt><dd><DateText at=member.joined_at /></dd></div>
            </dl>
            <div class="person-actions">
                {controls.change_role.then(|| view! {
                    <ChangeRole member=member.clone() account_id=account.id.clone() last_admin reload said />
                })}
                {opener}
            </div>
            {confirm}
            <Show when=move || last_admin.get()>
                <p class="notice notice-error person-notice" role="alert">{last_admin_text.clone()}</p>
            </Show>
        </li>
    }
}

/// "Make admin" or "Make member", sent at once: nothing is lost by it, and it is undone the
/// same way.
#[component]
fn ChangeRole(
    member: Member,
    account_id: AccountId,
    last_admin: RwSignal<bool>,
    reload: Callback<()>,
    said: RwSignal<Option<String>>,
) -> impl IntoView {
    let (i18n, api) = (use_i18n(), use_api());
    let next = other_role(member.role);
    let user_id = member.id.clone();
    let submit = use_submit_with_options(
        move || Ok(MemberUpdate { role: next }),
        move |update, _| {
            let (api, account, user) = (api.clone(), account_id.clone(), user_id.clone());
            async move { api.change_member_role(&account, &user, &update).await }
        },
        {
            let name = member.name.clone();
            move |()| {
                let now = if next == AccountRole::Admin { Key::ColleaguesNowAdmin } else { Key::ColleaguesNowMember };
                said.set(Some(i18n.f(now, &[("name", &name)])));
                reload.run(());
            }
        },
        UseSubmitOptions::default().shown_by_caller(is_conflict).on_failure(move |error| {
            last_admin.set(is_conflict(&error));
        }),
    );
    let label = if next == AccountRole::Admin { Key::ColleaguesMakeAdmin } else { Key::ColleaguesMakeMember };
    view! { <ActionForm submit label target=member.name /> }
}

/// A form that is one button, named after the person it acts on when there are several.
#[component]
fn ActionForm(
    submit: UseSubmitReturn,
    label: Key,
    /// Who the button acts on, read after its words by screen readers ("Remove Grace Hopper").
    #[prop(optional)]
    target: Option<String>,
    #[prop(optional)] primary: bool,
) -> impl IntoView {
    view! {
        <SubmitForm submit class="action-form">
            <button type="submit" class:button-primary=primary aria-disabled=move || submit.pending.get().then_some("true")>
                {t(label)}
                {target.map(|name| view! { <span class="visually-hidden">{format!(" {name}")}</span> })}
            </button>
            <SendFailure submit />
        </SubmitForm>
    }
}

/// The step before removing someone or leaving: what happens and what stays, then the button
/// that does it; or, when the account would keep no admin, why it cannot be done.
#[component]
fn Confirm(
    id: String,
    member: Member,
    ask: Asking,
    allowed: bool,
    account: ListedAccount,
    cancel: Callback<()>,
    reload: Callback<()>,
    said: RwSignal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (api, session, navigate) = (use_api(), use_session(), use_navigate());
    let refused = RwSignal::new(!allowed);
    let left = {
        let api = api.clone();
        move || {
            let (api, navigate) = (api.clone(), navigate.clone());
            // Leaving changes the session's accounts: the person lands where they now belong.
            // Leaving their last account ends every session of theirs (the API's 401): they
            // are signed out, which is not a session that ran out under them.
            spawn_local(async move {
                let home = match api.session(None).await {
                    Ok(info) => {
                        let home = home_path(&info);
                        session.signed_in(info);
                        home
                    }
                    Err(ApiError::Unauthorized { .. }) => {
                        session.signed_out();
                        "/login".to_owned()
                    }
                    Err(_) => {
                        session.check(api);
                        "/".to_owned()
                    }
                };
                navigate(&home, NavigateOptions { replace: true, ..Default::default() });
            });
        }
    };
    let (account_id, user_id) = (account.id.clone(), member.id.clone());
    let removed = {
        let (name, account) = (member.name.clone(), account.name.clone());
        move || i18n.f(Key::ColleaguesRemoved, &[("name", &name), ("account", &account)])
    };
    let submit = use_submit_with_options(
        move || Ok(()),
        move |(), _| {
            let (api, account, user) = (api.clone(), account_id.clone(), user_id.clone());
            async move { api.remove_member(&account, &user).await }
        },
        move |()| match ask {
            Asking::Leave => left(),
            Asking::Remove => {
                said.set(Some(removed()));
                cancel.run(());
                reload.run(());
            }
        },
        UseSubmitOptions::default().shown_by_caller(is_conflict).on_failure(move |error| {
            if is_conflict(&error) {
                refused.set(true);
            }
        }),
    );
    let question_id = format!("{id}-question");
    let labelled_by = question_id.clone();
    let (name, account_name) = (member.name.clone(), account.name.clone());
    let question = move || match ask {
        Asking::Remove => i18n.f(Key::ColleaguesRemoveQuestion, &[("name", &name), ("account", &account_name)]),
        Asking::Leave => i18n.f(Key::ColleaguesLeaveQuestion, &[("account", &account_name)]),
    };
    let (explanation, confirm) = match ask {
        Asking::Remove => (Key::ColleaguesRemoveStays, Key::ColleaguesConfirmRemove),
        Asking::Leave => (Key::ColleaguesLeaveStays, Key::ColleaguesConfirmLeave),
    };
    let last_admin = {
        let name = account.name.clone();
        move || i18n.f(Key::ColleaguesLastAdmin, &[("account", &name)])
    };
    // Refused, the question gives way to why: there is nothing to confirm.
    let refusal_id = question_id.clone();
    view! {
        <div class="confirm" id=id role="group" aria-labelledby=labelled_by>
            <Show
                when=move || !refused.get()
                fallback=move || view! { <p class="notice notice-error" id=refusal_id.clone() role="alert">{last_admin.clone()}</p> }
            >
                <p class="confirm-question" id=question_id.clone()>{question.clone()}</p>
                <p>{t(explanation)}</p>
                <ActionForm submit label=confirm primary=true />
            </Show>
            <button type="button" class="button-quiet" on:click=move |_| cancel.run(())>{t(Key::FormCancel)}</button>
        </div>
    }
}
