//! The parts every submitting form has: the `<form>` itself, the submit button, the status
//! line, and why the last send failed.

use super::submit::UseSubmitReturn;
use crate::core::api::ApiError;
use crate::core::i18n::{Key, t, use_i18n};
use crate::ui::ErrorView;
use leptos::prelude::*;

/// The `<form>`: the browser's own validation off (the form checks with the contract's
/// rules and says so in the person's language), submitting runs `submit`.
#[component]
pub fn SubmitForm(
    submit: UseSubmitReturn,
    #[prop(default = "form")] class: &'static str,
    children: Children,
) -> impl IntoView {
    view! {
        <form
            class=class
            novalidate
            node_ref=submit.node
            on:submit=move |ev| {
                ev.prevent_default();
                submit.submit.run(());
            }
        >
            {children()}
        </form>
    }
}

/// The submit button, marked busy (not disabled, so it keeps focus) while sending.
#[component]
pub fn SubmitButton(submit: UseSubmitReturn, label: Key, #[prop(optional)] primary: bool) -> impl IntoView {
    view! {
        <button type="submit" class:button-primary=primary aria-disabled=move || submit.pending.get().then_some("true")>
            {t(label)}
        </button>
    }
}

/// The announced status line: `sending` while the request is out, then `done` if given.
#[component]
pub fn FormStatus(submit: UseSubmitReturn, sending: Key, #[prop(optional)] done: Option<Key>) -> impl IntoView {
    let i18n = use_i18n();
    let text = move || {
        if submit.pending.get() {
            Some(i18n.t(sending))
        } else {
            done.filter(|_| submit.sent.get()).map(|key| i18n.t(key))
        }
    };
    view! { <p class="form-status" role="status">{text}</p> }
}

/// Why the last send failed, with "Try again" when retrying can help. A refused field is not
/// shown here: its words stand next to the field instead.
#[component]
pub fn SendFailure(submit: UseSubmitReturn) -> impl IntoView {
    move || {
        submit.failure.get().filter(|e| !matches!(e, ApiError::Validation { .. })).map(|error| {
            view! { <ErrorView error on_retry=submit.submit /> }
        })
    }
}
