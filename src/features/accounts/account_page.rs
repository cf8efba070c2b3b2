use super::counts::CountsList;
use super::head_start::{AccountPageData, load, use_head_start};
use super::tam_aside::TamAside;
use crate::core::api::{use_api, use_view_abort};
use crate::core::host::link;
use crate::core::i18n::{Key, t, use_i18n};
use crate::core::session::use_session;
use crate::features::cases::{
    CaseCards, MineToggle, NeedsActionRegion, OPEN, newest_escalations_first, offers_mine, with_case,
};
use crate::features::layout::use_route_account;
use crate::ui::{ErrorView, Loading, loaded};
use chrono::Utc;
use futures::future::OptionFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use portal_contract::rules;
use portal_contract::{AccountId, Case, CaseDetail, CaseListQuery, MAX_LIMIT, NeedsAction, Role};

/// `/accounts/:account_id`: what needs the person first, then the counts, escalations, open
/// cases (all of them, or the person's own) and the TAM.
///
/// Unlike the account's other pages it is not redrawn when the route's account changes (that
/// would lose the head start its data got while signing in): it shows "Loading…" instead of
/// another account's data until the data of the account on screen arrives.
#[component]
pub fn AccountPage() -> impl IntoView {
    let api = use_api();
    let abort = use_view_abort();
    let account_id = use_route_account();

    let head_start = use_head_start();
    let data = LocalResource::new(move || {
        let (api, id) = (api.clone(), account_id.get());
        let early = head_start.and_then(|h| h.take(&id));
        async move {
            if let Some(Ok(data)) = OptionFuture::from(early).await {
                return data;
            }
            load(api, id, abort.signal()).await
        }
    });

    let shown = move |data: AccountPageData| {
        if data.account.id == account_id.get() {
            view! { <AccountView data /> }.into_any()
        } else {
            view! { <Loading /> }.into_any()
        }
    };
    view! { <div class="page account-page">{loaded(data, shown)}</div> }
}

#[component]
fn AccountView(data: AccountPageData) -> impl IntoView {
    let i18n = use_i18n();
    let role = use_session().role().unwrap_or(Role::Unknown);
    let AccountPageData { account, open_cases, needs, tam } = data;
    let id = account.id.clone();
    let needs = RwSignal::new(needs);
    let counts = RwSignal::new(account.counts);
    let (on_changed, on_stale) = use_needs_updates(id.clone(), role, needs, counts);
    let new_case = rules::may_open_case(role).is_ok().then(|| {
        view! { <A href=link(format!("/accounts/{id}/cases/new")) attr:class="button button-primary">{t(Key::CasesNew)}</A> }
    });
    let plan = account.plan.clone();
    view! {
        <div class="page-heading">
            <div>
                <h1>{account.name.clone()}</h1>
                <p class="muted">{move || i18n.f(Key::AccountPlan, &[("plan", &plan)])}</p>
            </div>
            {new_case}
        </div>
        <NeedsActionRegion needs on_changed on_stale linked=true />
        <section aria-labelledby="summary-title">
            <h2 id="summary-title" class="visually-hidden">{t(Key::AccountSummary)}</h2>
            {
                let id = id.clone();
                move || view! { <CountsList counts=counts.get() account_id=id.clone() /> }
            }
        </section>
        <div class="account-grid">
            <div class="account-main">
                <OpenCases cases=open_cases.data account_id=id.clone() role />
            </div>
            <aside class="account-aside">
                <TamAside account_id=id tam />
            </aside>
        </div>
    }
}

/// After an action in "Needs your action": the case leaves the list once nothing on it waits,
/// and the counts are asked for again. When someone acted first, the list is loaded again.
fn use_needs_updates(
    id: AccountId,
    role: Role,
    needs: RwSignal<NeedsAction>,
    counts: RwSignal<portal_contract::CaseCounts>,
) -> (Callback<CaseDetail>, Callback<()>) {
    let (api, abort) = (use_api(), use_view_abort());
    let refresh = {
        let (api, id) = (api.clone(), id.clone());
        move || {
            let (api, id) = (api.clone(), id.clone());
            spawn_local(async move {
                // A failed refresh keeps what is on screen.
                if let Ok(account) = api.account(&id, abort.signal()).await {
                    counts.try_set(account.counts);
                }
            });
        }
    };
    let on_changed = {
        let refresh = refresh.clone();
        Callback::new(move |detail: CaseDetail| {
            needs.update(|n| *n = with_case(std::mem::take(n), &detail, role, Utc::now()));
            refresh();
        })
    };
    let on_stale = Callback::new(move |()| {
        let (api, id) = (api.clone(), id.clone());
        spawn_local(async move {
            if let Ok(fresh) = api.needs_action(&id, abort.signal()).await {
                needs.try_set(fresh);
            }
        });
        refresh();
    });
    (on_changed, on_stale)
}

