//! The ui kit: pieces every feature uses. The error view, the form kit (`form`), loading
//! state, drafts, polling, dates, times and sizes, and the button that folds a part away.

mod disclosure;
pub mod draft;
mod error_view;
pub mod form;
mod idle;
mod loaded;
mod loading;
pub mod poll;
pub mod size;
mod sleep;
pub mod time;

pub use disclosure::DisclosureButton;
pub use error_view::ErrorView;
pub use idle::when_idle;
pub use loaded::loaded;
pub use loading::Loading;
pub use sleep::sleep;
