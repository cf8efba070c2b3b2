//! The transactional outbox: a notification is a row written in the transaction of the event
//! that causes it, so an event is never without its emails nor an email without its event.
//! `sender.rs` delivers the rows.

use super::kind::MailKind;
use super::settings;
use super::token::new_reply_key;
use crate::error::ApiResult;
use crate::sql::{Connection, OptionalExtension, Row, params};
use crate::util::{new_id, parse_stamp, stamp};
use chrono::{DateTime, Utc};
use portal_contract::{EventKind, NotificationKind, OutboxStatus, Role};

/// One email to write into the outbox.
pub struct NewNotification<'a> {
    pub recipient_id: &'a str,
    pub kind: MailKind,
    pub case_id: Option<&'a str>,
    pub event_id: Option<&'a str>,
    /// A link's token the email must carry (a password reset), kept only until it is sent.
    pub secret: Option<&'a str>,
    pub at: DateTime<Utc>,
}

/// A notification as the sender and the composer read it.
#[derive(Clone, Debug)]
pub struct Queued {
    pub id: String,
    /// Without brackets or domain: the composer writes `<message_id@reply-domain>`.
    pub message_id: String,
    pub reply_key: String,
    pub recipient_id: String,
    /// `None` for a kind this server no longer knows (never sent; the sender fails the row).
    pub kind: Option<MailKind>,
    pub case_id: Option<String>,
    pub event_id: Option<String>,
    pub secret: Option<String>,
    pub request_id: Option<String>,
    pub created_at: DateTime<Utc>,
    pub attempts: u32,
}

const COLUMNS: &str =
    "id, message_id, reply_key, recipient_id, kind, case_id, event_id, secret, request_id, created_at, attempts";

fn from_row(r: &Row) -> crate::sql::Result<Queued> {
    let kind: String = r.get(4)?;
    Ok(Queued {
        id: r.get(0)?,
        message_id: r.get(1)?,
        reply_key: r.get(2)?,
        recipient_id: r.get(3)?,
        kind: MailKind::parse(&kind),
        case_id: r.get(5)?,
        event_id: r.get(6)?,
        secret: r.get(7)?,
        request_id: r.get(8)?,
        created_at: parse_stamp(&r.get::<_, String>(9)?),
        attempts: r.get(10)?,
    })
}

/// Writes one notification, due at once; answers its id. Callers decide who gets what;
/// `on_event` and `on_case_opened` do for cases.
pub fn enqueue(conn: &Connection, n: &NewNotification) -> ApiResult<String> {
    let id = new_id("ntf");
    let message_id = format!("{}.{}", id.to_ascii_lowercase(), new_reply_key());
    conn.execute(
        "INSERT INTO notifications (id, message_id, reply_key, recipient_id, kind, case_id, event_id, secret, \
         request_id, created_at, next_attempt_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
        params![
            id,
            message_id,
            new_reply_key(),
            n.recipient_id,
            n.kind.as_str(),
            n.case_id,
            n.event_id,
            n.secret,
            crate::error::request_id_of_this_write(),
            stamp(n.at),
        ],
    )?;
    Ok(id)
}

pub fn get(conn: &Connection, id: &str) -> ApiResult<Option<Queued>> {
    let sql = format!("SELECT {COLUMNS} FROM notifications WHERE id = ?1");
    Ok(conn.query_row(&sql, params![id], from_row).optional()?)
}

/// The notification a reply address names (its reply key).
pub fn by_reply_key(conn: &Connection, reply_key: &str) -> ApiResult<Option<Queued>> {
    let sql = format!("SELECT {COLUMNS} FROM notifications WHERE reply_key = ?1");
    Ok(conn.query_row(&sql, params![reply_key], from_row).optional()?)
}

/// The customers who follow a case: its requester and its participants, while they belong to
/// the case's account (a person removed from an account gets none of its emails any more).
fn followers(conn: &Connection, case_id: &str) -> ApiResult<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT m.user_id FROM cases c JOIN memberships m ON m.account_id = c.account_id WHERE c.id = ?1 \
         AND (m.user_id = c.requester_id OR m.user_id IN (SELECT user_id FROM case_participants WHERE case_id = ?1)) \
         ORDER BY m.user_id <> c.requester_id, m.user_id",
    )?;
    let ids = stmt.query_map(params![case_id], |r| r.get(0))?.collect::<crate::sql::Result<Vec<String>>>()?;
    Ok(ids)
}

/// The colleague a participant event names.
fn participant_of(conn: &Connection, event_id: &str) -> ApiResult<Option<String>> {
    Ok(conn
        .query_row("SELECT participant_id FROM events WHERE id = ?1", params![event_id], |r| r.get(0))
        .optional()?
        .flatten())
}

/// The user behind the TAM of the case's account, if it has one.
fn tam_of_case(conn: &Connection, case_id: &str) -> ApiResult<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT t.user_id FROM cases c JOIN accounts a ON a.id = c.account_id JOIN tams t ON t.id = a.tam_id \
             WHERE c.id = ?1",
            params![case_id],
            |r| r.get(0),
        )
        .optional()?)
}

