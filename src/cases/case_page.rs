use super::labels;
use super::status_badge::{EscalatedMark, SeverityBadge, StatusBadge};
use super::timeline::Timeline;
use crate::api::{use_api, use_view_abort};
use crate::i18n::{Key, t, use_i18n};
use crate::layout::use_current_account;
use crate::ui::loaded;
use crate::ui::time::DateTimeText;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use portal_contract::CaseId;

/// `/cases/:case_id`: the case, its details and its timeline.
#[component]
pub fn CasePage() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let abort = use_view_abort();
    let params = use_params_map();
    let current = use_current_account();
    let case_id = Memo::new(move |_| CaseId(params.with(|p| p.get("case_id").unwrap_or_default())));
    let detail = LocalResource::new(move || {
        let (api, id) = (api.clone(), case_id.get());
        async move { api.case(&id, abort.signal()).await }
    });

    view! {
        <article class="page case-page">
            {loaded(detail, move |detail| {
                let case = detail.case;
                current.set(case.account_id.clone());
                let (kind, channel, topic) = (case.kind, case.channel, case.topic);
                let requester_role = case.requester.role;
                view! {
                    <p class="breadcrumb">
                        <A href=format!("/accounts/{}/cases", case.account_id)>{t(Key::CaseBackToList)}</A>
                    </p>
                    <h1>{format!("{} · {}", case.number, case.subject)}</h1>
                    <p class="status-line">
                        {move || i18n.f(Key::CaseStatusLine, &[("status", i18n.t(labels::status(case.status)))])}
                        " "
                        <StatusBadge status=case.status />
                        {case.escalated_at.map(|_| view! { " " <EscalatedMark /> })}
                    </p>
                    <section aria-labelledby="details-title" class="case-details">
                        <h2 id="details-title">{t(Key::CaseDetails)}</h2>
                        <dl class="details">
                            <div><dt>{t(Key::LabelKind)}</dt><dd>{move || i18n.t(labels::kind(kind))}</dd></div>
                            <div><dt>{t(Key::LabelSeverity)}</dt><dd><SeverityBadge severity=case.severity /></dd></div>
                            {topic.map(|topic| view! {
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
                            <div>
                                <dt>{t(Key::LabelFirstResponse)}</dt>
                                <dd>
                                    {match case.first_response_at {
                                        Some(at) => view! { <DateTimeText at /> }.into_any(),
                                        None => t(Key::LabelNotYet).into_any(),
                                    }}
                                </dd>
                            </div>
                            <div><dt>{t(Key::LabelUpdated)}</dt><dd><DateTimeText at=case.updated_at /></dd></div>
                        </dl>
                    </section>
                    <section aria-labelledby="description-title">
                        <h2 id="description-title">{t(Key::CaseDescription)}</h2>
                        <p class="case-description">{case.description}</p>
                    </section>
                    <section aria-labelledby="timeline-title">
                        <h2 id="timeline-title">{t(Key::CaseTimeline)}</h2>
                        <Timeline events=detail.timeline />
                    </section>
                }
            })}
        </article>
    }
}
