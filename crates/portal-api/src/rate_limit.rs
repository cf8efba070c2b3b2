//! Sign-in attempts per address and per account: after too many failures in a window, a clear
//! 429 with `Retry-After` instead of another password check. Kept in memory: a restart forgets,
//! which errs on the side of letting people in.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Failures allowed per email address within the window.
pub const PER_ACCOUNT: usize = 5;
/// Failures allowed per client address within the window (several people may share one).
pub const PER_ADDRESS: usize = 20;

#[derive(Default)]
pub struct SignInLimiter {
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

impl SignInLimiter {
    /// Seconds to wait before trying again, when either key is over its limit.
    pub fn retry_after(&self, email: &str, address: &str, now: Instant) -> Option<u64> {
        let mut map = self.failures.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut wait = None;
        for (key, limit) in [(format!("email:{email}"), PER_ACCOUNT), (format!("addr:{address}"), PER_ADDRESS)] {
            if let Some(times) = map.get_mut(&key) {
                times.retain(|t| now.duration_since(*t) < WINDOW);
                if times.len() >= limit
                    && let Some(oldest) = times.first()
                {
                    let left = WINDOW.saturating_sub(now.duration_since(*oldest)).as_secs().max(1);
                    wait = Some(wait.map_or(left, |w: u64| w.max(left)));
                }
            }
        }
        wait
    }

    pub fn failed(&self, email: &str, address: &str, now: Instant) {
        let mut map = self.failures.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        for key in [format!("email:{email}"), format!("addr:{address}")] {
            map.entry(key).or_default().push(now);
        }
    }

    /// A successful sign-in clears the account's failures (not the address's).
    pub fn succeeded(&self, email: &str) {
        let mut map = self.failures.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        map.remove(&format!("email:{email}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_is_locked_after_five_failures_and_unlocked_by_time() {
        let limiter = SignInLimiter::default();
        let start = Instant::now();
        for _ in 0..PER_ACCOUNT {
            assert_eq!(limiter.retry_after("ada@acme.example", "1.2.3.4", start), None);
            limiter.failed("ada@acme.example", "1.2.3.4", start);
        }
        assert!(limiter.retry_after("ada@acme.example", "5.6.7.8", start).is_some());
        assert_eq!(limiter.retry_after("bob@globex.example", "5.6.7.8", start), None);
        assert_eq!(limiter.retry_after("ada@acme.example", "1.2.3.4", start + WINDOW), None);
    }

    #[test]
    fn an_address_is_limited_across_accounts() {
        let limiter = SignInLimiter::default();
        let now = Instant::now();
        for i in 0..PER_ADDRESS {
            limiter.failed(&format!("user{i}@x.example"), "9.9.9.9", now);
        }
        assert!(limiter.retry_after("new@x.example", "9.9.9.9", now).is_some());
        assert_eq!(limiter.retry_after("new@x.example", "8.8.8.8", now), None);
    }
}
