use crate::i18n::{I18n, Key, use_i18n};
use leptos::html::Input;
use leptos::prelude::*;
use portal_contract::FieldProblem;

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
    id: &'static str,
    label: Key,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] node_ref: NodeRef<Input>,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let error_id = format!("{id}-error");
    let described = error_id.clone();
    view! {
        <div class="field" class:field-invalid=move || error.get().is_some()>
            <label for=id>{move || i18n.t(label)}</label>
            <input
                id=id
                name=id
                type=kind
                autocomplete=autocomplete
                required=required
                node_ref=node_ref
                aria-invalid=move || error.get().is_some().then_some("true")
                aria-describedby=move || error.get().is_some().then(|| described.clone())
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
            {move || error.get().map(|text| view! { <p class="field-error" id=error_id.clone()>{text}</p> })}
        </div>
    }
}
