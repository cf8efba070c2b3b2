use crate::core::session::use_session;
use leptos::prelude::*;
use portal_contract::{AccountId, SessionAccount};

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

/// Draws a page of an account afresh whenever the route's account changes. The router keeps a
/// page on screen when only its `:account_id` changes (the account switcher, a link from one
/// account to another); drawn afresh, the page starts from "Loading…" instead of showing the
/// previous account's cases, people or TAM until the next account's answers arrive.
#[component]
pub fn ForRouteAccount(children: ChildrenFn) -> impl IntoView {
    let account_id = use_route_account();
    // Only the account redraws the page: what its components read while they are set up
    // (the session, the account on screen) must not draw it again, which would ask the API for
    // everything twice.
    move || {
        account_id.track();
        untrack(|| children())
    }
}

/// The name of `id` among `accounts`, when the person sees more than one: with a single account
/// there is nothing to tell apart.
pub fn name_among(accounts: &[SessionAccount], id: &AccountId) -> Option<String> {
    if accounts.len() < 2 {
        return None;
    }
    accounts.iter().find(|a| &a.id == id).map(|a| a.name.clone())
}

/// Which account a page shows, above its heading, for a person who sees several: nothing of
/// one account is mistaken for the other's.
#[component]
pub fn AccountEyebrow(#[prop(into)] account_id: Signal<Option<AccountId>>) -> impl IntoView {
    let session = use_session();
    let name = Memo::new(move |_| account_id.with(|id| id.as_ref().and_then(|id| name_among(&session.accounts(), id))));
    move || name.get().map(|name| view! { <p class="eyebrow">{name}</p> })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accounts(names: &[&str]) -> Vec<SessionAccount> {
        names
            .iter()
            .map(|n| SessionAccount { id: format!("acc_{n}").into(), name: (*n).to_owned(), role: None })
            .collect()
    }

    #[test]
    fn an_account_is_named_only_beside_another() {
        assert_eq!(name_among(&accounts(&["acme"]), &"acc_acme".into()), None);
        assert_eq!(name_among(&accounts(&["acme", "globex"]), &"acc_globex".into()), Some("globex".into()));
        assert_eq!(name_among(&accounts(&["acme", "globex"]), &"acc_initech".into()), None);
    }
}
