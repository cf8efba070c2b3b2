use super::labels;
use crate::core::i18n::{Key, use_i18n};
use crate::core::session::Session;
use leptos::prelude::*;
use portal_contract::{CaseStatus, Role, Severity};

/// The status in words, as `viewer` (by default the signed-in person) reads it.
#[component]
pub fn StatusBadge(status: CaseStatus, #[prop(optional)] viewer: Option<Role>) -> impl IntoView {
    let i18n = use_i18n();
    // Without a viewer, the signed-in person; without a session (a component test), the customer.
    let session_role = || use_context::<Session>().and_then(|session| session.role());
    let key = labels::status_for(status, viewer.or_else(session_role).unwrap_or(Role::Customer));
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
