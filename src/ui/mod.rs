//! Pieces every feature uses: the error view, form fields, loading state, dates and times.

mod error_view;
mod field;
mod loaded;
mod loading;
pub mod time;

pub use error_view::ErrorView;
pub use field::{TextField, problem_text};
pub use loaded::loaded;
pub use loading::Loading;
