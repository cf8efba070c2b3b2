//! The input rules, written once and run on both sides: the portal checks before it sends,
//! the API checks again because it trusts no client.

use crate::case::{CaseKind, NewCase, NewMessage, NewRating, NewResolution, Reason, Severity, Topic};
use crate::information_request::{NewInformationAnswer, NewInformationRequest};
use crate::member::{InvitationAcceptance, MemberUpdate, NewInvitation};
use crate::notification::{NewPassword, PasswordChange, PasswordResetRequest};
use crate::session::AccountRole;
use crate::session::Credentials;

pub use crate::limits;

/// Why one field was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldProblem {
    Required,
    TooLong { max: usize },
    TooShort { min: usize },
    InvalidChoice,
    InvalidEmail,
}

impl FieldProblem {
    /// The stable code sent as `details[].code`.
    pub fn code(self) -> &'static str {
        match self {
            FieldProblem::Required => "required",
            FieldProblem::TooLong { .. } => "too_long",
            FieldProblem::TooShort { .. } => "too_short",
            FieldProblem::InvalidChoice => "invalid_choice",
            FieldProblem::InvalidEmail => "invalid_email",
        }
    }

    /// English words for `details[].message`; the portal translates by code instead.
    pub fn english(self) -> String {
        match self {
            FieldProblem::Required => "must not be empty".to_owned(),
            FieldProblem::TooLong { max } => format!("must be at most {max} characters"),
            FieldProblem::TooShort { min } => format!("must be at least {min} characters"),
            FieldProblem::InvalidChoice => "is not one of the allowed values".to_owned(),
            FieldProblem::InvalidEmail => "must be an email address".to_owned(),
        }
    }
}

pub trait Validate {
    /// Every problem, field by field, in the order the fields appear on the form.
    fn problems(&self) -> Vec<(&'static str, FieldProblem)>;
}

fn text(field: &'static str, value: &str, max: usize, out: &mut Vec<(&'static str, FieldProblem)>) {
    if value.trim().is_empty() {
        out.push((field, FieldProblem::Required));
    } else if value.chars().count() > max {
        out.push((field, FieldProblem::TooLong { max }));
    }
}

impl Validate for NewCase {
    fn problems(&self) -> Vec<(&'static str, FieldProblem)> {
        let mut out = Vec::new();
        if self.kind == CaseKind::Unknown {
            out.push(("kind", FieldProblem::InvalidChoice));
        }
        if self.severity == Severity::Unknown {
            out.push(("severity", FieldProblem::InvalidChoice));
        }
        text("subject", &self.subject, limits::SUBJECT_MAX, &mut out);
        text("description", &self.description, limits::DESCRIPTION_MAX, &mut out);
        if self.topic == Some(Topic::Unknown) {
            out.push(("topic", FieldProblem::InvalidChoice));
        }
        out
    }
}

impl Validate for NewMessage {
    fn problems(&self) -> Vec<(&'static str, FieldProblem)> {
        let mut out = Vec::new();
        text("body", &self.body, limits::MESSAGE_MAX, &mut out);
        out
    }
}

impl Validate for NewResolution {
    fn problems(&self) -> Vec<(&'static str, FieldProblem)> {
        let mut out = Vec::new();
        text("summary", &self.summary, limits::MESSAGE_MAX, &mut out);
        out
    }
}

impl Validate for Reason {
    fn problems(&self) -> Vec<(&'static str, FieldProblem)> {
        let mut out = Vec::new();
        text("reason", &self.reason, limits::MESSAGE_MAX, &mut out);
        out
    }
}

impl Validate for NewRating {
    fn problems(&self) -> Vec<(&'static str, FieldProblem)> {
        let mut out = Vec::new();
        if !(1..=5).contains(&self.rating) {
            out.push(("rating", FieldProblem::InvalidChoice));
        }
        if let Some(comment) = &self.comment
            && comment.chars().count() > limits::MESSAGE_MAX
        {
            out.push(("comment", FieldProblem::TooLong { max: limits::MESSAGE_MAX }));
        }
        out
    }
}

impl Validate for NewInformationRequest {
    fn problems(&self) -> Vec<(&'static str, FieldProblem)> {
        let mut out = Vec::new();
        text("title", &self.title, limits::SUBJECT_MAX, &mut out);
        text("description", &self.description, limits::DESCRIPTION_MAX, &mut out);
        out
    }
}

