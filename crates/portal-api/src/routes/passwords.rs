//! Forgotten and changed passwords: `POST /password-resets` sends a link by email,
//! `POST /password-resets/{token}` sets a new password through it, `PUT /me/password` changes
//! it for a signed-in person.

use crate::auth::{COOKIE_TTL, Caller, CredentialKind, create_session, hash_password, session_cookie, verify_password};
use crate::client_addr::Client;
use crate::error::{ApiError, ApiResult, REQUEST_ID, current_request_id};
use crate::extract::ValidJson;
use crate::mail::kind::MailKind;
use crate::mail::outbox::{self, NewNotification};
use crate::rate_limit::Throttled;
use crate::sql::Connection;
use crate::state::AppState;
use crate::store;
use crate::util::{new_token, sha256_hex};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, Utc};
use portal_contract::{ErrorBody, NewPassword, PasswordChange, PasswordResetRequest, SessionInfo};

/// How long a reset link works.
pub const RESET_TTL: Duration = Duration::hours(1);

#[utoipa::path(post, path = "/api/v1/password-resets", tag = "session", request_body = PasswordResetRequest,
    description = "Sends a link that sets a new password to the address, if a person signs in with it. The answer is the same whether or not one does.",
    responses((status = 202, description = "Accepted; a link is on its way if the address has an account"),
              (status = 429, body = ErrorBody, description = "Too many requests for this address, or from this client; see Retry-After")))]
pub async fn request_password_reset(
    State(state): State<AppState>,
    client: Client,
    ValidJson(body): ValidJson<PasswordResetRequest>,
) -> ApiResult<StatusCode> {
    let email = body.email.trim().to_owned();
    if let Err(Throttled(seconds)) = state.reset_limiter.admit(&email, &client.throttling_key()).await? {
        return Err(ApiError::Throttled(
            "too_many_reset_requests",
            format!("too many password reset requests; try again in {seconds} seconds"),
            seconds,
        ));
    }
    // The lookup and the write happen after the answer, apart from it: an address with an
    // account costs a write that one without does not, and a caller timing the answers would
    // learn which addresses have accounts. The work goes on under this request's id, so the
    // email names it and a failure is logged with it.
    let request_id = current_request_id();
    let (db, now) = (state.db.clone(), state.clock.now());
    tokio::spawn(REQUEST_ID.scope(request_id.clone(), async move {
        if let Err(error) = db.call(move |conn| issue_reset(conn, &email, now)).await {
            tracing::error!(%request_id, ?error, "password reset not written");
        }
    }));
    Ok(StatusCode::ACCEPTED)
}

/// A new link for the person with `email`, if there is one: its hash in `password_resets` and
/// the token itself in the email's outbox row, in one transaction.
fn issue_reset(conn: &mut Connection, email: &str, now: DateTime<Utc>) -> ApiResult<()> {
    let tx = conn.transaction()?;
    if let Some(user_id) = store::password_resets::person_by_email(&tx, email)? {
        let token = new_token();
        store::password_resets::insert(&tx, &sha256_hex(token.as_bytes()), &user_id, now, now + RESET_TTL)?;
        let email = NewNotification {
            recipient_id: &user_id,
            kind: MailKind::PasswordReset,
            case_id: None,
            event_id: None,
            secret: Some(&token),
            at: now,
        };
        outbox::enqueue(&tx, &email)?;
        tracing::info!(user = %user_id, "password reset link issued");
    }
    tx.commit()?;
    Ok(())
}

#[utoipa::path(post, path = "/api/v1/password-resets/{token}", tag = "session", request_body = NewPassword,
    params(("token" = String, Path, description = "The token of the emailed link")),
    description = "Sets a new password through an emailed link, ends every session and token the person had, and signs them in.",
    responses((status = 200, body = SessionInfo, description = "The password is set; signed in, the session cookie is set"),
              (status = 404, body = ErrorBody, description = "No such link"),
              (status = 410, body = ErrorBody, description = "The link was used already or has expired")))]
