use crate::core::host::link;
use crate::core::i18n::{Key, use_i18n};
use leptos::prelude::*;
use leptos_router::components::A;
use portal_contract::{AccountId, CaseCounts};

/// Where a count leads: the case list filtered to the cases it counts, where the list has that
/// filter; a count without one is a plain figure, and looks like one.
fn filter_of(key: Key) -> Option<&'static str> {
    match key {
        Key::CountsWaitingOnCustomer | Key::CountsOpenInformationRequests => Some("?status=waiting_on_customer"),
        Key::CountsEscalated => Some("?escalated=true"),
        _ => None,
    }
}

/// The numbers that say what needs attention in an account.
#[component]
pub fn CountsList(counts: CaseCounts, account_id: AccountId) -> impl IntoView {
    let i18n = use_i18n();
    let rows = [
        (Key::CountsOpen, counts.open),
        (Key::CountsWaitingOnCustomer, counts.waiting_on_customer),
        (Key::CountsEscalated, counts.escalated),
        (Key::CountsOpenInformationRequests, counts.open_information_requests),
    ];
    view! {
        <ul class="counts">
            {rows
                .into_iter()
                .map(|(key, n)| {
                    let attention = n > 0 && key != Key::CountsOpen;
                    let figure = move || view! {
                        <span class="count-label">{move || i18n.t(key)}</span>
                        <span class="count-figure">{n}</span>
                    };
                    let tile = match filter_of(key) {
                        Some(filter) => {
                            let href = link(format!("/accounts/{account_id}/cases{filter}"));
                            view! { <A href=href attr:class="count-link">{figure()}</A> }.into_any()
                        }
                        None => figure().into_any(),
                    };
                    view! { <li class="count" class:count-attention=attention>{tile}</li> }
                })
                .collect_view()}
        </ul>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_counts_the_list_can_filter_are_links() {
        assert_eq!(filter_of(Key::CountsWaitingOnCustomer), Some("?status=waiting_on_customer"));
        assert_eq!(filter_of(Key::CountsOpenInformationRequests), Some("?status=waiting_on_customer"));
        assert_eq!(filter_of(Key::CountsOpen), None);
        assert_eq!(filter_of(Key::CountsEscalated), Some("?escalated=true"));
    }
}
