//! The state of the notification queue, for Bird's support agents.

use crate::auth::Caller;
use crate::error::ApiResult;
use crate::mail::outbox;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use portal_contract::{ErrorBody, OutboxStatus, rules};

/// How the emails the portal sends are doing.
///
/// How many notifications wait (for their first attempt or a retry) and since when, how many
/// the mail server accepted, how many it refused for good, and the last delivery error.
#[utoipa::path(get, path = "/api/v1/outbox", tag = "email",
    responses((status = 200, body = OutboxStatus), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody, description = "Only Bird's support agents read the outbox")))]
pub async fn status(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<OutboxStatus>> {
    super::unless_refused(
        rules::may_read_outbox(caller.user.role),
        "bird_agents_only",
        "only Bird's support agents read the outbox",
    )?;
    Ok(Json(state.db.read(outbox::status).await?))
}
