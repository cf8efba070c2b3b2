//! How long a text or how many files an input may hold: the numbers both sides check, and the
//! OpenAPI document states.

pub const SUBJECT_MAX: usize = 200;
pub const DESCRIPTION_MAX: usize = 20_000;
pub const MESSAGE_MAX: usize = 20_000;
pub const EMAIL_MAX: usize = 254;
pub const PASSWORD_MAX: usize = 1_024;
/// The shortest password a person may set (sign-in accepts any length it once allowed).
pub const PASSWORD_MIN: usize = 10;
pub const FILE_NAME_MAX: usize = 255;
/// Files one answer may carry.
pub const ANSWER_FILES_MAX: usize = 50;
/// A person's name, as they choose it when they accept an invitation.
pub const PERSON_NAME_MAX: usize = 100;
