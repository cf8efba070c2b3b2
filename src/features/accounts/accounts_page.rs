use super::counts::CountsList;
use crate::core::api::{use_api, use_view_abort};
use crate::core::host::link;
use crate::core::i18n::{Key, t};
use crate::features::cases::{CaseCards, OPEN, newest_escalations_first};
use crate::ui::loaded;
use leptos::prelude::*;
use leptos_router::components::A;
use portal_contract::{AccountId, CaseListQuery, MAX_LIMIT};

/// `/accounts`: a TAM's book of accounts, or a customer's several accounts.
#[component]
pub fn AccountsPage() -> impl IntoView {
    let api = use_api();
    let abort = use_view_abort();
    let accounts = LocalResource::new(move || {
        let api = api.clone();
        async move { api.accounts(abort.signal()).await }
    });
    view! {
        <section class="page" aria-labelledby="accounts-title">
            <h1 id="accounts-title">{t(Key::AccountsTitle)}</h1>
            <p class="lead">{t(Key::AccountsIntro)}</p>
            {loaded(accounts, |page| {
                if page.data.is_empty() {
                    return view! { <p class="empty">{t(Key::AccountsEmpty)}</p> }.into_any();
                }
                view! {
                    <ul class="card-list">
                        {page
                            .data
                            .into_iter()
                            .map(|account| view! {
                                <li class="card">
                                    <h2><A href=link(format!("/accounts/{}", account.id))>{account.name.clone()}</A></h2>
                                    {account.tam.map(|tam| view! { <p class="muted">{tam.name}</p> })}
                                    <CountsList counts=account.counts />
                                    {(account.counts.escalated > 0).then(|| view! { <Escalations account_id=account.id.clone() /> })}
                                </li>
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any()
            })}
        </section>
    }
}

/// The account's escalated cases, newest escalation first: what a TAM picks up next.
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
        <h3>{t(Key::AccountsEscalations)}</h3>
        {loaded(cases, |cases| view! { <CaseCards cases empty=Key::AccountEscalatedEmpty /> })}
    }
}
