use super::action::CaseActions;
use crate::core::api::{use_api, use_view_abort};
use crate::core::host::{HostEvent, use_host};
use crate::core::i18n::{Key, t, use_i18n};
use crate::ui::form::ReasonAction;
use crate::ui::time::{date_time, long_date_time};
use chrono::Utc;
use leptos::prelude::*;
use portal_contract::rules::{self, CaseAction};
use portal_contract::{CaseDetail, CaseId, Reason, Role};

/// "Escalate to TAM" with its required reason, and once escalated, when the TAM will see it:
/// now, or when their business hours next begin.
#[component]
pub fn EscalationPanel(
    case_id: CaseId,
    #[prop(into)] detail: Signal<Option<CaseDetail>>,
    role: Role,
    actions: CaseActions,
) -> impl IntoView {
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
            return Some(
                view! {
                    <section class="card escalation" aria-labelledby="escalation-title">
                        <h2 id="escalation-title">{t(Key::EscalationTitle)}</h2>
                        <p role="status">{i18n.f(Key::EscalationDone, &[("date", &date)])} " " {when_seen}</p>
                    </section>
                }
                .into_any(),
            );
        }
        let allowed = rules::check(CaseAction::Escalate, role, detail.rule_state(Utc::now())).is_ok();
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
