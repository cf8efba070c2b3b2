//! The steps of the agreement as the panel shows them: a pending proposal, its answer,
//! proposing, the agreement record, and reopening within the window.

use super::panel::Forms;
use crate::core::host::link;
use crate::core::i18n::{I18n, Key, t, use_i18n};
use crate::features::cases::labels;
use crate::ui::form::{ReasonAction, SendFailure, SubmitButton, SubmitForm};
use crate::ui::time::date_time;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos_router::components::A;
use portal_contract::rules;
use portal_contract::{CaseDetail, CaseStatus, Person, Role};

/// "Proposed by Alex Moreau (Support agent) on …".
pub fn who(i18n: I18n, key: Key, person: &Person, at: DateTime<Utc>) -> String {
    let date = date_time(at, i18n.locale(), None);
    i18n.f(key, &[("name", &person.name), ("role", i18n.t(labels::role(person.role))), ("date", &date)])
}

/// A pending proposal: who proposed what, and whose turn it is.
#[component]
pub fn Proposal(detail: CaseDetail, your_turn: bool) -> impl IntoView {
    let i18n = use_i18n();
    let pending = detail.resolution.filter(|_| detail.case.status == CaseStatus::ResolutionProposed);
    pending.map(|r| {
        let waiting = match (your_turn, r.proposed_by.role.is_bird()) {
            (true, _) => Key::ResolutionYourTurn,
            (false, true) => Key::ResolutionWaitingForCustomer,
            (false, false) => Key::ResolutionWaitingForBird,
        };
        view! {
            <p>{who(i18n, Key::ResolutionProposedBy, &r.proposed_by, r.proposed_at)}</p>
            <blockquote class="resolution-summary">{r.summary}</blockquote>
            <p class="notice notice-info">{t(waiting)}</p>
        }
    })
}

/// "Confirm resolution", or "Not resolved" with what is still not working.
#[component]
pub fn AnswerProposal(
    forms: Forms,
    /// Prefix of the reason's element id, for a page that lists several proposals.
    #[prop(optional, into)]
    place: String,
) -> impl IntoView {
    let confirm = forms.confirm;
    view! {
        <div class="resolution-actions">
            <SubmitForm submit=confirm class="resolution-confirm">
                <SubmitButton submit=confirm label=Key::ResolutionConfirm primary=true />
                <SendFailure submit=confirm />
            </SubmitForm>
            <ReasonAction
                id=format!("{place}decline-reason")
                button=Key::ResolutionNotResolved
                label=Key::ResolutionStillNotWorking
                field=forms.decline.field("reason", forms.decline_reason)
                submit=forms.decline
            />
        </div>
    }
}

/// "Propose resolution" with its summary.
#[component]
pub fn ProposeResolution(forms: Forms) -> impl IntoView {
    view! {
        <p class="muted">{t(Key::ResolutionOpenNote)}</p>
        <ReasonAction
            id="resolution-summary"
            button=Key::ResolutionPropose
            label=Key::ResolutionSummary
            field=forms.propose.field("summary", forms.summary)
            submit=forms.propose
        />
    }
}

/// The record of a resolved case: the summary, who proposed and who confirmed, and when.
#[component]
pub fn Agreement(detail: CaseDetail) -> impl IntoView {
    let i18n = use_i18n();
    let agreed = detail.resolution.filter(|_| detail.case.status == CaseStatus::Resolved);
    agreed.map(|r| {
        view! {
            <p class="notice notice-info">{t(Key::ResolutionResolvedNote)}</p>
            <blockquote class="resolution-summary">{r.summary.clone()}</blockquote>
            <ul class="agreement">
                <li>{who(i18n, Key::ResolutionRecordProposed, &r.proposed_by, r.proposed_at)}</li>
                {r.confirmed_by.zip(r.confirmed_at).map(|(by, at)| view! {
                    <li>{who(i18n, Key::ResolutionRecordConfirmed, &by, at)}</li>
                })}
            </ul>
        }
    })
}

/// "Reopen case" until the window closes; after it, whoever may open a case is pointed to a
/// new one.
#[component]
pub fn Reopen(detail: CaseDetail, role: Role, may_reopen: bool, forms: Forms) -> impl IntoView {
    let i18n = use_i18n();
    if may_reopen {
        let until = detail.reopen_until.map(|u| date_time(u, i18n.locale(), None)).unwrap_or_default();
        return Some(
            view! {
                <p>{i18n.f(Key::ResolutionReopenUntil, &[("date", &until)])}</p>
                <ReasonAction
                    id="reopen-reason"
                    button=Key::ResolutionReopen
                    label=Key::ResolutionReopenReason
                    field=forms.reopen.field("reason", forms.reopen_reason)
                    submit=forms.reopen
                />
            }
            .into_any(),
        );
    }
    let closed = detail.case.status == CaseStatus::Resolved && rules::may_open_case(role).is_ok();
    let account = detail.case.account_id;
    closed.then(|| {
        view! {
            <p>{t(Key::ResolutionReopenClosed)}</p>
            <p><A href=link(format!("/accounts/{account}/cases/new"))>{t(Key::ResolutionNewCase)}</A></p>
        }
        .into_any()
    })
}
