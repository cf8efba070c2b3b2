use super::rating::RatingForm;
use crate::core::api::use_api;
use crate::core::host::{HostEvent, link, use_host};
use crate::core::i18n::{I18n, Key, t, use_i18n};
use crate::features::cases::action::CaseActionRunner;
use crate::features::cases::labels;
use crate::ui::ReasonAction;
use crate::ui::time::date_time;
use chrono::Utc;
use leptos::prelude::*;
use leptos_router::components::A;
use portal_contract::rules::{self, CaseAction};
use portal_contract::{CaseDetail, CaseStatus, NewResolution, Person, Role};

fn who(i18n: I18n, key: Key, person: &Person, at: chrono::DateTime<Utc>) -> String {
    let date = date_time(at, i18n.locale(), None);
    i18n.f(key, &[("name", &person.name), ("role", i18n.t(labels::role(person.role))), ("date", &date)])
}

/// Where the resolution stands and what the person may do about it, by the rules of
/// `portal_contract::rules`: nothing is offered that the API would refuse.
#[component]
pub fn ResolutionPanel(
    #[prop(into)] detail: Signal<Option<CaseDetail>>,
    role: Role,
    runner: CaseActionRunner,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let host = StoredValue::new(use_host());
    // Typed text lives here, outside the parts that redraw when the case changes.
    let summary = RwSignal::new(String::new());
    let decline_reason = RwSignal::new(String::new());
    let reopen_reason = RwSignal::new(String::new());

    let body = move || {
        let detail = detail.get()?;
        let allowed = rules::allowed(role, detail.rule_state(Utc::now()));
        let can = |a: CaseAction| allowed.contains(&a);
        let id = detail.case.id.clone();
        let account = detail.case.account_id.clone();
        let status = detail.case.status;
        let record = detail.resolution.clone();

        let proposal = (status == CaseStatus::ResolutionProposed).then(|| record.clone()).flatten().map(|r| {
            let waiting = match (can(CaseAction::ConfirmResolution), r.proposed_by.role.is_bird()) {
                (true, _) => Key::ResolutionYourTurn,
                (false, true) => Key::ResolutionWaitingForCustomer,
                (false, false) => Key::ResolutionWaitingForBird,
            };
            view! {
                <p>{who(i18n, Key::ResolutionProposedBy, &r.proposed_by, r.proposed_at)}</p>
                <blockquote class="resolution-summary">{r.summary.clone()}</blockquote>
                <p class="notice notice-info">{t(waiting)}</p>
            }
        });

        let answer = (can(CaseAction::ConfirmResolution) || can(CaseAction::DeclineResolution)).then(|| {
            let (confirm_api, decline_api, confirm_id, decline_id) = (api.clone(), api.clone(), id.clone(), id.clone());
            view! {
                <div class="resolution-actions">
                    <button
                        type="button"
                        class="button-primary"
                        aria-disabled=move || runner.pending.get().then_some("true")
                        on:click=move |_| {
                            if !runner.pending.get_untracked() {
                                let (api, id, host) = (confirm_api.clone(), confirm_id.clone(), host.get_value());
                                runner.run(None, async move {
                                    let confirmed = api.confirm_resolution(&id).await;
                                    if confirmed.is_ok() {
                                        host.emit(HostEvent::ResolutionConfirmed { case_id: id });
                                    }
                                    confirmed
                                });
                            }
                        }
                    >
                        {t(Key::ResolutionConfirm)}
                    </button>
                    <ReasonAction
                        id="decline-reason"
                        button=Key::ResolutionNotResolved
                        field=Key::ResolutionStillNotWorking
                        text=decline_reason
                        pending=runner.pending
                        error=runner.field_error
                        on_submit=Callback::new(move |reason: String| {
                            let (api, id) = (decline_api.clone(), decline_id.clone());
                            runner.run(Some(decline_reason), async move { api.decline_resolution(&id, &portal_contract::Reason { reason }).await });
                        })
                    />
                </div>
            }
        });

        let propose = can(CaseAction::ProposeResolution).then(|| {
            let (api, id) = (api.clone(), id.clone());
            view! {
                <p class="muted">{t(Key::ResolutionOpenNote)}</p>
                <ReasonAction
                    id="resolution-summary"
                    button=Key::ResolutionPropose
                    field=Key::ResolutionSummary
                    text=summary
                    pending=runner.pending
                    error=runner.field_error
                    on_submit=Callback::new(move |text: String| {
                        let (api, id) = (api.clone(), id.clone());
                        runner.run(Some(summary), async move { api.propose_resolution(&id, &NewResolution { summary: text }).await });
                    })
                />
            }
        });

        let agreed = (status == CaseStatus::Resolved).then(|| record.clone()).flatten().map(|r| {
            view! {
                <p class="notice notice-info">{t(Key::ResolutionResolvedNote)}</p>
                <blockquote class="resolution-summary">{r.summary.clone()}</blockquote>
                <ul class="agreement">
                    <li>{who(i18n, Key::ResolutionRecordProposed, &r.proposed_by, r.proposed_at)}</li>
                    {r.confirmed_by.clone().zip(r.confirmed_at).map(|(by, at)| view! {
                        <li>{who(i18n, Key::ResolutionRecordConfirmed, &by, at)}</li>
                    })}
                </ul>
            }
        });

        let rating = match (&detail.satisfaction, can(CaseAction::Rate)) {
            (Some(s), _) => {
                let given = i18n.f(Key::RatingGiven, &[("n", &s.rating.to_string())]);
                Some(view! { <p class="rating-given"><strong>{given}</strong> {s.comment.clone().map(|c| format!(" · {c}"))}</p> }.into_any())
            }
            (None, true) => Some(view! { <RatingForm case_id=id.clone() runner /> }.into_any()),
            (None, false) => None,
        };

        let reopen = if can(CaseAction::Reopen) {
            let until = detail.reopen_until.map(|u| date_time(u, i18n.locale(), None)).unwrap_or_default();
            let (api, id) = (api.clone(), id.clone());
            Some(view! {
                <p>{i18n.f(Key::ResolutionReopenUntil, &[("date", &until)])}</p>
                <ReasonAction
                    id="reopen-reason"
                    button=Key::ResolutionReopen
                    field=Key::ResolutionReopenReason
                    text=reopen_reason
                    pending=runner.pending
                    error=runner.field_error
                    on_submit=Callback::new(move |reason: String| {
                        let (api, id) = (api.clone(), id.clone());
                        runner.run(Some(reopen_reason), async move { api.reopen(&id, &portal_contract::Reason { reason }).await });
                    })
                />
            }
            .into_any())
        } else if status == CaseStatus::Resolved && role == Role::Customer {
            Some(
                view! {
                    <p>{t(Key::ResolutionReopenClosed)}</p>
                    <p><A href=link(format!("/accounts/{account}/cases/new"))>{t(Key::ResolutionNewCase)}</A></p>
                }
                .into_any(),
            )
        } else {
            None
        };

        Some(view! { {proposal} {answer} {propose} {agreed} {rating} {reopen} })
    };

    view! {
        <section class="card resolution" aria-labelledby="resolution-title">
            <h2 id="resolution-title">{t(Key::ResolutionTitle)}</h2>
            {body}
        </section>
    }
}