/// The open cases: all of the account's, or, with "My cases", the person's own (opened or
/// followed), asked for when chosen. The choice is in the URL (`?mine=true`), like the list's.
#[component]
fn OpenCases(cases: Vec<Case>, account_id: AccountId, role: Role) -> impl IntoView {
    let (api, abort) = (use_api(), use_view_abort());
    let navigate = use_navigate();
    let url = use_query_map();
    let mine = Memo::new(move |_| offers_mine(role) && url.with(|q| q.get("mine").as_deref() == Some("true")));
    let set_mine = {
        let id = account_id.clone();
        Callback::new(move |on: bool| {
            let path = if on { format!("/accounts/{id}?mine=true") } else { format!("/accounts/{id}") };
            navigate(&path, NavigateOptions { replace: true, scroll: false, ..Default::default() });
        })
    };
    let mine_cases = {
        let id = account_id.clone();
        LocalResource::new(move || {
            let (api, id, on) = (api.clone(), id.clone(), mine.get());
            let query = CaseListQuery {
                status: Some(OPEN.into()),
                mine: Some(true),
                limit: Some(MAX_LIMIT),
                ..Default::default()
            };
            async move { if on { Some(api.cases(&id, &query, abort.signal()).await.map(|page| page.data)) } else { None } }
        })
    };
    let all = StoredValue::new(cases);
    let bird_side = role.is_bird();
    let sections = move || {
        if !mine.get() {
            let cases = all.get_value();
            return view! { <CaseSections cases account_id=account_id.clone() bird_side mine=false /> }.into_any();
        }
        match mine_cases.get() {
            Some(Some(Ok(cases))) => {
                view! { <CaseSections cases account_id=account_id.clone() bird_side mine=true /> }.into_any()
            }
            Some(Some(Err(error))) => {
                view! { <ErrorView error on_retry=Callback::new(move |()| mine_cases.refetch()) /> }.into_any()
            }
            _ => view! { <Loading /> }.into_any(),
        }
    };
    view! {
        {offers_mine(role).then(|| view! { <MineToggle mine set=set_mine /> })}
        {sections}
    }
}

/// The escalated cases, then the other open ones: each case is listed once. The TAM is the
/// escalation point, so escalations lead for Bird's side too.
#[component]
fn CaseSections(cases: Vec<Case>, account_id: AccountId, bird_side: bool, mine: bool) -> impl IntoView {
    let (mut escalated, others): (Vec<Case>, Vec<Case>) = cases.into_iter().partition(|c| c.escalated_at.is_some());
    newest_escalations_first(&mut escalated);
    let none_open = match (mine, escalated.is_empty()) {
        (true, true) => Key::AccountMyOpenEmpty,
        (false, true) => Key::AccountOpenEmpty,
        (_, false) => Key::AccountOpenOthersEmpty,
    };
    let escalated = (bird_side || !escalated.is_empty()).then(|| {
        view! {
            <section aria-labelledby="escalated-title">
                <h2 id="escalated-title">{t(Key::AccountEscalatedTitle)}</h2>
                <CaseCards cases=escalated empty=Key::AccountEscalatedEmpty />
            </section>
        }
    });
    let list =
        if mine { format!("/accounts/{account_id}/cases?mine=true") } else { format!("/accounts/{account_id}/cases") };
    view! {
        {escalated}
        <section aria-labelledby="open-title">
            <h2 id="open-title">{t(Key::AccountOpenTitle)}</h2>
            <CaseCards cases=others empty=none_open />
            <p>
                <A href=link(list)>{t(if mine { Key::AccountAllMyCases } else { Key::AccountAllCases })}</A>
            </p>
        </section>
    }
}
