//! The Technical Account Manager: the card on the account page and the full TAM page.

mod contact;
mod hours;
mod tam_card;
mod tam_page;

pub use tam_card::TamCard;
pub use tam_page::TamPage;

/// How often a shown TAM's availability is asked again, so "Available now" turns into "Next
/// available" within half a minute of the hours ending, without a reload.
const REFRESH_AVAILABILITY: std::time::Duration = std::time::Duration::from_secs(30);
