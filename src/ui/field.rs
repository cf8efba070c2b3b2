use crate::core::i18n::{I18n, Key, use_i18n};
use leptos::html::{Input, Textarea};
use leptos::prelude::*;
use portal_contract::{FieldError, FieldProblem};

/// The words for a problem the server found in a field, by its stable code; its own English
/// message when the code is one this portal does not know.
pub fn server_problem_text(i18n: I18n, error: &FieldError) -> String {
    match error.code.as_deref() {
        Some("required") => problem_text(i18n, FieldProblem::Required),
        Some("invalid_choice") => problem_text(i18n, FieldProblem::InvalidChoice),
        Some("invalid_email") => problem_text(i18n, FieldProblem::InvalidEmail),
        _ => i18n.t(Key::FieldInvalid).to_owned(),
    }
}

/// The words for a field problem found in the page.
pub fn problem_text(i18n: I18n, problem: FieldProblem) -> String {
    match problem {
        FieldProblem::Required => i18n.t(Key::FieldRequired).to_owned(),
        FieldProblem::TooLong { max } => i18n.f(Key::FieldTooLong, &[("max", &max.to_string())]),
        FieldProblem::InvalidChoice => i18n.t(Key::FieldInvalidChoice).to_owned(),
        FieldProblem::InvalidEmail => i18n.t(Key::FieldInvalidEmail).to_owned(),
    }
}

/// A labelled single-line input whose problem, if any, is announced and tied to it.
#[component]
pub fn TextField(
    /// Unique on the page: a field repeated per item (an answer per request) carries its id.
    #[prop(into)]
    id: String,
    label: Key,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] node_ref: NodeRef<Input>,
    #[prop(optional)] required: bool,
    /// A hint shown under the label, tied to the input for screen readers.
    #[prop(optional)]
    hint: Option<Key>,
    #[prop(optional)] multiline: bool,
    #[prop(optional)] textarea_ref: NodeRef<Textarea>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described = {
        let (error_id, hint_id) = (error_id.clone(), hint_id.clone());
        move || {
            let ids: Vec<&str> =
                [hint.is_some().then_some(hint_id.as_str()), error.get().is_some().then_some(error_id.as_str())]
                    .into_iter()
                    .flatten()
                    .collect();
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let invalid = move || error.get().is_some().then_some("true");
    let control = if multiline {
        view! {
            <textarea
                id=id.clone()
                name=id.clone()
                rows="8"
                required=required
                node_ref=textarea_ref
                aria-invalid=invalid
                aria-describedby=described
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            ></textarea>
        }
        .into_any()
    } else {
        view! {
            <input
                id=id.clone()
                name=id.clone()
                type=kind
                autocomplete=autocomplete
                required=required
                node_ref=node_ref
                aria-invalid=invalid
                aria-describedby=described
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
        }
        .into_any()
    };
    view! {
        <div class="field" class:field-invalid=move || error.get().is_some()>
            <label for=id>{move || i18n.t(label)}</label>
            {hint.map(|key| view! { <p class="hint" id=hint_id.clone()>{move || i18n.t(key)}</p> })}
            {control}
            {move || error.get().map(|text| view! { <p class="field-error" id=error_id.clone()>{text}</p> })}
        </div>
    }
}
