//! What a believed message does: it opens a case for its customer sender, or adds a message to
//! the case of theirs whose number its subject names. A redelivery (same Message-ID, or the
//! same bytes when there is none) is answered with what the first delivery did.

use super::message::Parsed;
use super::refusal::Refusal;
use crate::error::{ApiError, ApiResult};
use crate::idempotency;
use crate::services::{self, cases::Author};
use crate::sql::{Connection, Transaction};
use crate::store;
use chrono::{DateTime, Utc};
use portal_contract::{CaseKind, Channel, EventKind, NewCase, Role, Severity, limits};
use serde::{Deserialize, Serialize};

/// What an accepted message did; stored with its dedup key and replayed for a redelivery
/// (rows written before this type carry `code` too, which is ignored).
#[derive(Debug, Serialize, Deserialize)]
pub struct Accepted {
    /// `created` or `appended`.
    pub status: String,
    pub case_id: String,
    pub number: Option<String>,
}

/// The outer error is the server's (the relay retries the batch, and the dedup key keeps the
/// messages already taken from being taken twice); the inner one is this message's refusal.
pub fn act(conn: &mut Connection, parsed: &Parsed, now: DateTime<Utc>) -> ApiResult<Result<Accepted, Refusal>> {
    let customer = store::sessions::customer_by_email(conn, &parsed.sender)?;
    let Some((user_id, account_id)) = customer else { return Ok(Err(Refusal::UnknownSender)) };
    let tx = conn.transaction()?;
    let request = (&parsed.subject, &parsed.text);
    let accepted = idempotency::once(&tx, &user_id, Some(parsed.dedup_key.as_str()), &request, |tx| {
        store_message(tx, &user_id, &account_id, parsed, now)
    });
    match accepted {
        Ok(accepted) => {
            tx.commit()?;
            Ok(Ok(accepted))
        }
        Err(ApiError::IdempotencyKeyReused) => Ok(Err(Refusal::MessageIdReused)),
        Err(error) => Err(error),
    }
}

fn store_message(
    tx: &Transaction,
    user_id: &str,
    account_id: &str,
    parsed: &Parsed,
    now: DateTime<Utc>,
) -> ApiResult<Accepted> {
    // Only a case of one of the sender's own accounts can be answered by number.
    let existing = match case_number(&parsed.subject) {
        Some(number) => store::cases::by_number_for_member(tx, number, user_id)?,
        None => None,
    };
    let body =
        if parsed.text.is_empty() { "(empty message)".to_owned() } else { clip(&parsed.text, limits::MESSAGE_MAX) };
    let sender = Author { user_id, role: Role::Customer };
    let (status, case) = match existing {
        Some(case) => {
            services::cases::post(tx, &case, &sender, EventKind::Message, &body, now)?;
            ("appended", case)
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
                follow_up_of: None,
            };
            ("created", services::cases::open(tx, &sender, account_id, &new, Channel::Email, now)?)
        }
    };
    Ok(Accepted { status: status.into(), case_id: case.id.to_string(), number: Some(case.number) })
}

/// `CASE-1042` anywhere in a subject ("Re: [CASE-1042] …"), case-insensitively.
fn case_number(subject: &str) -> Option<i64> {
    let upper = subject.to_uppercase();
    upper.match_indices("CASE-").find_map(|(at, _)| {
        let digits: String = upper[at + 5..].chars().take_while(char::is_ascii_digit).collect();
        digits.parse().ok()
    })
}

fn clip(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
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
}
