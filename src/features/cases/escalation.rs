use super::action::CaseActions;
use crate::core::api::{use_api, use_view_abort};
use crate::core::host::{HostEvent, use_host};
use crate::core::i18n::{I18n, Key, t, use_i18n};
use crate::ui::form::{ReasonAction, SendFailure, SubmitButton, SubmitForm};
use crate::ui::time::{date_time, long_date_time};
use chrono::Utc;
use leptos::prelude::*;
use portal_contract::rules::{self, CaseAction};
use portal_contract::{CaseDetail, CaseId, Reason, Role};

/// The escalation as each side needs it. The customer: "Escalate to TAM" with its required
/// reason, then when the TAM will see it, and once they did, who acknowledged it and when.
/// The TAM: when the case was escalated to them and "Acknowledge escalation" until they have.
/// A case nobody escalated shows Bird's side nothing.
#[component]
pub fn EscalationPanel(
    case_id: CaseId,
    #[prop(into)] detail: Signal<Option<CaseDetail>>,
    role: Role,
    actions: CaseActions,
) -> impl IntoView {
    if role == Role::Customer {
        view! { <CustomerEscalation case_id detail actions /> }.into_any()
    } else {
        view! { <BirdEscalation case_id detail role actions /> }.into_any()
    }
}

/// "Tess Rinaldi acknowledged the escalation at 25 Nov 2026, 14:05.", once she did.
fn acknowledged(i18n: I18n, detail: &CaseDetail) -> Option<String> {
    let (by, at) = (detail.case.escalation_acknowledged_by.as_ref()?, detail.case.escalation_acknowledged_at?);
    Some(i18n.f(Key::EscalationAcknowledged, &[("name", &by.name), ("date", &date_time(at, i18n.locale(), None))]))
}

#[component]
fn CustomerEscalation(case_id: CaseId, detail: Signal<Option<CaseDetail>>, actions: CaseActions) -> impl IntoView {
    let i18n = use_i18n();
    let when_seen = use_when_seen(detail);
    let reason = RwSignal::new(String::new());
    let escalate = {
        let (api, host) = (use_api(), use_host());
        actions.with_text(
            reason,
            |reason| Reason { reason },
            move |reason| {
                let (api, host, id) = (api.clone(), host.clone(), case_id.clone());
                async move {
                    let escalated = api.escalate(&id, &reason).await?;
                    host.emit(HostEvent::Escalated { case_id: id });
                    Ok(escalated)
                }
            },
        )
    };
    move || {
        let detail = detail.get()?;
        if let Some(at) = detail.case.escalated_at {
            let date = date_time(at, i18n.locale(), None);
            // Once the TAM has acknowledged it, when they would see it no longer matters.
            let seen = match acknowledged(i18n, &detail) {
                Some(text) => view! { <p>{text}</p> }.into_any(),
                None => view! { <p>{when_seen}</p> }.into_any(),
            };
            return Some(
                view! {
                    <section class="card escalation" aria-labelledby="escalation-title">
                        <h2 id="escalation-title">{t(Key::EscalationStatusTitle)}</h2>
                        <div role="status">
                            <p>{i18n.f(Key::EscalationDone, &[("date", &date)])}</p>
                            {seen}
                        </div>
                    </section>
                }
                .into_any(),
            );
        }
        let allowed = rules::check(CaseAction::Escalate, Role::Customer, detail.rule_state(Utc::now())).is_ok();
        allowed.then(|| {
            view! {
                <section class="card escalation" aria-labelledby="escalation-title">
                    <h2 id="escalation-title">{t(Key::EscalationTitle)}</h2>
                    <p class="muted">{t(Key::EscalationIntro)} " " {when_seen}</p>
                    <ReasonAction
                        id="escalation-reason"
                        button=Key::EscalationButton
                        label=Key::EscalationReason
                        field=escalate.field("reason", reason)
                        submit=escalate
                    />
                </section>
            }
            .into_any()
        })
    }
}

#[component]
fn BirdEscalation(
    case_id: CaseId,
    detail: Signal<Option<CaseDetail>>,
    role: Role,
    actions: CaseActions,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let acknowledge = actions.submit(
        || Ok(()),
        move |()| {
            let (api, id) = (api.clone(), case_id.clone());
            async move { api.acknowledge_escalation(&id).await }
        },
    );
    move || {
        let detail = detail.get()?;
        let at = detail.case.escalated_at?;
        let date = date_time(at, i18n.locale(), None);
        let may_acknowledge =
            rules::check(CaseAction::AcknowledgeEscalation, role, detail.rule_state(Utc::now())).is_ok();
        let state = match (acknowledged(i18n, &detail), may_acknowledge) {
            (Some(text), _) => view! { <p role="status">{text}</p> }.into_any(),
            (None, true) => view! {
                <p>{i18n.f(Key::EscalationToAcknowledge, &[("date", &date)])}</p>
                <SubmitForm submit=acknowledge class="escalation-acknowledge">
                    <SubmitButton submit=acknowledge label=Key::EscalationAcknowledge primary=true />
                    <SendFailure submit=acknowledge />
                </SubmitForm>
            }
            .into_any(),
            (None, false) => view! { <p>{i18n.f(Key::EscalationDone, &[("date", &date)])}</p> }.into_any(),
        };
        Some(view! {
            <section class="card escalation" aria-labelledby="escalation-title">
                <h2 id="escalation-title">{t(Key::EscalationStatusTitle)}</h2>
                {state}
            </section>
        })
    }
}

/// When the account's TAM will see an escalation: now, or when their hours next begin.
fn use_when_seen(detail: Signal<Option<CaseDetail>>) -> impl Fn() -> Option<String> + Copy + Send + Sync + 'static {
    let i18n = use_i18n();
    let api = use_api();
    let abort = use_view_abort();
    let account = Memo::new(move |_| detail.with(|d| d.as_ref().map(|d| d.case.account_id.clone())));
    let tam = LocalResource::new(move || {
        let (api, account) = (api.clone(), account.get());
        async move {
            match account {
                Some(id) => api.tam(&id, abort.signal()).await.ok(),
                None => None,
            }
        }
    });
    move || {
        let tam = tam.get().flatten()?;
        Some(if tam.summary.available_now {
            i18n.f(Key::EscalationSeesNow, &[("name", &tam.summary.name)])
        } else {
            let when = tam.summary.next_available_at.map(|at| long_date_time(at, i18n.locale())).unwrap_or_default();
            i18n.f(Key::EscalationSeesLater, &[("name", &tam.summary.name), ("when", &when)])
        })
    }
}
