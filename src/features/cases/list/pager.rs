//! Which page of the list is shown: its number lives in the URL (`page=2`), so Back and a
//! reload return to it; where each page starts (the server's cursor) is remembered for the
//! session, and found again by walking from page 1 when it is not known.

use crate::core::api::{ApiClient, ApiError};
use crate::core::i18n::{Key, t, use_i18n};
use crate::ui::size::count;
use leptos::prelude::*;
use portal_contract::{AccountId, Case, CaseListQuery, Page};
use std::cell::RefCell;
use std::collections::HashMap;
use web_sys::AbortSignal;

thread_local! {
    /// Where page n of a list starts, by the list (its account and filters) and n.
    static STARTS: RefCell<HashMap<(String, u32), String>> = RefCell::new(HashMap::new());
}

/// Where page `number` of `list` starts: page 1 at the beginning, a later one once a page
/// before it has been fetched.
fn start_of(list: &str, number: u32) -> Option<Option<String>> {
    if number <= 1 {
        return Some(None);
    }
    STARTS.with(|s| s.borrow().get(&(list.to_owned(), number)).cloned().map(Some))
}

fn remember(list: &str, number: u32, cursor: String) {
    STARTS.with(|s| s.borrow_mut().insert((list.to_owned(), number), cursor));
}

/// The nearest page at or before `number` whose start is known, and that start.
fn nearest_known(list: &str, number: u32) -> (u32, Option<String>) {
    (1..=number.max(1)).rev().find_map(|n| start_of(list, n).map(|start| (n, start))).unwrap_or((1, None))
}

/// Page `number` of the cases `query` selects, and its number: the last page's when the list
/// has become shorter than that.
pub async fn fetch_page(
    api: &ApiClient,
    account: &AccountId,
    query: CaseListQuery,
    number: u32,
    abort: Option<AbortSignal>,
) -> Result<(Page<Case>, u32), ApiError> {
    let list = format!("{account}{}", super::filters::to_search(&query));
    let (mut at, mut cursor) = nearest_known(&list, number);
    loop {
        let page = api.cases(account, &CaseListQuery { cursor, ..query.clone() }, abort.clone()).await?;
        match &page.next_cursor {
            Some(next) if at < number => {
                remember(&list, at + 1, next.clone());
                cursor = Some(next.clone());
                at += 1;
            }
            Some(next) => {
                remember(&list, at + 1, next.clone());
                return Ok((page, at));
            }
            None => return Ok((page, at)),
        }
    }
}

/// How many pages `total` cases fill, `per_page` to a page.
pub fn page_count(total: u64, per_page: u32) -> u64 {
    total.div_ceil(u64::from(per_page.max(1))).max(1)
}

/// "Previous page", "Page 2 of 4" (or "Page 2" when the server does not count), "Next page".
#[component]
pub fn Pager(number: u32, pages: Option<u64>, has_next: bool, go: Callback<u32>) -> impl IntoView {
    let i18n = use_i18n();
    let text = move || {
        let locale = i18n.locale();
        let n = count(number as usize, locale);
        match pages {
            Some(pages) => i18n.f(Key::CasesPageOf, &[("n", &n), ("total", &count(pages as usize, locale))]),
            None => i18n.f(Key::CasesPage, &[("n", &n)]),
        }
    };
    view! {
        <nav class="pagination" aria-label=move || i18n.t(Key::CasesPagination)>
            {(number > 1).then(|| view! {
                <button type="button" on:click=move |_| go.run(number - 1)>{t(Key::CasesPreviousPage)}</button>
            })}
            <span>{text}</span>
            {has_next.then(|| view! {
                <button type="button" on:click=move |_| go.run(number + 1)>{t(Key::CasesNextPage)}</button>
            })}
        </nav>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_one_starts_at_the_beginning_and_later_pages_once_seen() {
        let list = "acc_test_starts?status=new";
        assert_eq!(start_of(list, 1), Some(None));
        assert_eq!(start_of(list, 3), None);
        assert_eq!(nearest_known(list, 3), (1, None));
        remember(list, 2, "c2".into());
        assert_eq!(nearest_known(list, 3), (2, Some("c2".into())));
        assert_eq!(nearest_known(list, 2), (2, Some("c2".into())));
        assert_eq!(start_of("acc_test_starts?status=resolved", 2), None, "other filters, other pages");
    }

    #[test]
    fn pages_are_counted_up_to_the_last_partial_one() {
        assert_eq!(page_count(0, 25), 1);
        assert_eq!(page_count(25, 25), 1);
        assert_eq!(page_count(26, 25), 2);
        assert_eq!(page_count(100, 25), 4);
    }
}
