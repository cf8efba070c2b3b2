//! Invitations to a customer account: only the SHA-256 of an emailed token is kept, with the
//! account, the address and role it is for, who sent it, and when it stops working.

use crate::error::ApiResult;
use crate::sql::{Connection, OptionalExtension, Row, params};
use crate::util::{new_id, parse_stamp, stamp};
use chrono::{DateTime, Utc};
use portal_contract::{AccountRole, Invitation, Language, Person, Role};

/// One invitation as stored, whatever became of it.
#[derive(Clone, Debug)]
pub struct Stored {
    pub invitation: Invitation,
    pub account_id: String,
    pub account_name: String,
    pub language: Language,
    pub accepted: bool,
    pub revoked: bool,
}

/// What became of an invitation, at a given instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    Open,
    Accepted,
    Revoked,
    Expired,
}

impl Stored {
    pub fn state(&self, now: DateTime<Utc>) -> State {
        if self.accepted {
            State::Accepted
        } else if self.revoked {
            State::Revoked
        } else if self.invitation.expires_at <= now {
            State::Expired
        } else {
            State::Open
        }
    }
}

const COLUMNS: &str = "i.id, i.account_id, a.name AS account_name, i.email, i.role, i.language, i.created_at, \
    i.expires_at, i.accepted_at, i.revoked_at, i.invited_by, u.name AS invited_by_name, u.role AS invited_by_role";
const FROM: &str = "invitations i JOIN accounts a ON a.id = i.account_id JOIN users u ON u.id = i.invited_by";

fn from_row(r: &Row) -> crate::sql::Result<Stored> {
    let language = match Language::parse(&r.get::<_, String>("language")?) {
        Language::Unknown => Language::En,
        known => known,
    };
    Ok(Stored {
        invitation: Invitation {
            id: r.get::<_, String>("id")?.into(),
            email: r.get("email")?,
            role: AccountRole::parse(&r.get::<_, String>("role")?),
            invited_by: Person {
                id: r.get::<_, String>("invited_by")?.into(),
                name: r.get("invited_by_name")?,
                role: Role::parse(&r.get::<_, String>("invited_by_role")?),
            },
            created_at: parse_stamp(&r.get::<_, String>("created_at")?),
            expires_at: parse_stamp(&r.get::<_, String>("expires_at")?),
        },
        account_id: r.get("account_id")?,
        account_name: r.get("account_name")?,
        language,
        accepted: r.get::<_, Option<String>>("accepted_at")?.is_some(),
        revoked: r.get::<_, Option<String>>("revoked_at")?.is_some(),
    })
}

/// A new invitation, stored by its token's hash.
pub struct New<'a> {
    pub account_id: &'a str,
    pub email: &'a str,
    pub role: AccountRole,
    pub invited_by: &'a str,
    pub language: Language,
    pub token_hash: &'a str,
    pub at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// Stores `new` and answers its id. An open invitation to the same address on the same account
/// is revoked by it: only the newest link works.
pub fn create(conn: &Connection, new: &New) -> ApiResult<String> {
    conn.execute(
        "UPDATE invitations SET revoked_at = ?3 \
         WHERE account_id = ?1 AND email = ?2 AND accepted_at IS NULL AND revoked_at IS NULL",
        params![new.account_id, new.email, stamp(new.at)],
    )?;
    let id = new_id("inv");
    conn.execute(
        "INSERT INTO invitations (id, account_id, email, role, token_hash, invited_by, language, created_at, expires_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            id,
            new.account_id,
            new.email,
            new.role.as_str(),
            new.token_hash,
            new.invited_by,
            new.language.as_str(),
            stamp(new.at),
            stamp(new.expires_at),
        ],
    )?;
    Ok(id)
}

pub fn get(conn: &Connection, account_id: &str, id: &str) -> ApiResult<Option<Stored>> {
    let sql = format!("SELECT {COLUMNS} FROM {FROM} WHERE i.id = ?1 AND i.account_id = ?2");
    Ok(conn.query_row(&sql, params![id, account_id], from_row).optional()?)
}

pub fn by_token_hash(conn: &Connection, token_hash: &str) -> ApiResult<Option<Stored>> {
    let sql = format!("SELECT {COLUMNS} FROM {FROM} WHERE i.token_hash = ?1");
    Ok(conn.query_row(&sql, params![token_hash], from_row).optional()?)
}

/// The account's invitations that still work at `now`, the newest first.
pub fn open_of_account(conn: &Connection, account_id: &str, now: DateTime<Utc>) -> ApiResult<Vec<Invitation>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM {FROM} WHERE i.account_id = ?1 AND i.accepted_at IS NULL AND i.revoked_at IS NULL \
         AND i.expires_at > ?2 ORDER BY i.created_at DESC, i.id"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params![account_id, stamp(now)], from_row)?;
    Ok(rows.map(|r| r.map(|s| s.invitation)).collect::<Result<_, _>>()?)
}

/// Stops an invitation that has not been accepted; answers whether it was still unused.
pub fn revoke(conn: &Connection, id: &str, at: DateTime<Utc>) -> ApiResult<bool> {
    let changed = conn.execute(
        "UPDATE invitations SET revoked_at = ?2 WHERE id = ?1 AND accepted_at IS NULL AND revoked_at IS NULL",
        params![id, stamp(at)],
    )?;
    Ok(changed == 1)
}

/// Marks the invitation accepted by `user_id`, if it still works at `at`; answers whether it
/// did. Of two acceptances of one link only one finds it unused, whatever order they read in.
pub fn accept(conn: &Connection, id: &str, user_id: &str, at: DateTime<Utc>) -> ApiResult<bool> {
    let changed = conn.execute(
        "UPDATE invitations SET accepted_at = ?3, accepted_by = ?2 \
         WHERE id = ?1 AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > ?3",
        params![id, user_id, stamp(at)],
    )?;
    Ok(changed == 1)
}

/// When the `n`th latest invitation sent from the account since `since` was sent, if there were
/// that many: the one that leaves the window next when the limit is reached.
pub fn nth_latest_of_account(
    conn: &Connection,
    account_id: &str,
    since: DateTime<Utc>,
    n: u32,
) -> ApiResult<Option<DateTime<Utc>>> {
    nth_latest(conn, "account_id", account_id, since, n)
}

/// The same for invitations to `email`, from any account (so no address is flooded).
pub fn nth_latest_to_address(
    conn: &Connection,
    email: &str,
    since: DateTime<Utc>,
    n: u32,
) -> ApiResult<Option<DateTime<Utc>>> {
    nth_latest(conn, "email", email, since, n)
}

fn nth_latest(
    conn: &Connection,
    column: &'static str,
    value: &str,
    since: DateTime<Utc>,
    n: u32,
) -> ApiResult<Option<DateTime<Utc>>> {
    let sql = format!(
        "SELECT created_at FROM invitations WHERE {column} = ?1 AND created_at > ?2 \
         ORDER BY created_at DESC LIMIT 1 OFFSET ?3"
    );
    let created: Option<String> =
        conn.query_row(&sql, params![value, stamp(since), i64::from(n.max(1)) - 1], |r| r.get(0)).optional()?;
    Ok(created.as_deref().map(parse_stamp))
}
