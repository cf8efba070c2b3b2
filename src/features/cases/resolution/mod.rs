//! Resolution by mutual agreement: propose, confirm or decline, the agreement record, the
//! rating; and on a resolved case, reopening within the window or a follow-up case.

mod panel;
mod rating;
mod resolved;
mod steps;

pub use panel::{Forms, ResolutionPanel};
pub use resolved::ResolvedNext;
pub use steps::{AnswerProposal, who};
