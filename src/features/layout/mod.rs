//! The frame around every page: skip link, header with navigation, language and sign-out.

mod current_account;
mod language_switch;
mod shell;

pub use current_account::{CurrentAccount, use_current_account, use_route_account};
pub use shell::Shell;
