//! "Needs your action": what waits on the customer (open information requests, resolutions Bird
//! proposed), each with its action where it is listed, on the account page and above a case's
//! timeline.
//!
//! The region's heading is drawn with the page; its items and their forms (answers with files,
//! confirming or declining a resolution) come from a chunk fetched on demand (`slot`), so the
//! account page, which is in the first load, stays within the first-load budget.

mod items;
mod list;
mod slot;

pub use items::{of_case, with_case};
pub use slot::{NeedsActionRegion, fetch_code};
