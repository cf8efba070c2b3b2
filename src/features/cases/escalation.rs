use crate::core::api::{use_api, use_view_abort};
use crate::core::host::{HostEvent, use_host};
use crate::core::i18n::{Key, t, use_i18n};
use crate::features::cases::action::CaseActionRunner;
use crate::ui::ReasonAction;
use crate::ui::time::{date_time, long_date_time};
use chrono::Utc;
use leptos::prelude::*;
use portal_contract::rules::{self, CaseAction};
use portal_contract::{CaseDetail, Reason, Role};

/// "Escalate to TAM" with its required reason, and once escalated, when the TAM will see it:
/// now, or when their business hours next begin.
#[component]
pub fn EscalationPanel(
    #[prop(into)] detail: Signal<Option<CaseDetail>>,
    role: Role,
    runner: CaseActionRunner,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let host = StoredValue::new(use_host());
    let abort = use_view_abort();
    let reason = RwSignal::new(String::new());
    let account = Memo::new(move |_| detail.with(|d| d.as_ref().map(|d| d.case.account_id.clone())));
    let tam = {
        let api = api.clone();
        LocalResource::new(move || {
            let (api, account) = (api.clone(), account.get());
            async move {
                match account {
                    Some(id) => api.tam(&id, abort.signal()).await.ok(),
                    None => None,
                }
            }
        })
    };
    let when_seen = move || {
        let tam = tam.get().flatten()?;
        Some(if tam.summary.available_now {
            i18n.f(Key::EscalationSeesNow, &[("name", &tam.summary.name)])
        } else {
            let when = tam.summary.next_available_at.map(|at| long_date_time(at, i18n.locale())).unwrap_or_default();
            i18n.f(Key::EscalationSeesLater, &[("name", &tam.summary.name), ("when", &when)])
        })
    };
    move || {
        let detail = detail.get()?;
        let can = rules::allowed(role, detail.rule_state(Utc::now())).contains(&CaseAction::Escalate);
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
        can.then(|| {
            let (api, id) = (api.clone(), detail.case.id.clone());
            view! {
                <section class="card escalation" aria-labelledby="escalation-title">
                    <h2 id="escalation-title">{t(Key::EscalationTitle)}</h2>
                    <p class="muted">{t(Key::EscalationIntro)} " " {when_seen}</p>
                    <ReasonAction
                        id="escalation-reason"
                        button=Key::EscalationButton
                        field=Key::EscalationReason
                        text=reason
                        pending=runner.pending
                        error=runner.field_error
                        on_submit=Callback::new(move |text: String| {
                            let (api, id, host) = (api.clone(), id.clone(), host.get_value());
                            runner.run(Some(reason), async move {
                                let escalated = api.escalate(&id, &Reason { reason: text }).await;
                                if escalated.is_ok() {
                                    host.emit(HostEvent::Escalated { case_id: id });
                                }
                                escalated
                            });
                        })
                    />
                </section>
            }
            .into_any()
        })
    }
}
