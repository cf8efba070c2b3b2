use crate::db::Db;
use portal_contract::file_types::{FILE_TYPES, FileType, media_type_matches};
use std::path::PathBuf;
use std::sync::Arc;

/// The server's configuration: what the command line sets.
#[derive(Clone, Debug)]
pub struct Config {
    pub data_dir: PathBuf,
    /// `--database-url postgres://…`: PostgreSQL, shared by every instance; `None` is the
    /// SQLite file in the data dir.
    pub database_url: Option<String>,
    pub static_dir: PathBuf,
    pub demo: bool,
    /// With `demo`: also an account with 10,000 cases, for measuring scale.
    pub demo_large: bool,
    /// The `X-MessageSystems-Webhook-Token` the inbound relay must send; none disables it.
    pub relay_token: Option<String>,
    pub content_security_policy: String,
    /// Who may frame the portal: the `frame-ancestors` sources, also published at
    /// `GET /embedding` for the framed portal's `postMessage` check.
    pub frame_ancestors: Vec<String>,
    /// How many days after it is resolved a customer may reopen a case.
    pub reopen_window_days: u32,
    /// The designated address customers write to (`--support-address`), shown in the portal.
    pub support_address: String,
    /// How notification emails leave and link back.
    pub mail: crate::mail::MailConfig,
    pub uploads: UploadConfig,
    /// Where attachments and upload parts are kept (`--object-store s3://bucket?endpoint=…&region=…`);
    /// `None` is the data dir.
    pub object_store: Option<String>,
    /// The portal is served over HTTPS (directly or behind a proxy): the session cookie is
    /// `__Host-` and `Secure`, and answers carry `Strict-Transport-Security`.
    pub secure_cookies: bool,
    /// How many connections, and how slow a client may be; see `server.rs`.
    pub connections: crate::server::ConnectionLimits,
    /// Peers whose `X-Forwarded-For` and `X-Forwarded-Proto` are believed (`--trusted-proxy`).
    pub trusted_proxies: Vec<crate::client_addr::Cidr>,
    /// How many cases one person may open through the API in an hour.
    pub cases_per_hour: u32,
    /// Sign-ins one client address may try a minute, right or wrong (argon2 is the cost).
    pub sign_ins_per_minute: usize,
    /// For tests only (`--test-clock`): `POST /test-clock` moves the server's clock forward.
    pub test_clock: bool,
}

/// What an upload may be and how long an unfinished one is kept.
#[derive(Clone, Debug)]
pub struct UploadConfig {
    pub max_size: u64,
    /// Narrows the allow-list of `portal_contract::file_types` to the extensions whose media
    /// type is one of these (exact types or whole families, `image/*`). Never widens it.
    pub media_types: Vec<String>,
    pub files_per_case: u32,
    /// An upload not finished this long after it was created is deleted with its bytes.
    pub expiry: std::time::Duration,
    /// The most the portal sends per `PATCH`.
    pub chunk_size: u64,
    /// What one account's attachments and unfinished uploads may occupy, in bytes.
    pub storage_quota: u64,
}

/// The terms' designated support address, unless `--support-address` names another.
pub const DEFAULT_SUPPORT_ADDRESS: &str = "premium-support@bird.example";

/// More than a person opens by hand, few enough that a script cannot flood Bird's queue.
pub const DEFAULT_CASES_PER_HOUR: u32 = 30;

/// 20 GiB per account.
pub const DEFAULT_STORAGE_QUOTA: u64 = 20 * 1024 * 1024 * 1024;

impl Default for UploadConfig {
    fn default() -> Self {
        UploadConfig {
            max_size: 2 * 1024 * 1024 * 1024,
            media_types: vec!["*/*".to_owned()],
            files_per_case: 100,
            expiry: std::time::Duration::from_secs(24 * 60 * 60),
            chunk_size: 64 * 1024 * 1024,
            storage_quota: DEFAULT_STORAGE_QUOTA,
        }
    }
}

impl UploadConfig {
    /// The file types of the allow-list this server accepts.
    pub fn file_types(&self) -> Vec<&'static FileType> {
        FILE_TYPES
            .iter()
            .filter(|t| self.media_types.iter().any(|pattern| media_type_matches(pattern, t.media_type)))
            .collect()
    }

    pub fn limits(&self) -> portal_contract::UploadLimits {
        let accepted = self.file_types();
        let mut media_types: Vec<String> = Vec::new();
        for t in &accepted {
            if !media_types.iter().any(|m| m == t.media_type) {
                media_types.push(t.media_type.to_owned());
            }
        }
        portal_contract::UploadLimits {
            max_size: self.max_size,
            media_types,
            extensions: accepted.iter().map(|t| format!(".{}", t.extension)).collect(),
            files_per_case: self.files_per_case,
        }
    }
}

pub const DEFAULT_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
    img-src 'self' data:; connect-src 'self'; frame-ancestors 'self'; base-uri 'self'; form-action 'self'";

