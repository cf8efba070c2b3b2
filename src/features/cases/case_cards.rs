use super::first_response::OverdueBadge;
use super::status_badge::{EscalatedMark, SeverityBadge, StatusBadge};
use crate::core::host::link;
use crate::core::i18n::{Key, t};
use crate::ui::time::RelativeTime;
use leptos::prelude::*;
use leptos_router::components::A;
use portal_contract::Case;

/// A short list of cases for the account page, or a sentence when there are none.
#[component]
pub fn CaseCards(cases: Vec<Case>, empty: Key) -> impl IntoView {
    if cases.is_empty() {
        return view! { <p class="empty">{t(empty)}</p> }.into_any();
    }
    view! {
        <ul class="case-cards">
            {cases
                .into_iter()
                .map(|case| view! {
                    <li class="case-card">
                        <A href=link(format!("/cases/{}", case.id))>
                            <span class="case-number">{case.number}</span>
                            " "
                            <span class="case-subject">{case.subject}</span>
                        </A>
                        <p class="case-meta">
                            <StatusBadge status=case.status />
                            <SeverityBadge severity=case.severity />
                            {case.escalated_at.map(|_| view! { <EscalatedMark /> })}
                            {case.overdue.then(|| view! { <OverdueBadge /> })}
                            <RelativeTime at=case.updated_at />
                        </p>
                    </li>
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}
