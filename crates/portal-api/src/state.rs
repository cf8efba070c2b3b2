use crate::db::Db;
use std::path::PathBuf;
use std::sync::Arc;

/// The server's configuration: what the command line sets.
#[derive(Clone, Debug)]
pub struct Config {
    pub data_dir: PathBuf,
    pub static_dir: PathBuf,
    pub demo: bool,
    /// With `demo`: also an account with 10,000 cases, for measuring scale.
    pub demo_large: bool,
    /// The `X-MessageSystems-Webhook-Token` the inbound relay must send; none disables it.
    pub relay_token: Option<String>,
    pub content_security_policy: String,
    /// How many days after it is resolved a customer may reopen a case.
    pub reopen_window_days: u32,
}

pub const DEFAULT_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
    img-src 'self' data:; connect-src 'self'; frame-ancestors 'self'; base-uri 'self'; form-action 'self'";

impl Config {
    pub fn reopen_window(&self) -> chrono::Duration {
        chrono::Duration::days(i64::from(self.reopen_window_days))
    }

    pub fn new(data_dir: PathBuf, static_dir: PathBuf, demo: bool) -> Config {
        Config {
            data_dir,
            static_dir,
            demo,
            demo_large: false,
            relay_token: demo.then(|| "demo-relay-token".to_owned()),
            content_security_policy: DEFAULT_CSP.to_owned(),
            reopen_window_days: 14,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    /// Verified against when an email is unknown, so a wrong email costs as long as a wrong
    /// password and timing does not tell which addresses have accounts.
    pub dummy_hash: Arc<String>,
    pub sign_in_limiter: Arc<crate::rate_limit::SignInLimiter>,
}
