//! The people of a customer account and their role on it.

use crate::error::ApiResult;
use crate::sql::{Connection, OptionalExtension, params};
use crate::util::{new_id, parse_stamp, stamp};
use chrono::{DateTime, Utc};
use portal_contract::{AccountRole, Member, SessionUser};

/// Every person of the account: its admins first, then by name.
pub fn list(conn: &Connection, account_id: &str) -> ApiResult<Vec<Member>> {
    let mut stmt = conn.prepare_cached(
        "SELECT u.id, u.name, u.email, m.role, m.joined_at FROM memberships m JOIN users u ON u.id = m.user_id \
         WHERE m.account_id = ?1 ORDER BY m.role = 'admin' DESC, lower(u.name), u.id",
    )?;
    let rows = stmt.query_map(params![account_id], |r| {
        Ok(Member {
            id: r.get::<_, String>("id")?.into(),
            name: r.get("name")?,
            email: r.get("email")?,
            role: AccountRole::parse(&r.get::<_, String>("role")?),
            joined_at: parse_stamp(&r.get::<_, String>("joined_at")?),
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// One person of the account, if they belong to it.
pub fn get(conn: &Connection, account_id: &str, user_id: &str) -> ApiResult<Option<Member>> {
    Ok(list(conn, account_id)?.into_iter().find(|m| m.id.as_str() == user_id))
}

/// The role `user_id` has on the account, if they belong to it.
pub fn role_of(conn: &Connection, account_id: &str, user_id: &str) -> ApiResult<Option<AccountRole>> {
    let role: Option<String> = conn
        .query_row(
            "SELECT role FROM memberships WHERE account_id = ?1 AND user_id = ?2",
            params![account_id, user_id],
            |r| r.get(0),
        )
        .optional()?;
    Ok(role.map(|r| AccountRole::parse(&r)))
}

pub fn admins(conn: &Connection, account_id: &str) -> ApiResult<usize> {
    let n: i64 = conn.query_row(
        "SELECT COUNT(*) FROM memberships WHERE account_id = ?1 AND role = 'admin'",
        params![account_id],
        |r| r.get(0),
    )?;
    Ok(usize::try_from(n).unwrap_or_default())
}

/// Makes `user_id` a person of the account with `role`, joining at `at`.
pub fn add(conn: &Connection, account_id: &str, user_id: &str, role: AccountRole, at: DateTime<Utc>) -> ApiResult<()> {
    conn.execute(
        "INSERT INTO memberships (user_id, account_id, role, joined_at) VALUES (?1, ?2, ?3, ?4)",
        params![user_id, account_id, role.as_str(), stamp(at)],
    )?;
    Ok(())
}

pub fn set_role(conn: &Connection, account_id: &str, user_id: &str, role: AccountRole) -> ApiResult<()> {
    conn.execute(
        "UPDATE memberships SET role = ?3 WHERE account_id = ?1 AND user_id = ?2",
        params![account_id, user_id, role.as_str()],
    )?;
    Ok(())
}

/// Takes `user_id` off the account: they no longer follow its cases nor get its emails still
/// waiting, and with no account left they are signed out everywhere. What they wrote stays, under
/// their name: their cases, events and messages are the account's record. Callers run it in
/// one transaction with their checks.
pub fn remove(conn: &Connection, account_id: &str, user_id: &str) -> ApiResult<()> {
    conn.execute("DELETE FROM memberships WHERE account_id = ?1 AND user_id = ?2", params![account_id, user_id])?;
    conn.execute(
        "DELETE FROM case_participants WHERE user_id = ?1 \
         AND case_id IN (SELECT id FROM cases WHERE account_id = ?2)",
        params![user_id, account_id],
    )?;
    conn.execute(
        "DELETE FROM notifications WHERE recipient_id = ?1 AND sent_at IS NULL AND failed_at IS NULL \
         AND case_id IN (SELECT id FROM cases WHERE account_id = ?2)",
        params![user_id, account_id],
    )?;
    let left: i64 =
        conn.query_row("SELECT COUNT(*) FROM memberships WHERE user_id = ?1", params![user_id], |r| r.get(0))?;
    if left == 0 {
        super::sessions::end_all_of(conn, user_id, None)?;
    }
    Ok(())
}

/// The user who signs in with `email`, of any role, if there is one.
pub fn user_by_email(conn: &Connection, email: &str) -> ApiResult<Option<SessionUser>> {
    let id: Option<String> =
        conn.query_row("SELECT id FROM users WHERE email = ?1", params![email], |r| r.get(0)).optional()?;
    match id {
        Some(id) => super::sessions::user(conn, &id),
        None => Ok(None),
    }
}

/// A new customer's user; answers its id.
pub fn create_customer(conn: &Connection, email: &str, name: &str, password_hash: &str) -> ApiResult<String> {
    let id = new_id("usr");
    conn.execute(
        "INSERT INTO users (id, email, name, role, password_hash) VALUES (?1, ?2, ?3, 'customer', ?4)",
        params![id, email, name, password_hash],
    )?;
    Ok(id)
}
