//! Resolution by mutual agreement: propose, confirm or decline, the agreement record, the
//! rating, and reopening within the window.

mod panel;
mod rating;
mod steps;

pub use panel::{Forms, ResolutionPanel};
pub use steps::{AnswerProposal, who};
