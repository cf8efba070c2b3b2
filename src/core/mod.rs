//! The core layer: what every page stands on and that draws nothing of its own. The API client,
//! the words (`i18n`), browser storage, the host context (standalone, mounted or framed; `link`
//! and `use_host`), the session state, and the page shown when a bug stops the portal.

pub mod api;
pub mod host;
pub mod i18n;
pub mod panic_page;
pub mod session;
pub mod storage;
