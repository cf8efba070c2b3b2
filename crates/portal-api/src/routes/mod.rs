//! The `/api/v1` routes.

pub mod accounts;
pub mod attachments;
pub mod cases;
pub mod config;
pub mod demo_mailbox;
pub mod health;
pub mod inbound;
pub mod information_requests;
pub mod invitations;
pub mod members;
pub mod notification_settings;
pub mod outbox;
pub mod participants;
pub mod passwords;
pub mod session;
pub mod tams;
pub mod test_clock;
pub mod transitions;
pub mod unsubscribe;
pub mod uploads;
pub mod worklist;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::routing::{get, post, put};

pub fn api() -> Router<AppState> {
    Router::new()
        .route("/session", post(session::sign_in).get(session::current).delete(session::sign_out))
        .route("/tokens", post(session::token))
        .route("/password-resets", post(passwords::request_password_reset))
        .route("/password-resets/{token}", post(passwords::reset_password))
        .route("/me/password", axum::routing::put(passwords::change_password))
        .route("/health", get(health::health))
        .route("/config", get(config::config))
        .route("/embedding", get(config::embedding))
        .route("/accounts", get(accounts::list))
        .route("/accounts/{account_id}", get(accounts::overview))
        .route("/accounts/{account_id}/tam", get(accounts::tam))
        .route("/accounts/{account_id}/cases", get(cases::list).post(cases::create))
        .route("/accounts/{account_id}/case-index", get(cases::index))
        .route("/cases/{case_id}", get(cases::detail))
        .route("/cases/{case_id}/messages", post(cases::message))
        .route("/cases/{case_id}/updates", post(cases::update))
        .route("/cases/{case_id}/participants", post(participants::add))
        .route("/cases/{case_id}/participants/{user_id}", axum::routing::delete(participants::remove))
        .route("/cases/{case_id}/resolution/propose", post(transitions::propose))
        .route("/cases/{case_id}/resolution/confirm", post(transitions::confirm))
        .route("/cases/{case_id}/resolution/decline", post(transitions::decline))
        .route("/cases/{case_id}/reopen", post(transitions::reopen))
        .route("/cases/{case_id}/satisfaction", post(transitions::rate))
        .route("/cases/{case_id}/escalation", post(transitions::escalate))
        .route("/cases/{case_id}/escalation/acknowledge", post(transitions::acknowledge))
        .route("/accounts/{account_id}/needs-action", get(worklist::needs_action))
        .route("/me/worklist", get(worklist::worklist))
        .route("/me/notification-settings", get(notification_settings::get).put(notification_settings::put))
        .route("/unsubscribe/{token}", get(unsubscribe::page).post(unsubscribe::unsubscribe))
        .route("/outbox", get(outbox::status))
        .route("/test-clock", post(test_clock::advance))
        .route("/demo/mailbox", get(demo_mailbox::mailbox))
        .route("/cases/{case_id}/information-requests", post(information_requests::raise))
        .route("/cases/{case_id}/information-requests/{request_id}/answer", post(information_requests::answer))
        .route("/accounts/{account_id}/information-requests", get(information_requests::waiting))
        .route("/attachments/{attachment_id}", get(attachments::download))
        .route("/accounts/{account_id}/members", get(members::list))
        .route(
            "/accounts/{account_id}/members/{user_id}",
            axum::routing::patch(members::update).delete(members::remove),
        )
        .route("/accounts/{account_id}/invitations", post(invitations::create))
        .route("/accounts/{account_id}/invitations/{invitation_id}", axum::routing::delete(invitations::revoke))
        .route("/invitations/{token}", get(invitations::preview))
        .route("/invitations/{token}/accept", post(invitations::accept))
        .merge(tus())
        .route("/tams/{tam_id}/hours", put(tams::set_hours))
        .route(
            "/inbound/relay-webhook",
            post(inbound::relay_webhook).layer(axum::extract::DefaultBodyLimit::max(inbound::BODY_LIMIT)),
        )
        .route("/openapi.json", get(crate::openapi::document))
        .fallback(|| async { ApiError::NotFound("route_not_found", "there is no such endpoint") })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
}

/// The tus endpoint: its own protocol headers, and no JSON body limit on `PATCH` (bytes are
/// streamed to disk and bounded by the upload's length instead).
fn tus() -> Router<AppState> {
    use axum::routing::options;
    Router::new()
        .route("/uploads", options(uploads::options).post(uploads::create))
        .route(
            "/uploads/{upload_id}",
            get(uploads::status)
                .head(uploads::head)
                .patch(uploads::patch)
                .delete(uploads::terminate)
                .options(uploads::options),
        )
        .layer(axum::middleware::from_fn(uploads::tus_resumable))
}

/// A query string that does not decode, as a 422 naming the parameter where serde says which.
pub fn query_error(rejection: QueryRejection) -> ApiError {
    let text = rejection.body_text();
    // axum words it "Failed to deserialize query string: limit: invalid digit found in string".
    let detail = text.split_once("query string: ").map(|(_, rest)| rest).unwrap_or(&text);
    let param = detail.split_once(": ").map(|(name, _)| name).filter(|n| !n.contains(' ')).unwrap_or("query");
    ApiError::field(param, "invalid", detail)
}

/// A refusal of `portal_contract::rules` as the API says it: 403 for the role, 409 for the moment.
pub fn refused(refusal: portal_contract::rules::Refusal, status: portal_contract::CaseStatus) -> ApiError {
    match refusal {
        portal_contract::rules::Refusal::NotYourRole => {
            ApiError::Forbidden("action_not_allowed", "your side may not take this action on this case")
        }
        portal_contract::rules::Refusal::NotNow => {
            ApiError::Conflict("case_state_changed", format!("this case is {status} now; the action does not apply"))
        }
    }
}

/// A rule that only ever refuses a role, answered with this endpoint's own code and words.
pub fn unless_refused(
    verdict: Result<(), portal_contract::rules::Refusal>,
    code: &'static str,
    message: &'static str,
) -> ApiResult<()> {
    verdict.map_err(|_| ApiError::Forbidden(code, message))
}
