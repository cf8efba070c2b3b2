//! The account page's data, and a head start for it.
//!
//! Signing in tells the portal which page the person lands on. When that is an account page,
//! its requests leave with the sign-in answer instead of after the signed-in shell and the page
//! have been drawn (20–40 ms on this machine), and the page takes the answer waiting for it.

use crate::core::api::{ApiClient, ApiError};
use crate::features::cases::{OPEN, fetch_needs_action_code};
use futures::channel::oneshot;
use leptos::prelude::*;
use leptos::task::spawn_local;
use portal_contract::{AccountId, AccountOverview, Case, CaseListQuery, MAX_LIMIT, NeedsAction, Page, Tam};
use web_sys::AbortSignal;

/// Everything the account page shows, fetched in parallel (with the code of "Needs your
/// action") so the page appears once, complete.
#[derive(Clone)]
pub(crate) struct AccountPageData {
    pub account: AccountOverview,
    pub open_cases: Page<Case>,
    pub needs: NeedsAction,
    /// None while the account has no TAM yet.
    pub tam: Option<Tam>,
}

pub(crate) async fn load(
    api: ApiClient,
    id: AccountId,
    abort: Option<AbortSignal>,
) -> Result<AccountPageData, ApiError> {
    let query = CaseListQuery { status: Some(OPEN.into()), limit: Some(MAX_LIMIT), ..Default::default() };
    let (account, open_cases, needs, tam, ()) = futures::join!(
        api.account(&id, abort.clone()),
        api.cases(&id, &query, abort.clone()),
        api.needs_action(&id, abort.clone()),
        api.tam(&id, abort),
        fetch_needs_action_code()
    );
    let tam = match tam {
        Ok(tam) => Some(tam),
        Err(ApiError::NotFound { .. }) => None,
        Err(error) => return Err(error),
    };
    let needs = match needs {
        Ok(needs) => needs,
        // An account that is not there is reported by `account`; an API without this list
        // (older than the portal) has nothing to ask of the person.
        Err(ApiError::NotFound { .. }) => NeedsAction::default(),
        Err(error) => return Err(error),
    };
    Ok(AccountPageData { account: account?, open_cases: open_cases?, needs, tam })
}

type Started = (AccountId, oneshot::Receiver<Result<AccountPageData, ApiError>>);

/// At most one account page's data on its way, for the page to take once.
#[derive(Clone, Copy)]
pub struct HeadStart(StoredValue<Option<Started>, LocalStorage>);

pub fn provide_head_start() {
    provide_context(HeadStart(StoredValue::new_local(None)));
}

pub fn use_head_start() -> Option<HeadStart> {
    use_context::<HeadStart>()
}

impl HeadStart {
    /// Starts loading the page at `path` if it is an account page; any other page loads itself.
    pub fn start_for(self, path: &str, api: &ApiClient) {
        let Some(id) = account_page_of(path) else { return };
        let (answer, receiver) = oneshot::channel();
        let (api, loading) = (api.clone(), id.clone());
        spawn_local(async move {
            // Nobody waits any more if the person went elsewhere; the answer is dropped.
            let _ = answer.send(load(api, loading, None).await);
        });
        self.0.set_value(Some((id, receiver)));
    }

    /// The data started for `id`, if any; taken, so a later visit of the page loads afresh.
    pub(crate) fn take(self, id: &AccountId) -> Option<oneshot::Receiver<Result<AccountPageData, ApiError>>> {
        self.0
            .try_update_value(|slot| match slot.take() {
                Some((started, receiver)) if &started == id => Some(receiver),
                _ => None,
            })
            .flatten()
    }
}

/// The account `/accounts/{id}` shows; None for every other path (lists, cases, queries).
fn account_page_of(path: &str) -> Option<AccountId> {
    let id = path.strip_prefix("/accounts/")?;
    let plain = !id.is_empty() && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    plain.then(|| AccountId::from(id))
}

#[cfg(test)]
mod tests {
    use super::account_page_of;

    #[test]
    fn only_an_account_page_gets_a_head_start() {
        assert_eq!(account_page_of("/accounts/acc_acme").map(|id| id.0), Some("acc_acme".to_owned()));
        for other in
            ["/accounts", "/accounts/", "/accounts/acc_acme/cases", "/accounts/acc_acme?x=1", "/cases/case_1", "/"]
        {
            assert_eq!(account_page_of(other), None, "{other}");
        }
    }
}
