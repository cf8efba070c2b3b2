//! "Participants": the requester and the colleagues who follow the case beside them and get
//! its emails. The account's customers add colleagues and take them off; a participant stops
//! following. Bird's side sees who follows, and changes nothing (`rules::may_change_participants`).

use crate::core::api::{use_api, use_view_abort};
use crate::core::i18n::{Key, t, use_i18n};
use crate::core::session::use_session;
use crate::features::cases::labels;
use crate::ui::form::{SendFailure, SubmitForm, UseSubmitOptions, use_submit, use_submit_with_options};
use crate::ui::{ErrorView, Loading};
use leptos::prelude::*;
use portal_contract::{CaseDetail, CaseId, Member, NewParticipant, Participant, Person, Role, UserId, rules};

/// The colleagues who can be added: the account's people except the requester and whoever
/// already follows, in the list's order.
pub fn candidates(members: &[Member], requester: &UserId, participants: &[Participant]) -> Vec<Member> {
    members.iter().filter(|m| &m.id != requester && participants.iter().all(|p| p.id != m.id)).cloned().collect()
}

#[component]
pub fn Participants(detail: RwSignal<Option<CaseDetail>>, role: Role, on_changed: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let me = use_session().info().map_or_else(|| UserId(String::new()), |info| info.user.id);
    let changes = rules::may_change_participants(role).is_ok();
    let Some(case_id) = detail.with_untracked(|d| d.as_ref().map(|d| d.case.id.clone())) else { return ().into_any() };
    let requester = Memo::new(move |_| detail.with(|d| d.as_ref().map(|d| d.case.requester.clone())));
    let participants =
        Memo::new(move |_| detail.with(|d| d.as_ref().map(|d| d.participants.clone()).unwrap_or_default()));
    let requester_row = move || {
        requester.get().map(|person: Person| {
            let role = person.role;
            view! {
                <li class="participant">
                    <span class="person-name">{person.name}</span>
                    " "
                    <span class="role-tag">{move || i18n.t(Key::LabelRequester)}</span>
                    <span class="visually-hidden">{move || format!(" ({})", i18n.t(labels::role(role)))}</span>
                </li>
            }
        })
    };
    let rows = {
        let (case_id, me) = (case_id.clone(), me.clone());
        move || {
            participants
                .get()
                .into_iter()
                .map(|p| {
                    let myself = p.id == me;
                    view! { <ParticipantRow participant=p case_id=case_id.clone() myself changes on_changed /> }
                })
                .collect_view()
        }
    };
    view! {
        <section class="participants" aria-labelledby="participants-title">
            <h2 id="participants-title">{t(Key::ParticipantsTitle)}</h2>
            <p class="hint">{t(Key::ParticipantsIntro)}</p>
            <ul class="participant-list">
                {requester_row}
                {rows}
            </ul>
            <Show when=move || participants.with(Vec::is_empty)>
                <p class="empty">{t(Key::ParticipantsNone)}</p>
            </Show>
            {changes.then(|| view! { <AddParticipant case_id detail on_changed /> })}
        </section>
    }
    .into_any()
}

/// One participant; "Remove" for the account's customers, "Stop following" on one's own.
#[component]
fn ParticipantRow(
    participant: Participant,
    case_id: CaseId,
    myself: bool,
    changes: bool,
    on_changed: Callback<()>,
) -> impl IntoView {
    let api = use_api();
    let user = participant.id.clone();
    let submit = use_submit(
        move || Ok(()),
        move |(), _| {
            let (api, case, user) = (api.clone(), case_id.clone(), user.clone());
            async move { api.remove_participant(&case, &user).await }
        },
        move |()| on_changed.run(()),
    );
    let name = participant.name.clone();
    view! {
        <li class="participant">
            <span class="person-name">{participant.name}</span>
            {myself.then(|| view! { " " <span class="person-you">{t(Key::ColleaguesYou)}</span> })}
            {changes.then(|| view! {
                <SubmitForm submit class="action-form">
                    <button type="submit" class="button-quiet" aria-disabled=move || submit.pending.get().then_some("true")>
                        {if myself {
                            t(Key::ParticipantsStop).into_any()
                        } else {
                            view! {
                                {t(Key::ParticipantsRemove)}
                                <span class="visually-hidden">{format!(" {name}")}</span>
                            }
                            .into_any()
                        }}
                    </button>
                    <SendFailure submit />
                </SubmitForm>
            })}
        </li>
    }
}

/// "Add participant" opens a choice among the colleagues who do not follow yet (the account's
/// people, asked for then), and "Add to case" confirms it.
#[component]
fn AddParticipant(case_id: CaseId, detail: RwSignal<Option<CaseDetail>>, on_changed: Callback<()>) -> impl IntoView {
    let open = RwSignal::new(false);
    let opener = NodeRef::<leptos::html::Button>::new();
    let close = Callback::new(move |()| {
        open.set(false);
        if let Some(button) = opener.get_untracked() {
            let _ = button.focus();
        }
    });
    view! {
        <button
            type="button"
            node_ref=opener
            aria-expanded=move || if open.get() { "true" } else { "false" }
            aria-controls="add-participant"
            on:click=move |_| open.update(|o| *o = !*o)
        >
            {t(Key::ParticipantsAdd)}
        </button>
        <div id="add-participant">
            {move || open.get().then(|| view! { <ChooseColleague case_id=case_id.clone() detail on_changed close /> })}
        </div>
    }
}

