use super::filter_bar::Filters;
use crate::core::i18n::{Key, use_i18n};
use crate::features::cases::labels;
use leptos::prelude::*;
use portal_contract::{CaseCounts, CaseStatus};

/// One button per status with how many cases have it; the pressed one is the filter. A chip
/// changes only the status, so the other filters stay; while they narrow the list, the
/// account's counts would not match it and are left out.
#[component]
pub fn StatusChips(filters: Filters, counts: CaseCounts) -> impl IntoView {
    let i18n = use_i18n();
    let narrowed = move || {
        filters.query.with(|q| {
            q.kind.is_some() || q.severity.is_some() || q.q.is_some() || q.escalated.is_some() || q.mine == Some(true)
        })
    };
    let chip = |status: CaseStatus, n: u32| (Some(status), labels::status(status), n);
    let chips = [
        (None, Key::CasesAllStatuses, counts.open + counts.resolved),
        chip(CaseStatus::New, counts.new),
        chip(CaseStatus::InProgress, counts.in_progress),
        chip(CaseStatus::WaitingOnCustomer, counts.waiting_on_customer),
        chip(CaseStatus::ResolutionProposed, counts.resolution_proposed),
        chip(CaseStatus::Resolved, counts.resolved),
    ];
    view! {
        <nav class="status-counts" aria-label=move || i18n.t(Key::CasesByStatus)>
            {chips
                .into_iter()
                .map(|(status, key, n)| {
                    let pressed = move || filters.query.with(|q| q.status.as_deref() == status.map(CaseStatus::as_str));
                    view! {
                        <button
                            type="button"
                            class="chip"
                            aria-pressed=move || if pressed() { "true" } else { "false" }
                            on:click=move |_| filters.change(|q| q.status = status.map(|s| s.as_str().to_owned()))
                        >
                            {move || i18n.t(key)}
                            {move || (!narrowed()).then(|| view! { " " <span class="chip-count">{n}</span> })}
                        </button>
                    }
                })
                .collect_view()}
        </nav>
    }
}
