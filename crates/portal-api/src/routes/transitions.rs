//! The actions that move a case: propose, confirm or decline a resolution, reopen, rate,
//! escalate, acknowledge an escalation. Each one checks `portal_contract::rules` inside the same transaction that applies
//! it, so of two answers racing for one proposal exactly one wins and the other gets a 409.

use crate::auth::Caller;
use crate::error::ApiResult;
use crate::extract::{ValidJson, visible_case};
use crate::first_response::Overdue;
use crate::sql::Transaction;
use crate::state::AppState;
use crate::store::{cases, resolution};
use axum::Json;
use axum::extract::{Path, State};
use chrono::{DateTime, Utc};
use portal_contract::rules::{self, CaseAction};
use portal_contract::{CaseDetail, CaseId, ErrorBody, EventKind, NewRating, NewResolution, Reason};

struct Act<'a> {
    tx: &'a Transaction<'a>,
    case_id: &'a str,
    user_id: &'a str,
    at: DateTime<Utc>,
}

async fn run<B, F>(
    state: AppState,
    caller: Caller,
    case_id: CaseId,
    action: CaseAction,
    body: B,
    apply: F,
) -> ApiResult<Json<CaseDetail>>
where
    B: Send + 'static,
    F: FnOnce(&Act, &B) -> ApiResult<()> + Send + 'static,
{
    let window = state.config.reopen_window();
    let clock = state.clock.clone();
    let detail = state
        .db
        .call(move |conn| {
            let tx = conn.transaction()?;
            let case = visible_case(&tx, &caller, case_id.as_str())?;
            let case_id = case_id.to_string();
            let now = clock.now();
            let current = resolution::detail(&tx, case, window)?;
            rules::check(action, caller.user.role, current.rule_state(now))
                .map_err(|r| super::refused(r, current.case.status))?;
            let user_id = caller.user.id.to_string();
            apply(&Act { tx: &tx, case_id: &case_id, user_id: &user_id, at: now }, &body)?;
            let next = rules::next_status(action, current.case.status);
            if next != current.case.status {
                cases::set_status(&tx, &case_id, next, now)?;
            }
            let case = visible_case(&tx, &caller, &case_id)?;
            let detail = resolution::detail(&tx, case, window)?;
            tx.commit()?;
            Ok(detail)
        })
        .await?;
    tracing::info!(case = %detail.case.id, action = %action, status = %detail.case.status, "case action");
    Ok(Json(detail.with_overdue(state.clock.now())))
}

