use super::fields::TextArea;
use super::parts::{SendFailure, SubmitButton};
use super::problems::FormField;
use super::submit::{UseSubmitReturn, focus_first};
use crate::core::i18n::Key;
use leptos::prelude::*;

/// A button that first opens a required text field, then sends it: "Not resolved" asks
/// "What is still not working?", "Escalate to TAM" asks for the reason. The text lives in the
/// caller's signal, so it survives a refresh of the page around it.
#[component]
pub fn ReasonAction(
    #[prop(into)] id: String,
    button: Key,
    label: Key,
    /// The text, from `submit.field(…)`.
    field: FormField,
    submit: UseSubmitReturn,
    #[prop(optional)] primary: bool,
) -> impl IntoView {
    let open = RwSignal::new(!field.value.get_untracked().is_empty());
    view! {
        <form
            class="reason-action"
            novalidate
            node_ref=submit.node
            on:submit=move |ev| {
                ev.prevent_default();
                if open.get_untracked() {
                    submit.submit.run(());
                } else {
                    open.set(true);
                    focus_first(submit.node, "textarea");
                }
            }
        >
            <Show when=move || open.get()>
                <TextArea id=id.clone() label field required=true />
            </Show>
            <SubmitButton submit label=button primary />
            <SendFailure submit />
        </form>
    }
}
