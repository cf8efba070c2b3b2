//! What a handler is given, checked before its body runs: the account or case the caller may
//! see (anything else is the 404 of a missing one), the `Idempotency-Key`, and a JSON body that
//! passed its `Validate::problems` (else 422 naming the fields).
//!
//! A write with a body checks the body before it looks anything up (a broken body is a 400
//! whatever the ids), and reads its case inside its own transaction: so writes take the typed
//! id (`Path<CaseId>`) and call `visible_case` / `AccountScope::of` themselves, while reads
//! take `VisibleCase` / `AccountScope`.

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::sql::Connection;
use crate::state::AppState;
use crate::store;
use axum::extract::{FromRequest, FromRequestParts, RawPathParams, Request};
use axum::http::request::Parts;
use portal_contract::{AccountId, Case, Validate};
use serde::de::DeserializeOwned;

/// A path parameter by name, for extractors used on routes with several.
async fn path_param(parts: &mut Parts, state: &AppState, name: &str) -> ApiResult<String> {
    let params = RawPathParams::from_request_parts(parts, state)
        .await
        .map_err(|e| ApiError::Internal(format!("path parameters: {e}")))?;
    params
        .iter()
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
        .ok_or_else(|| ApiError::Internal(format!("the route has no {{{name}}}")))
}

/// The `{account_id}` of the path, which the caller belongs to (or, for Bird, works on).
pub struct AccountScope {
    pub caller: Caller,
    pub account_id: AccountId,
}

impl FromRequestParts<AppState> for AccountScope {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let caller = Caller::from_request_parts(parts, state).await?;
        let account_id = AccountId(path_param(parts, state, "account_id").await?);
        AccountScope::of(caller, account_id)
    }
}

impl AccountScope {
    /// Another account's data answers exactly like data that does not exist.
    pub fn of(caller: Caller, account_id: AccountId) -> ApiResult<AccountScope> {
        if caller.may_see(account_id.as_str()) {
            Ok(AccountScope { caller, account_id })
        } else {
            Err(ApiError::NotFound("account_not_found", "no such account"))
        }
    }
}

/// The `{case_id}` of the path, on an account the caller may see.
pub struct VisibleCase {
    pub caller: Caller,
    pub case: Case,
}

impl FromRequestParts<AppState> for VisibleCase {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let caller = Caller::from_request_parts(parts, state).await?;
        let case_id = path_param(parts, state, "case_id").await?;
        let seen = caller.clone();
        let case = state.db.read(move |conn| visible_case(conn, &seen, &case_id)).await?;
        Ok(VisibleCase { caller, case })
    }
}

/// The case, if the caller may see its account; otherwise the same 404 as a missing case.
pub fn visible_case(conn: &Connection, caller: &Caller, case_id: &str) -> ApiResult<Case> {
    match store::cases::get(conn, case_id)? {
        Some(case) if caller.may_see(case.account_id.as_str()) => Ok(case),
        _ => Err(ApiError::NotFound("case_not_found", "no such case")),
    }
}

/// The request's `Idempotency-Key`, if it carries one; a malformed one is a 422 naming it.
pub struct IdempotencyKey(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for IdempotencyKey {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        crate::idempotency::key(&parts.headers).map(IdempotencyKey)
    }
}

impl IdempotencyKey {
    pub fn as_deref(&self) -> Option<&str> {
        self.0.as_deref()
    }
}

/// A JSON body that decoded and has no problems by the contract's `Validate`.
pub struct ValidJson<T>(pub T);

impl<S, T> FromRequest<S> for ValidJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned + Validate,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let ApiJson(body) = ApiJson::<T>::from_request(req, state).await?;
        let problems = body.problems();
        if problems.is_empty() { Ok(ValidJson(body)) } else { Err(ApiError::fields(problems)) }
    }
}
