//! The steps of the agreement as the panel shows them: a pending proposal, its answer,
//! proposing, and the agreement record.

use super::panel::Forms;
use crate::core::i18n::{I18n, Key, t, use_i18n};
use crate::features::cases::labels;
use crate::ui::form::{ReasonAction, SendFailure, SubmitButton, SubmitForm};
use crate::ui::time::date_time;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use portal_contract::{CaseDetail, CaseStatus, Person};

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
