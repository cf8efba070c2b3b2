//! Information requests: what support agents ask a customer for, and the answers.

use crate::error::ApiResult;
use crate::sql::{Connection, OptionalExtension, Row, params};
use crate::util::{new_id, parse_stamp, stamp};
use chrono::{DateTime, Utc};
use portal_contract::{
    Attachment, InformationAnswer, InformationRequest, InformationRequestStatus, NewInformationRequest, Person, Role,
    WaitingRequest,
};

const SELECT: &str = "SELECT r.id, r.case_id, r.title, r.description, r.files_expected, r.status, r.raised_by, \
     rb.name AS raiser_name, rb.role AS raiser_role, r.created_at, r.answer_text, r.answered_by, \
     ab.name AS answerer_name, ab.role AS answerer_role, r.answered_at \
     FROM information_requests r JOIN users rb ON rb.id = r.raised_by LEFT JOIN users ab ON ab.id = r.answered_by";

/// Open ones first, then the newest.
const ORDER: &str = "ORDER BY r.status <> 'open', r.created_at DESC, r.id DESC";

fn from_row(r: &Row, attachments: &[Attachment]) -> crate::sql::Result<InformationRequest> {
    let id: String = r.get("id")?;
    let answer = match (r.get::<_, Option<String>>("answered_by")?, r.get::<_, Option<String>>("answered_at")?) {
        (Some(by), Some(at)) => Some(InformationAnswer {
            text: r.get("answer_text")?,
            attachments: attachments
                .iter()
                .filter(|a| a.information_request_id.as_ref().is_some_and(|rid| rid.as_str() == id))
                .cloned()
                .collect(),
            answered_by: Person {
                id: by.into(),
                name: r.get::<_, Option<String>>("answerer_name")?.unwrap_or_default(),
                role: Role::parse(&r.get::<_, Option<String>>("answerer_role")?.unwrap_or_default()),
            },
            answered_at: parse_stamp(&at),
        }),
        _ => None,
    };
    Ok(InformationRequest {
        case_id: r.get::<_, String>("case_id")?.into(),
        title: r.get("title")?,
        description: r.get("description")?,
        files_expected: r.get("files_expected")?,
        status: InformationRequestStatus::parse(&r.get::<_, String>("status")?),
        raised_by: Person {
            id: r.get::<_, String>("raised_by")?.into(),
            name: r.get("raiser_name")?,
            role: Role::parse(&r.get::<_, String>("raiser_role")?),
        },
        created_at: parse_stamp(&r.get::<_, String>("created_at")?),
        answer,
        id: id.into(),
    })
}

/// The requests of a case; `attachments` are the case's, to fill in the answers.
pub fn of_case(conn: &Connection, case_id: &str, attachments: &[Attachment]) -> ApiResult<Vec<InformationRequest>> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} WHERE r.case_id = ?1 {ORDER}"))?;
    let rows = stmt.query_map(params![case_id], |r| from_row(r, attachments))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// The case a request belongs to and whether it is still open.
pub fn case_and_status(conn: &Connection, request_id: &str) -> ApiResult<Option<(String, InformationRequestStatus)>> {
    Ok(conn
        .query_row("SELECT case_id, status FROM information_requests WHERE id = ?1", params![request_id], |r| {
            Ok((r.get::<_, String>("case_id")?, InformationRequestStatus::parse(&r.get::<_, String>("status")?)))
        })
        .optional()?)
}

/// The request whose raising `event_id` recorded.
pub fn raised_by_event(conn: &Connection, event_id: &str) -> ApiResult<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT information_request_id FROM events WHERE id = ?1 AND kind = 'information_request_raised'",
            params![event_id],
            |r| r.get::<_, Option<String>>(0),
        )
        .optional()?
        .flatten())
}

pub fn open_on_case(conn: &Connection, case_id: &str) -> ApiResult<usize> {
    Ok(conn.query_row(
        "SELECT COUNT(*) FROM information_requests WHERE case_id = ?1 AND status = 'open'",
        params![case_id],
        |r| r.get(0),
    )?)
}

pub fn open_on_account(conn: &Connection, account_id: &str) -> ApiResult<u32> {
    Ok(conn.query_row(
        "SELECT COUNT(*) FROM information_requests r JOIN cases c ON c.id = r.case_id \
         WHERE c.account_id = ?1 AND r.status = 'open'",
        params![account_id],
        |r| r.get(0),
    )?)
}

pub fn raise(
    conn: &Connection,
    case_id: &str,
    user_id: &str,
    new: &NewInformationRequest,
    at: DateTime<Utc>,
) -> ApiResult<String> {
    let id = new_id("ir");
    conn.execute(
        "INSERT INTO information_requests (id, case_id, title, description, files_expected, status, raised_by, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, 'open', ?6, ?7)",
        params![id, case_id, new.title.trim(), new.description.trim(), new.files_expected, user_id, stamp(at)],
    )?;
    Ok(id)
}

/// Records the answer and makes the given attachments part of it (no longer held).
pub fn answer(
    conn: &Connection,
    request_id: &str,
    user_id: &str,
    text: Option<&str>,
    attachment_ids: &[String],
    at: DateTime<Utc>,
) -> ApiResult<()> {
    conn.execute(
        "UPDATE information_requests SET status = 'answered', answer_text = ?2, answered_by = ?3, answered_at = ?4 WHERE id = ?1",
        params![request_id, text, user_id, stamp(at)],
    )?;
    for id in attachment_ids {
        conn.execute(
            "UPDATE attachments SET information_request_id = ?2, held_for_request = NULL WHERE id = ?1",
            params![id, request_id],
        )?;
    }
    Ok(())
}

/// Every open request of an account's cases, oldest first: what the customer owes Bird.
pub fn waiting(conn: &Connection, account_id: &str, limit: u32) -> ApiResult<Vec<WaitingRequest>> {
    let mut stmt = conn.prepare_cached(
        "SELECT r.id, r.case_id, r.title, r.description, r.files_expected, r.status, r.raised_by, \
         rb.name AS raiser_name, rb.role AS raiser_role, r.created_at, NULL AS answer_text, \
         NULL AS answered_by, NULL AS answerer_name, NULL AS answerer_role, NULL AS answered_at, \
         c.number AS case_number, c.subject AS case_subject \
         FROM information_requests r JOIN users rb ON rb.id = r.raised_by JOIN cases c ON c.id = r.case_id \
         WHERE c.account_id = ?1 AND r.status = 'open' ORDER BY r.created_at, r.id LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![account_id, limit], |r| {
        Ok(WaitingRequest {
            request: from_row(r, &[])?,
            case_number: format!("CASE-{}", r.get::<_, i64>("case_number")?),
            case_subject: r.get("case_subject")?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
