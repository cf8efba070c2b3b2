use super::labels;
use crate::core::i18n::{Key, use_i18n};
use crate::core::session::Session;
use leptos::prelude::*;
use portal_contract::{CaseStatus, Role, Severity};

#[component]
pub fn StatusBadge(status: CaseStatus) -> impl IntoView {
    let i18n = use_i18n();
    // Without a session (a component test) the badge reads as the customer's.
    let role = use_context::<Session>().and_then(|session| session.role()).unwrap_or(Role::Customer);
    let key = labels::status_for(status, role);
    view! { <span class=format!("badge status-{}", status.as_str())>{move || i18n.t(key)}</span> }
}

#[component]
pub fn SeverityBadge(severity: Severity) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <span class=format!("badge severity-{}", severity.as_str())>{move || i18n.t(labels::severity(severity))}</span>
    }
}

#[component]
pub fn EscalatedMark() -> impl IntoView {
    let i18n = use_i18n();
    view! { <span class="badge escalated">{move || i18n.t(Key::CasesEscalatedMark)}</span> }
}
