use super::filters;
use super::instant::{FinderState, use_case_finder};
use super::labels;
use super::status_badge::{EscalatedMark, SeverityBadge, StatusBadge};
use crate::core::api::{use_api, use_view_abort};
use crate::core::host::link;
use crate::core::i18n::{Key, t, use_i18n};
use crate::features::layout::use_route_account;
use crate::ui::loaded;
use crate::ui::size::count;
use crate::ui::time::RelativeTime;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use portal_contract::{CaseKind, CaseListQuery, CaseSort, CaseStatus, CaseSummary, DEFAULT_LIMIT, Severity};

/// `/accounts/:account_id/cases`: every case of the account, filtered, searched and sorted,
/// with the filters in the URL.
#[component]
pub fn CaseListPage() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let abort = use_view_abort();
    let url_query = use_query_map();
    let navigate = use_navigate();
    let account_id = use_route_account();

    let query = Memo::new(move |_| url_query.with(|q| filters::from_params(|k| q.get(k))));
    let search_text = RwSignal::new(query.get_untracked().q.unwrap_or_default());

    // While the search field holds something other than the search in the URL, the rows come
    // from the account's case index, filtered in the page at every keystroke; Enter (or
    // Apply) hands the text to the server, which searches descriptions too.
    let finder = use_case_finder(account_id.into());
    let typing = Memo::new(move |_| {
        let typed = search_text.with(|t| t.trim().to_owned());
        query.with(|q| q.q.as_deref().unwrap_or("") != typed)
    });
    let found = Memo::new(move |_| {
        if !typing.get() {
            return None;
        }
        finder.state.with(|state| match state {
            FinderState::Ready(finder) => {
                Some(search_text.with(|t| query.with(|q| finder.find(t, q, DEFAULT_LIMIT as usize))))
            }
            _ => None,
        })
    });
    let instant = Memo::new(move |_| found.with(Option::is_some));
    let instant_status = move || {
        if !typing.get() {
            return String::new();
        }
        let locale = i18n.locale();
        finder.state.with(|state| match state {
            FinderState::Ready(finder) => {
                let (total, shown) = found.with(|f| f.as_ref().map_or((0, 0), |f| (f.total, f.rows.len())));
                let mut text = i18n.f(
                    Key::CasesInstantMatches,
                    &[("n", &count(total, locale)), ("total", &count(finder.len(), locale))],
                );
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

    // Which page of which filters is shown: the cursors of the pages before it and its own.
    // Kept with its query, so new filters start at page 1 with one fetch, not two.
    let paging = RwSignal::new(Paging::default());
    let position = move || {
        let q = query.get();
        paging.with(|p| if p.query == q { (p.earlier.clone(), p.cursor.clone()) } else { (Vec::new(), None) })
    };

    let page = {
        let api = api.clone();
        LocalResource::new(move || {
            let (api, id, mut q) = (api.clone(), account_id.get(), query.get());
            q.cursor = position().1;
            async move { api.cases(&id, &q, abort.signal()).await }
        })
    };
    let counts = {
        let api = api.clone();
        LocalResource::new(move || {
            let (api, id) = (api.clone(), account_id.get());
            async move { api.account(&id, abort.signal()).await.map(|a| a.counts) }
        })
    };

    let apply = move |change: &dyn Fn(&mut CaseListQuery)| {
        let mut q = query.get_untracked();
        change(&mut q);
        let path = format!("/accounts/{}/cases{}", account_id.get_untracked(), filters::to_search(&q));
        navigate(&path, NavigateOptions { replace: true, scroll: false, ..Default::default() });
    };
    let apply_select = apply.clone();
    let apply_search = apply.clone();
    let apply_clear = apply.clone();
    let apply_count = apply;

    let select = move |name: &'static str, label: Key, any: Key, options: Vec<(String, Key)>| {
        let apply = apply_select.clone();
        let current = move || url_query.with(|q| q.get(name).unwrap_or_default());
        view! {
            <div class="field">
                <label for=format!("filter-{name}")>{move || i18n.t(label)}</label>
                <select
                    id=format!("filter-{name}")
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        apply(&|q| filters::set(q, name, &value));
                    }
                >
                    <option value="" selected=move || current().is_empty()>{move || i18n.t(any)}</option>
                    {options
                        .into_iter()
                        .map(|(value, key)| {
                            let selected_value = value.clone();
                            view! {
                                <option value=value selected=move || current() == selected_value>{move || i18n.t(key)}</option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
        }
    };

    view! {
        <section class="page" aria-labelledby="cases-title">
            <div class="page-heading">
                <h1 id="cases-title">{t(Key::CasesTitle)}</h1>
                <A href=move || link(format!("/accounts/{}/cases/new", account_id.get())) attr:class="button-primary">
                    {t(Key::CasesNew)}
                </A>
            </div>
            <form
                class="filters"
                role="search"
                aria-label=move || i18n.t(Key::CasesFilters)
                on:submit=move |ev| {
                    ev.prevent_default();
                    let text = search_text.get_untracked();
                    apply_search(&|q| filters::set(q, "q", &text));
                }
            >
                <div class="field field-search">
                    <label for="filter-q">{t(Key::CasesSearch)}</label>
                    <input
                        id="filter-q"
                        type="search"
                        aria-describedby="filter-q-hint"
                        prop:value=move || search_text.get()
                        on:focus=move |_| finder.load.run(())
                        on:input=move |ev| search_text.set(event_target_value(&ev))
                    />
                    <p id="filter-q-hint" class="hint">{t(Key::CasesSearchHint)}</p>
                </div>
                {select("status", Key::LabelStatus, Key::CasesAny, CaseStatus::ALL.iter().map(|s| (s.as_str().to_owned(), labels::status(*s))).collect())}
                {select("kind", Key::LabelKind, Key::CasesAny, CaseKind::ALL.iter().map(|k| (k.as_str().to_owned(), labels::kind(*k))).collect())}
                {select("severity", Key::LabelSeverity, Key::CasesAny, Severity::ALL.iter().map(|s| (s.as_str().to_owned(), labels::severity(*s))).collect())}
                {select("sort", Key::CasesSort, Key::SortUpdatedDesc, CaseSort::ALL.iter().filter(|s| **s != CaseSort::UpdatedDesc).map(|s| (s.as_str().to_owned(), labels::sort(*s))).collect())}
                <div class="filter-actions">
                    <button type="submit">{t(Key::CasesApply)}</button>
                    <button
                        type="button"
                        class="button-quiet"
                        on:click=move |_| {
                            search_text.set(String::new());
                            apply_clear(&|q| *q = CaseListQuery::default());
                        }
                    >
                        {t(Key::CasesClearFilters)}
                    </button>
                </div>
            </form>
            {move || counts.get().and_then(Result::ok).map(|counts| {
                let apply = apply_count.clone();
                let current = query.with(|q| q.status.clone());
                let chips = [
                    (None, Key::CasesAllStatuses, counts.open + counts.resolved),
                    (Some(CaseStatus::New), labels::status(CaseStatus::New), counts.new),
                    (Some(CaseStatus::InProgress), labels::status(CaseStatus::InProgress), counts.in_progress),
                    (Some(CaseStatus::WaitingOnCustomer), labels::status(CaseStatus::WaitingOnCustomer), counts.waiting_on_customer),
                    (Some(CaseStatus::ResolutionProposed), labels::status(CaseStatus::ResolutionProposed), counts.resolution_proposed),
                    (Some(CaseStatus::Resolved), labels::status(CaseStatus::Resolved), counts.resolved),
                ];
                view! {
                    <nav class="status-counts" aria-label=move || i18n.t(Key::CasesByStatus)>
                        {chips
                            .into_iter()
                            .map(|(status, key, n)| {
                                let apply = apply.clone();
                                let pressed = current.as_deref() == status.map(CaseStatus::as_str);
                                view! {
                                    <button
                                        type="button"
                                        class="chip"
                                        aria-pressed=if pressed { "true" } else { "false" }
                                        on:click=move |_| apply(&|q| q.status = status.map(|s| s.as_str().to_owned()))
                                    >
                                        {move || i18n.t(key)}
                                        " "
                                        <span class="chip-count">{n}</span>
                                    </button>
                                }
                            })
                            .collect_view()}
                    </nav>
                }
            })}
            <p class="muted" role="status">{instant_status}</p>
            <Show when=move || instant.get() fallback=move || loaded(page, move |page| {
                if page.data.is_empty() {
                    return view! { <p class="empty">{t(Key::CasesEmpty)}</p> }.into_any();
                }
                let shown = page.data.len();
                let next = page.next_cursor.clone();
                let earlier = untrack(position).0;
                let has_previous = !earlier.is_empty();
                let number = earlier.len() + 1;
                view! {
                    <p class="muted" role="status">{move || i18n.f(Key::CasesShown, &[("n", &shown.to_string())])}</p>
                    <CaseTable rows=Signal::stored(page.data.into_iter().map(CaseSummary::from).collect()) />
                    <nav class="pagination" aria-label=move || i18n.t(Key::CasesPagination)>
                        {has_previous.then(|| view! {
                            <button
                                type="button"
                                on:click=move |_| {
                                    let (mut earlier, _) = untrack(position);
                                    let back = earlier.pop().flatten();
                                    paging.set(Paging { query: query.get_untracked(), earlier, cursor: back });
                                }
                            >
                                {t(Key::CasesPreviousPage)}
                            </button>
                        })}
                        <span>{move || i18n.f(Key::CasesPage, &[("n", &number.to_string())])}</span>
                        {next.map(|next| view! {
                            <button
                                type="button"
                                on:click=move |_| {
                                    let (mut earlier, cursor) = untrack(position);
                                    earlier.push(cursor);
                                    paging.set(Paging { query: query.get_untracked(), earlier, cursor: Some(next.clone()) });
                                }
                            >
                                {t(Key::CasesNextPage)}
                            </button>
                        })}
                    </nav>
                }
                .into_any()
            })>
                {move || {
                    if found.with(|f| f.as_ref().is_some_and(|f| f.total == 0)) {
                        view! { <p class="empty">{t(Key::CasesEmpty)}</p> }.into_any()
                    } else {
                        let rows = Signal::derive(move || found.with(|f| f.as_ref().map(|f| f.rows.clone()).unwrap_or_default()));
                        view! { <CaseTable rows /> }.into_any()
                    }
                }}
            </Show>
        </section>
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
struct Paging {
    query: CaseListQuery,
    earlier: Vec<Option<String>>,
    cursor: Option<String>,
}

/// The rows of cases, one per case, with every column a person scans for. Keyed by case, so
/// a row that stays while the person types is kept, not drawn again.
#[component]
fn CaseTable(#[prop(into)] rows: Signal<Vec<CaseSummary>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
            <table class="case-table">
                <thead>
                    <tr>
                        <th scope="col">{move || i18n.t(Key::LabelNumber)}</th>
                        <th scope="col">{move || i18n.t(Key::LabelSubject)}</th>
                        <th scope="col">{move || i18n.t(Key::LabelStatus)}</th>
                        <th scope="col">{move || i18n.t(Key::LabelSeverity)}</th>
                        <th scope="col">{move || i18n.t(Key::LabelChannel)}</th>
                        <th scope="col">{move || i18n.t(Key::LabelAgent)}</th>
                        <th scope="col">{move || i18n.t(Key::LabelUpdated)}</th>
                    </tr>
                </thead>
                <tbody>
                    <For each=move || rows.get() key=|case| case.id.clone() let:case>
                        {
                            let channel = case.channel;
                            view! {
                                <tr>
                                    <td data-label=move || i18n.t(Key::LabelNumber)>
                                        <A href=link(format!("/cases/{}", case.id)) attr:class="case-number">{case.number}</A>
                                    </td>
                                    <td data-label=move || i18n.t(Key::LabelSubject) class="case-subject">{case.subject}</td>
                                    <td data-label=move || i18n.t(Key::LabelStatus)>
                                        <StatusBadge status=case.status />
                                        {case.escalated.then(|| view! { " " <EscalatedMark /> })}
                                    </td>
                                    <td data-label=move || i18n.t(Key::LabelSeverity)><SeverityBadge severity=case.severity /></td>
                                    <td data-label=move || i18n.t(Key::LabelChannel)>{move || i18n.t(labels::channel(channel))}</td>
                                    <td data-label=move || i18n.t(Key::LabelAgent)>
                                        {match case.agent {
                                            Some(name) => name.into_any(),
                                            None => (move || i18n.t(Key::CasesUnassigned)).into_any(),
                                        }}
                                    </td>
                                    <td data-label=move || i18n.t(Key::LabelUpdated)><RelativeTime at=case.updated_at /></td>
                                </tr>
                            }
                        }
                    </For>
                </tbody>
            </table>
    }
}
