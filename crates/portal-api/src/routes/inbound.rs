//! The email channel: Bird's inbound relay posts each message sent to the support address as a
//! SparkPost-style relay webhook batch. A message from a customer user opens a case (channel
//! `email`), or, when its subject names one of their cases (`CASE-1042`), adds a message to it.

use crate::error::{ApiError, ApiResult};
use crate::idempotency;
use crate::json::ApiJson;
use crate::state::AppState;
use crate::store;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use chrono::Utc;
use mail_parser::MessageParser;
use portal_contract::{CaseKind, Channel, ErrorBody, EventKind, FieldError, NewCase, Severity, limits};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};

pub const TOKEN_HEADER: &str = "X-MessageSystems-Webhook-Token";

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
    /// `created`, `appended` or `rejected`.
    pub status: String,
    #[serde(default)]
    pub case_id: Option<String>,
    #[serde(default)]
    pub number: Option<String>,
    #[serde(default)]
    pub code: Option<String>,
}

#[derive(Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RelayResults {
    pub results: Vec<RelayOutcome>,
}

/// A message understood well enough to act on.
struct Parsed {
    sender: String,
    subject: String,
    text: String,
    message_id: Option<String>,
}

fn parse(message: &RelayMessage) -> Result<Parsed, &'static str> {
    let raw = message.content.email_rfc822.as_deref().filter(|r| !r.trim().is_empty()).ok_or("malformed_message")?;
    // A message needs a header block ending in an empty line; anything else is not an email.
    if !raw.contains("\r\n\r\n") && !raw.contains("\n\n") {
        return Err("malformed_message");
    }
    let parsed = MessageParser::default().parse(raw.as_bytes()).ok_or("malformed_message")?;
    let sender = parsed
        .from()
        .and_then(|f| f.first())
        .and_then(|a| a.address())
        .map(|a| a.trim().to_lowercase())
        .filter(|a| a.contains('@'))
        .ok_or("malformed_message")?;
    let subject = parsed.subject().or(message.content.subject.as_deref()).unwrap_or("").trim().to_owned();
    let text = parsed.body_text(0).map(|t| t.into_owned()).or_else(|| message.content.text.clone()).unwrap_or_default();
    Ok(Parsed { sender, subject, text: text.trim().to_owned(), message_id: parsed.message_id().map(str::to_owned) })
}

/// `CASE-1042` anywhere in a subject ("Re: [CASE-1042] …"), case-insensitively.
pub fn case_number(subject: &str) -> Option<i64> {
    let upper = subject.to_uppercase();
    upper.match_indices("CASE-").find_map(|(at, _)| {
        let digits: String = upper[at + 5..].chars().take_while(char::is_ascii_digit).collect();
        digits.parse().ok()
    })
}

