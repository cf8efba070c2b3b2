use crate::core::api::use_api;
use crate::core::host::link;
use crate::core::i18n::{Key, t, use_i18n};
use crate::features::cases::action::CaseActions;
use crate::ui::form::ReasonAction;
use crate::ui::time::date_time;
use chrono::Utc;
use leptos::prelude::*;
use leptos_router::components::A;
use portal_contract::rules::{self, CaseAction};
use portal_contract::{CaseDetail, CaseId, CaseStatus, Reason, Role};

/// The new-case form of `detail`'s account, opening a case that follows `detail` up.
fn follow_up_href(detail: &CaseDetail) -> String {
    link(format!("/accounts/{}/cases/new?follow_up_of={}", detail.case.account_id, detail.case.id))
}

/// On a resolved case, beside the reply box: a reply alone brings the case back to nobody, so
/// the customer is told so and offered what does: "Reopen case" while the window is open, and a
/// follow-up case linked to this one. Bird's side, which may do neither, sees nothing here.
#[component]
pub fn ResolvedNext(
    case_id: CaseId,
    #[prop(into)] detail: Signal<Option<CaseDetail>>,
    role: Role,
    actions: CaseActions,
) -> impl IntoView {
    let i18n = use_i18n();
    let api = use_api();
    let reason = RwSignal::new(String::new());
    let reopen = actions.with_text(
        reason,
        |reason| Reason { reason },
        move |body| {
            let (api, id) = (api.clone(), case_id.clone());
            async move { api.reopen(&id, &body).await }
        },
    );
    move || {
        let detail = detail.get().filter(|d| d.case.status == CaseStatus::Resolved)?;
        let may_reopen = rules::check(CaseAction::Reopen, role, detail.rule_state(Utc::now())).is_ok();
        let may_follow_up = rules::may_open_case(role).is_ok();
        if !may_reopen && !may_follow_up {
            return None;
        }
        let window = if may_reopen {
            let until = detail.reopen_until.map(|u| date_time(u, i18n.locale(), None)).unwrap_or_default();
            view! {
                <p>{i18n.f(Key::ResolutionReopenUntil, &[("date", &until)])}</p>
                <ReasonAction
                    id="reopen-reason"
                    button=Key::ResolutionReopen
                    label=Key::ResolutionReopenReason
                    field=reopen.field("reason", reason)
                    submit=reopen
                />
            }
            .into_any()
        } else {
            view! { <p>{t(Key::ResolutionReopenClosed)}</p> }.into_any()
        };
        Some(view! {
            <div class="notice notice-info resolved-next">
                <p><strong>{t(Key::ResolutionResolvedReplyNote)}</strong></p>
                {window}
                {may_follow_up.then(|| view! {
                    <p><A href=follow_up_href(&detail)>{t(Key::ResolutionFollowUp)}</A></p>
                })}
            </div>
        })
    }
}
