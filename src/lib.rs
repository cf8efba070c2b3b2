//! The Bird Premium Support Portal: a Leptos single-page app compiled to WebAssembly.
//!
//! Code map (by feature; each folder holds its pages, components and state):
//! - `api`: the typed client, the only code that speaks HTTP, and `ApiError`.
//! - `session`: sign-in page, session state, the guard that sends signed-out people to sign in.
//! - `accounts`: the accounts list and the account page.
//! - `cases`: the case list (filters in the URL) and the case page.
//! - `information_requests`: what support asked for, answered with text and files.
//! - `uploads`: resumable uploads (tus) with progress, the picker and attachment lists.
//! - `resolution`: propose, confirm or decline, rate, reopen.
//! - `tam`: the TAM card and page, escalation to the TAM.
//! - `layout`: the shell (skip link, navigation, language, sign out).
//! - `on_demand`: the pages outside the first load, each a wasm chunk in the release build.
//! - `embed`: mounted into a host page or framed by one: options, events to the host, theming.
//! - `ui`: the error view, fields, loading state, dates and times.
//! - `i18n`: English and Italian from `locales/*.json`.

pub mod accounts;
pub mod api;
pub mod app;
pub mod cases;
pub mod embed;
pub mod i18n;
pub mod information_requests;
pub mod layout;
pub mod on_demand;
pub mod panic_page;
pub mod resolution;
pub mod session;
pub mod storage;
pub mod tam;
pub mod ui;
pub mod uploads;

pub use app::App;

/// Starts the portal: on the page's `<body>`, unless `embed.js` loaded it to mount into a host
/// page or this page is the frame of a host (`/embed/…` inside an iframe).
pub fn start() {
    panic_page::install();
    if !embed::start() {
        leptos::mount::mount_to_body(App);
    }
}