fn role_of(conn: &Connection, user_id: &str) -> ApiResult<Role> {
    let role: Option<String> =
        conn.query_row("SELECT role FROM users WHERE id = ?1", params![user_id], |r| r.get(0)).optional()?;
    Ok(role.map(|r| Role::parse(&r)).unwrap_or(Role::Unknown))
}

/// The kind of email an event is to the people it concerns, and whether those are the case's
/// followers, its account's TAM or the colleague the event names; `None` for events nobody is
/// emailed about (status lines, files, who stopped following, what the customer did
/// themselves for Bird's side, which works in its own tools).
fn notice_of(kind: EventKind, author: Role) -> Option<(NotificationKind, Audience)> {
    use NotificationKind as N;
    let to_followers = |n| Some((n, Audience::Followers));
    match kind {
        EventKind::Message => to_followers(N::Reply),
        EventKind::ProgressUpdate => to_followers(N::ProgressUpdate),
        EventKind::InformationRequestRaised => to_followers(N::InformationRequest),
        EventKind::ResolutionProposed if author.is_bird() => to_followers(N::ResolutionProposed),
        EventKind::ResolutionConfirmed => to_followers(N::CaseResolved),
        EventKind::Escalation => Some((N::Escalation, Audience::Tam)),
        EventKind::EscalationAcknowledged => to_followers(N::EscalationAcknowledged),
        EventKind::ParticipantAdded => Some((N::ParticipantAdded, Audience::Participant)),
        _ => None,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Audience {
    Followers,
    Tam,
    /// The colleague added to the case.
    Participant,
}

/// Writes the notifications an event causes: to each person it concerns who wants that kind,
/// never to its author (nobody is told what they just did).
pub fn on_event(
    conn: &Connection,
    case_id: &str,
    event_id: &str,
    kind: EventKind,
    author_id: &str,
    at: DateTime<Utc>,
) -> ApiResult<()> {
    let Some((notice, audience)) = notice_of(kind, role_of(conn, author_id)?) else { return Ok(()) };
    let recipients = match audience {
        Audience::Followers => followers(conn, case_id)?,
        Audience::Tam => tam_of_case(conn, case_id)?.into_iter().collect(),
        Audience::Participant => participant_of(conn, event_id)?.into_iter().collect(),
    };
    for recipient in recipients.iter().filter(|r| r.as_str() != author_id) {
        tell(conn, recipient, notice, case_id, Some(event_id), at)?;
    }
    Ok(())
}

/// Writes one case notification for `recipient`, if they want that kind.
fn tell(
    conn: &Connection,
    recipient: &str,
    notice: NotificationKind,
    case_id: &str,
    event_id: Option<&str>,
    at: DateTime<Utc>,
) -> ApiResult<()> {
    if settings::wants(conn, recipient, notice)? {
        let n = NewNotification {
            recipient_id: recipient,
            kind: MailKind::Case(notice),
            case_id: Some(case_id),
            event_id,
            secret: None,
            at,
        };
        enqueue(conn, &n)?;
    }
    Ok(())
}

/// The receipt of a new case, to its requester (the one echo of a person's own action: it
/// carries the case's number and when to expect an answer).
pub fn on_case_opened(conn: &Connection, case_id: &str, requester_id: &str, at: DateTime<Utc>) -> ApiResult<()> {
    tell(conn, requester_id, NotificationKind::CaseOpened, case_id, None, at)
}

/// The reminder that a resolved case's reopen window ends soon, to its followers who want it.
pub fn on_reopen_window_closing(conn: &Connection, case_id: &str, at: DateTime<Utc>) -> ApiResult<()> {
    for recipient in followers(conn, case_id)? {
        tell(conn, &recipient, NotificationKind::ReopenWindowClosing, case_id, None, at)?;
    }
    Ok(())
}

/// Resolved cases whose reopen window (`window` after the confirmation) ends within `notice`
/// of `now`, and that have no reminder since that confirmation (a case reopened and resolved
/// again has a new window, and gets a new reminder).
pub fn closing_windows(
    conn: &Connection,
    now: DateTime<Utc>,
    window: chrono::Duration,
    notice: chrono::Duration,
) -> ApiResult<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT c.id FROM cases c WHERE c.status = 'resolved' \
         AND c.resolution_confirmed_at > ?1 AND c.resolution_confirmed_at <= ?2 \
         AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.case_id = c.id \
             AND n.kind = 'reopen_window_closing' AND n.created_at >= c.resolution_confirmed_at)",
    )?;
    let ids = stmt
        .query_map(params![stamp(now - window), stamp(now - window + notice)], |r| r.get(0))?
        .collect::<crate::sql::Result<Vec<String>>>()?;
    Ok(ids)
}