/// The sources allowed to frame the portal (e.g. the Bird dashboard's origin); anything that
/// is not a plain source expression is dropped, so a flag cannot smuggle another directive
/// into the policy. Empty means `'self'`.
pub fn frame_ancestor_sources(ancestors: &[String]) -> Vec<String> {
    let sources: Vec<String> = ancestors
        .iter()
        .map(|a| a.trim())
        .filter(|a| !a.is_empty() && !a.contains([';', ',', ' ', '\'', '"']) || *a == "'self'" || *a == "'none'")
        .map(str::to_owned)
        .collect();
    if sources.is_empty() { vec!["'self'".to_owned()] } else { sources }
}

/// The policy with `frame-ancestors` set to `sources` (already through `frame_ancestor_sources`).
pub fn csp_with_frame_ancestors(sources: &[String]) -> String {
    DEFAULT_CSP.replace("frame-ancestors 'self'", &format!("frame-ancestors {}", sources.join(" ")))
}

impl Config {
    /// Sets who may frame the portal: the policy header and the published list together.
    pub fn set_frame_ancestors(&mut self, ancestors: &[String]) {
        self.frame_ancestors = frame_ancestor_sources(ancestors);
        self.content_security_policy = csp_with_frame_ancestors(&self.frame_ancestors);
    }

    pub fn reopen_window(&self) -> chrono::Duration {
        chrono::Duration::days(i64::from(self.reopen_window_days))
    }

    pub fn new(data_dir: PathBuf, static_dir: PathBuf, demo: bool) -> Config {
        Config {
            data_dir,
            database_url: None,
            static_dir,
            demo,
            demo_large: false,
            relay_token: demo.then(|| "demo-relay-token".to_owned()),
            content_security_policy: DEFAULT_CSP.to_owned(),
            frame_ancestors: vec!["'self'".to_owned()],
            reopen_window_days: 14,
            support_address: DEFAULT_SUPPORT_ADDRESS.to_owned(),
            mail: crate::mail::MailConfig::default(),
            uploads: UploadConfig::default(),
            object_store: None,
            secure_cookies: false,
            connections: crate::server::ConnectionLimits::default(),
            trusted_proxies: Vec::new(),
            cases_per_hour: DEFAULT_CASES_PER_HOUR,
            sign_ins_per_minute: crate::rate_limit::ATTEMPTS_PER_MINUTE,
            test_clock: false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Config, UploadConfig};

    #[test]
    fn media_types_narrow_the_allow_list_and_never_widen_it() {
        let all = UploadConfig::default().limits();
        assert!(all.extensions.iter().any(|e| e == ".log") && all.extensions.iter().any(|e| e == ".pdf"));
        assert_eq!(all.media_types.iter().filter(|m| *m == "text/plain").count(), 1, "each type once");
        let narrowed = UploadConfig {
            media_types: vec![
                "text/plain".into(),
                "image/*".into(),
                "text/html".into(),
                "application/octet-stream".into(),
            ],
            ..UploadConfig::default()
        }
        .limits();
        assert!(narrowed.extensions.iter().any(|e| e == ".log") && narrowed.extensions.iter().any(|e| e == ".webp"));
        assert!(!narrowed.extensions.iter().any(|e| e == ".pdf" || e == ".csv"));
        assert!(!narrowed.media_types.iter().any(|m| m == "text/html" || m == "application/octet-stream"));
    }

    #[test]
    fn frame_ancestors_take_sources_and_nothing_else() {
        let mut config = Config::new("d".into(), "s".into(), false);
        config.set_frame_ancestors(&["'self'".into(), "https://dashboard.bird.example".into()]);
        let csp = &config.content_security_policy;
        assert!(csp.contains("frame-ancestors 'self' https://dashboard.bird.example; "), "{csp}");
        assert_eq!(config.frame_ancestors, ["'self'", "https://dashboard.bird.example"]);
        config.set_frame_ancestors(&["https://x.example; script-src *".into()]);
        let csp = &config.content_security_policy;
        assert!(csp.contains("frame-ancestors 'self'; ") && !csp.contains("script-src *"), "{csp}");
        assert_eq!(config.frame_ancestors, ["'self'"]);
    }
}

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    /// Verified against when an email is unknown, so a wrong email costs as long as a wrong
    /// password and timing does not tell which addresses have accounts.
    pub dummy_hash: Arc<String>,
    pub sign_in_limiter: Arc<crate::throttle::SignInThrottle>,
    pub reset_limiter: Arc<crate::throttle::ResetThrottle>,
    /// Who writes to which upload, on every instance.
    pub uploads: crate::uploads::Leases,
    pub objects: crate::objects::Objects,
    pub clock: crate::clock::Clock,
    /// Signs reply addresses and unsubscribe links.
    pub mail_key: crate::mail::token::MailKey,
}