fn clip(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

fn act(conn: &mut Connection, parsed: &Parsed) -> ApiResult<RelayOutcome> {
    let customer: Option<(String, String)> = conn
        .query_row(
            "SELECT u.id, m.account_id FROM users u JOIN memberships m ON m.user_id = u.id \
             WHERE u.email = ?1 AND u.role = 'customer' ORDER BY m.account_id LIMIT 1",
            params![parsed.sender],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((user_id, account_id)) = customer else {
        return Ok(RelayOutcome {
            status: "rejected".into(),
            case_id: None,
            number: None,
            code: Some("unknown_sender".into()),
        });
    };
    let tx = conn.transaction()?;
    let key = parsed.message_id.as_ref().map(|id| format!("relay:{id}"));
    let outcome = idempotency::once(&tx, &user_id, key.as_deref(), &(&parsed.subject, &parsed.text), |tx| {
        let now = Utc::now();
        // Only a case of one of the sender's own accounts can be answered by number.
        let existing: Option<String> = match case_number(&parsed.subject) {
            Some(number) => tx
                .query_row(
                    "SELECT c.id FROM cases c JOIN memberships m ON m.account_id = c.account_id WHERE c.number = ?1 AND m.user_id = ?2",
                    params![number, user_id],
                    |r| r.get(0),
                )
                .optional()?,
            None => None,
        };
        let body =
            if parsed.text.is_empty() { "(empty message)".to_owned() } else { clip(&parsed.text, limits::MESSAGE_MAX) };
        let (status, case_id) = match existing {
            Some(case_id) => {
                store::cases::add_event(tx, &case_id, EventKind::Message, &user_id, Some(&body), None, now)?;
                ("appended", case_id)
            }
            None => {
                let subject = if parsed.subject.is_empty() {
                    "(no subject)".to_owned()
                } else {
                    clip(&parsed.subject, limits::SUBJECT_MAX)
                };
                let new = NewCase {
                    kind: CaseKind::Problem,
                    severity: Severity::Normal,
                    subject,
                    description: body,
                    topic: None,
                };
                let agent = store::cases::least_busy_agent(tx)?;
                (
                    "created",
                    store::cases::create(tx, &account_id, &user_id, agent.as_deref(), &new, Channel::Email, now)?,
                )
            }
        };
        let number = store::cases::get(tx, &case_id)?.map(|c| c.number);
        Ok(RelayOutcome { status: status.into(), case_id: Some(case_id), number, code: None })
    })?;
    tx.commit()?;
    Ok(outcome)
}

/// Compares without stopping at the first difference, so timing does not reveal the token.
fn same_token(given: &[u8], expected: &[u8]) -> bool {
    given.len() == expected.len() && given.iter().zip(expected).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

#[utoipa::path(post, path = "/api/v1/inbound/relay-webhook", tag = "inbound",
    params(("X-MessageSystems-Webhook-Token" = String, Header, description = "The relay's shared secret")),
    request_body = Vec<RelayEvent>,
    responses((status = 200, body = RelayResults, description = "What became of each message"),
              (status = 403, body = ErrorBody), (status = 422, body = ErrorBody, description = "No message of the batch could be accepted")))]
pub async fn relay_webhook(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiJson(batch): ApiJson<Vec<RelayEvent>>,
) -> ApiResult<(StatusCode, Json<RelayResults>)> {
    let given = headers.get(TOKEN_HEADER).map(|v| v.as_bytes()).unwrap_or_default();
    let authorised = state.config.relay_token.as_deref().is_some_and(|expected| same_token(given, expected.as_bytes()));
    if !authorised {
        return Err(ApiError::Forbidden("invalid_webhook_token", "the relay webhook token is missing or wrong"));
    }
    let mut results = Vec::with_capacity(batch.len());
    for event in &batch {
        let message = &event.msys.relay_message;
        let outcome = match parse(message) {
            Ok(parsed) => state.db.call(move |conn| act(conn, &parsed)).await?,
            Err(code) => {
                RelayOutcome { status: "rejected".into(), case_id: None, number: None, code: Some(code.into()) }
            }
        };
        if let Some(code) = &outcome.code {
            tracing::warn!(from = ?message.msg_from, %code, "inbound email rejected");
        } else {
            tracing::info!(status = %outcome.status, number = ?outcome.number, "inbound email");
        }
        results.push(outcome);
    }
    if !results.is_empty() && results.iter().all(|r| r.status == "rejected") {
        return Err(ApiError::Validation(
            results
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let code = r.code.clone().unwrap_or_default();
                    let message = if code == "unknown_sender" {
                        "the sender is not a customer user of any account"
                    } else {
                        "the message is not a parsable email with a From address"
                    };
                    FieldError {
                        param: format!("[{i}].msys.relay_message.content.email_rfc822"),
                        message: message.into(),
                        code: Some(code),
                    }
                })
                .collect(),
        ));
    }
    Ok((StatusCode::OK, Json(RelayResults { results })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_case_number_in_a_reply_subject() {
        assert_eq!(case_number("Re: [CASE-1042] Bounces"), Some(1042));
        assert_eq!(case_number("re: case-7 follow up"), Some(7));
        assert_eq!(case_number("New problem"), None);
        assert_eq!(case_number("CASE- nothing"), None);
    }

    #[test]
    fn tokens_compare_exactly() {
        assert!(same_token(b"demo-relay-token", b"demo-relay-token"));
        assert!(!same_token(b"demo-relay-tokeN", b"demo-relay-token"));
        assert!(!same_token(b"", b"demo-relay-token"));
    }

    #[test]
    fn a_message_needs_headers_and_a_sender() {
        let message = |raw: &str| RelayMessage {
            msg_from: None,
            rcpt_to: None,
            content: RelayContent { subject: None, text: None, email_rfc822: Some(raw.to_owned()) },
        };
        assert!(parse(&message("just some text")).is_err());
        assert!(parse(&message("Subject: hi\r\n\r\nno sender")).is_err());
        let ok = parse(&message("From: Ada <ADA@acme.example>\r\nSubject: Help\r\n\r\nBody text\r\n"));
        assert_eq!(
            ok.map(|p| (p.sender, p.subject, p.text)),
            Ok(("ada@acme.example".into(), "Help".into(), "Body text".into()))
        );
    }
}
