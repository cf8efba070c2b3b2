//! Information requests: an agent asks, the customer answers with text and files. The case
//! waits on the customer while any request is open (`rules::status_for_requests`).

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::extract::{AccountScope, IdempotencyKey, ValidJson, visible_case};
use crate::first_response::Overdue;
use crate::idempotency;
use crate::services::{self, cases::Author};
use crate::state::AppState;
use crate::store::{self, cases, information_requests};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use portal_contract::rules;
use portal_contract::{
    CaseDetail, CaseId, ErrorBody, EventKind, InformationRequest, InformationRequestId, NewInformationAnswer,
    NewInformationRequest, Page, WaitingRequest,
};

/// The most open requests the account page lists; an account owing more has bigger problems.
const WAITING_MAX: u32 = 100;

#[utoipa::path(post, path = "/api/v1/cases/{case_id}/information-requests", tag = "information requests",
    params(("case_id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    request_body = NewInformationRequest,
    responses((status = 201, body = InformationRequest), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn raise(
    State(state): State<AppState>,
    caller: Caller,
    Path(case_id): Path<CaseId>,
    key: IdempotencyKey,
    ValidJson(new): ValidJson<NewInformationRequest>,
) -> ApiResult<(StatusCode, Json<InformationRequest>)> {
    let clock = state.clock.clone();
    let request = state
        .db
        .call(move |conn| {
            let tx = conn.transaction()?;
            let case = visible_case(&tx, &caller, case_id.as_str())?;
            let case_id = case_id.to_string();
            let user_id = caller.user.id.to_string();
            let request = idempotency::once(&tx, &user_id, key.as_deref(), &(&case_id, &new), |tx| {
                rules::check_raise_request(caller.user.role, case.status)
                    .map_err(|r| super::refused(r, case.status))?;
                let now = clock.now();
                let id = information_requests::raise(tx, &case_id, &user_id, &new, now)?;
                let event = cases::add_event(
                    tx,
                    &case_id,
                    EventKind::InformationRequestRaised,
                    &user_id,
                    Some(new.title.trim()),
                    None,
                    now,
                )?;
                cases::link_event(tx, &event, Some(&id), &[])?;
                cases::record_agent_answer(tx, &case, &user_id, now)?;
                services::information_requests::settle_status(tx, &case_id, now)?;
                information_requests::of_case(tx, &case_id, &[])?
                    .into_iter()
                    .find(|r| r.id.as_str() == id)
                    .ok_or_else(|| ApiError::Internal("raised request vanished".into()))
            })?;
            tx.commit()?;
            Ok(request)
        })
        .await?;
    tracing::info!(case = %request.case_id, request = %request.id, "information requested");
    Ok((StatusCode::CREATED, Json(request)))
}

#[utoipa::path(post, path = "/api/v1/cases/{case_id}/information-requests/{request_id}/answer", tag = "information requests",
    params(("case_id" = String, Path), ("request_id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    request_body = NewInformationAnswer,
    responses((status = 200, body = CaseDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn answer(
    State(state): State<AppState>,
    caller: Caller,
    Path((case_id, request_id)): Path<(CaseId, InformationRequestId)>,
    key: IdempotencyKey,
    ValidJson(answer): ValidJson<NewInformationAnswer>,
) -> ApiResult<Json<CaseDetail>> {
    let window = state.config.reopen_window();
    let clock = state.clock.clone();
    let detail = state
        .db
        .call(move |conn| {
            let tx = conn.transaction()?;
            let case = visible_case(&tx, &caller, case_id.as_str())?;
            let (case_id, request_id) = (case_id.to_string(), request_id.to_string());
            let user_id = caller.user.id.to_string();
            let fingerprint = (&case_id, &request_id, &answer);
            let detail = idempotency::once(&tx, &user_id, key.as_deref(), &fingerprint, |tx| {
                let ids: Vec<String> = answer.attachment_ids.iter().map(ToString::to_string).collect();
                let author = Author::of(&caller);
                services::information_requests::answer(
                    tx,
                    &case,
                    &author,
                    &request_id,
                    answer.text(),
                    &ids,
                    clock.now(),
                )?;
                store::resolution::detail(tx, visible_case(tx, &caller, &case_id)?, window)
            })?;
            tx.commit()?;
            Ok(detail)
        })
        .await?;
    tracing::info!(case = %detail.case.id, status = %detail.case.status, "information request answered");
    Ok(Json(detail.with_overdue(state.clock.now())))
}

#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/information-requests", tag = "information requests",
    params(("account_id" = String, Path)),
    responses((status = 200, body = Page<WaitingRequest>), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn waiting(
    State(state): State<AppState>,
    AccountScope { account_id, .. }: AccountScope,
) -> ApiResult<Json<Page<WaitingRequest>>> {
    let data = state.db.read(move |conn| information_requests::waiting(conn, account_id.as_str(), WAITING_MAX)).await?;
    Ok(Json(Page { data, next_cursor: None, total: None }))
}
