//! `/me/notification-settings`: which emails reach the signed-in person, and in which language.

use crate::auth::Caller;
use crate::error::ApiResult;
use crate::json::ApiJson;
use crate::mail::settings;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use portal_contract::{ErrorBody, NotificationSettings};

/// The caller's settings: every kind on, in English, until they choose.
#[utoipa::path(get, path = "/api/v1/me/notification-settings", tag = "notifications",
    operation_id = "get_notification_settings",
    responses((status = 200, body = NotificationSettings), (status = 401, body = ErrorBody)))]
pub async fn get(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<NotificationSettings>> {
    let user_id = caller.user.id.to_string();
    Ok(Json(state.db.read(move |conn| settings::get(conn, &user_id)).await?))
}

/// Saves the caller's settings and answers them as saved.
#[utoipa::path(put, path = "/api/v1/me/notification-settings", tag = "notifications",
    operation_id = "put_notification_settings",
    request_body = NotificationSettings,
    responses((status = 200, body = NotificationSettings),
              (status = 422, description = "A field is missing or not one of its values (`language`)", body = ErrorBody)))]
pub async fn put(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(chosen): ApiJson<NotificationSettings>,
) -> ApiResult<Json<NotificationSettings>> {
    let user_id = caller.user.id.to_string();
    let saved = state
        .db
        .call(move |conn| {
            let tx = conn.transaction()?;
            settings::put(&tx, &user_id, &chosen)?;
            let saved = settings::get(&tx, &user_id)?;
            tx.commit()?;
            Ok(saved)
        })
        .await?;
    Ok(Json(saved))
}
