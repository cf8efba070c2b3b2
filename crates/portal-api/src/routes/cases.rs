use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::extract::{AccountScope, IdempotencyKey, ValidJson, VisibleCase, visible_case};
use crate::first_response::Overdue;
use crate::idempotency;
use crate::json::ApiJson;
use crate::services::{self, cases::Author};
use crate::sql::Connection;
use crate::state::AppState;
use crate::store;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use chrono::Utc;
use portal_contract::{
    AccountId, Case, CaseDetail, CaseId, CaseIndex, CaseIndexQuery, CaseListQuery, Channel, ErrorBody, EventKind,
    NewCase, NewMessage, Page, TimelineEvent, Validate, rules,
};

#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/cases", tag = "cases",
    params(("account_id" = String, Path), CaseListQuery),
    responses((status = 200, body = Page<Case>), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    AccountScope { caller, account_id }: AccountScope,
    query: Result<Query<CaseListQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Json<Page<Case>>> {
    let Query(query) = query.map_err(super::query_error)?;
    let caller_id = caller.user.id.to_string();
    let page = state.db.read(move |conn| store::cases::list(conn, account_id.as_str(), &caller_id, &query)).await?;
    Ok(Json(page.with_overdue(state.clock.now())))
}

#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/case-index", tag = "cases",
    params(("account_id" = String, Path), CaseIndexQuery),
    responses((status = 200, body = CaseIndex), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn index(
    State(state): State<AppState>,
    AccountScope { caller, account_id }: AccountScope,
    query: Result<Query<CaseIndexQuery>, axum::extract::rejection::QueryRejection>,
) -> ApiResult<Json<CaseIndex>> {
    let Query(query) = query.map_err(super::query_error)?;
    let mine_of = (query.mine == Some(true)).then(|| caller.user.id.to_string());
    let now = state.clock.now();
    Ok(Json(state.db.read(move |conn| store::cases::index(conn, account_id.as_str(), mine_of.as_deref(), now)).await?))
}

/// Refuses a person's next case while they opened `per_hour` through the API in the last hour,
/// with the seconds until the oldest of those leaves the hour. Counted in the database, so every
/// instance serving the portal sees the same count.
fn within_case_rate(conn: &Connection, user_id: &str, per_hour: u32, now: chrono::DateTime<Utc>) -> ApiResult<()> {
    let hour = chrono::Duration::hours(1);
    let counted = per_hour.max(1);
    let oldest = store::cases::nth_latest_opened(conn, user_id, Channel::Portal, now - hour, counted)?;
    let Some(oldest) = oldest else { return Ok(()) };
    let wait = (oldest + hour - now).num_seconds().max(1) as u64;
    Err(ApiError::Throttled(
        "case_rate_limited",
        format!("you opened {per_hour} cases in the last hour, the most one person may; try again in {wait} seconds"),
        wait,
    ))
}

#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/cases", tag = "cases",
    params(("account_id" = String, Path), ("Idempotency-Key" = Option<String>, Header, description = "Retries with the same key return the first answer")),
    request_body = NewCase,
    responses((status = 201, body = Case), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody, description = "A field is invalid, or `follow_up_of` is not a case of this account"),
              (status = 429, body = ErrorBody, description = "The person opened too many cases in the last hour; Retry-After says when the next is allowed",
               headers(("Retry-After" = u64, description = "Seconds to wait")))))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Path(account_id): Path<AccountId>,
    key: IdempotencyKey,
    ApiJson(new): ApiJson<NewCase>,
) -> ApiResult<(StatusCode, Json<Case>)> {
    let AccountScope { caller, account_id } = AccountScope::of(caller, account_id)?;
    // The role before the body's problems: a 403 says more than a 422 to someone who may not.
    super::unless_refused(
        rules::may_open_case(caller.user.role),
        "customers_only",
        "only the account's customers open cases",
    )?;
    let problems = new.problems();
    if !problems.is_empty() {
        return Err(ApiError::fields(problems));
    }
    let user_id = caller.user.id.to_string();
    let per_hour = state.config.cases_per_hour;
    let clock = state.clock.clone();
    let case = state
        .db
        .call(move |conn| {
            let tx = conn.transaction()?;
            let account_id = account_id.to_string();
            let request = (&account_id, &new);
            // Inside `once`: a retry of a case already opened replays it, whatever the count.
            let case = idempotency::once(&tx, &user_id, key.as_deref(), &request, |tx| {
                let now = clock.now();
                within_case_rate(tx, &user_id, per_hour, now)?;
                services::cases::open(tx, &Author::of(&caller), &account_id, &new, Channel::Portal, now)
            })?;
            tx.commit()?;
            Ok(case)
        })
        .await?;
    tracing::info!(case = %case.id, number = %case.number, "case opened");
    Ok((StatusCode::CREATED, Json(case.with_overdue(state.clock.now()))))
}

