//! The colleagues who follow a case beside its requester.

use crate::error::ApiResult;
use crate::sql::{Connection, OptionalExtension, Row, params};
use crate::util::{parse_stamp, stamp};
use chrono::{DateTime, Utc};
use portal_contract::{Participant, Person, Role};

const SELECT: &str = "SELECT p.user_id, u.name, p.added_by, b.name AS added_by_name, b.role AS added_by_role, p.added_at \
     FROM case_participants p JOIN users u ON u.id = p.user_id JOIN users b ON b.id = p.added_by";

fn from_row(r: &Row) -> crate::sql::Result<Participant> {
    Ok(Participant {
        id: r.get::<_, String>("user_id")?.into(),
        name: r.get("name")?,
        added_by: Person {
            id: r.get::<_, String>("added_by")?.into(),
            name: r.get("added_by_name")?,
            role: Role::parse(&r.get::<_, String>("added_by_role")?),
        },
        added_at: parse_stamp(&r.get::<_, String>("added_at")?),
    })
}

/// A case's participants, in the order they were added.
pub fn of_case(conn: &Connection, case_id: &str) -> ApiResult<Vec<Participant>> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} WHERE p.case_id = ?1 ORDER BY p.added_at, p.user_id"))?;
    let rows = stmt.query_map(params![case_id], from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// `user_id` as a participant of the case, if they follow it.
pub fn get(conn: &Connection, case_id: &str, user_id: &str) -> ApiResult<Option<Participant>> {
    let sql = format!("{SELECT} WHERE p.case_id = ?1 AND p.user_id = ?2");
    Ok(conn.query_row(&sql, params![case_id, user_id], from_row).optional()?)
}

/// Whether `user_id` belongs to the account now: only its people follow its cases.
pub fn is_member(conn: &Connection, account_id: &str, user_id: &str) -> ApiResult<bool> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM memberships WHERE account_id = ?1 AND user_id = ?2",
            params![account_id, user_id],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// Makes `user_id` a participant; false when they already were (nothing changes then).
pub fn add(conn: &Connection, case_id: &str, user_id: &str, added_by: &str, at: DateTime<Utc>) -> ApiResult<bool> {
    let added = conn.execute(
        "INSERT INTO case_participants (case_id, user_id, added_by, added_at) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT DO NOTHING",
        params![case_id, user_id, added_by, stamp(at)],
    )?;
    Ok(added == 1)
}

/// Ends `user_id`'s following of the case; false when they did not follow it.
pub fn remove(conn: &Connection, case_id: &str, user_id: &str) -> ApiResult<bool> {
    let removed =
        conn.execute("DELETE FROM case_participants WHERE case_id = ?1 AND user_id = ?2", params![case_id, user_id])?;
    Ok(removed == 1)
}
