//! People, what they may see, and their sessions and tokens (stored by hash only).

use crate::error::ApiResult;
use crate::sql::{Connection, OptionalExtension, params};
use crate::util::stamp;
use chrono::{DateTime, Utc};
use portal_contract::{AccountId, AccountRole, Role, SessionAccount, SessionUser};

/// The accounts a user may see: a customer's memberships, a TAM's assigned accounts, or every
/// account for a support agent.
pub fn accounts_of(conn: &Connection, user_id: &str, role: Role) -> ApiResult<Vec<SessionAccount>> {
    let sql = match role {
        Role::Customer => {
            "SELECT a.id, a.name, m.role FROM accounts a JOIN memberships m ON m.account_id = a.id WHERE m.user_id = ?1 ORDER BY a.name, a.id"
        }
        Role::Tam => {
            "SELECT a.id, a.name, NULL AS role FROM accounts a JOIN tams t ON t.id = a.tam_id WHERE t.user_id = ?1 ORDER BY a.name, a.id"
        }
        Role::Agent => {
            "SELECT id, name, NULL AS role FROM accounts WHERE CAST(?1 AS TEXT) IS NOT NULL ORDER BY name, id"
        }
        Role::System | Role::Unknown => return Ok(Vec::new()),
    };
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(params![user_id], |r| {
        Ok(SessionAccount {
            id: AccountId(r.get("id")?),
            name: r.get("name")?,
            role: r.get::<_, Option<String>>("role")?.map(|role| AccountRole::parse(&role)),
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn user(conn: &Connection, user_id: &str) -> ApiResult<Option<SessionUser>> {
    Ok(conn
        .query_row("SELECT id, name, email, role FROM users WHERE id = ?1", params![user_id], |r| {
            Ok(SessionUser {
                id: r.get::<_, String>("id")?.into(),
                name: r.get("name")?,
                email: r.get("email")?,
                role: Role::parse(&r.get::<_, String>("role")?),
            })
        })
        .optional()?)
}

/// The id and password hash of the user signing in with `email`.
pub fn password_of(conn: &Connection, email: &str) -> ApiResult<Option<(String, String)>> {
    Ok(conn
        .query_row("SELECT id, password_hash FROM users WHERE email = ?1", params![email], |r| {
            Ok((r.get("id")?, r.get("password_hash")?))
        })
        .optional()?)
}

/// The password hash of a person.
pub fn password_hash_of(conn: &Connection, user_id: &str) -> ApiResult<Option<String>> {
    Ok(conn.query_row("SELECT password_hash FROM users WHERE id = ?1", params![user_id], |r| r.get(0)).optional()?)
}

/// The id of the customer with `email` and the first account they belong to.
pub fn customer_by_email(conn: &Connection, email: &str) -> ApiResult<Option<(String, String)>> {
    Ok(conn
        .query_row(
            "SELECT u.id, m.account_id FROM users u JOIN memberships m ON m.user_id = u.id \
             WHERE u.email = ?1 AND u.role = 'customer' ORDER BY m.account_id LIMIT 1",
            params![email],
            |r| Ok((r.get("id")?, r.get("account_id")?)),
        )
        .optional()?)
}

/// Stores a session (or token) by its hash, and forgets the expired ones.
pub fn insert(
    conn: &Connection,
    token_hash: &str,
    user_id: &str,
    kind: &str,
    parent: Option<&str>,
    expires: DateTime<Utc>,
) -> ApiResult<()> {
    conn.execute(
        "INSERT INTO sessions (token_hash, user_id, kind, expires_at, parent_hash) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![token_hash, user_id, kind, stamp(expires), parent],
    )?;
    conn.execute("DELETE FROM sessions WHERE expires_at < ?1", params![stamp(Utc::now())])?;
    Ok(())
}

/// Ends a session and, through the schema, every token minted from it.
pub fn delete(conn: &Connection, token_hash: &str) -> ApiResult<()> {
    conn.execute("DELETE FROM sessions WHERE token_hash = ?1", params![token_hash])?;
    Ok(())
}

/// The user of a session of `kind`, and when it expires.
pub fn find(conn: &Connection, token_hash: &str, kind: &str) -> ApiResult<Option<(String, String)>> {
    Ok(conn
        .query_row(
            "SELECT user_id, expires_at FROM sessions WHERE token_hash = ?1 AND kind = ?2",
            params![token_hash, kind],
            |r| Ok((r.get("user_id")?, r.get("expires_at")?)),
        )
        .optional()?)
}

/// Sets a person's password (its argon2 hash).
pub fn set_password(conn: &Connection, user_id: &str, password_hash: &str) -> ApiResult<()> {
    conn.execute("UPDATE users SET password_hash = ?2 WHERE id = ?1", params![user_id, password_hash])?;
    Ok(())
}

/// Ends every session and token of a person but `keep` (a session's hash), when given: after
/// their password changed, nobody who held the old one stays signed in. Tokens minted from
/// `keep` end too: they were handed to someone else.
pub fn end_all_of(conn: &Connection, user_id: &str, keep: Option<&str>) -> ApiResult<()> {
    conn.execute(
        "DELETE FROM sessions WHERE user_id = ?1 AND (?2 IS NULL OR token_hash <> ?2)",
        params![user_id, keep],
    )?;
    Ok(())
}
