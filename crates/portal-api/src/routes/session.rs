use crate::auth::{BEARER_TTL, COOKIE_TTL, Caller, CredentialKind, create_session, session_cookie, verify_password};
use crate::client_addr::Client;
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::rate_limit::Throttled;
use crate::state::AppState;
use crate::store;
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use portal_contract::{Credentials, ErrorBody, SessionInfo, TokenGrant, Validate};

#[utoipa::path(post, path = "/api/v1/session", tag = "session", request_body = Credentials,
    responses((status = 200, body = SessionInfo, description = "Signed in; sets the session cookie"),
              (status = 401, body = ErrorBody), (status = 422, body = ErrorBody),
              (status = 429, body = ErrorBody, description = "Too many sign-ins from this address, or too many failures from it (for this account or any); see Retry-After")))]
pub async fn sign_in(
    State(state): State<AppState>,
    client: Client,
    ApiJson(credentials): ApiJson<Credentials>,
) -> ApiResult<Response> {
    let problems = credentials.problems();
    if !problems.is_empty() {
        return Err(ApiError::fields(problems));
    }
    let email = credentials.email.trim().to_owned();
    let address = client.throttling_key();
    let limiter = state.sign_in_limiter.clone();
    let key = email.to_lowercase();
    if let Err(Throttled(seconds)) = limiter.check(&key, &address).await? {
        tracing::warn!(%address, "sign-in rate limited");
        return Err(ApiError::TooManyAttempts(seconds));
    }
    let found: Option<(String, String)> = state.db.call(move |conn| store::sessions::password_of(conn, &email)).await?;
    let dummy = state.dummy_hash.clone();
    let password = credentials.password;
    let verified = tokio::task::spawn_blocking(move || match &found {
        Some((id, hash)) => verify_password(&password, hash).then(|| id.clone()),
        None => {
            // Same work for an unknown address, so response time does not reveal accounts.
            let _ = verify_password(&password, &dummy);
            None
        }
    })
    .await
    .map_err(|e| ApiError::Internal(e.to_string()))?;
    let Some(user_id) = verified else {
        limiter.failed(&key, &address).await?;
        return Err(ApiError::InvalidCredentials);
    };
    limiter.succeeded(&key, &address).await?;
    let (token, info) = state
        .db
        .call(move |conn| {
            let (token, _) = create_session(conn, &user_id, CredentialKind::Cookie, None, COOKIE_TTL)?;
            let user = store::sessions::user(conn, &user_id)?.ok_or(ApiError::InvalidCredentials)?;
            let accounts = store::sessions::accounts_of(conn, &user_id, user.role)?;
            Ok((token, SessionInfo { user, accounts }))
        })
        .await?;
    tracing::info!(user = %info.user.id, "signed in");
    Ok(([(header::SET_COOKIE, session_cookie(&token, COOKIE_TTL.num_seconds(), client.https))], Json(info))
        .into_response())
}

#[utoipa::path(get, path = "/api/v1/session", tag = "session",
    responses((status = 200, body = SessionInfo), (status = 401, body = ErrorBody)))]
pub async fn current(caller: Caller) -> Json<SessionInfo> {
    Json(caller.session_info())
}

#[utoipa::path(delete, path = "/api/v1/session", tag = "session",
    responses((status = 204, description = "Signed out; the cookie is cleared and every token minted from this session ends"),
              (status = 401, body = ErrorBody)))]
pub async fn sign_out(State(state): State<AppState>, client: Client, caller: Caller) -> ApiResult<Response> {
    state.db.call(move |conn| store::sessions::delete(conn, &caller.token_hash)).await?;
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, session_cookie("", 0, client.https))]).into_response())
}

#[utoipa::path(post, path = "/api/v1/tokens", tag = "session",
    responses((status = 201, body = TokenGrant, description = "A short-lived bearer token for an embedding host; it ends when the session that minted it signs out"),
              (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody, description = "`cookie_session_required`: only a signed-in session (its cookie) mints tokens, not a bearer token")))]
pub async fn token(State(state): State<AppState>, caller: Caller) -> ApiResult<(StatusCode, Json<TokenGrant>)> {
    // A token lives 15 minutes so that a leaked one is soon worthless; a token that could mint
    // the next one would live forever.
    if caller.kind != CredentialKind::Cookie {
        return Err(ApiError::Forbidden(
            "cookie_session_required",
            "a token is minted from a signed-in session (its cookie), not from another token",
        ));
    }
    let user_id = caller.user.id.to_string();
    let parent = caller.token_hash;
    let (token, expires_at) = state
        .db
        .call(move |conn| create_session(conn, &user_id, CredentialKind::Bearer, Some(&parent), BEARER_TTL))
        .await?;
    Ok((StatusCode::CREATED, Json(TokenGrant { token, expires_at })))
}
