//! `/accounts/:account_id/cases`: every case of the account, filtered, searched and sorted,
//! with the filters and the page number in the URL. Typing in the search field filters the account's case index
//! in the page (`instant`); Enter hands the text to the server.

mod case_table;
mod filter_bar;
mod filters;
mod finder;
mod instant;
mod pager;
mod status_chips;

use crate::core::api::{ApiError, use_api, use_view_abort};
use crate::core::host::link;
use crate::core::i18n::{Key, t, use_i18n};
use crate::core::session::use_session;
use crate::features::cases::{MineToggle, offers_mine};
use crate::features::layout::{AccountEyebrow, ForRouteAccount, use_route_account};
use crate::ui::loaded;
use case_table::CaseTable;
use filter_bar::{FilterBar, Filters};
use instant::{InstantStatus, use_case_finder, use_instant_rows};
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use pager::{Pager, fetch_page, page_count};
use portal_contract::rules;
use portal_contract::{Case, CaseListQuery, CaseSummary, DEFAULT_LIMIT, Page, Role};
use status_chips::StatusChips;

/// The list, and "New case" for whoever `rules::may_open_case` lets open one.
#[component]
pub fn CaseListPage() -> impl IntoView {
    view! {
        <ForRouteAccount>
            <CaseList />
        </ForRouteAccount>
    }
}

#[component]
fn CaseList() -> impl IntoView {
    let account_id = use_route_account();
    let role = use_session().role().unwrap_or(Role::Unknown);
    let may_open = rules::may_open_case(role).is_ok();
    let url_query = use_query_map();
    let query = Memo::new(move |_| url_query.with(|q| filters::from_params(|k| q.get(k))));
    let number = Memo::new(move |_| url_query.with(|q| filters::page_of(q.get("page"))));
    let navigate = use_navigate();
    // New filters replace the entry and start at page 1; a new page is an entry of its own,
    // so Back returns to the page before.
    let go = {
        let navigate = navigate.clone();
        Callback::new(move |q: CaseListQuery| {
            let path = format!("/accounts/{}/cases{}", account_id.get_untracked(), filters::to_search(&q));
            navigate(&path, NavigateOptions { replace: true, scroll: false, ..Default::default() });
        })
    };
    let go_page = Callback::new(move |n: u32| {
        let search = filters::to_search_at(&query.get_untracked(), n);
        navigate(&format!("/accounts/{}/cases{search}", account_id.get_untracked()), NavigateOptions::default());
    });
    let filters = Filters::new(query, account_id, go);
    let search_text = RwSignal::new(query.get_untracked().q.unwrap_or_default());
    let mine = Signal::derive(move || query.with(|q| q.mine == Some(true)));
    let finder = use_case_finder(account_id.into(), mine);
    let instant = use_instant_rows(finder.state, search_text, query);
    let page = use_server_page(filters, number);
    let counts = {
        let (api, abort) = (use_api(), use_view_abort());
        LocalResource::new(move || {
            let (api, id) = (api.clone(), account_id.get());
            async move { api.account(&id, abort.signal()).await.map(|a| a.counts) }
        })
    };
    let set_mine = Callback::new(move |on: bool| filters.change(|q| q.mine = on.then_some(true)));
    view! {
        <section class="page" aria-labelledby="cases-title">
            <AccountEyebrow account_id=Signal::derive(move || Some(account_id.get())) />
            <div class="page-heading">
                <h1 id="cases-title">{t(Key::CasesTitle)}</h1>
                {may_open.then(|| view! {
                    <A href=move || link(format!("/accounts/{}/cases/new", account_id.get())) attr:class="button-primary">
                        {t(Key::CasesNew)}
                    </A>
                })}
            </div>
            {offers_mine(role).then(|| view! { <MineToggle mine set=set_mine /> })}
            <FilterBar filters search_text on_search_focus=finder.load />
            {move || counts.get().and_then(Result::ok).map(|counts| view! { <StatusChips filters counts /> })}
            <InstantStatus state=finder.state instant />
            <Show when=move || instant.shown.get() fallback=move || view! { <ServerResults page query go_page /> }>
                {move || {
                    if instant.found.with(|f| f.as_ref().is_some_and(|f| f.total == 0)) {
                        view! { <p class="empty">{t(Key::CasesEmpty)}</p> }.into_any()
                    } else {
                        let rows = Signal::derive(move || instant.found.with(|f| f.as_ref().map(|f| f.rows.clone()).unwrap_or_default()));
                        view! { <CaseTable rows /> }.into_any()
                    }
                }}
            </Show>
        </section>
    }
}

/// The server's page of cases for the filters and page number in the URL, with its number.
/// Held by the list page, so typing (which shows the instant rows instead) does not fetch it
/// again.
fn use_server_page(filters: Filters, number: Memo<u32>) -> LocalResource<Result<(Page<Case>, u32), ApiError>> {
    let (api, abort) = (use_api(), use_view_abort());
    let (query, account_id) = (filters.query, filters.account_id);
    LocalResource::new(move || {
        let (api, id, q, n) = (api.clone(), account_id.get(), query.get(), number.get());
        async move { fetch_page(&api, &id, q, n, abort.signal()).await }
    })
}

/// The server's page, with how many it shows and the pager.
#[component]
fn ServerResults(
    page: LocalResource<Result<(Page<Case>, u32), ApiError>>,
    query: Memo<CaseListQuery>,
    go_page: Callback<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    loaded(page, move |(page, number)| {
        if page.data.is_empty() {
            return view! { <p class="empty">{t(Key::CasesEmpty)}</p> }.into_any();
        }
        let shown = page.data.len();
        let per_page = query.with_untracked(|q| q.limit.unwrap_or(DEFAULT_LIMIT));
        let pages = page.total.map(|total| page_count(total, per_page));
        let has_next = page.next_cursor.is_some();
        let rows: Vec<CaseSummary> = page.data.into_iter().map(CaseSummary::from).collect();
        view! {
            <p class="muted" role="status">{move || i18n.f(Key::CasesShown, &[("n", &shown.to_string())])}</p>
            <CaseTable rows=Signal::stored(rows) />
            <Pager number pages has_next go=go_page />
        }
        .into_any()
    })
}
