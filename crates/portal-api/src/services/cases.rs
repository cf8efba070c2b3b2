//! Opening a case and posting on its timeline.

use crate::error::{ApiError, ApiResult};
use crate::sql::Transaction;
use crate::store;
use chrono::{DateTime, Utc};
use portal_contract::{Case, Channel, EventKind, NewCase, Role};

/// Who a case or a post comes from.
pub struct Author<'a> {
    pub user_id: &'a str,
    pub role: Role,
}

impl<'a> Author<'a> {
    pub fn of(caller: &'a crate::auth::Caller) -> Author<'a> {
        Author { user_id: caller.user.id.as_str(), role: caller.user.role }
    }
}

/// Opens `new` on `account_id` for its requester, assigned to the least busy agent. A case it
/// follows up must be one of the same account (which the requester may see): anything else is
/// a 422 on `follow_up_of`, whether the case exists elsewhere or not at all.
pub fn open(
    tx: &Transaction,
    requester: &Author,
    account_id: &str,
    new: &NewCase,
    channel: Channel,
    at: DateTime<Utc>,
) -> ApiResult<Case> {
    if let Some(earlier) = &new.follow_up_of {
        let same_account =
            store::cases::get(tx, earlier.as_str())?.is_some_and(|c| c.account_id.as_str() == account_id);
        if !same_account {
            return Err(ApiError::field("follow_up_of", "unknown_case", "is not a case of this account"));
        }
    }
    let agent = store::cases::least_busy_agent(tx)?;
    let id = store::cases::create(tx, account_id, requester.user_id, agent.as_deref(), new, channel, at)?;
    crate::mail::outbox::on_case_opened(tx, &id, requester.user_id, at)?;
    store::cases::get(tx, &id)?.ok_or_else(|| ApiError::Internal("created case vanished".into()))
}

/// Posts a message or a progress update on `case`; a support agent's first answer is also the
/// case's first response (a TAM's update is not). Answers the event's id.
pub fn post(
    tx: &Transaction,
    case: &Case,
    author: &Author,
    kind: EventKind,
    body: &str,
    at: DateTime<Utc>,
) -> ApiResult<String> {
    let event_id = store::cases::add_event(tx, case.id.as_str(), kind, author.user_id, Some(body), None, at)?;
    if author.role == Role::Agent {
        store::cases::record_agent_answer(tx, case, author.user_id, at)?;
    }
    Ok(event_id)
}
