//! The `/api/v1` routes.

pub mod accounts;
pub mod cases;
pub mod config;
pub mod inbound;
pub mod session;
pub mod tams;
pub mod transitions;

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::routing::{get, post};

pub fn api() -> Router<AppState> {
    Router::new()
        .route("/session", post(session::sign_in).get(session::current).delete(session::sign_out))
        .route("/tokens", post(session::token))
        .route("/config", get(config::config))
        .route("/accounts", get(accounts::list))
        .route("/accounts/{account_id}", get(accounts::overview))
        .route("/accounts/{account_id}/tam", get(accounts::tam))
        .route("/accounts/{account_id}/cases", get(cases::list).post(cases::create))
        .route("/cases/{case_id}", get(cases::detail))
        .route("/cases/{case_id}/messages", post(cases::message))
        .route("/cases/{case_id}/updates", post(cases::update))
        .route("/cases/{case_id}/resolution/propose", post(transitions::propose))
        .route("/cases/{case_id}/resolution/confirm", post(transitions::confirm))
        .route("/cases/{case_id}/resolution/decline", post(transitions::decline))
        .route("/cases/{case_id}/reopen", post(transitions::reopen))
        .route("/cases/{case_id}/satisfaction", post(transitions::rate))
        .route("/cases/{case_id}/escalation", post(transitions::escalate))
        .route("/tams/{tam_id}/hours", axum::routing::put(tams::set_hours))
        .route("/inbound/relay-webhook", post(inbound::relay_webhook))
        .route("/openapi.json", get(crate::openapi::document))
        .fallback(|| async { ApiError::NotFound("route_not_found", "there is no such endpoint") })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
}

/// A query string that does not decode, as a 422 naming the parameter where serde says which.
pub fn query_error(rejection: QueryRejection) -> ApiError {
    let text = rejection.body_text();
    // axum words it "Failed to deserialize query string: limit: invalid digit found in string".
    let detail = text.split_once("query string: ").map(|(_, rest)| rest).unwrap_or(&text);
    let param = detail.split_once(": ").map(|(name, _)| name).filter(|n| !n.contains(' ')).unwrap_or("query");
    ApiError::field(param, "invalid", detail)
}

/// Another account's data answers exactly like data that does not exist.
pub fn visible(caller: &Caller, account_id: &str) -> ApiResult<()> {
    if caller.may_see(account_id) { Ok(()) } else { Err(ApiError::NotFound("account_not_found", "no such account")) }
}
