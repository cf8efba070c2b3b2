//! The people of a customer account: `GET /accounts/{account_id}/members` for everyone who sees
//! the account, and for its admins changing a role or taking someone off; anyone may leave.

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::extract::AccountScope;
use crate::json::ApiJson;
use crate::sql::Connection;
use crate::state::AppState;
use crate::store;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use portal_contract::{AccountId, AccountRole, ErrorBody, Member, MemberUpdate, Members, UserId, Validate, rules};

/// The caller's own role on the account (none for Bird's side).
pub fn account_role(caller: &Caller, account_id: &AccountId) -> Option<AccountRole> {
    caller.accounts.iter().find(|a| a.id == *account_id).and_then(|a| a.role)
}

pub fn admins_only() -> ApiError {
    ApiError::Forbidden("admins_only", "only the account's admins manage its colleagues")
}

fn not_a_member() -> ApiError {
    ApiError::NotFound("member_not_found", "no such person on this account")
}

/// Refuses a change that would leave the account without an admin.
fn keeps_an_admin(
    conn: &Connection,
    account_id: &str,
    current: AccountRole,
    next: Option<AccountRole>,
) -> ApiResult<()> {
    let admins = store::members::admins(conn, account_id)?;
    rules::check_admin_kept(current, next, admins).map_err(|_| {
        ApiError::Conflict(
            "last_admin",
            "an account keeps at least one admin: make someone else admin first".to_owned(),
        )
    })
}

#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/members", tag = "accounts", operation_id = "list_members",
    params(("account_id" = String, Path)),
    responses((status = 200, body = Members, description = "Every person of the account, admins first; its admins also see the invitations still open"),
              (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    AccountScope { caller, account_id }: AccountScope,
) -> ApiResult<Json<Members>> {
    let admin = rules::may_manage_members(caller.user.role, account_role(&caller, &account_id)).is_ok();
    let now = state.clock.now();
    let members = state
        .db
        .read(move |conn| {
            let data = store::members::list(conn, account_id.as_str())?;
            let invitations =
                if admin { store::invitations::open_of_account(conn, account_id.as_str(), now)? } else { Vec::new() };
            Ok(Members { data, next_cursor: None, invitations })
        })
        .await?;
    Ok(Json(members))
}

#[utoipa::path(patch, path = "/api/v1/accounts/{account_id}/members/{user_id}", tag = "accounts", operation_id = "update_member",
    params(("account_id" = String, Path), ("user_id" = String, Path)),
    request_body = MemberUpdate,
    responses((status = 200, body = Member, description = "The person with their new role"),
              (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody, description = "`admins_only`: only the account's admins change roles"),
              (status = 404, body = ErrorBody, description = "No such account, or nobody of that id on it"),
              (status = 409, body = ErrorBody, description = "`last_admin`: the account's only admin cannot become a member")))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path((account_id, user_id)): Path<(AccountId, UserId)>,
    ApiJson(update): ApiJson<MemberUpdate>,
) -> ApiResult<Json<Member>> {
    let AccountScope { caller, account_id } = AccountScope::of(caller, account_id)?;
    rules::may_manage_members(caller.user.role, account_role(&caller, &account_id)).map_err(|_| admins_only())?;
    let problems = update.problems();
    if !problems.is_empty() {
        return Err(ApiError::fields(problems));
    }
    let member = state
        .db
        .call(move |conn| {
            let tx = conn.transaction()?;
            let (account, user) = (account_id.as_str(), user_id.as_str());
            let current = store::members::role_of(&tx, account, user)?.ok_or_else(not_a_member)?;
            keeps_an_admin(&tx, account, current, Some(update.role))?;
            store::members::set_role(&tx, account, user, update.role)?;
            let member = store::members::get(&tx, account, user)?.ok_or_else(not_a_member)?;
            tx.commit()?;
            Ok(member)
        })
        .await?;
    tracing::info!(member = %member.id, role = %member.role.as_str(), "role changed");
    Ok(Json(member))
}

#[utoipa::path(delete, path = "/api/v1/accounts/{account_id}/members/{user_id}", tag = "accounts", operation_id = "remove_member",
    params(("account_id" = String, Path), ("user_id" = String, Path)),
    description = "Takes a person off the account (an admin), or leaves it (anyone, their own id). Their cases, events and messages stay, under their name; they stop following its cases, and with no account left every session of theirs ends.",
    responses((status = 204, description = "Removed"),
              (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody, description = "`admins_only`: only the account's admins remove someone else"),
              (status = 404, body = ErrorBody, description = "No such account, or nobody of that id on it"),
              (status = 409, body = ErrorBody, description = "`last_admin`: the account's only admin cannot leave it")))]
pub async fn remove(
    State(state): State<AppState>,
    AccountScope { caller, account_id }: AccountScope,
    Path((_, user_id)): Path<(String, UserId)>,
) -> ApiResult<StatusCode> {
    let removing_self = caller.user.id == user_id;
    rules::may_remove_member(caller.user.role, account_role(&caller, &account_id), removing_self)
        .map_err(|_| admins_only())?;
    let removed = user_id.clone();
    state
        .db
        .call(move |conn| {
            let tx = conn.transaction()?;
            let (account, user) = (account_id.as_str(), user_id.as_str());
            let current = store::members::role_of(&tx, account, user)?.ok_or_else(not_a_member)?;
            keeps_an_admin(&tx, account, current, None)?;
            store::members::remove(&tx, account, user)?;
            tx.commit()?;
            Ok(())
        })
        .await?;
    tracing::info!(member = %removed, by = %caller.user.id, "taken off the account");
    Ok(StatusCode::NO_CONTENT)
}