pub async fn reset_password(
    State(state): State<AppState>,
    client: Client,
    Path(token): Path<String>,
    ValidJson(body): ValidJson<NewPassword>,
) -> ApiResult<Response> {
    let token_hash = sha256_hex(token.as_bytes());
    let now = state.clock.now();
    // Checked before hashing, so a forged link costs no argon2 hash; checked again in the
    // write, where it counts.
    let looked_up = token_hash.clone();
    let found = state.db.read(move |conn| store::password_resets::find(conn, &looked_up)).await?;
    usable(found.as_ref(), now)?;
    let password_hash = hash_off_thread(body.password).await?;
    let (session, info) = state
        .db
        .call(move |conn| {
            // One writer: of two requests racing with one link, the second finds it used here.
            let tx = conn.transaction()?;
            let found = store::password_resets::find(&tx, &token_hash)?;
            let user_id = usable(found.as_ref(), now)?.to_owned();
            store::password_resets::use_up(&tx, &user_id, now)?;
            store::sessions::set_password(&tx, &user_id, &password_hash)?;
            store::sessions::end_all_of(&tx, &user_id, None)?;
            // Signed in at once: following the link proved the person holds the mailbox the
            // password rests on anyway, every earlier session has just ended so this is their
            // only one, and asking them to type the password they just chose adds a step and
            // no safety.
            let (session, _) = create_session(&tx, &user_id, CredentialKind::Cookie, None, COOKIE_TTL)?;
            let user = store::sessions::user(&tx, &user_id)?.ok_or_else(unknown)?;
            let accounts = store::sessions::accounts_of(&tx, &user_id, user.role)?;
            tx.commit()?;
            Ok((session, SessionInfo { user, accounts }))
        })
        .await?;
    tracing::info!(user = %info.user.id, "password reset; every earlier session ended");
    Ok(([(header::SET_COOKIE, session_cookie(&session, COOKIE_TTL.num_seconds(), client.https))], Json(info))
        .into_response())
}

/// The person a link may still set a password for.
fn usable(found: Option<&store::password_resets::Reset>, now: DateTime<Utc>) -> ApiResult<&str> {
    let reset = found.ok_or_else(unknown)?;
    if reset.used || reset.expires_at <= now {
        return Err(spent());
    }
    Ok(&reset.user_id)
}

fn unknown() -> ApiError {
    ApiError::NotFound("reset_link_not_found", "no such password reset link")
}

fn spent() -> ApiError {
    ApiError::Gone("reset_link_expired", "this password reset link was used already or has expired".to_owned())
}

/// A new password's argon2 hash, computed on a blocking thread: it takes long enough to stall the
/// requests sharing this one.
pub async fn hash_off_thread(password: String) -> ApiResult<String> {
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?
}

#[utoipa::path(put, path = "/api/v1/me/password", tag = "session", request_body = PasswordChange,
    description = "Changes the caller's password; every other session and token of theirs ends, this session stays.",
    responses((status = 204, description = "Changed"),
              (status = 403, body = ErrorBody, description = "`cookie_session_required`: a password is changed from a signed-in session (its cookie), not with a token"),
              (status = 422, body = ErrorBody, description = "`current_password` is not the password, or a field is invalid"),
              (status = 429, body = ErrorBody, description = "Too many wrong passwords; see Retry-After")))]
pub async fn change_password(
    State(state): State<AppState>,
    client: Client,
    caller: Caller,
    ValidJson(body): ValidJson<PasswordChange>,
) -> ApiResult<StatusCode> {
    if caller.kind != CredentialKind::Cookie {
        return Err(ApiError::Forbidden(
            "cookie_session_required",
            "a password is changed from a signed-in session (its cookie), not with a token",
        ));
    }
    // A wrong current password is a guess at it like a wrong sign-in, and is counted as one.
    let (key, address) = (caller.user.email.to_lowercase(), client.throttling_key());
    let limiter = state.sign_in_limiter.clone();
    if let Err(Throttled(seconds)) = limiter.check(&key, &address).await? {
        return Err(ApiError::TooManyAttempts(seconds));
    }
    let user_id = caller.user.id.to_string();
    let looked_up = user_id.clone();
    let stored = state.db.read(move |conn| store::sessions::password_hash_of(conn, &looked_up)).await?;
    let current = body.current_password;
    let verified = tokio::task::spawn_blocking(move || stored.is_some_and(|hash| verify_password(&current, &hash)))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    if !verified {
        limiter.failed(&key, &address).await?;
        return Err(ApiError::field("current_password", "wrong_password", "is not your current password"));
    }
    limiter.succeeded(&key, &address).await?;
    let password_hash = hash_off_thread(body.password).await?;
    let keep = caller.token_hash;
    state
        .db
        .call(move |conn| {
            let tx = conn.transaction()?;
            store::sessions::set_password(&tx, &user_id, &password_hash)?;
            store::sessions::end_all_of(&tx, &user_id, Some(&keep))?;
            tx.commit()?;
            Ok(())
        })
        .await?;
    tracing::info!(user = %caller.user.id, "password changed; every other session ended");
    Ok(StatusCode::NO_CONTENT)
}
