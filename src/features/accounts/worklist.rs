//! A TAM's landing: the escalations they have not acknowledged yet, newest first, and the
//! cases at risk of missing their first response, across the accounts they look after.

use crate::core::api::{ApiError, use_api, use_view_abort};
use crate::core::host::link;
use crate::core::i18n::{Key, t, use_i18n};
use crate::features::cases::SeverityBadge;
use crate::ui::time::{DateTimeText, RelativeTime};
use crate::ui::{ErrorView, loaded};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use portal_contract::{AccountId, AccountOverview, Case, CaseId};
use std::collections::HashMap;

/// "Escalations to acknowledge" and "Cases at risk".
#[component]
pub fn Worklist(accounts: Vec<AccountOverview>) -> impl IntoView {
    let api = use_api();
    let abort = use_view_abort();
    let names: HashMap<AccountId, String> = accounts.into_iter().map(|a| (a.id, a.name)).collect();
    let worklist = LocalResource::new(move || {
        let api = api.clone();
        async move { api.worklist(abort.signal()).await }
    });
    loaded(worklist, move |worklist| {
        let names = StoredValue::new(names.clone());
        let account_of = move |case: &Case| names.with_value(|n| n.get(&case.account_id).cloned().unwrap_or_default());
        view! {
            <Escalations cases=worklist.escalations account_of />
            <AtRisk cases=worklist.at_risk account_of />
        }
    })
}

/// Each escalation with its account, case and "Acknowledge escalation"; an acknowledged one
/// leaves the list, and a polite status says so.
#[component]
fn Escalations(cases: Vec<Case>, account_of: impl Fn(&Case) -> String + Copy + Send + Sync + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let cases = RwSignal::new(cases);
    let done = RwSignal::new(None::<String>);
    let acknowledged = Callback::new(move |case: Case| {
        cases.update(|all| all.retain(|c| c.id != case.id));
        done.set(Some(i18n.f(Key::WorklistAcknowledged, &[("case", &case.number)])));
    });
    view! {
        <section class="worklist" aria-labelledby="escalations-title">
            <h2 id="escalations-title">{t(Key::WorklistEscalations)}</h2>
            <Show
                when=move || cases.with(|c| !c.is_empty())
                fallback=|| view! { <p class="empty">{t(Key::WorklistEscalationsEmpty)}</p> }
            >
                <ul class="case-cards">
                    <For each=move || cases.get() key=|c| c.id.clone() let:case>
                        <li class="case-card">
                            <CaseLine case=case.clone() account=account_of(&case) />
                            <p class="case-meta">
                                <SeverityBadge severity=case.severity />
                                {case.escalated_at.map(|at| view! {
                                    <span>{t(Key::WorklistEscalated)} " " <RelativeTime at /></span>
                                })}
                            </p>
                            <Acknowledge case on_done=acknowledged />
                        </li>
                    </For>
                </ul>
            </Show>
            <p class="visually-hidden" role="status" aria-live="polite">{move || done.get()}</p>
        </section>
    }
}

/// The account, then the case's number and subject linking to it.
#[component]
fn CaseLine(case: Case, account: String) -> impl IntoView {
    view! {
        <p class="worklist-account muted">{account}</p>
        <A href=link(format!("/cases/{}", case.id))>
            <span class="case-number">{case.number}</span>
            " "
            <span class="case-subject">{case.subject}</span>
        </A>
    }
}

/// "Acknowledge escalation". Someone acknowledging it first (a conflict) ends it too.
#[component]
fn Acknowledge(case: Case, on_done: Callback<Case>) -> impl IntoView {
    let (api, i18n) = (use_api(), use_i18n());
    let sending = RwSignal::new(false);
    let failure = RwSignal::new(None::<ApiError>);
    let id: CaseId = case.id.clone();
    let acknowledge = move |_| {
        if sending.get_untracked() {
            return;
        }
        sending.set(true);
        let (api, id, case) = (api.clone(), id.clone(), case.clone());
        spawn_local(async move {
            let answer = api.acknowledge_escalation(&id).await;
            if sending.is_disposed() {
                return;
            }
            sending.set(false);
            match answer {
                Ok(_) | Err(ApiError::Conflict { .. }) => on_done.run(case),
                Err(error) => failure.set(Some(error)),
            }
        });
    };
    view! {
        <button type="button" aria-disabled=move || sending.get().to_string() on:click=acknowledge>
            {move || i18n.t(if sending.get() { Key::ActionSending } else { Key::WorklistAcknowledge })}
        </button>
        {move || failure.get().map(|error| view! { <ErrorView error /> })}
    }
}

/// Cases still waiting for their first answer whose target is near or past: when it is due,
/// or "Overdue".
#[component]
fn AtRisk(cases: Vec<Case>, account_of: impl Fn(&Case) -> String + Copy + Send + Sync + 'static) -> impl IntoView {
    let empty = cases.is_empty();
    view! {
        <section class="worklist" aria-labelledby="at-risk-title">
            <h2 id="at-risk-title">{t(Key::WorklistAtRisk)}</h2>
            {empty.then(|| view! { <p class="empty">{t(Key::WorklistAtRiskEmpty)}</p> })}
            <ul class="case-cards">
                {cases
                    .into_iter()
                    .map(|case| {
                        let due = if case.overdue {
                            Some(view! { <span class="badge overdue">{t(Key::WorklistOverdue)}</span> }.into_any())
                        } else {
                            case.first_response_due_at.map(|at| {
                                view! { <span>{t(Key::WorklistDue)} " " <DateTimeText at /></span> }.into_any()
                            })
                        };
                        view! {
                            <li class="case-card">
                                <CaseLine case=case.clone() account=account_of(&case) />
                                <p class="case-meta"><SeverityBadge severity=case.severity />{due}</p>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}
