use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::state::AppState;
use crate::store::tams;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use portal_contract::{ErrorBody, TamHours, TamId, rules};

/// Bird extends or reduces a TAM's hours: the weekly schedule, the zone and dated overrides.
#[utoipa::path(put, path = "/api/v1/tams/{tam_id}/hours", tag = "accounts",
    params(("tam_id" = String, Path)), request_body = TamHours,
    responses((status = 204, description = "Saved; portals show the new hours on their next load"),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_hours(
    State(state): State<AppState>,
    caller: Caller,
    Path(TamId(tam_id)): Path<TamId>,
    ApiJson(hours): ApiJson<TamHours>,
) -> ApiResult<StatusCode> {
    super::unless_refused(
        rules::may_set_tam_hours(caller.user.role),
        "bird_agents_only",
        "only Bird's support agents change a TAM's hours",
    )?;
    let problems = tams::hours_problems(&hours);
    if !problems.is_empty() {
        return Err(ApiError::Validation(problems));
    }
    let found = state.db.call(move |conn| tams::set_hours(conn, &tam_id, &hours)).await?;
    if found { Ok(StatusCode::NO_CONTENT) } else { Err(ApiError::NotFound("tam_not_found", "no such TAM")) }
}
