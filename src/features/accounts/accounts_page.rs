use super::counts::CountsList;
use super::worklist::Worklist;
use crate::core::api::{use_api, use_view_abort};
use crate::core::host::link;
use crate::core::i18n::{Key, t};
use crate::core::session::use_session;
use crate::features::cases::{CaseCards, OPEN, newest_escalations_first};
use crate::ui::loaded;
use leptos::prelude::*;
use leptos_router::components::A;
use portal_contract::{AccountId, AccountOverview, CaseListQuery, MAX_LIMIT, Role};

/// `/accounts`: for Bird's side, the worklist and then the book of accounts; for a customer of
/// several accounts, those accounts.
#[component]
pub fn AccountsPage() -> impl IntoView {
    let api = use_api();
    let abort = use_view_abort();
    let session = use_session();
    let bird_side = session.role().is_some_and(Role::is_bird);
    let viewer = session.info().map(|info| info.user.email).unwrap_or_default();
    let accounts = LocalResource::new(move || {
        let api = api.clone();
        async move { api.accounts(abort.signal()).await }
    });
    let book = move |page: portal_contract::Page<AccountOverview>| {
        if page.data.is_empty() {
            return view! { <p class="empty">{t(Key::AccountsEmpty)}</p> }.into_any();
        }
        let cards = page
            .data
            .into_iter()
            .map(|account| {
                // A TAM's book is all theirs: their own name on every card says nothing.
                let tam = account.tam.filter(|tam| !tam.email.eq_ignore_ascii_case(&viewer));
                view! {
                    <li class="card">
                        <h3><A href=link(format!("/accounts/{}", account.id))>{account.name.clone()}</A></h3>
                        {tam.map(|tam| view! { <p class="muted">{tam.name}</p> })}
                        <CountsList counts=account.counts account_id=account.id.clone() />
                        {(!bird_side && account.counts.escalated > 0)
                            .then(|| view! { <Escalations account_id=account.id.clone() /> })}
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="card-list">{cards}</ul> }.into_any()
    };
    if bird_side {
        view! {
            <div class="page">
                <h1>{t(Key::WorklistTitle)}</h1>
                {loaded(accounts, move |page| view! {
                    <Worklist accounts=page.data.clone() />
                    <section aria-labelledby="accounts-title">
                        <h2 id="accounts-title">{t(Key::WorklistAccounts)}</h2>
                        {book(page)}
                    </section>
                })}
            </div>
        }
        .into_any()
    } else {
        view! {
            <section class="page" aria-labelledby="accounts-title">
                <h1 id="accounts-title">{t(Key::AccountsTitle)}</h1>
                <p class="lead">{t(Key::AccountsIntro)}</p>
                {loaded(accounts, book)}
            </section>
        }
        .into_any()
    }
}

/// The account's escalated cases, newest escalation first.
#[component]
fn Escalations(account_id: AccountId) -> impl IntoView {
    let api = use_api();
    let abort = use_view_abort();
    let cases = LocalResource::new(move || {
        let (api, id) = (api.clone(), account_id.clone());
        let query = CaseListQuery {
            escalated: Some(true),
            status: Some(OPEN.into()),
            limit: Some(MAX_LIMIT),
            ..Default::default()
        };
        async move {
            let mut page = api.cases(&id, &query, abort.signal()).await?;
            newest_escalations_first(&mut page.data);
            Ok(page.data)
        }
    });
    view! {
        <h4>{t(Key::AccountsEscalations)}</h4>
        {loaded(cases, |cases| view! { <CaseCards cases empty=Key::AccountEscalatedEmpty /> })}
    }
}
