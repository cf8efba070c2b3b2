//! "All cases" or "My cases" (opened or followed by the person, `mine=true`), on the case list
//! and the account page. All cases by default.

use crate::core::i18n::{Key, t};
use leptos::prelude::*;
use portal_contract::Role;

/// Whether `role` has cases of its own to tell apart: a customer opens and follows cases;
/// Bird's side works on all of an account's.
pub fn offers_mine(role: Role) -> bool {
    role == Role::Customer
}

/// Two radio buttons, "All cases" and "My cases"; `set` receives whether "My cases" was chosen.
#[component]
pub fn MineToggle(#[prop(into)] mine: Signal<bool>, set: Callback<bool>) -> impl IntoView {
    let choice = move |value: bool, key: Key| {
        view! {
            <label class="segment">
                <input
                    type="radio"
                    name="whose-cases"
                    value=if value { "mine" } else { "all" }
                    prop:checked=move || mine.get() == value
                    on:change=move |_| set.run(value)
                />
                <span>{t(key)}</span>
            </label>
        }
    };
    view! {
        <fieldset class="segmented">
            <legend class="visually-hidden">{t(Key::CasesWhose)}</legend>
            {choice(false, Key::CasesAllCases)}
            {choice(true, Key::CasesMyCases)}
        </fieldset>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_customers_have_cases_of_their_own() {
        assert!(offers_mine(Role::Customer));
        for role in [Role::Tam, Role::Agent, Role::System, Role::Unknown] {
            assert!(!offers_mine(role), "{role:?}");
        }
    }
}
