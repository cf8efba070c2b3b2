//! `POST /test-clock`, for tests only: with `--test-clock` a signed-in person moves the server's
//! clock forward (`clock.rs`), so a test sees a first response fall overdue without waiting
//! hours. Without the flag it is the 404 of a route that does not exist.

use crate::auth::Caller;
use crate::clock::MAX_OFFSET_SECONDS;
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use portal_contract::ErrorBody;
use serde::{Deserialize, Serialize};

/// `POST /test-clock` body.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ClockAdvance {
    /// Seconds to move the clock forward: 0 or more, at most a hundred years in all.
    #[schema(minimum = 0)]
    pub advance_seconds: i64,
}

/// The server's clock after the advance.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ClockNow {
    pub now: DateTime<Utc>,
}

#[utoipa::path(post, path = "/api/v1/test-clock", tag = "testing",
    description = "Only on a server started with `--test-clock` (tests, never production): moves the clock that decides overdue and at-risk cases, and stamps what happens on cases, forward.",
    request_body = ClockAdvance,
    responses((status = 200, body = ClockNow), (status = 401, body = ErrorBody),
              (status = 404, body = ErrorBody, description = "The server runs without `--test-clock`"),
              (status = 422, body = ErrorBody)))]
pub async fn advance(
    State(state): State<AppState>,
    _caller: Caller,
    ApiJson(body): ApiJson<ClockAdvance>,
) -> ApiResult<Json<ClockNow>> {
    if !state.config.test_clock {
        return Err(ApiError::NotFound("route_not_found", "there is no such endpoint"));
    }
    let now = state.clock.advance(body.advance_seconds).ok_or_else(|| {
        ApiError::field(
            "advance_seconds",
            "out_of_range",
            &format!("moves the clock forward by 0 to {MAX_OFFSET_SECONDS} seconds in all"),
        )
    })?;
    tracing::warn!(advance_seconds = body.advance_seconds, %now, "test clock moved");
    Ok(Json(ClockNow { now }))
}
