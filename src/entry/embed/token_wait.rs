//! A host without a `getToken` callback (and every framed portal) is asked for a token by an
//! event and answers with `setToken` or a `token` message; the refused request waits for it.

use crate::core::api::BearerToken;
use crate::core::host::{Host, HostEvent};
use std::sync::Arc;

/// How long a refused request waits for the host's new token before the session is over.
const WAIT_MS: u32 = 10_000;
const STEP_MS: u32 = 100;

/// The same token, renewed by telling the host (`token.requested`) and waiting for it to change.
pub fn asking_host(token: &BearerToken, host: Host) -> BearerToken {
    let watched = token.clone();
    token.with_renew(Arc::new(move || {
        let stale = watched.get();
        host.emit(HostEvent::TokenRequested);
        let token = watched.clone();
        Box::pin(async move {
            let mut waited = 0;
            while waited < WAIT_MS {
                crate::ui::sleep(STEP_MS).await;
                waited += STEP_MS;
                let now = token.get();
                if now != stale && !now.is_empty() {
                    return Some(now);
                }
            }
            None
        })
    }))
}