#[component]
fn ChooseColleague(
    case_id: CaseId,
    detail: RwSignal<Option<CaseDetail>>,
    on_changed: Callback<()>,
    close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (api, abort) = (use_api(), use_view_abort());
    let me = use_session().info().map_or_else(|| UserId(String::new()), |info| info.user.id);
    let account = detail.with_untracked(|d| d.as_ref().map(|d| d.case.account_id.clone()));
    let account = account.unwrap_or_else(|| portal_contract::AccountId(String::new()));
    let members = {
        let api = api.clone();
        LocalResource::new(move || {
            let (api, account) = (api.clone(), account.clone());
            async move { api.members(&account, abort.signal()).await }
        })
    };
    let choices = Memo::new(move |_| {
        let members = members.get().and_then(Result::ok)?;
        detail.with(|d| d.as_ref().map(|d| candidates(&members.data, &d.case.requester.id, &d.participants)))
    });
    let chosen = RwSignal::new(String::new());
    // The first colleague is chosen until the person picks another.
    Effect::new(move |_| {
        let first = choices.with(|c| c.as_ref().and_then(|c| c.first().map(|m| m.id.to_string())));
        let listed =
            choices.with(|c| c.as_ref().is_some_and(|c| c.iter().any(|m| m.id.as_str() == chosen.get_untracked())));
        if !listed && let Some(first) = first {
            chosen.set(first);
        }
    });
    // A retry of the same colleague sends the same key: they are added once.
    let key_store = format!("bird-portal.participant.{case_id}");
    let submit = use_submit_with_options(
        move || Ok(NewParticipant { user_id: chosen.get().into() }),
        move |body, key| {
            let (api, case) = (api.clone(), case_id.clone());
            async move { api.add_participant(&case, &body, &key.unwrap_or_default()).await }
        },
        move |_added: Participant| {
            close.run(());
            on_changed.run(());
        },
        UseSubmitOptions::default().key_in(key_store),
    );
    let field = submit.field("user_id", chosen);
    let form = move |list: Vec<Member>| {
        if list.is_empty() {
            return view! {
                <p class="empty">{t(Key::ParticipantsNoCandidates)}</p>
                <button type="button" class="button-quiet" on:click=move |_| close.run(())>{t(Key::FormCancel)}</button>
            }
            .into_any();
        }
        let me = me.clone();
        view! {
            <SendFailure submit />
            <SubmitForm submit class="form add-participant">
                <div class="field" class:field-invalid=move || field.error.get().is_some()>
                    <label for="participant-colleague">{t(Key::ParticipantsColleague)}</label>
                    <select
                        id="participant-colleague"
                        aria-invalid=move || field.error.get().is_some().then_some("true")
                        aria-describedby=move || field.error.get().map(|_| "participant-colleague-error")
                        on:change=move |ev| field.set.run(event_target_value(&ev))
                    >
                        {list
                            .into_iter()
                            .map(|m| {
                                let value = m.id.to_string();
                                let selected = {
                                    let value = value.clone();
                                    move || field.value.with(|v| *v == value)
                                };
                                let myself = m.id == me;
                                let name = m.name.clone();
                                let text = move || {
                                    if myself { format!("{name} {}", i18n.t(Key::ColleaguesYou)) } else { name.clone() }
                                };
                                view! { <option value=value selected=selected>{text}</option> }
                            })
                            .collect_view()}
                    </select>
                    {move || field.error.get().map(|text| view! { <p class="field-error" id="participant-colleague-error">{text}</p> })}
                </div>
                <div class="form-actions">
                    <button type="submit" class="button-primary" aria-disabled=move || submit.pending.get().then_some("true")>
                        {t(Key::ParticipantsConfirm)}
                    </button>
                    <button type="button" class="button-quiet" on:click=move |_| close.run(())>{t(Key::FormCancel)}</button>
                </div>
                <p class="form-status" role="status">{move || submit.pending.get().then(|| i18n.t(Key::ParticipantsAdding))}</p>
            </SubmitForm>
        }
        .into_any()
    };
    move || match (members.get(), choices.get()) {
        (Some(Err(error)), _) => {
            view! { <ErrorView error on_retry=Callback::new(move |()| members.refetch()) /> }.into_any()
        }
        (_, Some(list)) => form(list),
        _ => view! { <Loading /> }.into_any(),
    }
}

#[cfg(test)]
mod tests {
    use super::candidates;
    use chrono::DateTime;
    use portal_contract::{AccountRole, Member, Participant, Person, Role};

    fn member(id: &str) -> Member {
        Member {
            id: id.into(),
            name: id.into(),
            email: format!("{id}@acme.example"),
            role: AccountRole::Member,
            joined_at: DateTime::default(),
        }
    }

    fn participant(id: &str) -> Participant {
        let ada = Person { id: "ada".into(), name: "Ada".into(), role: Role::Customer };
        Participant { id: id.into(), name: id.into(), added_by: ada, added_at: DateTime::default() }
    }

    #[test]
    fn the_requester_and_current_participants_are_not_offered() {
        let members = [member("ada"), member("grace"), member("linus"), member("margaret")];
        let offered = candidates(&members, &"ada".into(), &[participant("linus")]);
        let ids: Vec<&str> = offered.iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, ["grace", "margaret"]);
        assert!(candidates(&members[..1], &"ada".into(), &[]).is_empty(), "a requester alone has nobody to add");
    }
}
