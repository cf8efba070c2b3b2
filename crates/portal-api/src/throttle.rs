//! Sign-in throttling and the password reset budget, counted in the database so that every
//! instance on it sees the same attempts: a guesser spreading tries over instances behind a
//! load balancer is held back as if they all hit one. The rules are `rate_limit`'s; each call
//! loads the events of the keys it needs, applies the rules, and writes back their changes, in
//! one turn of the writer (`Db::call`), so two instances never both admit the last try.

use crate::db::Db;
use crate::error::ApiResult;
use crate::params;
use crate::rate_limit::{Change, Key, RESET_WINDOW, ResetLimiter, SignInLimiter, Throttled, WINDOW};
use crate::sql::Connection;
use crate::util::{parse_stamp, stamp};
use chrono::{DateTime, Utc};
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, Instant};

const SIGN_IN: &str = "sign_in";
const RESET: &str = "reset";
/// Events older than the longest window count for nothing; they are deleted this often.
const SWEEP_EVERY_SECONDS: i64 = 60;

/// One moment on both clocks: the wall clock of the stored stamps (the same on every instance)
/// and the monotonic one the rules reckon with.
struct Moment {
    stamp: DateTime<Utc>,
    instant: Instant,
}

impl Moment {
    fn now() -> Moment {
        Moment { stamp: Utc::now(), instant: Instant::now() }
    }

    /// `None` for an event before this machine's monotonic clock began: long past any window.
    fn instant_of(&self, at: DateTime<Utc>) -> Option<Instant> {
        let ago = (self.stamp - at).to_std().unwrap_or(Duration::ZERO);
        self.instant.checked_sub(ago)
    }

    fn stamp_of(&self, at: Instant) -> DateTime<Utc> {
        let ago = self.instant.saturating_duration_since(at);
        self.stamp - chrono::Duration::from_std(ago).unwrap_or_default()
    }
}

/// The events of `keys` within `span` before `now`, oldest first, handed to `load`.
fn load(
    conn: &Connection,
    scope: &str,
    keys: impl IntoIterator<Item = Key>,
    now: &Moment,
    span: Duration,
    mut into: impl FnMut(Key, Instant),
) -> ApiResult<()> {
    let since = stamp(now.stamp - chrono::Duration::from_std(span).unwrap_or_default());
    for key in keys {
        let stamps = conn.query_map(
            "SELECT at FROM throttle_events WHERE key = ?1 AND at > ?2 ORDER BY at",
            params![key.code(scope), since],
            |r| r.get::<_, String>(0),
        )?;
        for at in stamps.iter().filter_map(|s| now.instant_of(parse_stamp(s))) {
            into(key.clone(), at);
        }
    }
    Ok(())
}

fn keep(conn: &Connection, scope: &str, changes: Vec<Change>, now: &Moment) -> ApiResult<()> {
    for change in changes {
        match change {
            Change::Recorded(key, at) => conn.execute(
                "INSERT INTO throttle_events (key, at) VALUES (?1, ?2)",
                params![key.code(scope), stamp(now.stamp_of(at))],
            )?,
            Change::Cleared(key) => {
                conn.execute("DELETE FROM throttle_events WHERE key = ?1", params![key.code(scope)])?
            }
        };
    }
    Ok(())
}

/// Whether this instance should delete the old events now (at most once a minute).
fn sweep_due(last: &AtomicI64) -> bool {
    let now = Utc::now().timestamp();
    let before = last.load(Ordering::Relaxed);
    now - before >= SWEEP_EVERY_SECONDS
        && last.compare_exchange(before, now, Ordering::Relaxed, Ordering::Relaxed).is_ok()
}

fn sweep(conn: &Connection, now: &Moment) -> ApiResult<()> {
    let longest = WINDOW.max(RESET_WINDOW);
    let before = now.stamp - chrono::Duration::from_std(longest).unwrap_or_default();
    conn.execute("DELETE FROM throttle_events WHERE at < ?1", params![stamp(before)])?;
    Ok(())
}

pub struct SignInThrottle {
    db: Db,
    /// Sign-ins, right or wrong, one address may try a minute (`--sign-ins-per-minute`).
    attempts_per_minute: usize,
    last_sweep: AtomicI64,
}

impl SignInThrottle {
    pub fn new(db: Db, attempts_per_minute: usize) -> SignInThrottle {
        SignInThrottle { db, attempts_per_minute, last_sweep: AtomicI64::new(0) }
    }

    /// Whether `address` may try a password for `account` now; when it may, the attempt is
    /// counted.
    pub async fn check(&self, account: &str, address: &str) -> ApiResult<Result<(), Throttled>> {
        let (account, address, per_minute) = (account.to_owned(), address.to_owned(), self.attempts_per_minute);
        let sweep_now = sweep_due(&self.last_sweep);
        self.db
            .call(move |conn| {
                let now = Moment::now();
                if sweep_now {
                    sweep(conn, &now)?;
                }
                let rules = SignInLimiter::new(per_minute);
                load(conn, SIGN_IN, SignInLimiter::keys(&account, &address), &now, WINDOW, |k, at| rules.load(k, at))?;
                let verdict = rules.check(&account, &address, now.instant);
                keep(conn, SIGN_IN, rules.take_changes(), &now)?;
                Ok(verdict)
            })
            .await
    }

    pub async fn failed(&self, account: &str, address: &str) -> ApiResult<()> {
        self.apply(account, address, |rules, account, address, now| rules.failed(account, address, now)).await
    }

    pub async fn succeeded(&self, account: &str, address: &str) -> ApiResult<()> {
        self.apply(account, address, |rules, account, address, _| rules.succeeded(account, address)).await
    }

    /// A rule that only records or clears, with nothing to read first.
    async fn apply(
        &self,
        account: &str,
        address: &str,
        rule: impl FnOnce(&SignInLimiter, &str, &str, Instant) + Send + 'static,
    ) -> ApiResult<()> {
        let (account, address, per_minute) = (account.to_owned(), address.to_owned(), self.attempts_per_minute);
        self.db
            .call(move |conn| {
                let now = Moment::now();
                let rules = SignInLimiter::new(per_minute);
                rule(&rules, &account, &address, now.instant);
                keep(conn, SIGN_IN, rules.take_changes(), &now)
            })
            .await
    }
}

pub struct ResetThrottle {
    db: Db,
}

impl ResetThrottle {
    pub fn new(db: Db) -> ResetThrottle {
        ResetThrottle { db }
    }

    /// Whether `client` may ask for a reset email to `email` now; when it may, the request is
    /// counted against both.
    pub async fn admit(&self, email: &str, client: &str) -> ApiResult<Result<(), Throttled>> {
        let (email, client) = (email.to_owned(), client.to_owned());
        self.db
            .call(move |conn| {
                let now = Moment::now();
                let rules = ResetLimiter::default();
                load(conn, RESET, ResetLimiter::keys(&email, &client), &now, RESET_WINDOW, |k, at| rules.load(k, at))?;
                let verdict = rules.admit(&email, &client, now.instant);
                keep(conn, RESET, rules.take_changes(), &now)?;
                Ok(verdict)
            })
            .await
    }
}
