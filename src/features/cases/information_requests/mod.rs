//! Information requests: what a support agent asked for on a case, answered by the customer
//! with text and files, on the case and where "Needs your action" lists them.

mod panel;
mod request_group;

pub use panel::InformationPanel;
pub use request_group::RequestGroup;
