//! The accounts a person may see and the account page.

mod account_page;
mod accounts_page;
mod counts;
mod home;

pub use account_page::AccountPage;
pub use accounts_page::AccountsPage;
pub use home::HomeRedirect;
