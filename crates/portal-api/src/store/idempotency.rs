//! The stored answers of creates made with an `Idempotency-Key`.

use crate::error::ApiResult;
use crate::sql::{Connection, OptionalExtension, params};
use crate::util::stamp;
use chrono::{DateTime, Utc};

/// Forgets the keys stored before `before`.
pub fn forget_before(conn: &Connection, before: DateTime<Utc>) -> ApiResult<()> {
    conn.execute("DELETE FROM idempotency_keys WHERE created_at < ?1", params![stamp(before)])?;
    Ok(())
}

/// The fingerprint of the request first made with the key, and its answer once stored.
pub fn find(conn: &Connection, user_id: &str, key: &str) -> ApiResult<Option<(String, Option<String>)>> {
    Ok(conn
        .query_row(
            "SELECT fingerprint, body FROM idempotency_keys WHERE user_id = ?1 AND key = ?2",
            params![user_id, key],
            |r| Ok((r.get("fingerprint")?, r.get("body")?)),
        )
        .optional()?)
}

pub fn insert(conn: &Connection, user_id: &str, key: &str, fingerprint: &str, body: &str) -> ApiResult<()> {
    conn.execute(
        "INSERT INTO idempotency_keys (user_id, key, fingerprint, status_code, body, created_at) VALUES (?1, ?2, ?3, 201, ?4, ?5)",
        params![user_id, key, fingerprint, body, stamp(Utc::now())],
    )?;
    Ok(())
}
