//! Filtering as the person types: the account's case index, fetched the first time they
//! reach for the search field (not with the list, whose first page must come first), and
//! fetched again in the background when they come back to the field a minute or more later,
//! so cases that arrived meanwhile (by email, from colleagues) are found too. With "My cases"
//! on, the index is the person's own cases (`mine=true`), fetched again when the choice changes.

use super::finder::{CaseFinder, Found};
use crate::core::api::{ApiError, use_api, use_view_abort};
use crate::core::i18n::{Key, Plural, use_i18n};
use crate::ui::size::count;
use leptos::prelude::*;
use leptos::task::spawn_local;
use portal_contract::{AccountId, CaseListQuery, DEFAULT_LIMIT};
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

pub fn use_case_finder(account: Signal<AccountId>, mine: Signal<bool>) -> UseCaseFinderReturn {
    let api = use_api();
    let abort = use_view_abort();
    let state = RwSignal::new(FinderState::Idle);
    // When the last index was fetched, and whether a fetch is under way: a refresh keeps the
    // index on screen (Ready) until its successor arrives, so typing is never interrupted.
    let fetched_at = StoredValue::new(0.0);
    let fetching = StoredValue::new(false);
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
        let (api, id, own) = (api.clone(), account.get_untracked(), mine.get_untracked());
        spawn_local(async move {
            let result = api.case_index(&id, own, abort.signal()).await;
            if state.is_disposed() || account.get_untracked() != id || mine.get_untracked() != own {
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
    // The router keeps this page when only the account in its URL changes: the index of the
    // previous account must not filter the new one's list. "All cases" and "My cases" have an
    // index each; one in use is swapped for the other's at once.
    Effect::new(move |previous: Option<(AccountId, bool)>| {
        let now = (account.get(), mine.get());
        if let Some(previous) = previous.filter(|p| *p != now) {
            let in_use = state.with_untracked(|s| !matches!(s, FinderState::Idle));
            fetching.set_value(false);
            state.set(FinderState::Idle);
            if in_use && previous.0 == now.0 {
                load.run(());
            }
        }
        now
    });
    UseCaseFinderReturn { state: state.read_only(), load }
}

/// What typing shows: while the search field holds something other than the search in the
/// URL, the rows come from the index, filtered in the page at every keystroke.
#[derive(Clone, Copy)]
pub struct InstantRows {
    /// The field holds text the server has not searched.
    pub typing: Memo<bool>,
    /// What the index finds for it, once the index is there.
    pub found: Memo<Option<Found>>,
    /// The index's rows are on screen instead of the server's page.
    pub shown: Memo<bool>,
}

pub fn use_instant_rows(
    state: ReadSignal<FinderState>,
    search_text: RwSignal<String>,
    query: Memo<CaseListQuery>,
) -> InstantRows {
    let typing = Memo::new(move |_| {
        let typed = search_text.with(|t| t.trim().to_owned());
        query.with(|q| q.q.as_deref().unwrap_or("") != typed)
    });
    let found = Memo::new(move |_| {
        if !typing.get() {
            return None;
        }
        state.with(|state| match state {
            FinderState::Ready(finder) => {
                Some(search_text.with(|t| query.with(|q| finder.find(t, q, DEFAULT_LIMIT as usize))))
            }
            _ => None,
        })
    });
    let shown = Memo::new(move |_| found.with(Option::is_some));
    InstantRows { typing, found, shown }
}

/// "3 of 12 cases": counted by the cases there are.
const MATCHES: Plural = Plural { one: Key::CasesInstantMatchesOne, other: Key::CasesInstantMatchesOther };

/// How many cases the typed text finds, or where the index stands; announced.
#[component]
pub fn InstantStatus(state: ReadSignal<FinderState>, instant: InstantRows) -> impl IntoView {
    let i18n = use_i18n();
    let text = move || {
        if !instant.typing.get() {
            return String::new();
        }
        let locale = i18n.locale();
        state.with(|state| match state {
            FinderState::Ready(finder) => {
                let (total, shown) = instant.found.with(|f| f.as_ref().map_or((0, 0), |f| (f.total, f.rows.len())));
                let all = finder.len();
                let mut text =
                    i18n.plural(MATCHES, all as u64, &[("n", &count(total, locale)), ("total", &count(all, locale))]);
                if total > shown {
                    text.push(' ');
                    text.push_str(&i18n.f(Key::CasesInstantFirst, &[("n", &count(shown, locale))]));
                }
                text
            }
            FinderState::Idle | FinderState::Loading => i18n.t(Key::CasesInstantLoading).to_owned(),
            FinderState::TooMany => i18n.t(Key::CasesInstantTooMany).to_owned(),
            FinderState::Failed(error) => format!("{} {}", i18n.t(error.message()), i18n.t(Key::CasesInstantFailed)),
        })
    };
    view! { <p class="muted" role="status">{text}</p> }
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
