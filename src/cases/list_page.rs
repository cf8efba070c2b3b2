use super::filters;
use super::labels;
use super::status_badge::{EscalatedMark, SeverityBadge, StatusBadge};
use crate::api::{ApiError, use_api, use_view_abort};
use crate::i18n::{Key, t, use_i18n};
use crate::layout::use_current_account;
use crate::ui::time::RelativeTime;
use crate::ui::{ErrorView, loaded};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use portal_contract::{AccountId, Case, CaseKind, CaseListQuery, CaseSort, CaseStatus, Page, Severity};

/// `/accounts/:account_id/cases`: every case of the account, filtered, searched and sorted,
/// with the filters in the URL.
#[component]
pub fn CaseListPage() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let abort = use_view_abort();
    let params = use_params_map();
    let url_query = use_query_map();
    let navigate = use_navigate();
    let current = use_current_account();
    let account_id = Memo::new(move |_| AccountId(params.with(|p| p.get("account_id").unwrap_or_default())));
    Effect::new(move |_| current.set(account_id.get()));

    let query = Memo::new(move |_| url_query.with(|q| filters::from_params(|k| q.get(k))));
    let search_text = RwSignal::new(query.get_untracked().q.unwrap_or_default());

    // Later pages, appended by "Show more cases"; reset whenever the filters change.
    let more = RwSignal::new(Vec::<Case>::new());
    let next_cursor = RwSignal::new(None::<String>);
    let more_error = RwSignal::new(None::<ApiError>);
    let loading_more = RwSignal::new(false);

    let first_page = {
        let api = api.clone();
        LocalResource::new(move || {
            let (api, id, q) = (api.clone(), account_id.get(), query.get());
            more.set(Vec::new());
            more_error.set(None);
            async move {
                let page = api.cases(&id, &q, abort.signal()).await;
                if let Ok(Page { next_cursor: cursor, .. }) = &page {
                    next_cursor.set(cursor.clone());
                }
                page
            }
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
    let apply_clear = apply;

    let load_more = move |_| {
        let Some(cursor) = next_cursor.get_untracked() else { return };
        let api = api.clone();
        let (id, mut q) = (account_id.get_untracked(), query.get_untracked());
        q.cursor = Some(cursor);
        loading_more.set(true);
        more_error.set(None);
        spawn_local(async move {
            match api.cases(&id, &q, abort.signal()).await {
                Ok(page) => {
                    more.update(|rows| rows.extend(page.data));
                    next_cursor.set(page.next_cursor);
                }
                Err(error) => more_error.set(Some(error)),
            }
            loading_more.set(false);
        });
    };

    let select = move |name: &'static str, label: Key, options: Vec<(String, Key)>| {
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
                    <option value="" selected=move || current().is_empty()>{move || i18n.t(Key::CasesAny)}</option>
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
                <A href=move || format!("/accounts/{}/cases/new", account_id.get()) attr:class="button-primary">
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
                        on:input=move |ev| search_text.set(event_target_value(&ev))
                    />
                    <p id="filter-q-hint" class="hint">{t(Key::CasesSearchHint)}</p>
                </div>
                {select("status", Key::LabelStatus, CaseStatus::ALL.iter().map(|s| (s.as_str().to_owned(), labels::status(*s))).collect())}
                {select("kind", Key::LabelKind, CaseKind::ALL.iter().map(|k| (k.as_str().to_owned(), labels::kind(*k))).collect())}
                {select("severity", Key::LabelSeverity, Severity::ALL.iter().map(|s| (s.as_str().to_owned(), labels::severity(*s))).collect())}
                {select("sort", Key::CasesSort, CaseSort::ALL.iter().filter(|s| **s != CaseSort::UpdatedDesc).map(|s| (s.as_str().to_owned(), labels::sort(*s))).collect())}
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
            {loaded(first_page, move |page| {
                let load_more = load_more.clone();
                if page.data.is_empty() {
                    return view! { <p class="empty">{t(Key::CasesEmpty)}</p> }.into_any();
                }
                let first = page.data;
                let first_len = first.len();
                view! {
                    <p class="muted" role="status">
                        {move || i18n.f(Key::CasesShown, &[("n", &(first_len + more.with(Vec::len)).to_string())])}
                    </p>
                    <CaseTable cases=first />
                    <CaseTable cases=Signal::derive(move || more.get()) />
                    {move || more_error.get().map(|error| view! { <ErrorView error /> })}
                    {move || next_cursor.get().is_some().then(|| {
                        let load_more = load_more.clone();
                        view! {
                            <button type="button" class="load-more" on:click=load_more aria-disabled=move || loading_more.get().then_some("true")>
                                {move || i18n.t(if loading_more.get() { Key::CasesLoadingMore } else { Key::CasesLoadMore })}
                            </button>
                        }
                    })}
                }
                .into_any()
            })}
        </section>
    }
}

/// The rows of cases, one per case, with every column a person scans for.
#[component]
fn CaseTable(#[prop(into)] cases: Signal<Vec<Case>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        let rows = cases.get();
        (!rows.is_empty()).then(|| view! {
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
                    {rows
                        .into_iter()
                        .map(|case| {
                            let channel = case.channel;
                            let agent = case.agent.map(|a| a.name);
                            view! {
                                <tr>
                                    <td data-label=move || i18n.t(Key::LabelNumber)>
                                        <A href=format!("/cases/{}", case.id)>{case.number}</A>
                                    </td>
                                    <td data-label=move || i18n.t(Key::LabelSubject) class="case-subject">{case.subject}</td>
                                    <td data-label=move || i18n.t(Key::LabelStatus)>
                                        <StatusBadge status=case.status />
                                        {case.escalated_at.map(|_| view! { " " <EscalatedMark /> })}
                                    </td>
                                    <td data-label=move || i18n.t(Key::LabelSeverity)><SeverityBadge severity=case.severity /></td>
                                    <td data-label=move || i18n.t(Key::LabelChannel)>{move || i18n.t(labels::channel(channel))}</td>
                                    <td data-label=move || i18n.t(Key::LabelAgent)>
                                        {match agent.clone() {
                                            Some(name) => name.into_any(),
                                            None => (move || i18n.t(Key::CasesUnassigned)).into_any(),
                                        }}
                                    </td>
                                    <td data-label=move || i18n.t(Key::LabelUpdated)><RelativeTime at=case.updated_at /></td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        })
    }
}
