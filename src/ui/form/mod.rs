//! The form kit: `use_submit` (checking, pending, failure with its request id, retry with the
//! same idempotency key, focus on the first refused field), the fields (`TextField`,
//! `TextArea`, `SelectField`), whose problems go as soon as the value is acceptable, and the
//! parts around them. Every form of the portal is built from these.

mod fields;
mod parts;
mod problems;
mod reason_action;
mod submit;

pub use fields::{SelectField, TextArea, TextField};
pub use parts::{FormStatus, SendFailure, SubmitButton, SubmitForm};
pub use problems::{FormField, Refused, checked, problem_text, server_problem_text};
pub use reason_action::ReasonAction;
pub use submit::{UseSubmitOptions, UseSubmitReturn, focus_first, use_submit, use_submit_with_options};
