//! `Idempotency-Key` on creates: a retried request with the same key gets the first answer and
//! never a second record; the same key with a different body is refused (422).
//!
//! The lookup, the create and the stored answer run in one transaction under the database
//! lock, so a retry that races the first request waits for it and then replays its answer.

use crate::error::{ApiError, ApiResult};
use crate::sql::Transaction;
use crate::store;
use crate::util::sha256_hex;
use axum::http::HeaderMap;
use chrono::{Duration, Utc};
use portal_contract::IDEMPOTENCY_KEY_HEADER;
use serde::Serialize;
use serde::de::DeserializeOwned;

const KEEP_FOR: Duration = Duration::hours(24);

/// The key a request carries, if any; a malformed one is a 422 naming the header.
pub fn key(headers: &HeaderMap) -> ApiResult<Option<String>> {
    let Some(value) = headers.get(IDEMPOTENCY_KEY_HEADER) else { return Ok(None) };
    let key = value.to_str().map(str::trim).unwrap_or("");
    if key.is_empty() || key.len() > 255 || !key.chars().all(|c| c.is_ascii_graphic()) {
        return Err(ApiError::field(IDEMPOTENCY_KEY_HEADER, "invalid", "must be 1–255 visible ASCII characters"));
    }
    Ok(Some(key.to_owned()))
}

/// Runs `create` once per (user, key): the stored answer is replayed for a repeat.
pub fn once<T, R>(
    tx: &Transaction,
    user_id: &str,
    key: Option<&str>,
    request: &R,
    create: impl FnOnce(&Transaction) -> ApiResult<T>,
) -> ApiResult<T>
where
    T: Serialize + DeserializeOwned,
    R: Serialize,
{
    let Some(key) = key else { return create(tx) };
    let fingerprint = sha256_hex(&serde_json::to_vec(request).map_err(|e| ApiError::Internal(e.to_string()))?);
    store::idempotency::forget_before(tx, Utc::now() - KEEP_FOR)?;
    if let Some((stored_fingerprint, body)) = store::idempotency::find(tx, user_id, key)? {
        if stored_fingerprint != fingerprint {
            return Err(ApiError::IdempotencyKeyReused);
        }
        let body = body.ok_or_else(|| {
            ApiError::Conflict(
                "idempotency_request_in_progress",
                "the first request with this key is still running".into(),
            )
        })?;
        return serde_json::from_str(&body).map_err(|e| ApiError::Internal(format!("stored answer: {e}")));
    }
    let created = create(tx)?;
    let body = serde_json::to_string(&created).map_err(|e| ApiError::Internal(e.to_string()))?;
    store::idempotency::insert(tx, user_id, key, &fingerprint, &body)?;
    Ok(created)
}
