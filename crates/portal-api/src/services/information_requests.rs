//! Answering an information request, whichever door the answer came in by (the portal's form
//! or a reply to the request's email).

use super::cases::Author;
use crate::error::{ApiError, ApiResult};
use crate::sql::Connection;
use crate::store::{attachments, cases, information_requests};
use chrono::{DateTime, Utc};
use portal_contract::{Case, EventKind, InformationRequestStatus, rules};

/// Moves the case to where its open requests say it belongs.
pub fn settle_status(conn: &Connection, case_id: &str, at: DateTime<Utc>) -> ApiResult<()> {
    let case = cases::get(conn, case_id)?.ok_or(ApiError::NotFound("case_not_found", "no such case"))?;
    let next = rules::status_for_requests(case.status, information_requests::open_on_case(conn, case_id)?);
    if next != case.status {
        cases::set_status(conn, case_id, next, at)?;
    }
    Ok(())
}

/// Answers `request_id` on `case` with `text` and files already on the case (each once): the
/// answer, its timeline event naming them, and the case's status, which goes back to Bird once
/// nothing is asked any more. Refused as `rules::check_answer_request` says, or when a file is
/// not this case's or is another request's.
pub fn answer(
    conn: &Connection,
    case: &Case,
    author: &Author,
    request_id: &str,
    text: Option<&str>,
    attachment_ids: &[String],
    at: DateTime<Utc>,
) -> ApiResult<()> {
    let case_id = case.id.as_str();
    let status = match information_requests::case_and_status(conn, request_id)? {
        Some((of_case, status)) if of_case == case_id => status,
        _ => return Err(ApiError::NotFound("information_request_not_found", "no such request")),
    };
    rules::check_answer_request(author.role, case.status, status == InformationRequestStatus::Open)
        .map_err(|r| crate::routes::refused(r, case.status))?;
    let mut ids: Vec<String> = Vec::with_capacity(attachment_ids.len());
    for id in attachment_ids {
        if !attachments::usable_for_answer(conn, id, case_id, request_id)? {
            return Err(ApiError::field(
                "attachment_ids",
                "unknown_attachment",
                &format!("{id} is not a file of this case"),
            ));
        }
        if !ids.contains(id) {
            ids.push(id.clone());
        }
    }
    information_requests::answer(conn, request_id, author.user_id, text, &ids, at)?;
    let event = cases::add_event(conn, case_id, EventKind::InformationRequestAnswered, author.user_id, text, None, at)?;
    cases::link_event(conn, &event, Some(request_id), &ids)?;
    settle_status(conn, case_id, at)
}
