//! A host without a `getToken` callback (and every framed portal) is asked for a token by an
//! event and answers with `setToken` or a `token` message; the refused request waits for it.

use crate::api::{BearerToken, RenewToken};
use std::sync::Arc;

/// How long a refused request waits for the host's new token before the session is over.
const WAIT_MS: u32 = 10_000;
const STEP_MS: u32 = 100;

/// A renewal that runs `ask` (which tells the host) and then waits for the token to change.
pub fn ask_and_wait(token: &BearerToken, ask: impl Fn() + Send + Sync + 'static) -> RenewToken {
    let token = token.clone();
    Arc::new(move || {
        let stale = token.get();
        ask();
        let token = token.clone();
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
    })
}
