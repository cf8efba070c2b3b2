//! The typed API client: the only code in the portal that speaks HTTP.
//!
//! Architecture Invariant: every status code and every broken answer becomes an `ApiError` in
//! one place (`ApiError::from_answer`); pages never look at status codes or raw bodies.

mod abort;
mod bearer;
mod client;
mod error;

pub use abort::{ViewAbort, use_view_abort};
pub use bearer::{BearerToken, RenewToken};
pub use client::{ApiClient, NewUpload, use_api};
pub use error::ApiError;
