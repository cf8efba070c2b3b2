//! Finished files of a case. The bytes are in `<data_dir>/attachments/<id>`.

use crate::error::ApiResult;
use crate::sql::{Connection, OptionalExtension, Row, params};
use crate::util::{parse_stamp, stamp};
use portal_contract::file_types::served_media_type;
use portal_contract::{Attachment, Person, Role};

const SELECT: &str = "SELECT a.id, a.case_id, a.information_request_id, a.file_name, a.size, a.sha256, \
     a.uploaded_by, u.name AS uploader_name, u.role AS uploader_role, a.uploaded_at FROM attachments a JOIN users u ON u.id = a.uploaded_by";

fn from_row(r: &Row) -> crate::sql::Result<Attachment> {
    Ok(Attachment {
        id: r.get::<_, String>("id")?.into(),
        case_id: r.get::<_, String>("case_id")?.into(),
        information_request_id: r.get::<_, Option<String>>("information_request_id")?.map(Into::into),
        // What the name's extension is served as, not the column: rows from before the
        // allow-list may hold whatever type a client declared.
        media_type: served_media_type(&r.get::<_, String>("file_name")?).to_owned(),
        file_name: r.get("file_name")?,
        size: r.get::<_, i64>("size")?.max(0) as u64,
        sha256: r.get("sha256")?,
        uploaded_by: Person {
            id: r.get::<_, String>("uploaded_by")?.into(),
            name: r.get("uploader_name")?,
            role: Role::parse(&r.get::<_, String>("uploader_role")?),
        },
        uploaded_at: parse_stamp(&r.get::<_, String>("uploaded_at")?),
    })
}

/// Every attachment of a case, oldest first; not the files held for an answer not sent yet.
pub fn of_case(conn: &Connection, case_id: &str) -> ApiResult<Vec<Attachment>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT} WHERE a.case_id = ?1 AND a.held_for_request IS NULL ORDER BY a.uploaded_at, a.id"
    ))?;
    let rows = stmt.query_map(params![case_id], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn get(conn: &Connection, attachment_id: &str) -> ApiResult<Option<Attachment>> {
    Ok(conn.query_row(&format!("{SELECT} WHERE a.id = ?1"), params![attachment_id], from_row).optional()?)
}

/// Whether a file may go with the answer to `request_id` on `case_id`: a file of that case that
/// is not another request's (answered, or held for it).
pub fn usable_for_answer(conn: &Connection, attachment_id: &str, case_id: &str, request_id: &str) -> ApiResult<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM attachments WHERE id = ?1 AND case_id = ?2 \
             AND (held_for_request IS NULL OR held_for_request = ?3) \
             AND (information_request_id IS NULL OR information_request_id = ?3)",
            params![attachment_id, case_id, request_id],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// Records a finished file; one uploaded for an information request is held for the answer
/// (`held_for`) and joins the case when the answer is sent.
pub fn insert(conn: &Connection, a: &Attachment, held_for: Option<&str>) -> ApiResult<()> {
    conn.execute(
        "INSERT INTO attachments (id, case_id, information_request_id, file_name, media_type, size, sha256, uploaded_by, uploaded_at, held_for_request) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            a.id.as_str(),
            a.case_id.as_str(),
            a.information_request_id.as_ref().map(|r| r.as_str()),
            a.file_name,
            a.media_type,
            a.size as i64,
            a.sha256,
            a.uploaded_by.id.as_str(),
            stamp(a.uploaded_at),
            held_for,
        ],
    )?;
    Ok(())
}

/// Files (finished, or uploads still running and not expired) that count against the case's limit.
pub fn files_on_case(conn: &Connection, case_id: &str, now: &str) -> ApiResult<u32> {
    Ok(conn.query_row(
        "SELECT (SELECT COUNT(*) FROM attachments WHERE case_id = ?1) + \
                (SELECT COUNT(*) FROM uploads WHERE case_id = ?1 AND attachment_id IS NULL AND expires_at > ?2)",
        params![case_id, now],
        |r| r.get(0),
    )?)
}

/// What an account's files occupy: its attachments, and the full length of its uploads still
/// running (not expired), which they will occupy once finished.
pub fn account_usage(conn: &Connection, account_id: &str, now: &str) -> ApiResult<u64> {
    let used: i64 = conn.query_row(
        "SELECT CAST((SELECT COALESCE(SUM(a.size), 0) FROM attachments a JOIN cases c ON c.id = a.case_id \
                 WHERE c.account_id = ?1) + \
                (SELECT COALESCE(SUM(u.length), 0) FROM uploads u JOIN cases c ON c.id = u.case_id \
                 WHERE c.account_id = ?1 AND u.attachment_id IS NULL AND u.expires_at > ?2) AS BIGINT)",
        params![account_id, now],
        |r| r.get(0),
    )?;
    Ok(used.max(0) as u64)
}

/// Every attachment id on disk that the database knows, for the start-up sweep.
pub fn all_ids(conn: &Connection) -> ApiResult<std::collections::HashSet<String>> {
    let mut stmt = conn.prepare("SELECT id FROM attachments")?;
    let rows = stmt.query_map([], |r| r.get::<_, String>("id"))?;
    Ok(rows.collect::<Result<_, _>>()?)
}
