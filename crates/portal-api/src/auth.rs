//! Who is calling: a session cookie or a bearer token, the user behind it, and the accounts
//! they may see. Every handler that touches account data takes a `Caller`.

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::util::{new_token, parse_stamp, sha256_hex, stamp};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{Method, header};
use chrono::{Duration, Utc};
use portal_contract::{AccountId, CSRF_HEADER, Person, Role, SESSION_COOKIE, SessionAccount, SessionInfo, SessionUser};
use rand::RngCore;
use rusqlite::{Connection, OptionalExtension, params};

pub const COOKIE_TTL: Duration = Duration::hours(12);
pub const BEARER_TTL: Duration = Duration::minutes(15);

#[derive(Clone, Debug)]
pub struct Caller {
    pub user: SessionUser,
    pub accounts: Vec<SessionAccount>,
    pub via_cookie: bool,
}

impl Caller {
    pub fn may_see(&self, account: &str) -> bool {
        self.accounts.iter().any(|a| a.id.as_str() == account)
    }

    pub fn person(&self) -> Person {
        Person { id: self.user.id.clone(), name: self.user.name.clone(), role: self.user.role }
    }

    pub fn session_info(&self) -> SessionInfo {
        SessionInfo { user: self.user.clone(), accounts: self.accounts.clone() }
    }
}

pub fn hash_password(password: &str) -> ApiResult<String> {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    let salt = SaltString::encode_b64(&bytes).map_err(|e| ApiError::Internal(format!("salt: {e}")))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ApiError::Internal(format!("hashing: {e}")))
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

/// The accounts a user may see: a customer's memberships, a TAM's assigned accounts, or every
/// account for a support agent.
pub fn accounts_of(conn: &Connection, user_id: &str, role: Role) -> ApiResult<Vec<SessionAccount>> {
    let sql = match role {
        Role::Customer => {
            "SELECT a.id, a.name FROM accounts a JOIN memberships m ON m.account_id = a.id WHERE m.user_id = ?1 ORDER BY a.name, a.id"
        }
        Role::Tam => {
            "SELECT a.id, a.name FROM accounts a JOIN tams t ON t.id = a.tam_id WHERE t.user_id = ?1 ORDER BY a.name, a.id"
        }
        Role::Agent => "SELECT id, name FROM accounts WHERE ?1 IS NOT NULL ORDER BY name, id",
        Role::Unknown => return Ok(Vec::new()),
    };
    let mut stmt = conn.prepare_cached(sql)?;
    let rows =
        stmt.query_map(params![user_id], |r| Ok(SessionAccount { id: AccountId(r.get(0)?), name: r.get(1)? }))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub fn load_user(conn: &Connection, user_id: &str) -> ApiResult<Option<SessionUser>> {
    Ok(conn
        .query_row("SELECT id, name, email, role FROM users WHERE id = ?1", params![user_id], |r| {
            Ok(SessionUser {
                id: r.get::<_, String>(0)?.into(),
                name: r.get(1)?,
                email: r.get(2)?,
                role: Role::parse(&r.get::<_, String>(3)?),
            })
        })
        .optional()?)
}

/// Stores a new session or bearer token (only its hash) and returns the token.
pub fn create_session(
    conn: &Connection,
    user_id: &str,
    kind: &str,
    ttl: Duration,
) -> ApiResult<(String, chrono::DateTime<Utc>)> {
    let token = new_token();
    let expires = Utc::now() + ttl;
    conn.execute(
        "INSERT INTO sessions (token_hash, user_id, kind, expires_at) VALUES (?1, ?2, ?3, ?4)",
        params![sha256_hex(token.as_bytes()), user_id, kind, stamp(expires)],
    )?;
    conn.execute("DELETE FROM sessions WHERE expires_at < ?1", params![stamp(Utc::now())])?;
    Ok((token, expires))
}

pub fn delete_session(conn: &Connection, token: &str) -> ApiResult<()> {
    conn.execute("DELETE FROM sessions WHERE token_hash = ?1", params![sha256_hex(token.as_bytes())])?;
    Ok(())
}

/// `Secure` when the server is configured as served over HTTPS, or when the proxy in front
/// says the request came over HTTPS. A client forging that header only makes its own cookie
/// stricter.
pub fn session_cookie(token: &str, max_age: i64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}={token}; HttpOnly; SameSite=Lax; Path=/; Max-Age={max_age}{secure}")
}

pub fn over_https(config: &crate::state::Config, headers: &axum::http::HeaderMap) -> bool {
    config.secure_cookies
        || headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|p| p.eq_ignore_ascii_case("https"))
}

/// The credential a request carries and whether it came as a cookie.
pub fn credential(parts: &Parts) -> Option<(String, bool)> {
    if let Some(bearer) =
        parts.headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "))
    {
        return Some((bearer.trim().to_owned(), false));
    }
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| (value.to_owned(), true))
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let (token, via_cookie) = credential(parts).ok_or(ApiError::Unauthenticated)?;
        let is_write = !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        let csrf_ok = parts.headers.get(CSRF_HEADER).is_some_and(|v| !v.is_empty());
        let caller = state
            .db
            .call(move |conn| {
                let found: Option<(String, String)> = conn
                    .query_row(
                        "SELECT user_id, expires_at FROM sessions WHERE token_hash = ?1",
                        params![sha256_hex(token.as_bytes())],
                        |r| Ok((r.get(0)?, r.get(1)?)),
                    )
                    .optional()?;
                let Some((user_id, expires)) = found else { return Ok(None) };
                if parse_stamp(&expires) <= Utc::now() {
                    return Ok(None);
                }
                let Some(user) = load_user(conn, &user_id)? else { return Ok(None) };
                let accounts = accounts_of(conn, &user_id, user.role)?;
                Ok(Some(Caller { user, accounts, via_cookie }))
            })
            .await?
            .ok_or(ApiError::Unauthenticated)?;
        // A cookie rides along on cross-site form posts; a custom header cannot be set by one.
        if is_write && caller.via_cookie && !csrf_ok {
            return Err(ApiError::CsrfHeaderMissing);
        }
        Ok(caller)
    }
}