#[utoipa::path(post, path = "/api/v1/cases/{case_id}/resolution/propose", tag = "resolution",
    params(("case_id" = String, Path)), request_body = NewResolution,
    responses((status = 200, body = CaseDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn propose(
    State(state): State<AppState>,
    caller: Caller,
    Path(case_id): Path<CaseId>,
    ValidJson(body): ValidJson<NewResolution>,
) -> ApiResult<Json<CaseDetail>> {
    run(state, caller, case_id, CaseAction::ProposeResolution, body, |a, b| {
        let summary = b.summary.trim();
        resolution::propose(a.tx, a.case_id, a.user_id, summary, a.at)?;
        cases::add_event(a.tx, a.case_id, EventKind::ResolutionProposed, a.user_id, Some(summary), None, a.at)
            .map(|_| ())
    })
    .await
}

#[utoipa::path(post, path = "/api/v1/cases/{case_id}/resolution/confirm", tag = "resolution",
    params(("case_id" = String, Path)),
    responses((status = 200, body = CaseDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn confirm(
    State(state): State<AppState>,
    caller: Caller,
    Path(case_id): Path<CaseId>,
) -> ApiResult<Json<CaseDetail>> {
    run(state, caller, case_id, CaseAction::ConfirmResolution, (), |a, _| {
        resolution::confirm(a.tx, a.case_id, a.user_id, a.at)?;
        cases::add_event(a.tx, a.case_id, EventKind::ResolutionConfirmed, a.user_id, None, None, a.at).map(|_| ())
    })
    .await
}

#[utoipa::path(post, path = "/api/v1/cases/{case_id}/resolution/decline", tag = "resolution",
    params(("case_id" = String, Path)), request_body = Reason,
    responses((status = 200, body = CaseDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn decline(
    State(state): State<AppState>,
    caller: Caller,
    Path(case_id): Path<CaseId>,
    ValidJson(body): ValidJson<Reason>,
) -> ApiResult<Json<CaseDetail>> {
    run(state, caller, case_id, CaseAction::DeclineResolution, body, |a, b| {
        resolution::clear(a.tx, a.case_id)?;
        cases::add_event(a.tx, a.case_id, EventKind::ResolutionDeclined, a.user_id, Some(b.reason.trim()), None, a.at)
            .map(|_| ())
    })
    .await
}

#[utoipa::path(post, path = "/api/v1/cases/{case_id}/reopen", tag = "resolution",
    params(("case_id" = String, Path)), request_body = Reason,
    responses((status = 200, body = CaseDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody, description = "Not resolved, or past the reopen window"), (status = 422, body = ErrorBody)))]
pub async fn reopen(
    State(state): State<AppState>,
    caller: Caller,
    Path(case_id): Path<CaseId>,
    ValidJson(body): ValidJson<Reason>,
) -> ApiResult<Json<CaseDetail>> {
    run(state, caller, case_id, CaseAction::Reopen, body, |a, b| {
        resolution::clear(a.tx, a.case_id)?;
        cases::add_event(a.tx, a.case_id, EventKind::Reopened, a.user_id, Some(b.reason.trim()), None, a.at).map(|_| ())
    })
    .await
}

#[utoipa::path(post, path = "/api/v1/cases/{case_id}/satisfaction", tag = "resolution",
    params(("case_id" = String, Path)), request_body = NewRating,
    responses((status = 200, body = CaseDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody, description = "Not resolved, or already rated"), (status = 422, body = ErrorBody)))]
pub async fn rate(
    State(state): State<AppState>,
    caller: Caller,
    Path(case_id): Path<CaseId>,
    ValidJson(body): ValidJson<NewRating>,
) -> ApiResult<Json<CaseDetail>> {
    run(state, caller, case_id, CaseAction::Rate, body, |a, b| {
        let comment = b.comment.as_deref().map(str::trim).filter(|c| !c.is_empty());
        resolution::rate(a.tx, a.case_id, a.user_id, b.rating, comment, a.at)
    })
    .await
}

#[utoipa::path(post, path = "/api/v1/cases/{case_id}/escalation", tag = "resolution",
    params(("case_id" = String, Path)), request_body = Reason,
    responses((status = 200, body = CaseDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody, description = "Resolved, or escalated already"), (status = 422, body = ErrorBody)))]
pub async fn escalate(
    State(state): State<AppState>,
    caller: Caller,
    Path(case_id): Path<CaseId>,
    ValidJson(body): ValidJson<Reason>,
) -> ApiResult<Json<CaseDetail>> {
    run(state, caller, case_id, CaseAction::Escalate, body, |a, b| {
        resolution::escalate(a.tx, a.case_id, a.at)?;
        cases::add_event(a.tx, a.case_id, EventKind::Escalation, a.user_id, Some(b.reason.trim()), None, a.at)
            .map(|_| ())
    })
    .await
}

#[utoipa::path(post, path = "/api/v1/cases/{case_id}/escalation/acknowledge", tag = "resolution",
    params(("case_id" = String, Path)),
    responses((status = 200, body = CaseDetail, description = "Recorded, with an `escalation_acknowledged` event the customer sees"),
              (status = 403, body = ErrorBody, description = "Only the account's TAM acknowledges"), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody, description = "Not escalated, acknowledged already, or resolved")))]
pub async fn acknowledge(
    State(state): State<AppState>,
    caller: Caller,
    Path(case_id): Path<CaseId>,
) -> ApiResult<Json<CaseDetail>> {
    run(state, caller, case_id, CaseAction::AcknowledgeEscalation, (), |a, _| {
        resolution::acknowledge_escalation(a.tx, a.case_id, a.user_id, a.at)?;
        cases::add_event(a.tx, a.case_id, EventKind::EscalationAcknowledged, a.user_id, None, None, a.at).map(|_| ())
    })
    .await
}
