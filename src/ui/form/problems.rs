//! The words for what is wrong with a field, and the field a form component shows.

use crate::core::i18n::{I18n, Key, Plural};
use leptos::prelude::*;
use portal_contract::{FieldError, FieldProblem, Validate};

/// The fields a check refused, by their name in the request body, with the words for each.
pub type Refused = Vec<(&'static str, String)>;

/// The words for a problem the server found in a field, by its stable code; its own English
/// message when the code is one this portal does not know.
pub fn server_problem_text(i18n: I18n, error: &FieldError) -> String {
    match error.code.as_deref() {
        Some("required") => problem_text(i18n, FieldProblem::Required),
        Some("invalid_choice") => problem_text(i18n, FieldProblem::InvalidChoice),
        Some("invalid_email") => problem_text(i18n, FieldProblem::InvalidEmail),
        Some("too_short") => problem_text(i18n, FieldProblem::TooShort { min: portal_contract::limits::PASSWORD_MIN }),
        Some("wrong_password") => i18n.t(Key::FieldWrongPassword).to_owned(),
        _ => i18n.t(Key::FieldInvalid).to_owned(),
    }
}

/// The words for a field problem found in the page.
pub fn problem_text(i18n: I18n, problem: FieldProblem) -> String {
    match problem {
        FieldProblem::Required => i18n.t(Key::FieldRequired).to_owned(),
        FieldProblem::TooLong { max } => {
            let forms = Plural { one: Key::FieldTooLongOne, other: Key::FieldTooLongOther };
            // Plain digits: the limits are a few thousand at most, and Intl's number formatting
            // is not otherwise part of the first load, which carries this form.
            i18n.plural(forms, max as u64, &[("max", &max.to_string())])
        }
        FieldProblem::TooShort { min } => {
            let forms = Plural { one: Key::FieldTooShortOne, other: Key::FieldTooShortOther };
            i18n.plural(forms, min as u64, &[("min", &min.to_string())])
        }
        FieldProblem::InvalidChoice => i18n.t(Key::FieldInvalidChoice).to_owned(),
        FieldProblem::InvalidEmail => i18n.t(Key::FieldInvalidEmail).to_owned(),
    }
}

/// `body` if the contract's rules accept it, else the words for every field they refuse: the
/// check a form hands to `use_submit`.
pub fn checked<B: Validate>(i18n: I18n, body: B) -> Result<B, Refused> {
    let problems = body.problems();
    if problems.is_empty() {
        Ok(body)
    } else {
        Err(problems.into_iter().map(|(field, problem)| (field, problem_text(i18n, problem))).collect())
    }
}

/// What a field component shows and changes: the value, how to change it, and its problem
/// while it has one. From `UseSubmitReturn::field` for a form's field.
#[derive(Clone, Copy)]
pub struct FormField {
    pub value: Signal<String>,
    pub set: Callback<String>,
    pub error: Signal<Option<String>>,
}

impl FormField {
    /// A field outside a checked form (the case list's filters): it never has a problem.
    pub fn unchecked(value: impl Into<Signal<String>>, set: Callback<String>) -> Self {
        FormField { value: value.into(), set, error: Signal::stored(None) }
    }
}
