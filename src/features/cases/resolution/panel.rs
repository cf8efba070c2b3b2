use super::rating::{GivenRating, RatingForm};
use super::steps::{Agreement, Proposal, ProposeResolution};
use crate::core::api::use_api;
use crate::core::host::{HostEvent, use_host};
use crate::core::i18n::{Key, t};
use crate::features::cases::action::CaseActions;
use crate::ui::form::UseSubmitReturn;
use chrono::Utc;
use leptos::prelude::*;
use portal_contract::rules::{self, CaseAction};
use portal_contract::{CaseDetail, CaseId, CaseStatus, NewResolution, Reason, Role};

/// The resolution's forms and their texts. They live beside the panel, outside the parts
/// that redraw when the case changes, so typed text and a send under way survive a refresh.
#[derive(Clone, Copy)]
pub struct Forms {
    pub summary: RwSignal<String>,
    pub propose: UseSubmitReturn,
    pub confirm: UseSubmitReturn,
    pub decline_reason: RwSignal<String>,
    pub decline: UseSubmitReturn,
}

impl Forms {
    pub fn new(case_id: CaseId, actions: CaseActions) -> Forms {
        let (api, host) = (use_api(), use_host());
        let (summary, decline_reason) = (RwSignal::default(), RwSignal::default());
        let on = move || (api.clone(), case_id.clone());
        let (propose_on, decline_on) = (on.clone(), on.clone());
        Forms {
            summary,
            propose: actions.with_text(
                summary,
                |summary| NewResolution { summary },
                move |body| {
                    let (api, id) = propose_on();
                    async move { api.propose_resolution(&id, &body).await }
                },
            ),
            confirm: actions.submit(
                || Ok(()),
                move |()| {
                    let ((api, id), host) = (on(), host.clone());
                    async move {
                        let confirmed = api.confirm_resolution(&id).await?;
                        host.emit(HostEvent::ResolutionConfirmed { case_id: id });
                        Ok(confirmed)
                    }
                },
            ),
            decline_reason,
            decline: actions.with_text(
                decline_reason,
                |reason| Reason { reason },
                move |body| {
                    let (api, id) = decline_on();
                    async move { api.decline_resolution(&id, &body).await }
                },
            ),
        }
    }
}

/// Where the resolution stands and what the person may do about it, by the rules of
/// `portal_contract::rules`: nothing is offered that the API would refuse, and a person with
/// nothing to see or do here (the TAM, before anyone proposed) gets no card at all. A proposal
/// waiting on the person is answered in "Needs your action" above the timeline.
#[component]
pub fn ResolutionPanel(
    case_id: CaseId,
    #[prop(into)] detail: Signal<Option<CaseDetail>>,
    role: Role,
    actions: CaseActions,
) -> impl IntoView {
    let forms = Forms::new(case_id.clone(), actions);
    move || {
        let detail = detail.get()?;
        let allowed = rules::allowed(role, detail.rule_state(Utc::now()));
        let can = |action: CaseAction| allowed.contains(&action);
        let answers = can(CaseAction::ConfirmResolution) || can(CaseAction::DeclineResolution);
        let proposes = can(CaseAction::ProposeResolution);
        let rating = match (&detail.satisfaction, can(CaseAction::Rate)) {
            (Some(given), _) => Some(view! { <GivenRating given=given.clone() /> }.into_any()),
            (None, true) => Some(view! { <RatingForm case_id=case_id.clone() actions /> }.into_any()),
            (None, false) => None,
        };
        let on_record = detail.resolution.is_some()
            && matches!(detail.case.status, CaseStatus::ResolutionProposed | CaseStatus::Resolved);
        (on_record || answers || proposes || rating.is_some()).then(|| {
            view! {
                <section class="card resolution" aria-labelledby="resolution-title">
                    <h2 id="resolution-title">{t(Key::ResolutionTitle)}</h2>
                    <Proposal detail=detail.clone() your_turn=can(CaseAction::ConfirmResolution) />
                    {proposes.then(|| view! { <ProposeResolution forms /> })}
                    <Agreement detail=detail.clone() />
                    {rating}
                </section>
            }
        })
    }
}
