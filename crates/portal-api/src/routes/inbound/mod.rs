//! The email channel: Bird's inbound relay posts each message sent to the support address, or
//! to the reply address of a notification, as a SparkPost-style relay webhook batch. A message
//! to the support address from a customer user opens a case (channel `email`), or, when its
//! subject names one of their cases (`CASE-1042`), adds a message to it. A reply to a
//! notification (`reply+<token>@<reply-domain>`) is its recipient's message on its case, or the
//! answer to the information request it asked (`reply.rs`).
//!
//! Each item of a batch is decoded, checked and stored on its own: one that is malformed or
//! refused is answered `rejected` with its code and reason, stored nowhere, and the others go on.

mod authentication;
mod case;
mod files;
mod message;
mod recipient;
mod refusal;
mod reply;

use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::state::AppState;
use axum::Json;
use axum::extract::{FromRequestParts, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use case::Accepted;
use portal_contract::{ErrorBody, FieldError};
use refusal::Refusal;
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub const TOKEN_HEADER: &str = "X-MessageSystems-Webhook-Token";

/// The largest batch the relay may post: a message of 25 MB (the most common mail providers
/// send, attachments included) with its JSON around it. Only the relay, known by its token
/// before a byte of the body is read, gets this far.
pub const BODY_LIMIT: usize = 32 * 1024 * 1024;

#[derive(Debug, Deserialize, Serialize, utoipa::ToSchema)]
pub struct RelayEvent {
    pub msys: RelayMsys,
}

#[derive(Debug, Deserialize, Serialize, utoipa::ToSchema)]
pub struct RelayMsys {
    pub relay_message: RelayMessage,
}

#[derive(Debug, Deserialize, Serialize, utoipa::ToSchema)]
pub struct RelayMessage {
    #[serde(default)]
    pub msg_from: Option<String>,
    #[serde(default)]
    pub rcpt_to: Option<String>,
    pub content: RelayContent,
}

#[derive(Debug, Deserialize, Serialize, utoipa::ToSchema)]
pub struct RelayContent {
    #[serde(default)]
    pub subject: Option<String>,
    #[serde(default)]
    pub text: Option<String>,
    /// The whole message as received; parsed here with a MIME parser.
    #[serde(default)]
    pub email_rfc822: Option<String>,
}

/// What became of one message of a batch.
#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RelayOutcome {
    /// The message's position in the batch, from 0.
    pub index: usize,
    /// `created` (a new case), `appended` (a message on a case), `answered` (a reply that
    /// answered an information request) or `rejected`.
    pub status: String,
    #[serde(default)]
    pub case_id: Option<String>,
    #[serde(default)]
    pub number: Option<String>,
    /// Why a message was rejected: `malformed_event`, `malformed_message`, `several_senders`,
    /// `sender_mismatch`, `not_authenticated`, `unknown_sender`, `message_id_reused`; for a
    /// reply to a notification: `invalid_reply_token` (not signed by this server, or naming no
    /// notification), `no_case_to_reply_to`, `reply_not_allowed` (the person may no longer post
    /// on the case), `empty_reply` (nothing above the quoted history and no files),
    /// `case_resolved` (files for a resolved case), and for its files, any of which refuses the
    /// whole message: `attachment_too_large`, `attachment_not_accepted`,
    /// `attachment_content_mismatch`, `too_many_files`, `storage_quota_exceeded`.
    #[serde(default)]
    pub code: Option<String>,
    /// The same in a sentence, for people reading the relay's logs.
    #[serde(default)]
    pub reason: Option<String>,
}

impl RelayOutcome {
    fn new(index: usize, verdict: Result<Accepted, Refusal>) -> RelayOutcome {
        match verdict {
            Ok(accepted) => RelayOutcome {
                index,
                status: accepted.status,
                case_id: Some(accepted.case_id),
                number: accepted.number,
                code: None,
                reason: None,
            },
            Err(refusal) => RelayOutcome {
                index,
                status: "rejected".into(),
                case_id: None,
                number: None,
                code: Some(refusal.code().into()),
                reason: Some(refusal.reason()),
            },
        }
    }
}

#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RelayResults {
    pub results: Vec<RelayOutcome>,
}

