//! Filtering as the person types: the account's case index, fetched the first time they
//! reach for the search field (not with the list, whose first page must come first), and
//! fetched again in the background when they come back to the field a minute or more later,
//! so cases that arrived meanwhile (by email, from colleagues) are found too.

use super::finder::CaseFinder;
use crate::core::api::{ApiError, use_api, use_view_abort};
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
    /// Fetches the index unless it is fresh or on its way; after a failure, tries again.
    pub load: Callback<()>,
}

/// How old an index may be when the person reaches for the field again.
const FRESH_FOR_MS: f64 = 60_000.0;

/// Whether an index fetched at `fetched_at` (ms since the epoch) is fetched again at `now`.
fn is_stale(fetched_at: f64, now: f64) -> bool {
    now - fetched_at >= FRESH_FOR_MS
}

pub fn use_case_finder(account: Signal<AccountId>) -> UseCaseFinderReturn {
    let api = use_api();
    let abort = use_view_abort();
    let state = RwSignal::new(FinderState::Idle);
    // When the last index was fetched, and whether a fetch is under way: a refresh keeps the
    // index on screen (Ready) until its successor arrives, so typing is never interrupted.
    let fetched_at = StoredValue::new(0.0);
    let fetching = StoredValue::new(false);
    // The router keeps this page when only the account in its URL changes: the index of the
    // previous account must not filter the new one's list.
    Effect::new(move |previous: Option<AccountId>| {
        let now = account.get();
        if previous.is_some_and(|p| p != now) {
            fetching.set_value(false);
            state.set(FinderState::Idle);
        }
        now
    });
    let load = Callback::new(move |()| {
        let refresh = state.with_untracked(|s| match s {
            FinderState::Ready(_) | FinderState::TooMany => Some(true),
            FinderState::Idle | FinderState::Failed(_) => Some(false),
            FinderState::Loading => None,
        });
        let Some(refresh) = refresh else { return };
        if fetching.get_value() || (refresh && !is_stale(fetched_at.get_value(), js_sys::Date::now())) {
            return;
        }
        fetching.set_value(true);
        if !refresh {
            state.set(FinderState::Loading);
        }
        let (api, id) = (api.clone(), account.get_untracked());
        spawn_local(async move {
            let result = api.case_index(&id, abort.signal()).await;
            if account.get_untracked() != id {
                return;
            }
            fetching.set_value(false);
            let next = match result {
                Ok(index) if index.complete => FinderState::Ready(Arc::new(CaseFinder::new(index.data))),
                Ok(_) => FinderState::TooMany,
                // A failed refresh leaves the index the person was using; the next focus retries.
                Err(_) if refresh => return,
                Err(ApiError::Aborted) => FinderState::Idle,
                Err(error) => FinderState::Failed(error),
            };
            fetched_at.set_value(js_sys::Date::now());
            state.set(next);
        });
    });
    UseCaseFinderReturn { state: state.read_only(), load }
}

#[cfg(test)]
mod tests {
    use super::{FRESH_FOR_MS, is_stale};

    #[test]
    fn an_index_is_fetched_again_after_a_minute() {
        assert!(!is_stale(1_000.0, 1_000.0));
        assert!(!is_stale(1_000.0, 1_000.0 + FRESH_FOR_MS - 1.0));
        assert!(is_stale(1_000.0, 1_000.0 + FRESH_FOR_MS));
    }
}
