//! Support Cases: the list with its filters, the new-case form, the case page with its panels
//! (information requests, resolution, escalation), "Needs your action", and the pieces they
//! share.

mod action;
mod case_cards;
mod case_page;
mod escalation;
pub mod first_response;
mod information_requests;
pub mod labels;
mod list;
mod mine;
mod needs_action;
mod new_case;
mod resolution;
mod status_badge;
mod support_address;
mod timeline;

pub use action::{CaseActions, use_case_actions};
pub use case_cards::CaseCards;
pub use case_page::{CasePage, Participants};
pub use escalation::EscalationPanel;
pub use first_response::{FirstResponseDue, OverdueBadge, time_left_text};
pub use list::CaseListPage;
pub use mine::{MineToggle, offers_mine};
pub use needs_action::{NeedsActionRegion, fetch_code as fetch_needs_action_code, with_case};
pub use new_case::NewCasePage;
pub use resolution::ResolutionPanel;
pub use status_badge::SeverityBadge;
pub use timeline::Timeline;

/// Escalated cases in the order a TAM picks them up: the newest escalation first.
pub fn newest_escalations_first(cases: &mut [portal_contract::Case]) {
    cases.sort_by_key(|c| std::cmp::Reverse(c.escalated_at));
}

/// Every status of a case still being worked on, as the list's `status` filter.
pub const OPEN: &str = "new,in_progress,waiting_on_customer,resolution_proposed";