/// Compares without stopping at the first difference, so timing does not reveal the token.
fn same_token(given: &[u8], expected: &[u8]) -> bool {
    given.len() == expected.len() && given.iter().zip(expected).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

/// The relay, known by its webhook token. As an extractor before the body's, it refuses
/// anyone else before a byte of the body is read.
pub struct Relay;

impl FromRequestParts<AppState> for Relay {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let given = parts.headers.get(TOKEN_HEADER).map(|v| v.as_bytes()).unwrap_or_default();
        let expected = state.config.relay_token.as_deref();
        if expected.is_some_and(|expected| same_token(given, expected.as_bytes())) {
            Ok(Relay)
        } else {
            Err(ApiError::Forbidden("invalid_webhook_token", "the relay webhook token is missing or wrong"))
        }
    }
}

#[utoipa::path(post, path = "/api/v1/inbound/relay-webhook", tag = "inbound",
    params(("X-MessageSystems-Webhook-Token" = String, Header, description = "The relay's shared secret")),
    request_body = Vec<RelayEvent>,
    responses((status = 200, body = RelayResults, description = "What became of each message; a malformed or refused one is `rejected` with its code and reason, and the others are processed"),
              (status = 400, body = ErrorBody, description = "The body is not JSON"),
              (status = 403, body = ErrorBody, description = "The webhook token is missing or wrong"),
              (status = 413, body = ErrorBody, description = "The batch is larger than 32 MiB"),
              (status = 422, body = ErrorBody, description = "The body is not an array, or no message of the batch could be accepted (one detail per message, naming its index)")))]
pub async fn relay_webhook(
    State(state): State<AppState>,
    _relay: Relay,
    ApiJson(batch): ApiJson<Vec<Value>>,
) -> ApiResult<(StatusCode, Json<RelayResults>)> {
    let mut results = Vec::with_capacity(batch.len());
    let mut refusals = Vec::new();
    for (index, item) in batch.into_iter().enumerate() {
        let verdict = judge(&state, item).await?;
        match &verdict {
            Ok(accepted) => {
                tracing::info!(index, status = %accepted.status, number = ?accepted.number, "inbound email")
            }
            Err(refusal) => {
                tracing::warn!(index, code = refusal.code(), "inbound email rejected");
                refusals.push(FieldError {
                    param: refusal.param(index),
                    message: refusal.reason(),
                    code: Some(refusal.code().into()),
                });
            }
        }
        results.push(RelayOutcome::new(index, verdict));
    }
    // A batch of which nothing could be taken keeps its documented 422, one detail per message.
    if !results.is_empty() && refusals.len() == results.len() {
        return Err(ApiError::Validation(refusals));
    }
    Ok((StatusCode::OK, Json(RelayResults { results })))
}

/// One item of a batch, from JSON to stored or refused. Only a failure of the server itself
/// (the database) is an `Err`: the relay then retries the batch, and what was taken already is
/// recognised by its dedup key.
async fn judge(state: &AppState, item: Value) -> ApiResult<Result<Accepted, Refusal>> {
    let event = match decode_event(item) {
        Ok(event) => event,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let relayed = &event.msys.relay_message;
    let mail = match message::open(relayed) {
        Ok(mail) => mail,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let reply_domain = &state.config.mail.reply_domain;
    if let Some(token) = recipient::reply_token(relayed.rcpt_to.as_deref(), &mail.message, reply_domain) {
        return reply::take(state, &mail, &token).await;
    }
    match message::believed(relayed, &mail) {
        Ok(parsed) => {
            let now = state.clock.now();
            state.db.call(move |conn| case::act(conn, &parsed, now)).await
        }
        Err(refusal) => Ok(Err(refusal)),
    }
}

fn decode_event(item: Value) -> Result<RelayEvent, Refusal> {
    serde_path_to_error::deserialize::<_, RelayEvent>(item).map_err(|error| {
        let path = error.path().to_string();
        let problem = error.into_inner().to_string();
        let path = if path == "." { String::new() } else { path };
        Refusal::MalformedEvent { path, problem }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_compare_exactly() {
        assert!(same_token(b"demo-relay-token", b"demo-relay-token"));
        assert!(!same_token(b"demo-relay-tokeN", b"demo-relay-token"));
        assert!(!same_token(b"", b"demo-relay-token"));
    }

    #[test]
    fn a_malformed_item_is_named_by_its_path() {
        let refusal = decode_event(serde_json::json!({"msys": {"relay_message": {"msg_from": "a@b.example"}}})).err();
        assert_eq!(refusal.as_ref().map(|r| r.param(3)).as_deref(), Some("[3].msys.relay_message"));
        assert_eq!(
            refusal.map(|r| r.reason()).as_deref(),
            Some("the item is not a relay event: msys.relay_message: missing field `content`")
        );
        let refusal = decode_event(serde_json::json!(5)).err();
        assert_eq!(refusal.map(|r| r.param(0)).as_deref(), Some("[0]"));
    }
}
