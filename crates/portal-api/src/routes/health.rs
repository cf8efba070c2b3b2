//! `GET /health`: what a load balancer asks before it sends this instance requests. It needs no
//! credentials and says nothing but whether each backend answered.

use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use portal_contract::{BackendHealth, Health};
use std::time::Duration;

/// A backend slower than this counts as unreachable: a balancer's own check times out soon after.
const CHECK_TIMEOUT: Duration = Duration::from_secs(2);
/// When a balancer that honours it should ask again.
const RETRY_AFTER_SECONDS: &str = "5";

#[utoipa::path(get, path = "/api/v1/health", tag = "config",
    responses((status = 200, body = Health), (status = 503, body = Health)))]
pub async fn health(State(state): State<AppState>) -> Response {
    // The writer's connection, not a reader's: an instance whose writes are stuck cannot serve.
    let database = state.db.call(|conn| Ok(conn.query_row("SELECT 1", [], |r| r.get::<_, i64>(0))?));
    let object_store = state.objects.probe();
    let (database, object_store) =
        tokio::join!(tokio::time::timeout(CHECK_TIMEOUT, database), tokio::time::timeout(CHECK_TIMEOUT, object_store));
    let health = Health {
        database: verdict(matches!(database, Ok(Ok(1)))),
        object_store: verdict(matches!(object_store, Ok(Ok(())))),
    };
    if health.database == BackendHealth::Ok && health.object_store == BackendHealth::Ok {
        (StatusCode::OK, Json(health)).into_response()
    } else {
        tracing::warn!(?health, "health check failed");
        let mut answer = (StatusCode::SERVICE_UNAVAILABLE, Json(health)).into_response();
        answer.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static(RETRY_AFTER_SECONDS));
        answer
    }
}

fn verdict(ok: bool) -> BackendHealth {
    if ok { BackendHealth::Ok } else { BackendHealth::Unreachable }
}
