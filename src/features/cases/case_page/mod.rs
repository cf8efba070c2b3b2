//! `/cases/:case_id`: the case, its details, its timeline (kept up to date while the tab is
//! visible) with the reply box right after its latest entry, and then the panels: resolution,
//! escalation, information requests, files, and who follows the case. The TAM's escalation
//! comes before the timeline: acknowledging it is what the TAM opens an escalated case for. A
//! link from an email may ask for one item of "Needs your action" (`arrival.rs`).

mod arrival;
mod data;
mod files;
mod participants;
mod reply_box;
mod summary;

use super::action::{ConflictNotice, use_case_actions};
use super::escalation::EscalationPanel;
use super::information_requests::InformationPanel;
use super::needs_action::{NeedsActionRegion, of_case};
use super::resolution::{ResolutionPanel, ResolvedNext};
use super::timeline::Timeline;
use crate::core::host::{HostEvent, use_host};
use crate::core::i18n::{Key, t};
use crate::core::session::use_session;
use crate::ui::{ErrorView, Loading};
use arrival::ArrivalFocus;
use chrono::Utc;
use data::{CaseData, use_case_data};
use files::CaseFiles;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
pub use participants::Participants;
use portal_contract::rules;
use portal_contract::{CaseId, CaseStatus, EventKind, Role, TimelineEvent};
use reply_box::ReplyBox;
use summary::{CaseDetails, CaseHeading};

/// The route. Following a link from one case to another keeps the route on screen with a new
/// `:case_id`; each case is drawn afresh, with its own state, poll and drafts.
#[component]
pub fn CasePage() -> impl IntoView {
    let params = use_params_map();
    let case_id = Memo::new(move |_| CaseId(params.with(|p| p.get("case_id").unwrap_or_default())));
    move || view! { <CaseView case_id=case_id.get() /> }
}

#[component]
fn CaseView(case_id: CaseId) -> impl IntoView {
    let role = use_session().role().unwrap_or(Role::Unknown);
    let data = use_case_data(case_id.clone(), role);
    let actions = use_case_actions(data.apply, data.load);
    let detail = data.detail;
    let case = Memo::new(move |_| detail.with(|d| d.as_ref().map(|d| d.case.clone())));
    let loaded = Memo::new(move |_| detail.with(Option::is_some));
    let waiting_here =
        Signal::derive(move || detail.with(|d| d.as_ref().map(|d| of_case(d, role, Utc::now())).unwrap_or_default()));
    let page = NodeRef::new();
    view! {
        <article class="page case-page" node_ref=page>
            <LoadState data loaded />
            {move || case.get().map(|case| view! { <CaseHeading case=case.clone() role /> <CaseDetails case /> })}
            <Show when=move || loaded.get()>
                <ArrivalFocus needs=waiting_here page />
                <NeedsActionRegion needs=waiting_here on_changed=data.apply on_stale=data.load actions />
                {(role == Role::Tam).then(|| view! { <EscalationPanel case_id=case_id.clone() detail role actions /> })}
                <section aria-labelledby="timeline-title">
                    <h2 id="timeline-title">{t(Key::CaseTimeline)}</h2>
                    <Timeline events=data.events viewer=role />
                    <p class="visually-hidden" role="status" aria-live="polite">{move || data.news.get()}</p>
                </section>
                <ResolvedNext case_id=case_id.clone() detail role actions />
                <Post case_id=case_id.clone() role data />
                <super::support_address::SupportAddress number=Signal::derive(move || case.with(|c| c.as_ref().map(|c| c.number.clone()))) />
                <ConflictNotice actions />
                <ResolutionPanel case_id=case_id.clone() detail role actions />
                {(role != Role::Tam).then(|| view! { <EscalationPanel case_id=case_id.clone() detail role actions /> })}
                <InformationPanel detail role on_answered=data.apply />
                <CaseFiles detail role />
                <Participants detail role on_changed=data.load />
            </Show>
        </article>
    }
}

/// "Loading…" until the case is there, or why it could not be loaded, with a retry.
#[component]
fn LoadState(data: CaseData, loaded: Memo<bool>) -> impl IntoView {
    move || match (data.failure.get(), loaded.get()) {
        (Some(error), _) => view! { <ErrorView error on_retry=data.load /> }.into_any(),
        (None, false) => view! { <Loading /> }.into_any(),
        (None, true) => ().into_any(),
    }
}

/// The box for what this person posts, by `rules::may_post`: a progress update where the
/// role may post one (Bird's side), else a reply.
fn post_kind(role: Role) -> Option<EventKind> {
    [EventKind::ProgressUpdate, EventKind::Message].into_iter().find(|kind| rules::may_post(role, *kind).is_ok())
}

/// The reply (or update) box; what is sent joins the timeline at once, and the case is loaded
/// again for what the post changed (its status, the first response).
#[component]
fn Post(case_id: CaseId, role: Role, data: CaseData) -> impl IntoView {
    let host = StoredValue::new(use_host());
    let on_sent = move |event: TimelineEvent| {
        if let Some(case) = data.detail.with_untracked(|d| d.as_ref().map(|d| (d.case.id.clone(), d.case.status))) {
            host.with_value(|h| h.emit(HostEvent::CaseUpdated { case_id: case.0, status: case.1 }));
        }
        data.events.update(|e| e.push(event));
        data.load.run(());
    };
    let resolved =
        Signal::derive(move || data.detail.with(|d| d.as_ref().is_some_and(|d| d.case.status == CaseStatus::Resolved)));
    post_kind(role).map(|kind| view! { <ReplyBox case_id kind resolved on_sent /> })
}
