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

/// The `:account_id` of the route on screen, which also becomes the account the navigation
/// points into.
pub fn use_route_account() -> Memo<AccountId> {
    let params = leptos_router::hooks::use_params_map();
    let current = use_current_account();
    let account_id = Memo::new(move |_| AccountId(params.with(|p| p.get("account_id").unwrap_or_default())));
    Effect::new(move |_| current.set(account_id.get()));
    account_id
}
