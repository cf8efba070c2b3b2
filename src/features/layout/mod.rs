//! The frame around every page: skip link, header with the account switcher, navigation,
//! language and sign-out; and which account a page shows.

mod account_switch;
mod current_account;
mod language_switch;
mod shell;

pub use account_switch::AccountSwitch;
pub use current_account::{
    AccountEyebrow, CurrentAccount, ForRouteAccount, name_among, use_current_account, use_route_account,
};
pub use shell::Shell;
