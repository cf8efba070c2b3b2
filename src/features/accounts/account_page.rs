use super::counts::CountsList;
use super::head_start::{AccountPageData, load, use_head_start};
use crate::core::api::{use_api, use_view_abort};
use crate::core::host::link;
use crate::core::i18n::{Key, t, use_i18n};
use crate::core::session::use_session;
use crate::features::cases::WaitingRequests;
use crate::features::cases::{CaseCards, newest_escalations_first};
use crate::features::layout::use_route_account;
use crate::features::tam::TamCard;
use crate::ui::loaded;
use futures::future::OptionFuture;
use leptos::prelude::*;
use leptos_router::components::A;
use portal_contract::Role;

/// `/accounts/:account_id`: the TAM card, what waits on the customer, escalations, open cases.
#[component]
pub fn AccountPage() -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let abort = use_view_abort();
    let bird_side = use_session().role().is_some_and(Role::is_bird);
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

    view! {
        <div class="page account-page">
            {loaded(data, move |AccountPageData { account, open_cases: page, waiting, tam }| view! {
                <h1>{account.name.clone()}</h1>
                <p class="muted">{move || i18n.f(Key::AccountPlan, &[("plan", &account.plan)])}</p>
                <section aria-labelledby="summary-title">
                    <h2 id="summary-title" class="visually-hidden">{t(Key::AccountSummary)}</h2>
                    <CountsList counts=account.counts />
                </section>
                <div class="account-grid">
                <div class="account-main">
                    {
                        let mut escalated: Vec<_> = page.data.iter().filter(|c| c.escalated_at.is_some()).cloned().collect();
                        newest_escalations_first(&mut escalated);
                        let cases = page.data;
                        let waiting = view! { <WaitingRequests page=waiting /> };
                        let escalated = view! {
                            <section aria-labelledby="escalated-title">
                                <h2 id="escalated-title">{t(Key::AccountEscalatedTitle)}</h2>
                                <CaseCards cases=escalated empty=Key::AccountEscalatedEmpty />
                            </section>
                        };
                        // The TAM is the escalation point: escalations come first for Bird's side.
                        let first_and_second = if bird_side { (escalated.into_any(), waiting.into_any()) } else { (waiting.into_any(), escalated.into_any()) };
                        view! {
                            {first_and_second.0}
                            {first_and_second.1}
                            <section aria-labelledby="open-title">
                                <h2 id="open-title">{t(Key::AccountOpenTitle)}</h2>
                                <CaseCards cases empty=Key::AccountOpenEmpty />
                                <p>
                                    <A href=move || link(format!("/accounts/{}/cases", account_id.get()))>{t(Key::AccountAllCases)}</A>
                                </p>
                            </section>
                        }
                    }
                </div>
                <aside class="account-aside">
                    {match tam {
                        Some(tam) => view! { <TamCard account_id=account.id.clone() tam /> }.into_any(),
                        None => view! {
                            <section class="card tam-card" aria-labelledby="tam-card-title">
                                <h2 id="tam-card-title">{t(Key::TamCardTitle)}</h2>
                                <p class="empty">{t(Key::TamNone)}</p>
                            </section>
                        }.into_any(),
                    }}
                </aside>
                </div>
            })}
        </div>
    }
}