impl Validate for NewInformationAnswer {
    /// Text, files or both; nothing at all is not an answer.
    fn problems(&self) -> Vec<(&'static str, FieldProblem)> {
        let mut out = Vec::new();
        match self.text() {
            None if self.attachment_ids.is_empty() => out.push(("text", FieldProblem::Required)),
            Some(text) if text.chars().count() > limits::MESSAGE_MAX => {
                out.push(("text", FieldProblem::TooLong { max: limits::MESSAGE_MAX }))
            }
            _ => {}
        }
        if self.attachment_ids.len() > limits::ANSWER_FILES_MAX {
            out.push(("attachment_ids", FieldProblem::TooLong { max: limits::ANSWER_FILES_MAX }));
        }
        out
    }
}

impl Validate for Credentials {
    fn problems(&self) -> Vec<(&'static str, FieldProblem)> {
        let mut out = Vec::new();
        text("email", &self.email, limits::EMAIL_MAX, &mut out);
        if out.is_empty() && !looks_like_email(self.email.trim()) {
            out.push(("email", FieldProblem::InvalidEmail));
        }
        if self.password.is_empty() {
            out.push(("password", FieldProblem::Required));
        } else if self.password.len() > limits::PASSWORD_MAX {
            out.push(("password", FieldProblem::TooLong { max: limits::PASSWORD_MAX }));
        }
        out
    }
}

/// A password a person sets: long enough to resist guessing, short enough for argon2.
fn new_password(field: &'static str, value: &str, out: &mut Vec<(&'static str, FieldProblem)>) {
    let length = value.chars().count();
    if value.trim().is_empty() {
        out.push((field, FieldProblem::Required));
    } else if length < limits::PASSWORD_MIN {
        out.push((field, FieldProblem::TooShort { min: limits::PASSWORD_MIN }));
    } else if value.len() > limits::PASSWORD_MAX {
        out.push((field, FieldProblem::TooLong { max: limits::PASSWORD_MAX }));
    }
}

fn email(value: &str, out: &mut Vec<(&'static str, FieldProblem)>) {
    let before = out.len();
    text("email", value, limits::EMAIL_MAX, out);
    if out.len() == before && !looks_like_email(value.trim()) {
        out.push(("email", FieldProblem::InvalidEmail));
    }
}

impl Validate for PasswordResetRequest {
    fn problems(&self) -> Vec<(&'static str, FieldProblem)> {
        let mut out = Vec::new();
        email(&self.email, &mut out);
        out
    }
}

impl Validate for NewPassword {
    fn problems(&self) -> Vec<(&'static str, FieldProblem)> {
        let mut out = Vec::new();
        new_password("password", &self.password, &mut out);
        out
    }
}

impl Validate for PasswordChange {
    fn problems(&self) -> Vec<(&'static str, FieldProblem)> {
        let mut out = Vec::new();
        if self.current_password.is_empty() {
            out.push(("current_password", FieldProblem::Required));
        } else if self.current_password.len() > limits::PASSWORD_MAX {
            out.push(("current_password", FieldProblem::TooLong { max: limits::PASSWORD_MAX }));
        }
        new_password("password", &self.password, &mut out);
        out
    }
}

/// Deliberately loose: one `@` with something on both sides and a dot in the domain.
/// The server decides whether the address exists.
fn looks_like_email(value: &str) -> bool {
    match value.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty() && domain.contains('.') && !domain.contains('@') && !value.contains(char::is_whitespace)
        }
        None => false,
    }
}

impl Validate for NewInvitation {
    fn problems(&self) -> Vec<(&'static str, FieldProblem)> {
        let mut out = Vec::new();
        email(&self.email, &mut out);
        if self.role == AccountRole::Unknown {
            out.push(("role", FieldProblem::InvalidChoice));
        }
        if self.language == Some(crate::notification::Language::Unknown) {
            out.push(("language", FieldProblem::InvalidChoice));
        }
        out
    }
}

impl Validate for MemberUpdate {
    fn problems(&self) -> Vec<(&'static str, FieldProblem)> {
        if self.role == AccountRole::Unknown { vec![("role", FieldProblem::InvalidChoice)] } else { Vec::new() }
    }
}