#[utoipa::path(get, path = "/api/v1/cases/{case_id}", tag = "cases",
    params(("case_id" = String, Path)),
    responses((status = 200, body = CaseDetail), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn detail(
    State(state): State<AppState>,
    VisibleCase { case, .. }: VisibleCase,
) -> ApiResult<Json<CaseDetail>> {
    let window = state.config.reopen_window();
    let detail = state.db.read(move |conn| store::resolution::detail(conn, case, window)).await?;
    Ok(Json(detail.with_overdue(state.clock.now())))
}

/// Appends a message or an update (`services::cases::post`).
async fn append(
    state: AppState,
    caller: Caller,
    case_id: CaseId,
    key: IdempotencyKey,
    message: NewMessage,
    kind: EventKind,
) -> ApiResult<(StatusCode, Json<TimelineEvent>)> {
    let clock = state.clock.clone();
    let event = state
        .db
        .call(move |conn| {
            let tx = conn.transaction()?;
            // Visibility first: another account's case is a 404 whatever the role, so a 403
            // never tells anyone that a case exists.
            let case = visible_case(&tx, &caller, case_id.as_str())?;
            let case_id = case_id.to_string();
            super::unless_refused(
                rules::may_post(caller.user.role, kind),
                "bird_only",
                "progress updates come from Bird's agents and TAMs",
            )?;
            let user_id = caller.user.id.to_string();
            let request = (&case_id, kind.as_str(), &message);
            let event = idempotency::once(&tx, &user_id, key.as_deref(), &request, |tx| {
                let now = clock.now();
                let event_id = services::cases::post(tx, &case, &Author::of(&caller), kind, message.body.trim(), now)?;
                store::cases::timeline(tx, &case_id, &[])?
                    .into_iter()
                    .find(|e| e.id.as_str() == event_id)
                    .ok_or_else(|| ApiError::Internal("appended event vanished".into()))
            })?;
            tx.commit()?;
            Ok(event)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(event)))
}

#[utoipa::path(post, path = "/api/v1/cases/{case_id}/messages", tag = "cases",
    params(("case_id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    request_body = NewMessage,
    responses((status = 201, body = TimelineEvent), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn message(
    State(state): State<AppState>,
    caller: Caller,
    Path(case_id): Path<CaseId>,
    key: IdempotencyKey,
    ValidJson(body): ValidJson<NewMessage>,
) -> ApiResult<(StatusCode, Json<TimelineEvent>)> {
    append(state, caller, case_id, key, body, EventKind::Message).await
}

#[utoipa::path(post, path = "/api/v1/cases/{case_id}/updates", tag = "cases",
    params(("case_id" = String, Path), ("Idempotency-Key" = Option<String>, Header)),
    request_body = NewMessage,
    responses((status = 201, body = TimelineEvent), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(case_id): Path<CaseId>,
    key: IdempotencyKey,
    ValidJson(body): ValidJson<NewMessage>,
) -> ApiResult<(StatusCode, Json<TimelineEvent>)> {
    append(state, caller, case_id, key, body, EventKind::ProgressUpdate).await
}
