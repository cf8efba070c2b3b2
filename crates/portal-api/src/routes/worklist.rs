//! What waits on whom: a customer's "Needs your action" on an account, and the worklist of
//! Bird's TAMs and agents across the accounts they look after.

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::extract::AccountScope;
use crate::first_response::{AT_RISK, Overdue};
use crate::state::AppState;
use crate::store::{self, information_requests};
use axum::Json;
use axum::extract::State;
use portal_contract::{ErrorBody, NeedsAction, ProposedResolution, Role, Worklist};

/// The most open requests one list holds; an account owing more has bigger problems.
const REQUESTS_MAX: u32 = 100;

/// What on the account waits on its customer.
///
/// Every open information request and every resolution Bird's side proposed that waits for the
/// customer's answer, each list oldest first. Bird's side may read the account too, but nothing
/// on it waits on them: their lists are empty (their work is the worklist), so a page shown to
/// a TAM never offers the customer's actions.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/needs-action", tag = "worklist",
    params(("account_id" = String, Path)),
    responses((status = 200, body = NeedsAction, description = "Empty lists for Bird's TAMs and agents"),
              (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn needs_action(
    State(state): State<AppState>,
    AccountScope { caller, account_id }: AccountScope,
) -> ApiResult<Json<NeedsAction>> {
    if caller.user.role != Role::Customer {
        return Ok(Json(NeedsAction::default()));
    }
    let needs = state
        .db
        .read(move |conn| {
            let account_id = account_id.as_str();
            let mut resolutions = Vec::new();
            for case in store::cases::proposed_by_bird(conn, account_id)? {
                if let Some(resolution) = store::resolution::resolution(conn, case.id.as_str())? {
                    resolutions.push(ProposedResolution { case, resolution });
                }
            }
            let information_requests = information_requests::waiting(conn, account_id, REQUESTS_MAX)?;
            Ok(NeedsAction { information_requests, resolutions })
        })
        .await?;
    Ok(Json(needs.with_overdue(state.clock.now())))
}

/// What waits on Bird: the worklist of a TAM or a support agent.
///
/// Across the caller's accounts (a TAM's, or every account for an agent): the open escalations
/// the TAM has not acknowledged, newest escalation first, and the open cases whose first
/// response is overdue or due within `AT_RISK_WITHIN_MINUTES`, soonest due first.
#[utoipa::path(get, path = "/api/v1/me/worklist", tag = "worklist",
    responses((status = 200, body = Worklist), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody, description = "Customers have no worklist; theirs is `needs-action`")))]
pub async fn worklist(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Worklist>> {
    if !caller.user.role.is_bird() {
        return Err(ApiError::Forbidden("bird_only", "the worklist is for Bird's TAMs and support agents"));
    }
    let accounts: Vec<String> = caller.accounts.iter().map(|a| a.id.to_string()).collect();
    let now = state.clock.now();
    let worklist = state
        .db
        .read(move |conn| {
            Ok(Worklist {
                escalations: store::cases::unacknowledged_escalations(conn, &accounts)?,
                at_risk: store::cases::due_by(conn, &accounts, now + AT_RISK)?,
            })
        })
        .await?;
    Ok(Json(worklist.with_overdue(now)))
}
