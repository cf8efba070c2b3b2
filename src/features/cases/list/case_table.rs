use crate::core::host::link;
use crate::core::i18n::{Key, use_i18n};
use crate::features::cases::first_response::OverdueBadge;
use crate::features::cases::labels;
use crate::features::cases::status_badge::{EscalatedMark, SeverityBadge, StatusBadge};
use crate::ui::time::RelativeTime;
use leptos::prelude::*;
use leptos_router::components::A;
use portal_contract::CaseSummary;

/// The columns, in order: the words of each heading (also each cell's label on narrow screens).
const COLUMNS: [Key; 7] = [
    Key::LabelNumber,
    Key::LabelSubject,
    Key::LabelStatus,
    Key::LabelSeverity,
    Key::LabelChannel,
    Key::LabelAgent,
    Key::LabelUpdated,
];

/// The rows of cases, one per case, with every column a person scans for. Keyed by case, so
/// a row that stays while the person types is kept, not drawn again.
#[component]
pub fn CaseTable(#[prop(into)] rows: Signal<Vec<CaseSummary>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <table class="case-table">
            <thead>
                <tr>
                    {COLUMNS.map(|key| view! { <th scope="col">{move || i18n.t(key)}</th> }).collect_view()}
                </tr>
            </thead>
            <tbody>
                <For each=move || rows.get() key=|case| case.id.clone() let:case>
                    <CaseRow case />
                </For>
            </tbody>
        </table>
    }
}

#[component]
fn CaseRow(case: CaseSummary) -> impl IntoView {
    let i18n = use_i18n();
    let label = move |key: Key| move || i18n.t(key);
    let channel = case.channel;
    view! {
        <tr>
            <td data-label=label(Key::LabelNumber)>
                <A href=link(format!("/cases/{}", case.id)) attr:class="case-number">{case.number}</A>
            </td>
            <td data-label=label(Key::LabelSubject) class="case-subject">{case.subject}</td>
            <td data-label=label(Key::LabelStatus)>
                <StatusBadge status=case.status />
                {case.escalated.then(|| view! { " " <EscalatedMark /> })}
                {case.overdue.then(|| view! { " " <OverdueBadge /> })}
            </td>
            <td data-label=label(Key::LabelSeverity)><SeverityBadge severity=case.severity /></td>
            <td data-label=label(Key::LabelChannel)>{move || i18n.t(labels::channel(channel))}</td>
            <td data-label=label(Key::LabelAgent)>
                {match case.agent {
                    Some(name) => name.into_any(),
                    None => (move || i18n.t(Key::CasesUnassigned)).into_any(),
                }}
            </td>
            <td data-label=label(Key::LabelUpdated)><RelativeTime at=case.updated_at /></td>
        </tr>
    }
}
