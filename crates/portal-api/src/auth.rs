//! Who is calling: a session cookie or a bearer token, the user behind it, and the accounts
//! they may see. Every handler that touches account data takes a `Caller`.

use crate::client_addr::Client;
use crate::error::{ApiError, ApiResult};
use crate::sql::Connection;
use crate::state::AppState;
use crate::store;
use crate::util::{new_token, parse_stamp, sha256_hex};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use chrono::{Duration, Utc};
use portal_contract::{CSRF_HEADER, Person, SESSION_COOKIE, SessionAccount, SessionInfo, SessionUser};
use rand::RngCore;

pub const COOKIE_TTL: Duration = Duration::hours(12);
pub const BEARER_TTL: Duration = Duration::minutes(15);

#[derive(Clone, Debug)]
pub struct Caller {
    pub user: SessionUser,
    pub accounts: Vec<SessionAccount>,
    pub kind: CredentialKind,
    /// The hash of the credential the request came with (what the store keys sessions by).
    pub token_hash: String,
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

/// Stores a new cookie session, or a bearer token minted from the session `parent` (its hash),
/// and returns the token; only its hash is kept. A token ends with its parent session (the
/// schema deletes it with its parent).
pub fn create_session(
    conn: &Connection,
    user_id: &str,
    kind: CredentialKind,
    parent: Option<&str>,
    ttl: Duration,
) -> ApiResult<(String, chrono::DateTime<Utc>)> {
    let token = new_token();
    let expires = Utc::now() + ttl;
    store::sessions::insert(conn, &sha256_hex(token.as_bytes()), user_id, kind.stored_as(), parent, expires)?;
    Ok((token, expires))
}

/// The session cookie's name. Over HTTPS it carries the `__Host-` prefix, which browsers keep
/// only for a `Secure`, `Path=/` cookie without `Domain` set by this very origin, so a sibling
/// subdomain or a plain-HTTP page cannot plant a session of its choosing. Only that name is
/// read then: accepting the plain name too would undo the prefix.
fn session_cookie_name(https: bool) -> String {
    if https { format!("__Host-{SESSION_COOKIE}") } else { SESSION_COOKIE.to_owned() }
}

/// The `Set-Cookie` value that sets (or, with an empty token and no age, clears) the session.
pub fn session_cookie(token: &str, max_age: i64, https: bool) -> String {
    let name = session_cookie_name(https);
    let secure = if https { "; Secure" } else { "" };
    format!("{name}={token}; HttpOnly; SameSite=Lax; Path=/; Max-Age={max_age}{secure}")
}

/// How a credential arrived, which must be how it was issued (the store's `kind`): a cookie
/// value sent as a bearer would skip the CSRF header rule, and a token sent as a cookie would
/// outlive the page that was handed it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CredentialKind {
    Cookie,
    Bearer,
}

impl CredentialKind {
    fn stored_as(self) -> &'static str {
        match self {
            CredentialKind::Cookie => "cookie",
            CredentialKind::Bearer => "bearer",
        }
    }
}

/// The credential a request carries: an `Authorization: Bearer` token, else the session cookie.
fn credential(headers: &HeaderMap, https: bool) -> Option<(String, CredentialKind)> {
    if let Some(bearer) =
        headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "))
    {
        return Some((bearer.trim().to_owned(), CredentialKind::Bearer));
    }
    let name = session_cookie_name(https);
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(cookie, _)| *cookie == name)
        .map(|(_, value)| (value.to_owned(), CredentialKind::Cookie))
}

/// The user behind a live credential of the kind it arrived as.
fn find_caller(conn: &Connection, token_hash: &str, kind: CredentialKind) -> ApiResult<Option<Caller>> {
    let Some((user_id, expires)) = store::sessions::find(conn, token_hash, kind.stored_as())? else {
        return Ok(None);
    };
    if parse_stamp(&expires) <= Utc::now() {
        return Ok(None);
    }
    let Some(user) = store::sessions::user(conn, &user_id)? else { return Ok(None) };
    let accounts = store::sessions::accounts_of(conn, &user_id, user.role)?;
    Ok(Some(Caller { user, accounts, kind, token_hash: token_hash.to_owned() }))
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let client = Client::of(&state.config, &parts.extensions, &parts.headers);
        let (token, kind) = credential(&parts.headers, client.https).ok_or(ApiError::Unauthenticated)?;
        let is_write = !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        let csrf_ok = parts.headers.get(CSRF_HEADER).is_some_and(|v| !v.is_empty());
        let token_hash = sha256_hex(token.as_bytes());
        let caller =
            state.db.read(move |conn| find_caller(conn, &token_hash, kind)).await?.ok_or(ApiError::Unauthenticated)?;
        // A cookie rides along on cross-site form posts; a custom header cannot be set by one.
        if is_write && caller.kind == CredentialKind::Cookie && !csrf_ok {
            return Err(ApiError::CsrfHeaderMissing);
        }
        Ok(caller)
    }
}
