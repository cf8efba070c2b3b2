use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::extract::AccountScope;
use crate::state::AppState;
use crate::store;
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use portal_contract::{AccountOverview, ErrorBody, Page, Tam};
use serde::Deserialize;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// 1–100, default 25.
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/accounts", tag = "accounts", params(PageQuery),
    responses((status = 200, body = Page<AccountOverview>), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    q: Result<Query<PageQuery>, QueryRejection>,
) -> ApiResult<Json<Page<AccountOverview>>> {
    let Query(q) = q.map_err(super::query_error)?;
    let visible: Vec<(String, String)> = caller.accounts.iter().map(|a| (a.id.to_string(), a.name.clone())).collect();
    let now = state.clock.now();
    let page =
        state.db.read(move |conn| store::accounts::page(conn, &visible, q.limit, q.cursor.as_deref(), now)).await?;
    Ok(Json(page))
}

#[utoipa::path(get, path = "/api/v1/accounts/{account_id}", tag = "accounts",
    params(("account_id" = String, Path)),
    responses((status = 200, body = AccountOverview), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn overview(
    State(state): State<AppState>,
    AccountScope { account_id, .. }: AccountScope,
) -> ApiResult<Json<AccountOverview>> {
    let now = state.clock.now();
    state
        .db
        .read(move |conn| store::accounts::overview(conn, account_id.as_str(), now))
        .await?
        .map(Json)
        .ok_or(ApiError::NotFound("account_not_found", "no such account"))
}

#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/tam", tag = "accounts",
    params(("account_id" = String, Path)),
    responses((status = 200, body = Tam), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn tam(State(state): State<AppState>, AccountScope { account_id, .. }: AccountScope) -> ApiResult<Json<Tam>> {
    let now = state.clock.now();
    state
        .db
        .read(move |conn| store::tams::of_account(conn, account_id.as_str(), now))
        .await?
        .map(Json)
        .ok_or(ApiError::NotFound("tam_not_found", "this account has no TAM assigned"))
}
