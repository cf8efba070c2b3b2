use leptos::prelude::*;
use portal_contract::AccountId;

/// The account the page on screen belongs to, so the navigation can point into it.
/// Pages set it; a customer with a single account always has it.
#[derive(Clone, Copy)]
pub struct CurrentAccount(pub RwSignal<Option<AccountId>>);

pub fn use_current_account() -> CurrentAccount {
    expect_context::<CurrentAccount>()
}

impl CurrentAccount {
    pub fn set(&self, id: AccountId) {
        if self.0.with_untracked(|current| current.as_ref() != Some(&id)) {
            self.0.set(Some(id));
        }
    }
}
