//! The Bird Premium Support Portal: a Leptos single-page app compiled to WebAssembly.
//!
//! The code stands in four layers, bottom to top. A module imports from its own layer or the
//! ones below, never from above, and no two modules import each other in a circle
//! (`layers.rs` checks both on every test run):
//!
//! | layer      | folder       | what lives there |
//! |------------|--------------|------------------|
//! | core       | `core/`      | `api` (the typed client, the only code that speaks HTTP, and `ApiError`), `i18n` (English and Italian from `locales/*.json`), `storage`, `host` (standalone, mounted or framed: `link`, `use_host`, events to the host), `session` (who is signed in), `panic_page` |
//! | ui kit     | `ui/`        | the error view, `form` (the submit hook and fields), loading state, drafts, polling, dates, times and sizes |
//! | features   | `features/`  | `accounts`, `cases` (list, new case, case page with its panels: information requests, resolution, escalation), `uploads` (resumable tus uploads), `tam`, `layout` (the shell), `sign_in` |
//! | entry      | `entry/`     | `app` (contexts and routes), `embed` (mounted into a host page or framed by one), `on_demand` (the pages outside the first load, each a wasm chunk in the release build) |

pub mod core;
pub mod entry;
pub mod features;
#[cfg(test)]
mod layers;
pub mod ui;

pub use entry::app::App;

/// Starts the portal: on the page's `<body>`, unless `embed.js` loaded it to mount into a host
/// page or this page is the frame of a host (`/embed/…` inside an iframe).
pub fn start() {
    crate::core::panic_page::install();
    if !entry::embed::start() {
        leptos::mount::mount_to_body(App);
    }
}
