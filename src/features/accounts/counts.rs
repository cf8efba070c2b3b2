use crate::core::i18n::{Key, use_i18n};
use leptos::prelude::*;
use portal_contract::CaseCounts;

/// The numbers that say what needs attention in an account.
#[component]
pub fn CountsList(counts: CaseCounts) -> impl IntoView {
    let i18n = use_i18n();
    let rows = [
        (Key::CountsOpen, counts.open),
        (Key::CountsWaitingOnCustomer, counts.waiting_on_customer),
        (Key::CountsEscalated, counts.escalated),
        (Key::CountsOpenInformationRequests, counts.open_information_requests),
    ];
    view! {
        <dl class="counts">
            {rows
                .into_iter()
                .map(|(key, n)| {
                    let attention = n > 0 && key != Key::CountsOpen;
                    view! {
                    <div class="count" class:count-attention=attention>
                        <dt>{move || i18n.t(key)}</dt>
                        <dd>{n}</dd>
                    </div>
                    }
                })
                .collect_view()}
        </dl>
    }
}
