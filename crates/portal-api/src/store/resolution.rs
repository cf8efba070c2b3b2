//! The resolution agreement, the satisfaction rating, and the case detail that carries them.

use crate::error::ApiResult;
use crate::sql::{Connection, OptionalExtension, params};
use crate::store::cases;
use crate::util::{parse_stamp, stamp};
use chrono::{DateTime, Duration, Utc};
use portal_contract::{Case, CaseDetail, Person, Resolution, Role, Satisfaction};

fn person(conn: &Connection, user_id: &str) -> ApiResult<Option<Person>> {
    Ok(conn
        .query_row("SELECT id, name, role FROM users WHERE id = ?1", params![user_id], |r| {
            Ok(Person {
                id: r.get::<_, String>("id")?.into(),
                name: r.get("name")?,
                role: Role::parse(&r.get::<_, String>("role")?),
            })
        })
        .optional()?)
}

pub fn resolution(conn: &Connection, case_id: &str) -> ApiResult<Option<Resolution>> {
    type Row = (Option<String>, Option<String>, Option<String>, Option<String>, Option<String>);
    let row: Option<Row> = conn
        .query_row(
            "SELECT resolution_summary, resolution_proposed_by, resolution_proposed_at, resolution_confirmed_by, resolution_confirmed_at FROM cases WHERE id = ?1",
            params![case_id],
            |r| Ok((r.get("resolution_summary")?, r.get("resolution_proposed_by")?, r.get("resolution_proposed_at")?, r.get("resolution_confirmed_by")?, r.get("resolution_confirmed_at")?)),
        )
        .optional()?;
    let Some((Some(summary), Some(by), Some(at), confirmed_by, confirmed_at)) = row else { return Ok(None) };
    let Some(proposed_by) = person(conn, &by)? else { return Ok(None) };
    let confirmed_by = match confirmed_by {
        Some(id) => person(conn, &id)?,
        None => None,
    };
    Ok(Some(Resolution {
        summary,
        proposed_by,
        proposed_at: parse_stamp(&at),
        confirmed_by,
        confirmed_at: confirmed_at.map(|c| parse_stamp(&c)),
    }))
}

pub fn satisfaction(conn: &Connection, case_id: &str) -> ApiResult<Option<Satisfaction>> {
    Ok(conn
        .query_row("SELECT rating, comment, rated_at FROM satisfaction WHERE case_id = ?1", params![case_id], |r| {
            Ok(Satisfaction {
                rating: r.get("rating")?,
                comment: r.get("comment")?,
                rated_at: parse_stamp(&r.get::<_, String>("rated_at")?),
            })
        })
        .optional()?)
}

/// The whole case as `GET /cases/{id}` answers it.
pub fn detail(conn: &Connection, case: Case, reopen_window: Duration) -> ApiResult<CaseDetail> {
    let id = case.id.to_string();
    let resolution = resolution(conn, &id)?;
    let reopen_until = match (&resolution, case.status) {
        (Some(r), portal_contract::CaseStatus::Resolved) => r.confirmed_at.map(|at| at + reopen_window),
        _ => None,
    };
    let attachments = super::attachments::of_case(conn, &id)?;
    Ok(CaseDetail {
        timeline: cases::timeline(conn, &id, &attachments)?,
        information_requests: super::information_requests::of_case(conn, &id, &attachments)?,
        attachments,
        participants: super::participants::of_case(conn, &id)?,
        satisfaction: satisfaction(conn, &id)?,
        resolution,
        reopen_until,
        case,
    })
}

pub fn propose(conn: &Connection, case_id: &str, user_id: &str, summary: &str, at: DateTime<Utc>) -> ApiResult<()> {
    conn.execute(
        "UPDATE cases SET resolution_summary = ?2, resolution_proposed_by = ?3, resolution_proposed_at = ?4, \
         resolution_confirmed_by = NULL, resolution_confirmed_at = NULL WHERE id = ?1",
        params![case_id, summary, user_id, stamp(at)],
    )?;
    Ok(())
}

pub fn confirm(conn: &Connection, case_id: &str, user_id: &str, at: DateTime<Utc>) -> ApiResult<()> {
    conn.execute(
        "UPDATE cases SET resolution_confirmed_by = ?2, resolution_confirmed_at = ?3 WHERE id = ?1",
        params![case_id, user_id, stamp(at)],
    )?;
    Ok(())
}

/// A declined proposal or a reopened case has no agreement any more (the timeline keeps it).
pub fn clear(conn: &Connection, case_id: &str) -> ApiResult<()> {
    conn.execute(
        "UPDATE cases SET resolution_summary = NULL, resolution_proposed_by = NULL, resolution_proposed_at = NULL, \
         resolution_confirmed_by = NULL, resolution_confirmed_at = NULL WHERE id = ?1",
        params![case_id],
    )?;
    conn.execute("DELETE FROM satisfaction WHERE case_id = ?1", params![case_id])?;
    Ok(())
}

pub fn rate(
    conn: &Connection,
    case_id: &str,
    user_id: &str,
    rating: u8,
    comment: Option<&str>,
    at: DateTime<Utc>,
) -> ApiResult<()> {
    conn.execute(
        "INSERT INTO satisfaction (case_id, user_id, rating, comment, rated_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![case_id, user_id, rating, comment, stamp(at)],
    )?;
    Ok(())
}

pub fn escalate(conn: &Connection, case_id: &str, at: DateTime<Utc>) -> ApiResult<()> {
    conn.execute("UPDATE cases SET escalated_at = ?2 WHERE id = ?1", params![case_id, stamp(at)])?;
    Ok(())
}

/// The account's TAM has seen the escalation.
pub fn acknowledge_escalation(conn: &Connection, case_id: &str, user_id: &str, at: DateTime<Utc>) -> ApiResult<()> {
    conn.execute(
        "UPDATE cases SET escalation_acknowledged_at = ?3, escalation_acknowledged_by = ?2 WHERE id = ?1",
        params![case_id, user_id, stamp(at)],
    )?;
    Ok(())
}