impl InvitationAcceptance {
    /// The problems of an acceptance by someone new: a name and a new password.
    pub fn problems_as_new_person(&self) -> Vec<(&'static str, FieldProblem)> {
        let mut out = Vec::new();
        text("name", &self.name, limits::PERSON_NAME_MAX, &mut out);
        new_password("password", &self.password, &mut out);
        out
    }

    /// The problems of an acceptance by someone who already has a user: their password, as at
    /// sign-in (any length it once allowed).
    pub fn problems_as_existing_user(&self) -> Vec<(&'static str, FieldProblem)> {
        let mut out = Vec::new();
        if self.password.is_empty() {
            out.push(("password", FieldProblem::Required));
        } else if self.password.len() > limits::PASSWORD_MAX {
            out.push(("password", FieldProblem::TooLong { max: limits::PASSWORD_MAX }));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case() -> NewCase {
        NewCase {
            kind: CaseKind::Problem,
            severity: Severity::High,
            subject: "Bounces from Gmail".into(),
            description: "Since 09:00 UTC every message to gmail.com bounces.".into(),
            topic: None,
            follow_up_of: None,
        }
    }

    #[test]
    fn a_complete_case_passes() {
        assert!(case().problems().is_empty());
    }

    #[test]
    fn blank_subject_and_description_are_named() {
        let mut c = case();
        c.subject = "   ".into();
        c.description = String::new();
        assert_eq!(c.problems(), vec![("subject", FieldProblem::Required), ("description", FieldProblem::Required)]);
    }

    #[test]
    fn length_counts_characters_not_bytes() {
        let mut c = case();
        c.subject = "é".repeat(limits::SUBJECT_MAX);
        assert!(c.problems().is_empty());
        c.subject.push('é');
        assert_eq!(c.problems(), vec![("subject", FieldProblem::TooLong { max: limits::SUBJECT_MAX })]);
    }

    #[test]
    fn unknown_choices_are_refused() {
        let mut c = case();
        c.kind = CaseKind::Unknown;
        c.topic = Some(Topic::Unknown);
        let fields: Vec<_> = c.problems().into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, vec!["kind", "topic"]);
    }

    #[test]
    fn an_answer_needs_text_or_files() {
        let empty = NewInformationAnswer { text: Some("  ".into()), attachment_ids: vec![] };
        assert_eq!(empty.problems(), vec![("text", FieldProblem::Required)]);
        let files = NewInformationAnswer { text: None, attachment_ids: vec!["att_1".into()] };
        assert!(files.problems().is_empty());
        let long = NewInformationAnswer { text: Some("x".repeat(limits::MESSAGE_MAX + 1)), attachment_ids: vec![] };
        assert_eq!(long.problems(), vec![("text", FieldProblem::TooLong { max: limits::MESSAGE_MAX })]);
    }

    #[test]
    fn credentials_need_an_email_shape_and_a_password() {
        let bad = Credentials { email: "ada".into(), password: String::new() };
        assert_eq!(bad.problems(), vec![("email", FieldProblem::InvalidEmail), ("password", FieldProblem::Required)]);
        let good = Credentials { email: "ada@acme.example".into(), password: "x".into() };
        assert!(good.problems().is_empty());
    }

    #[test]
    fn a_new_password_is_long_enough_and_a_change_names_the_current_one() {
        let short = NewPassword { password: "nine-char".into() };
        assert_eq!(short.problems(), vec![("password", FieldProblem::TooShort { min: limits::PASSWORD_MIN })]);
        assert!(NewPassword { password: "ten-chars!".into() }.problems().is_empty());
        assert_eq!(NewPassword { password: "   ".into() }.problems(), vec![("password", FieldProblem::Required)]);
        let change = PasswordChange { current_password: String::new(), password: "x".repeat(2_000) };
        assert_eq!(
            change.problems(),
            vec![
                ("current_password", FieldProblem::Required),
                ("password", FieldProblem::TooLong { max: limits::PASSWORD_MAX })
            ]
        );
        assert_eq!(
            PasswordResetRequest { email: "ada".into() }.problems(),
            vec![("email", FieldProblem::InvalidEmail)]
        );
    }
}
