//! One case is one thread for one recipient, in every mail client: each email names a root
//! that never changes for (case, recipient), and the emails of that thread sent before it.

use crate::error::ApiResult;
use crate::mail::MailConfig;
use crate::mail::outbox::Queued;
use crate::sql::{Connection, params};

/// How many earlier emails `References` names besides the root: enough for any client to
/// place the email, short enough that a long case keeps the header small (RFC 5322 3.6.4
/// allows trimming the middle of the list).
const REFERENCES_KEPT: u32 = 20;

pub struct Thread {
    pub in_reply_to: String,
    pub references: String,
}

/// The `Message-ID` of a notification, as sent and as later emails refer to it.
pub fn message_id(config: &MailConfig, message_id: &str) -> String {
    format!("<{message_id}@{}>", config.reply_domain)
}

/// The thread's root: no email carries it as its own id, every email of the thread names it.
fn root(config: &MailConfig, case_id: &str, recipient_id: &str) -> String {
    format!("<case.{case_id}.{recipient_id}@{}>", config.reply_domain).to_lowercase()
}

/// The ids of the notifications of `n`'s case to `n`'s recipient written before it, oldest first.
fn earlier(conn: &Connection, n: &Queued, case_id: &str) -> ApiResult<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        // Two written in the same microsecond are ordered by id: arbitrary, but the same on
        // every instance and database, so each email's references are stable.
        "WITH me AS (SELECT id, created_at FROM notifications WHERE id = ?3) \
         SELECT n.message_id FROM notifications n, me \
         WHERE n.case_id = ?1 AND n.recipient_id = ?2 \
           AND (n.created_at < me.created_at OR (n.created_at = me.created_at AND n.id < me.id)) \
         ORDER BY n.created_at DESC, n.id DESC LIMIT ?4",
    )?;
    let rows = stmt.query_map(params![case_id, n.recipient_id, n.id, REFERENCES_KEPT], |r| r.get::<_, String>(0))?;
    let mut ids = rows.collect::<Result<Vec<_>, _>>()?;
    ids.reverse();
    Ok(ids)
}

/// The threading headers of a notification about a case.
pub fn of(conn: &Connection, config: &MailConfig, n: &Queued, case_id: &str) -> ApiResult<Thread> {
    let root = root(config, case_id, &n.recipient_id);
    let earlier: Vec<String> = earlier(conn, n, case_id)?.iter().map(|id| message_id(config, id)).collect();
    let in_reply_to = earlier.last().cloned().unwrap_or_else(|| root.clone());
    let references = std::iter::once(root).chain(earlier).collect::<Vec<_>>().join(" ");
    Ok(Thread { in_reply_to, references })
}
