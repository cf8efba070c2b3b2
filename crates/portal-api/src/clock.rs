//! The server's "now" for what it promises and records on cases: when a first response is due
//! or overdue, event times, reopen windows, whether a TAM is reachable. It is the wall clock,
//! moved forward only by `POST /test-clock` on a server started with `--test-clock`, so a test
//! can let hours pass in a second. Sessions, upload expiry and idempotency keys keep the wall
//! clock: they guard resources rather than promises, and a test moving them would sign itself
//! out. A password reset link's hour follows this clock, so a test can see a link expire
//! without signing anyone out.

use chrono::{DateTime, Duration, Utc};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

/// How far all advances together may move the clock: far enough for any test, short of the
/// dates chrono can hold.
pub const MAX_OFFSET_SECONDS: i64 = 100 * 366 * 24 * 60 * 60;

#[derive(Clone, Debug, Default)]
pub struct Clock {
    /// Seconds added to the wall clock.
    offset: Arc<AtomicI64>,
}

impl Clock {
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + Duration::seconds(self.offset.load(Ordering::Relaxed))
    }

    /// Moves the clock `seconds` forward (never back: what was recorded stays in the past).
    /// Answers the new now, or `None` when the total would pass `MAX_OFFSET_SECONDS`.
    pub fn advance(&self, seconds: i64) -> Option<DateTime<Utc>> {
        if seconds < 0 {
            return None;
        }
        self.offset
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |offset| {
                offset.checked_add(seconds).filter(|total| *total <= MAX_OFFSET_SECONDS)
            })
            .ok()
            .map(|_| self.now())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advancing_moves_now_forward_and_only_forward() {
        let clock = Clock::default();
        let before = clock.now();
        let moved = clock.advance(3600).expect("an hour");
        assert!(moved - before >= Duration::seconds(3600) && moved - before < Duration::seconds(3700));
        assert!(clock.now() >= moved);
        assert_eq!(clock.advance(-1), None);
        assert_eq!(clock.advance(MAX_OFFSET_SECONDS), None, "past the limit in total");
        assert!(clock.now() - before < Duration::seconds(3700), "a refused advance changes nothing");
    }
}
