use crate::core::i18n::{Key, use_i18n};
use crate::ui::form::{FormField, TextField};
use leptos::prelude::*;
use portal_contract::{NewPassword, Validate, limits};

/// A password the person chooses, with the rule shown before they type and checked as they
/// type by the contract's own validation: the rule under the field says when it is met.
#[component]
pub fn NewPasswordField(#[prop(into)] id: String, field: FormField) -> impl IntoView {
    let i18n = use_i18n();
    let rule_id = format!("{id}-rule");
    let met = Memo::new(move |_| field.value.with(|p| NewPassword { password: p.clone() }.problems().is_empty()));
    let rule = move || i18n.f(Key::PasswordRule, &[("min", &limits::PASSWORD_MIN.to_string())]);
    view! {
        <TextField
            id=id
            label=Key::PasswordNew
            field
            kind="password"
            autocomplete="new-password"
            required=true
            described_by=rule_id.clone()
        />
        // A status, so the moment the rule is met (or no longer) is announced, once. While the
        // field shows a problem, the problem says what to do instead.
        <p class="hint password-rule" class:password-rule-met=move || met.get() id=rule_id role="status">
            {move || field.error.with(Option::is_none).then(rule)}
            {move || met.get().then(|| format!(" {}", i18n.t(Key::PasswordRuleMet)))}
        </p>
    }
}
