//! Information requests: what a support agent asked for on a case, answered by the customer
//! with text and files; and the account page's list of what is waiting on the customer.

mod panel;
mod request_group;
mod waiting;

pub use panel::InformationPanel;
pub use waiting::WaitingRequests;
