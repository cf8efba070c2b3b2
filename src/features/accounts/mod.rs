//! The accounts a person may see and the account page.

mod account_page;
mod accounts_page;
mod counts;
mod head_start;
mod home;
mod tam_aside;
mod worklist;

pub use account_page::AccountPage;
pub use accounts_page::AccountsPage;
pub use head_start::{HeadStart, provide_head_start, use_head_start};
pub use home::HomeRedirect;
