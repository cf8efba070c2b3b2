//! Rows of tus uploads in progress (and, once finished, the attachment they became).

use crate::error::ApiResult;
use crate::sql::{Connection, OptionalExtension, params};
use crate::util::{parse_stamp, stamp};
use chrono::{DateTime, Utc};

#[derive(Clone, Debug)]
pub struct UploadRow {
    pub id: String,
    pub case_id: String,
    pub information_request_id: Option<String>,
    pub user_id: String,
    pub file_name: String,
    pub media_type: String,
    pub length: u64,
    pub offset: u64,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub attachment_id: Option<String>,
}

pub fn insert(conn: &Connection, u: &UploadRow) -> ApiResult<()> {
    conn.execute(
        "INSERT INTO uploads (id, case_id, information_request_id, user_id, file_name, media_type, length, \"offset\", created_at, expires_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            u.id,
            u.case_id,
            u.information_request_id,
            u.user_id,
            u.file_name,
            u.media_type,
            u.length as i64,
            u.offset as i64,
            stamp(u.created_at),
            stamp(u.expires_at),
        ],
    )?;
    Ok(())
}

pub fn get(conn: &Connection, upload_id: &str) -> ApiResult<Option<UploadRow>> {
    Ok(conn
        .query_row(
            "SELECT id, case_id, information_request_id, user_id, file_name, media_type, length, \"offset\", created_at, \
             expires_at, attachment_id FROM uploads WHERE id = ?1",
            params![upload_id],
            |r| {
                Ok(UploadRow {
                    id: r.get("id")?,
                    case_id: r.get("case_id")?,
                    information_request_id: r.get("information_request_id")?,
                    user_id: r.get("user_id")?,
                    file_name: r.get("file_name")?,
                    media_type: r.get("media_type")?,
                    length: r.get::<_, i64>("length")?.max(0) as u64,
                    offset: r.get::<_, i64>("offset")?.max(0) as u64,
                    created_at: parse_stamp(&r.get::<_, String>("created_at")?),
                    expires_at: parse_stamp(&r.get::<_, String>("expires_at")?),
                    attachment_id: r.get("attachment_id")?,
                })
            },
        )
        .optional()?)
}

pub fn set_offset(conn: &Connection, upload_id: &str, offset: u64) -> ApiResult<()> {
    conn.execute("UPDATE uploads SET \"offset\" = ?2 WHERE id = ?1", params![upload_id, offset as i64])?;
    Ok(())
}

pub fn complete(conn: &Connection, upload_id: &str, attachment_id: &str) -> ApiResult<()> {
    conn.execute("UPDATE uploads SET attachment_id = ?2 WHERE id = ?1", params![upload_id, attachment_id])?;
    Ok(())
}

pub fn delete(conn: &Connection, upload_id: &str) -> ApiResult<()> {
    conn.execute("DELETE FROM uploads WHERE id = ?1", params![upload_id])?;
    Ok(())
}

/// Unfinished uploads whose time is up.
pub fn expired(conn: &Connection, now: DateTime<Utc>) -> ApiResult<Vec<String>> {
    let mut stmt = conn.prepare_cached("SELECT id FROM uploads WHERE attachment_id IS NULL AND expires_at <= ?1")?;
    let rows = stmt.query_map(params![stamp(now)], |r| r.get::<_, String>("id"))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Every unfinished upload, for the start-up sweep of stray part files.
pub fn unfinished_ids(conn: &Connection) -> ApiResult<std::collections::HashSet<String>> {
    let mut stmt = conn.prepare("SELECT id FROM uploads WHERE attachment_id IS NULL")?;
    let rows = stmt.query_map([], |r| r.get::<_, String>("id"))?;
    Ok(rows.collect::<Result<_, _>>()?)
}
