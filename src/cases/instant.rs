//! Filtering as the person types: the account's case index, fetched the first time they
//! reach for the search field (not with the list, whose first page must come first) and kept
//! while the page is open.

use super::finder::CaseFinder;
use crate::api::{ApiError, use_api, use_view_abort};
use leptos::prelude::*;
use leptos::task::spawn_local;
use portal_contract::AccountId;
use std::sync::Arc;

/// Where the index of the account on the page stands.
#[derive(Clone, Debug)]
pub enum FinderState {
    /// Nobody has reached for the search field yet.
    Idle,
    Loading,
    Ready(Arc<CaseFinder>),
    /// The account has more cases than the index holds: only the server searches them all.
    TooMany,
    Failed(ApiError),
}

pub struct UseCaseFinderReturn {
    pub state: ReadSignal<FinderState>,
    /// Fetches the index unless it is loaded or on its way; after a failure, tries again.
    pub load: Callback<()>,
}

pub fn use_case_finder(account: Signal<AccountId>) -> UseCaseFinderReturn {
    let api = use_api();
    let abort = use_view_abort();
    let state = RwSignal::new(FinderState::Idle);
    // The router keeps this page when only the account in its URL changes: the index of the
    // previous account must not filter the new one's list.
    Effect::new(move |previous: Option<AccountId>| {
        let now = account.get();
        if previous.is_some_and(|p| p != now) {
            state.set(FinderState::Idle);
        }
        now
    });
    let load = Callback::new(move |()| {
        if state.with_untracked(|s| matches!(s, FinderState::Loading | FinderState::Ready(_) | FinderState::TooMany)) {
            return;
        }
        state.set(FinderState::Loading);
        let (api, id) = (api.clone(), account.get_untracked());
        spawn_local(async move {
            let result = api.case_index(&id, abort.signal()).await;
            if account.get_untracked() != id {
                return;
            }
            state.set(match result {
                Ok(index) if index.complete => FinderState::Ready(Arc::new(CaseFinder::new(index.data))),
                Ok(_) => FinderState::TooMany,
                Err(ApiError::Aborted) => FinderState::Idle,
                Err(error) => FinderState::Failed(error),
            });
        });
    });
    UseCaseFinderReturn { state: state.read_only(), load }
}
