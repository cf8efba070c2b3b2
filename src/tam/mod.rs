//! The Technical Account Manager: the card on the account page and the full TAM page.

mod contact;
mod escalation;
mod hours;
mod tam_card;
mod tam_page;

pub use escalation::EscalationPanel;
pub use tam_card::TamCard;
pub use tam_page::TamPage;
