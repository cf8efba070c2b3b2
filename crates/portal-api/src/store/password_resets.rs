//! Password reset links: only the SHA-256 of a link's token is kept, with whose it is, when it
//! stops working and when it was used.

use crate::error::ApiResult;
use crate::sql::{Connection, OptionalExtension, params};
use crate::util::{parse_stamp, stamp};
use chrono::{DateTime, Duration, Utc};

/// How long a used or expired link is remembered, so following it says "expired" (410)
/// rather than "unknown" (404) for a while.
const KEPT_FOR: Duration = Duration::days(7);

/// One link as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reset {
    pub user_id: String,
    pub expires_at: DateTime<Utc>,
    pub used: bool,
}

/// The id of the person a reset may be sent to: anyone who signs in with a password with this
/// address (matched without regard to case, as sign-in does); never Bird's system user.
pub fn person_by_email(conn: &Connection, email: &str) -> ApiResult<Option<String>> {
    Ok(conn
        .query_row("SELECT id FROM users WHERE email = ?1 AND role <> 'system'", params![email], |r| r.get(0))
        .optional()?)
}

/// Stores a new link by its hash, and forgets links long past.
pub fn insert(
    conn: &Connection,
    token_hash: &str,
    user_id: &str,
    at: DateTime<Utc>,
    expires: DateTime<Utc>,
) -> ApiResult<()> {
    conn.execute(
        "INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)",
        params![token_hash, user_id, stamp(at), stamp(expires)],
    )?;
    conn.execute("DELETE FROM password_resets WHERE expires_at < ?1", params![stamp(at - KEPT_FOR)])?;
    Ok(())
}

pub fn find(conn: &Connection, token_hash: &str) -> ApiResult<Option<Reset>> {
    Ok(conn
        .query_row(
            "SELECT user_id, expires_at, used_at FROM password_resets WHERE token_hash = ?1",
            params![token_hash],
            |r| {
                Ok(Reset {
                    user_id: r.get(0)?,
                    expires_at: parse_stamp(&r.get::<_, String>(1)?),
                    used: r.get::<_, Option<String>>(2)?.is_some(),
                })
            },
        )
        .optional()?)
}

/// Marks the link used, and every other unused link of the same person with it: a link asked
/// for before the password was set again must not set it once more.
pub fn use_up(conn: &Connection, user_id: &str, at: DateTime<Utc>) -> ApiResult<()> {
    conn.execute(
        "UPDATE password_resets SET used_at = ?2 WHERE user_id = ?1 AND used_at IS NULL",
        params![user_id, stamp(at)],
    )?;
    Ok(())
}
