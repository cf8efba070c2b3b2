use crate::core::host::link;
use crate::core::i18n::{Key, t, use_i18n};
use crate::features::cases::first_response::FirstResponseDue;
use crate::features::cases::labels;
use crate::features::cases::status_badge::{EscalatedMark, SeverityBadge, StatusBadge};
use crate::features::layout::AccountEyebrow;
use crate::ui::time::DateTimeText;
use leptos::prelude::*;
use leptos_router::components::A;
use portal_contract::{Case, Role};

/// The way back to the list, the heading (number and subject), the status (once, in words),
/// the case it follows up, and when the first response is due while it is awaited.
#[component]
pub fn CaseHeading(case: Case, role: Role) -> impl IntoView {
    let i18n = use_i18n();
    let status = case.status;
    let overdue = case.overdue;
    view! {
        <AccountEyebrow account_id=Signal::stored(Some(case.account_id.clone())) />
        <p class="breadcrumb">
            <A href=link(format!("/accounts/{}/cases", case.account_id))>{t(Key::CaseBackToList)}</A>
        </p>
        <h1>{format!("{} · {}", case.number, case.subject)}</h1>
        <p class="status-line">
            <span>{t(Key::CaseStatusLabel)}</span>
            " "
            <StatusBadge status viewer=role />
            {case.escalated_at.map(|_| view! { " " <EscalatedMark /> })}
        </p>
        {case.first_response_due_at.map(|due_at| view! { <FirstResponseDue due_at overdue /> })}
        {case.follow_up_of.map(|original| {
            let number = original.number;
            view! {
                <p class="follow-up">
                    <A href=link(format!("/cases/{}", original.id))>
                        {move || i18n.f(Key::CaseFollowUpOf, &[("number", &number)])}
                    </A>
                </p>
            }
        })}
    }
}

/// "Details": kind, severity, topic, channel, who asked, who works on it, and when.
#[component]
pub fn CaseDetails(case: Case) -> impl IntoView {
    let i18n = use_i18n();
    let (kind, channel, requester_role) = (case.kind, case.channel, case.requester.role);
    let when = |at: Option<chrono::DateTime<chrono::Utc>>| match at {
        Some(at) => view! { <DateTimeText at /> }.into_any(),
        None => t(Key::LabelNotYet).into_any(),
    };
    view! {
        <section aria-labelledby="details-title" class="case-details">
            <h2 id="details-title">{t(Key::CaseDetails)}</h2>
            <dl class="details">
                <div><dt>{t(Key::LabelKind)}</dt><dd>{move || i18n.t(labels::kind(kind))}</dd></div>
                <div><dt>{t(Key::LabelSeverity)}</dt><dd><SeverityBadge severity=case.severity /></dd></div>
                {case.topic.map(|topic| view! {
                    <div><dt>{t(Key::LabelTopic)}</dt><dd>{move || i18n.t(labels::topic(topic))}</dd></div>
                })}
                <div><dt>{t(Key::LabelChannel)}</dt><dd>{move || i18n.t(labels::channel(channel))}</dd></div>
                <div>
                    <dt>{t(Key::LabelRequester)}</dt>
                    <dd>{case.requester.name} " (" {move || i18n.t(labels::role(requester_role))} ")"</dd>
                </div>
                <div>
                    <dt>{t(Key::LabelAgent)}</dt>
                    <dd>
                        {match case.agent {
                            Some(agent) => agent.name.into_any(),
                            None => t(Key::CasesUnassigned).into_any(),
                        }}
                    </dd>
                </div>
                <div><dt>{t(Key::LabelCreated)}</dt><dd><DateTimeText at=case.created_at /></dd></div>
                <div><dt>{t(Key::LabelFirstResponse)}</dt><dd>{when(case.first_response_at)}</dd></div>
                <div><dt>{t(Key::LabelUpdated)}</dt><dd><DateTimeText at=case.updated_at /></dd></div>
            </dl>
        </section>
        <section aria-labelledby="description-title">
            <h2 id="description-title">{t(Key::CaseDescription)}</h2>
            <p class="case-description">{case.description}</p>
        </section>
    }
}
