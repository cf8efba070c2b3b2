//! The bearer token an embedding host hands the portal, and how a refused one is renewed.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, RwLock};

/// Asks the host for a fresh token; `None` when it has none to give.
pub type RenewToken = Arc<dyn Fn() -> Pin<Box<dyn Future<Output = Option<String>>>> + Send + Sync>;

/// The current token, shared by every clone of the client.
#[derive(Clone)]
pub struct BearerToken {
    current: Arc<RwLock<String>>,
    renew: Option<RenewToken>,
}

impl BearerToken {
    pub fn new(token: String, renew: Option<RenewToken>) -> Self {
        BearerToken { current: Arc::new(RwLock::new(token)), renew }
    }

    /// The same token (shared), renewed by `renew`: for renewals that watch the token itself.
    pub fn with_renew(&self, renew: RenewToken) -> Self {
        BearerToken { current: self.current.clone(), renew: Some(renew) }
    }

    pub fn get(&self) -> String {
        self.current.read().map(|t| t.clone()).unwrap_or_default()
    }

    /// The host gave a new token (after a `session.expired` event, or on its own schedule).
    pub fn set(&self, token: String) {
        if let Ok(mut current) = self.current.write() {
            *current = token;
        }
    }

    /// A token to try again with after `stale` was refused: the one another request already
    /// obtained meanwhile, else a fresh one from the host. `None`: the session is over.
    pub async fn renew(&self, stale: &str) -> Option<String> {
        let now = self.get();
        if now != stale && !now.is_empty() {
            return Some(now);
        }
        let fresh = (self.renew.as_ref()?)().await?.trim().to_owned();
        if fresh.is_empty() || fresh == stale {
            return None;
        }
        self.set(fresh.clone());
        Some(fresh)
    }
}
