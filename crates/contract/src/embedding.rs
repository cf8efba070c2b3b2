//! Embedding: which pages may frame the portal and hand it a token.

use serde::{Deserialize, Serialize};

/// `GET /embedding` (public): the sources of the server's `frame-ancestors` policy. A framed
/// portal takes its configuration and token through `postMessage` only from a parent whose
/// origin one of them allows, so the frame policy and the message check cannot disagree.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EmbeddingPolicy {
    /// CSP source expressions: `'self'`, `'none'`, `https://dashboard.bird.example`,
    /// `https://*.bird.example`.
    pub frame_ancestors: Vec<String>,
}

/// The version of the messages and events the portal exchanges with a host.
pub const EMBED_PROTOCOL_VERSION: u32 = 1;

/// Whether `origin` (`scheme://host[:port]`, as `MessageEvent.origin` gives it) is allowed by
/// one of `sources`; `own_origin` is what `'self'` means. Stricter than CSP on purpose: a bare
/// scheme (`https:`) or `*` allows nothing, because a token must never go to any site at all.
pub fn origin_allowed(sources: &[String], origin: &str, own_origin: &str) -> bool {
    let Some(origin) = Origin::parse(origin) else {
        return false;
    };
    sources.iter().any(|source| match source.trim() {
        "'self'" => Origin::parse(own_origin).is_some_and(|own| own == origin),
        source => Origin::parse(source).is_some_and(|allowed| allowed.allows(&origin)),
    })
}

#[derive(Debug, PartialEq, Eq)]
struct Origin<'a> {
    scheme: &'a str,
    host: String,
    port: Option<&'a str>,
}

impl<'a> Origin<'a> {
    fn parse(text: &'a str) -> Option<Origin<'a>> {
        let (scheme, rest) = text.trim().split_once("://")?;
        let rest = rest.strip_suffix('/').unwrap_or(rest);
        if scheme.is_empty() || rest.is_empty() || rest.contains(['/', '?', '#', '@', ' ']) {
            return None;
        }
        let (host, port) = match rest.rsplit_once(':') {
            Some((host, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => (host, Some(port)),
            Some(_) => return None,
            None => (rest, None),
        };
        let default_port = match scheme {
            "https" => Some("443"),
            "http" => Some("80"),
            _ => None,
        };
        let port = port.filter(|p| Some(*p) != default_port);
        (!host.is_empty()).then(|| Origin { scheme, host: host.to_ascii_lowercase(), port })
    }

    /// `self` is an allowed source, perhaps with a `*.` wildcard host.
    fn allows(&self, origin: &Origin<'_>) -> bool {
        if self.scheme != origin.scheme || self.port != origin.port {
            return false;
        }
        match self.host.strip_prefix("*.") {
            Some(parent) => origin.host.strip_suffix(parent).is_some_and(|sub| sub.len() > 1 && sub.ends_with('.')),
            None => self.host == origin.host,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::origin_allowed;

    fn allowed(sources: &[&str], origin: &str) -> bool {
        let sources: Vec<String> = sources.iter().map(|s| (*s).to_owned()).collect();
        origin_allowed(&sources, origin, "https://support.bird.example")
    }

    #[test]
    fn self_is_the_portals_own_origin() {
        assert!(allowed(&["'self'"], "https://support.bird.example"));
        assert!(!allowed(&["'self'"], "https://dashboard.bird.example"));
        assert!(!allowed(&["'none'"], "https://support.bird.example"));
    }

    #[test]
    fn exact_origins_match_scheme_host_and_port() {
        let dashboard = ["https://dashboard.bird.example"];
        assert!(allowed(&dashboard, "https://dashboard.bird.example"));
        assert!(allowed(&dashboard, "https://DASHBOARD.bird.example:443"));
        assert!(!allowed(&dashboard, "http://dashboard.bird.example"));
        assert!(!allowed(&dashboard, "https://dashboard.bird.example:8443"));
        assert!(!allowed(&dashboard, "https://dashboard.bird.example.evil.example"));
        assert!(allowed(&["http://localhost:8080"], "http://localhost:8080"));
        assert!(!allowed(&["http://localhost:8080"], "http://localhost:8081"));
    }

    #[test]
    fn wildcards_cover_subdomains_only() {
        let any = ["https://*.bird.example"];
        assert!(allowed(&any, "https://eu.dashboard.bird.example"));
        assert!(!allowed(&any, "https://bird.example"));
        assert!(!allowed(&any, "https://evilbird.example"));
    }

    #[test]
    fn broad_or_broken_sources_allow_nothing() {
        assert!(!allowed(&["*", "https:", "https://"], "https://dashboard.bird.example"));
        assert!(!allowed(&["https://dashboard.bird.example"], "null"));
        assert!(!allowed(&["https://dashboard.bird.example"], ""));
        assert!(!allowed(&["https://dashboard.bird.example/path"], "https://dashboard.bird.example"));
    }
}
