//! The host context: where the portal runs (standalone, mounted into a host page, or in a
//! host's frame), the base path its links live under, and what it tells the host.
//!
//! Code map: `context` (the mode, base path and event sink in context, `link`), `events` (what
//! the portal tells the host, on the wire), `report` (navigation and session events).

mod context;
mod events;
mod report;

pub use context::{Host, HostMode, link, provide_host, use_host};
pub use events::{EVENT_SOURCE, HostEvent};
pub use report::ReportToHost;
