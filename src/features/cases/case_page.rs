use super::action::use_case_action;
use super::files::CaseFiles;
use super::labels;
use super::reply_box::ReplyBox;
use super::status_badge::{EscalatedMark, SeverityBadge, StatusBadge};
use super::timeline::{Timeline, event_title};
use crate::core::api::{ApiError, use_api, use_view_abort};
use crate::core::host::{HostEvent, link, use_host};
use crate::core::i18n::{Key, t, use_i18n};
use crate::core::session::use_session;
use crate::features::cases::escalation::EscalationPanel;
use crate::features::cases::information_requests::InformationPanel;
use crate::features::cases::resolution::ResolutionPanel;
use crate::features::layout::use_current_account;
use crate::ui::poll::use_visible_poll;
use crate::ui::time::DateTimeText;
use crate::ui::{ErrorView, Loading, SendFailure};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use portal_contract::{CaseDetail, CaseId, Role, TimelineEvent};
use std::time::Duration;

/// How often an open case page asks for news while the tab is visible.
const POLL_EVERY: Duration = Duration::from_secs(4);

/// `/cases/:case_id`: the case, its details, its timeline (kept up to date while the tab is
/// visible) and the reply box.
#[component]
pub fn CasePage() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let abort = use_view_abort();
    let session = use_session();
    let params = use_params_map();
    let current = use_current_account();
    let case_id = CaseId(params.with_untracked(|p| p.get("case_id").unwrap_or_default()));

    // The case without its timeline (which `events` holds, appended by id), so a poll that
    // brings nothing new redraws nothing.
    let detail = RwSignal::new(None::<CaseDetail>);
    let events = RwSignal::new(Vec::<TimelineEvent>::new());
    let failure = RwSignal::new(None::<ApiError>);
    let news = RwSignal::new(None::<String>);

    let host = StoredValue::new(use_host());
    let apply = move |mut fresh: CaseDetail| {
        failure.set(None);
        if detail.with_untracked(Option::is_none) {
            let opened =
                HostEvent::CaseOpened { case_id: fresh.case.id.clone(), account_id: fresh.case.account_id.clone() };
            host.with_value(|h| h.emit(opened));
        }
        current.set(fresh.case.account_id.clone());
        let timeline = std::mem::take(&mut fresh.timeline);
        if detail.with_untracked(|d| d.as_ref() != Some(&fresh)) {
            detail.set(Some(fresh));
        }
        let known = events.with_untracked(Vec::len);
        if events.with_untracked(|e| *e != timeline) {
            if known > 0
                && let Some(latest) = timeline.last()
            {
                let what = event_title(i18n, latest);
                news.set(Some(i18n.f(Key::CaseNewActivity, &[("what", &what)])));
            }
            events.set(timeline);
        }
    };
    let case = Memo::new(move |_| detail.with(|d| d.as_ref().map(|d| d.case.clone())));

    let load = {
        let case_id = case_id.clone();
        move || {
            let (api, id) = (api.clone(), case_id.clone());
            spawn_local(async move {
                match api.case(&id, abort.signal()).await {
                    Ok(fresh) => apply(fresh),
                    Err(ApiError::Aborted) => {}
                    // A failed refresh keeps what is on screen; only a failed first load shows.
                    Err(error) => {
                        if detail.with_untracked(Option::is_none) {
                            failure.set(Some(error));
                        }
                    }
                }
            });
        }
    };
    load();
    use_visible_poll(POLL_EVERY, load.clone());
    let retry = load.clone();
    let after_reply = load.clone();
    let runner = use_case_action(Callback::new(apply), Callback::new(move |_| load()));
    let role = session.role().unwrap_or(Role::Unknown);

    // The customer replies; the account's TAM posts progress updates. Agents work in Bird's
    // own tools, through the API.
    let reply = move || {
        let update = match session.role() {
            Some(Role::Customer) => false,
            Some(Role::Tam) => true,
            _ => return None,
        };
        Some({
            let after_reply = after_reply.clone();
            view! {
                <ReplyBox
                    update
                    case_id=case_id.clone()
                    on_sent=Callback::new(move |event: TimelineEvent| {
                        if let Some(case) = case.get_untracked() {
                            let updated = HostEvent::CaseUpdated { case_id: case.id, status: case.status };
                            host.with_value(|h| h.emit(updated));
                        }
                        events.update(|e| e.push(event));
                        after_reply();
                    })
                />
            }
        })
    };
    let loaded = Memo::new(move |_| detail.with(Option::is_some));

    view! {
        <article class="page case-page">
            {move || match (failure.get(), loaded.get()) {
                (Some(error), _) => {
                    let retry = retry.clone();
                    view! { <ErrorView error on_retry=Callback::new(move |_| retry()) /> }.into_any()
                }
                (None, false) => view! { <Loading /> }.into_any(),
                (None, true) => ().into_any(),
            }}
            {move || case.get().map(|case| {
                let (kind, channel, topic, status) = (case.kind, case.channel, case.topic, case.status);
                let requester_role = case.requester.role;
                view! {
                    <p class="breadcrumb">
                        <A href=link(format!("/accounts/{}/cases", case.account_id))>{t(Key::CaseBackToList)}</A>
                    </p>
                    <h1>{format!("{} · {}", case.number, case.subject)}</h1>
                    <p class="status-line">
                        {move || i18n.f(Key::CaseStatusLine, &[("status", i18n.t(labels::status(status)))])}
                        " "
                        <StatusBadge status />
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
                }
            })}
            <Show when=move || loaded.get()>
                <section aria-labelledby="timeline-title">
                    <h2 id="timeline-title">{t(Key::CaseTimeline)}</h2>
                    <Timeline events=events />
                    <p class="visually-hidden" role="status" aria-live="polite">{move || news.get()}</p>
                </section>
                <InformationPanel detail role on_answered=Callback::new(apply) />
                <CaseFiles detail role />
                <SendFailure failure=runner.failure />
                {reply.clone()}
                <ResolutionPanel detail=detail role runner />
                <EscalationPanel detail=detail role runner />
            </Show>
        </article>
    }
}
