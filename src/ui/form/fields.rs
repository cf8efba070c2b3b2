//! The form's fields: each labelled, with an optional hint, and its problem (while it has one)
//! announced and tied to the control by `aria-describedby`.

use super::problems::FormField;
use crate::core::i18n::{Key, use_i18n};
use leptos::prelude::*;

/// The ids a control is described by: its hint, what else the caller names, and its problem
/// while it has one.
fn described_by_ids(
    hint_id: Option<String>,
    also: Option<String>,
    error_id: String,
    error: Signal<Option<String>>,
) -> impl Fn() -> Option<String> + Clone + Send + Sync + 'static {
    move || {
        let error_id = error.get().is_some().then_some(error_id.as_str());
        let ids: Vec<&str> = [hint_id.as_deref(), also.as_deref(), error_id].into_iter().flatten().collect();
        (!ids.is_empty()).then(|| ids.join(" "))
    }
}

/// The label, hint, control and problem of one field.
#[component]
fn FieldShell(
    id: String,
    label: Key,
    hint: Option<Key>,
    error: Signal<Option<String>>,
    children: Children,
) -> impl IntoView {
    let i18n = use_i18n();
    let (hint_id, error_id) = (format!("{id}-hint"), format!("{id}-error"));
    view! {
        <div class="field" class:field-invalid=move || error.get().is_some()>
            <label for=id>{move || i18n.t(label)}</label>
            {hint.map(|key| view! { <p class="hint" id=hint_id>{move || i18n.t(key)}</p> })}
            {children()}
            {move || error.get().map(|text| view! { <p class="field-error" id=error_id.clone()>{text}</p> })}
        </div>
    }
}

/// A single-line input.
#[component]
pub fn TextField(
    /// Unique on the page: a field repeated per item (an answer per request) carries its id.
    #[prop(into)]
    id: String,
    label: Key,
    field: FormField,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] required: bool,
    /// A hint shown under the label, tied to the input for screen readers.
    #[prop(optional)]
    hint: Option<Key>,
    /// An element elsewhere that describes the input too (a rule checked as the person types).
    #[prop(optional, into)]
    described_by: Option<String>,
) -> impl IntoView {
    let hint_id = hint.map(|_| format!("{id}-hint"));
    let described = described_by_ids(hint_id, described_by, format!("{id}-error"), field.error);
    view! {
        <FieldShell id=id.clone() label hint error=field.error>
            <input
                id=id.clone()
                name=id.clone()
                type=kind
                autocomplete=autocomplete
                required=required
                aria-invalid=move || field.error.get().is_some().then_some("true")
                aria-describedby=described.clone()
                prop:value=move || field.value.get()
                on:input=move |ev| field.set.run(event_target_value(&ev))
            />
        </FieldShell>
    }
}

/// A text of several lines.
#[component]
pub fn TextArea(
    #[prop(into)] id: String,
    label: Key,
    field: FormField,
    #[prop(optional)] required: bool,
    #[prop(optional)] hint: Option<Key>,
    #[prop(default = 8)] rows: u32,
) -> impl IntoView {
    let described = described_by_ids(hint.map(|_| format!("{id}-hint")), None, format!("{id}-error"), field.error);
    view! {
        <FieldShell id=id.clone() label hint error=field.error>
            <textarea
                id=id.clone()
                name=id.clone()
                rows=rows
                required=required
                aria-invalid=move || field.error.get().is_some().then_some("true")
                aria-describedby=described.clone()
                prop:value=move || field.value.get()
                on:input=move |ev| field.set.run(event_target_value(&ev))
            ></textarea>
        </FieldShell>
    }
}

/// A choice among `options` (wire value, words), the one equal to the field's value selected.
#[component]
pub fn SelectField(
    id: &'static str,
    label: Key,
    field: FormField,
    options: Vec<(&'static str, Key)>,
    /// An element elsewhere on the page that explains the choice (it may change with it).
    #[prop(optional)]
    described_by: Option<&'static str>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error_id = format!("{id}-error");
    let described = move || {
        let error = field.error.get().is_some().then_some(error_id.as_str());
        let ids: Vec<&str> = [described_by, error].into_iter().flatten().collect();
        (!ids.is_empty()).then(|| ids.join(" "))
    };
    view! {
        <FieldShell id=id.to_owned() label hint=None error=field.error>
            <select
                id=id
                aria-invalid=move || field.error.get().is_some().then_some("true")
                aria-describedby=described
                on:change=move |ev| field.set.run(event_target_value(&ev))
            >
                {options
                    .into_iter()
                    .map(|(value, key)| view! {
                        <option value=value selected=move || field.value.with(|v| v == value)>{move || i18n.t(key)}</option>
                    })
                    .collect_view()}
            </select>
        </FieldShell>
    }
}
