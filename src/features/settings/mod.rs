//! `/settings/notifications`: which emails reach the person and in which language, and, for a
//! person signed in with the session cookie, changing the password.
//!
//! The page offers exactly the kinds of email the server sends to the person's role (see
//! `kinds.rs`), so nobody is shown a switch that could never change anything.

mod kinds;
mod notifications_form;
mod page;

pub use notifications_form::NotificationsForm;
pub use page::SettingsPage;
