//! The features layer: what a person does, one folder each, built from the ui kit and the core.

pub mod accounts;
pub mod cases;
pub mod colleagues;
pub mod layout;
pub mod passwords;
pub mod settings;
pub mod sign_in;
pub mod tam;
pub mod uploads;
