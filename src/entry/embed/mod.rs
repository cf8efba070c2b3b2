//! Embedding: the same build runs standalone, mounted into a host page, or in a host's frame.
//!
//! Code map: `options` (what a host hands over, checked), `mount` (the entry `embed.js` calls,
//! into a shadow root), `frame` (the `/embed/` page: configuration and token by `postMessage`
//! from an allowed parent only), `theme`, `token_wait` (a refused token waits for the host's
//! next one). The host context every page uses (mode, base path, events) is `core::host`.
//!
//! Architecture Invariant: nothing here touches the host page outside the element it was given
//! (no `<html lang>`, no title, no global styles); everything it adds to `window` is removed by
//! unmounting.

mod frame;
mod mount;
mod options;
mod theme;
mod token_wait;

pub use options::{CheckedOptions, EmbedOptions, Theme};

/// How this page was loaded: `embed.js` asked for the mount entry, or the path is the frame's.
pub fn start() -> bool {
    if mount::requested() {
        mount::register();
        return true;
    }
    frame::start()
}
