//! The colleagues who follow a case beside its requester.

use crate::error::ApiResult;
use crate::util::parse_stamp;
use portal_contract::{Participant, Person, Role};
use rusqlite::{Connection, params};

/// A case's participants, in the order they were added.
pub fn of_case(conn: &Connection, case_id: &str) -> ApiResult<Vec<Participant>> {
    let mut stmt = conn.prepare_cached(
        "SELECT p.user_id, u.name, p.added_by, b.name AS added_by_name, b.role AS added_by_role, p.added_at \
         FROM case_participants p JOIN users u ON u.id = p.user_id JOIN users b ON b.id = p.added_by \
         WHERE p.case_id = ?1 ORDER BY p.added_at, p.user_id",
    )?;
    let rows = stmt.query_map(params![case_id], |r| {
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
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
