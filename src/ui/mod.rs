//! Pieces every feature uses: the error view, form fields, loading state, dates and times.

pub mod draft;
mod error_view;
mod field;
mod idle;
mod loaded;
mod loading;
pub mod poll;
mod reason_action;
mod send_failure;
pub mod size;
mod sleep;
pub mod time;

pub use error_view::ErrorView;
pub use field::{TextField, problem_text, server_problem_text};
pub use idle::when_idle;
pub use loaded::loaded;
pub use loading::Loading;
pub use reason_action::ReasonAction;
pub use send_failure::SendFailure;
pub use sleep::sleep;
