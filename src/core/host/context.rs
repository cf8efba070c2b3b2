//! Where the portal runs: on its own, mounted into a host page, or in a host's frame.

use super::HostEvent;
use leptos::prelude::*;
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HostMode {
    Standalone,
    /// Mounted by `embed.js` into an element of the host page (a shadow root).
    Mounted,
    /// A page of the portal inside the host's iframe.
    Framed,
}

type Notify = Arc<dyn Fn(&HostEvent) + Send + Sync>;

/// The host, provided in context; standalone when none was.
#[derive(Clone)]
pub struct Host {
    mode: HostMode,
    base: Arc<str>,
    notify: Option<Notify>,
}

impl Host {
    pub fn standalone() -> Self {
        Host { mode: HostMode::Standalone, base: "".into(), notify: None }
    }

    /// `base` is the path the portal's routes live under (`/support`: the case page is
    /// `/support/cases/…`); `notify` delivers events to the host.
    pub fn embedded(mode: HostMode, base: &str, notify: impl Fn(&HostEvent) + Send + Sync + 'static) -> Self {
        Host { mode, base: base.trim_end_matches('/').into(), notify: Some(Arc::new(notify)) }
    }

    pub fn mode(&self) -> HostMode {
        self.mode
    }

    pub fn is_embedded(&self) -> bool {
        self.mode != HostMode::Standalone
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    pub fn emit(&self, event: HostEvent) {
        if let Some(notify) = &self.notify {
            notify(&event);
        }
    }

    /// The portal's own path for a path of the browser's address bar.
    pub fn portal_path(&self, browser_path: &str) -> String {
        match browser_path.strip_prefix(&*self.base) {
            Some("") => "/".to_owned(),
            Some(rest) if rest.starts_with('/') => rest.to_owned(),
            _ => browser_path.to_owned(),
        }
    }
}

pub fn provide_host(host: Host) {
    provide_context(host);
}

pub fn use_host() -> Host {
    use_context::<Host>().unwrap_or_else(Host::standalone)
}

/// The `href` of a portal path: under the host's base path when embedded. The router prefixes
/// the base when it navigates, but an `<A href="/…">` is taken as written.
pub fn link(path: impl AsRef<str>) -> String {
    format!("{}{}", use_host().base(), path.as_ref())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn portal_paths_drop_the_base() {
        let host = Host::embedded(HostMode::Mounted, "/support/", |_| {});
        assert_eq!(host.base(), "/support");
        assert_eq!(host.portal_path("/support/cases/case_1"), "/cases/case_1");
        assert_eq!(host.portal_path("/support"), "/");
        assert_eq!(host.portal_path("/supportive/x"), "/supportive/x");
        assert_eq!(Host::standalone().portal_path("/accounts"), "/accounts");
    }
}