/// Up to `limit` notifications due at `now` (not sent, not failed, not taken by a sender),
/// the longest waiting first.
pub fn due(conn: &Connection, now: DateTime<Utc>, limit: u32) -> ApiResult<Vec<Queued>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM notifications WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= ?1 \
         AND (claimed_until IS NULL OR claimed_until <= ?1) ORDER BY next_attempt_at, created_at LIMIT ?2"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![stamp(now), limit], from_row)?.collect::<crate::sql::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Takes the due rows for this instance's sender: they are due again only at `until`, so no
/// other instance's sender takes them meanwhile. Run with the writer (`Db::call`), which makes
/// the look and the take one step on every instance.
pub fn claim_due(conn: &Connection, now: DateTime<Utc>, limit: u32, until: DateTime<Utc>) -> ApiResult<Vec<Queued>> {
    let batch = due(conn, now, limit)?;
    for queued in &batch {
        conn.execute("UPDATE notifications SET claimed_until = ?2 WHERE id = ?1", params![queued.id, stamp(until)])?;
    }
    Ok(batch)
}

/// Gives back what an earlier run of this server took and did not finish: for a server alone
/// on its database (SQLite), whose earlier run is surely gone.
pub fn release_claims(conn: &Connection) -> ApiResult<usize> {
    Ok(conn.execute("UPDATE notifications SET claimed_until = NULL WHERE claimed_until IS NOT NULL", [])?)
}

/// The mail server accepted it: done, and a reset link's token is no longer kept.
pub fn mark_sent(conn: &Connection, id: &str, at: DateTime<Utc>) -> ApiResult<()> {
    conn.execute(
        "UPDATE notifications SET sent_at = ?2, secret = NULL, attempts = attempts + 1, claimed_until = NULL \
         WHERE id = ?1 AND sent_at IS NULL",
        params![id, stamp(at)],
    )?;
    Ok(())
}

/// It did not leave this time; try again at `retry_at`.
pub fn mark_retry(
    conn: &Connection,
    id: &str,
    error: &str,
    at: DateTime<Utc>,
    retry_at: DateTime<Utc>,
) -> ApiResult<()> {
    conn.execute(
        "UPDATE notifications SET attempts = attempts + 1, last_error = ?2, last_error_at = ?3, next_attempt_at = ?4, \
         claimed_until = NULL \
         WHERE id = ?1 AND sent_at IS NULL AND failed_at IS NULL",
        params![id, error, stamp(at), stamp(retry_at)],
    )?;
    Ok(())
}

/// Refused for good, or given up: never tried again, so a reset link's token is of no more use.
pub fn mark_failed(conn: &Connection, id: &str, error: &str, at: DateTime<Utc>) -> ApiResult<()> {
    conn.execute(
        "UPDATE notifications SET attempts = attempts + 1, last_error = ?2, last_error_at = ?3, failed_at = ?3, \
         secret = NULL, claimed_until = NULL \
         WHERE id = ?1 AND sent_at IS NULL AND failed_at IS NULL",
        params![id, error, stamp(at)],
    )?;
    Ok(())
}

/// The state of the queue, for `GET /outbox`.
pub fn status(conn: &Connection) -> ApiResult<OutboxStatus> {
    let (waiting, oldest): (u64, Option<String>) = conn.query_row(
        "SELECT COUNT(*), MIN(created_at) FROM notifications WHERE sent_at IS NULL AND failed_at IS NULL",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let (sent, failed): (u64, u64) =
        conn.query_row("SELECT COUNT(sent_at), COUNT(failed_at) FROM notifications", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    let last: Option<(String, String)> = conn
        .query_row(
            "SELECT last_error, last_error_at FROM notifications WHERE last_error_at IS NOT NULL \
             ORDER BY last_error_at DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    Ok(OutboxStatus {
        waiting,
        oldest_waiting_at: oldest.map(|o| parse_stamp(&o)),
        sent,
        failed,
        last_error_at: last.as_ref().map(|(_, at)| parse_stamp(at)),
        last_error: last.map(|(error, _)| error),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bird_is_told_nothing_and_the_customer_what_bird_did() {
        assert_eq!(notice_of(EventKind::Message, Role::Agent), Some((NotificationKind::Reply, Audience::Followers)));
        assert_eq!(notice_of(EventKind::ResolutionProposed, Role::Customer), None, "Bird works in its own tools");
        assert_eq!(
            notice_of(EventKind::ResolutionProposed, Role::Agent),
            Some((NotificationKind::ResolutionProposed, Audience::Followers))
        );
        assert_eq!(
            notice_of(EventKind::Escalation, Role::Customer),
            Some((NotificationKind::Escalation, Audience::Tam))
        );
        assert_eq!(notice_of(EventKind::StatusChanged, Role::System), None);
        assert_eq!(notice_of(EventKind::AttachmentAdded, Role::Customer), None);
        assert_eq!(
            notice_of(EventKind::ParticipantAdded, Role::Customer),
            Some((NotificationKind::ParticipantAdded, Audience::Participant))
        );
        assert_eq!(notice_of(EventKind::ParticipantRemoved, Role::Customer), None, "whoever left knows it");
    }
}
