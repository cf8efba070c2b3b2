//! Embedding: the same build runs standalone, mounted into a host page, or in a host's frame.
//!
//! Code map: `options` (what a host hands over, checked), `host` (the mode, base path and event
//! sink in context), `events` (what the portal tells the host), `report` (navigation and session
//! events), `mount` (the entry `embed.js` calls, into a shadow root), `frame` (the `/embed/`
//! page: configuration and token by `postMessage` from an allowed parent only), `theme`.
//!
//! Architecture Invariant: nothing here touches the host page outside the element it was given
//! (no `<html lang>`, no title, no global styles); everything it adds to `window` is removed by
//! unmounting.

mod events;
mod frame;
mod host;
mod mount;
mod options;
mod report;
mod theme;
mod token_wait;

pub use events::{EVENT_SOURCE, HostEvent};
pub use host::{Host, HostMode, link, provide_host, use_host};
pub use options::{CheckedOptions, EmbedOptions, Theme};
pub use report::ReportToHost;

/// How this page was loaded: `embed.js` asked for the mount entry, or the path is the frame's.
pub fn start() -> bool {
    if mount::requested() {
        mount::register();
        return true;
    }
    frame::start()
}
