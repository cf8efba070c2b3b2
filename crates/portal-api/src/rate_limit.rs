//! The rules of sign-in throttling and of the budget of password reset emails, over the recent
//! events of a few keys. The events themselves live in the database (`throttle`), so every
//! instance counts the same attempts; each request loads the keys it needs into these rules,
//! applies them, and writes back what they recorded or cleared.
//!
//! Sign-in (`SignInLimiter`): every rule is keyed so that what one address does never holds back another address:
//! - one address guessing one account: `PER_PAIR` failures per window;
//! - one address guessing many accounts: `PER_ADDRESS` failures per window;
//! - one address signing in at all: `ATTEMPTS_PER_MINUTE`, right or wrong (each costs an
//!   argon2 hash, the expensive part of a sign-in);
//! - one account guessed at from many addresses (`ACCOUNT_ALERT` failures in the window): each
//!   address that has itself failed for it waits, longer with every further failure. An address
//!   that has not failed for the account is never held back by it, so its owner still signs in.
//!
//! The interface is `check` before the password is verified, then `failed` or `succeeded`.
//!
//! Password reset emails (`ResetLimiter`): every request counts, known address or not, against
//! the address it asks about (`RESETS_PER_ACCOUNT` an hour, so nobody can flood one mailbox)
//! and against the client asking (`RESETS_PER_ADDRESS`). Keyed by the address asked about
//! rather than by the account behind it, so the limit answers alike for every address and does
//! not tell which have accounts.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const WINDOW: Duration = Duration::from_secs(15 * 60);
pub const PER_PAIR: usize = 5;
/// Higher than `PER_PAIR`: several people may share one address.
pub const PER_ADDRESS: usize = 20;
pub const ATTEMPTS_PER_MINUTE: usize = 30;
pub const ACCOUNT_ALERT: usize = 10;
/// Doublings of the account delay (from one second) before it reaches `WINDOW`.
const DELAY_DOUBLINGS: usize = 10;
const MINUTE: Duration = Duration::from_secs(60);

pub const RESET_WINDOW: Duration = Duration::from_secs(60 * 60);
pub const RESETS_PER_ACCOUNT: usize = 5;
/// Higher than `RESETS_PER_ACCOUNT`: several people may share one address.
pub const RESETS_PER_ADDRESS: usize = 20;

/// A request refused before any work is done for it; try again after this many seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Throttled(pub u64);

impl Throttled {
    /// The longest of the waits that apply, if any, in whole seconds rounded up: asking again
    /// after `Retry-After` is never too early.
    fn longest(waits: impl IntoIterator<Item = Option<Duration>>) -> Option<Throttled> {
        let longest = waits.into_iter().flatten().max()?;
        let seconds = longest.as_secs() + u64::from(longest.subsec_nanos() > 0);
        Some(Throttled(seconds.max(1)))
    }
}

#[derive(Clone, Debug, Hash, PartialEq, Eq)]
pub enum Key {
    Pair { account: String, address: String },
    AddressFailures(String),
    AddressAttempts(String),
    Account(String),
}

impl Key {
    /// The key as stored, under `scope` (sign-in and reset budgets count apart).
    pub fn code(&self, scope: &str) -> String {
        // U+001F cannot be in an email address or a client address, so no two keys share a code.
        match self {
            Key::Pair { account, address } => format!("{scope}\u{1f}pair\u{1f}{account}\u{1f}{address}"),
            Key::AddressFailures(address) => format!("{scope}\u{1f}address_failures\u{1f}{address}"),
            Key::AddressAttempts(address) => format!("{scope}\u{1f}address_attempts\u{1f}{address}"),
            Key::Account(account) => format!("{scope}\u{1f}account\u{1f}{account}"),
        }
    }
}

/// What the rules changed, for the database to keep.
#[derive(Debug, PartialEq)]
pub enum Change {
    Recorded(Key, Instant),
    Cleared(Key),
}

/// The latest events of one key, oldest first; no more are kept than a rule can count.
#[derive(Default)]
struct Recent(VecDeque<Instant>);

impl Recent {
    fn record(&mut self, now: Instant, keep: usize) {
        self.0.push_back(now);
        while self.0.len() > keep {
            self.0.pop_front();
        }
    }

    fn forget_before(&mut self, now: Instant, span: Duration) {
        while self.0.front().is_some_and(|t| now.duration_since(*t) >= span) {
            self.0.pop_front();
        }
    }

    /// How long until fewer than `limit` events fall within `span`, if that many do now.
    fn wait(&mut self, now: Instant, limit: usize, span: Duration) -> Option<Duration> {
        self.forget_before(now, span);
        let len = self.0.len();
        let oldest_counted = *self.0.get(len.checked_sub(limit)?)?;
        Some(span.saturating_sub(now.duration_since(oldest_counted)))
    }
}

#[derive(Default)]
struct Counters {
    recent: HashMap<Key, Recent>,
    changes: Vec<Change>,
}

impl Counters {
    /// An event the database holds, oldest first.
    fn load(&mut self, key: Key, at: Instant) {
        self.recent.entry(key).or_default().0.push_back(at);
    }

    fn wait(&mut self, key: Key, now: Instant, limit: usize, span: Duration) -> Option<Duration> {
        self.recent.get_mut(&key)?.wait(now, limit, span)
    }

    fn record(&mut self, key: Key, now: Instant, keep: usize) {
        self.changes.push(Change::Recorded(key.clone(), now));
        self.recent.entry(key).or_default().record(now, keep);
    }

    /// The growing wait of an address that has failed for an account many others fail for too.
    fn account_delay(&mut self, account: &str, address: &str, now: Instant) -> Option<Duration> {
        let failures = self.recent.get_mut(&Key::Account(account.to_owned()))?;
        failures.forget_before(now, WINDOW);
        let doublings = failures.0.len().checked_sub(ACCOUNT_ALERT)?;
        let pair = Key::Pair { account: account.to_owned(), address: address.to_owned() };
        let last_own_failure = *self.recent.get(&pair)?.0.back()?;
        let delay = Duration::from_secs(1 << doublings.min(DELAY_DOUBLINGS)).min(WINDOW);
        (last_own_failure + delay).checked_duration_since(now).filter(|left| !left.is_zero())
    }
}

pub struct SignInLimiter {
    counters: Mutex<Counters>,
    /// Sign-ins, right or wrong, one address may try a minute (`--sign-ins-per-minute`).
    attempts_per_minute: usize,
}

impl Default for SignInLimiter {
    fn default() -> Self {
        SignInLimiter::new(ATTEMPTS_PER_MINUTE)
    }
}

impl SignInLimiter {
    pub fn new(attempts_per_minute: usize) -> SignInLimiter {
        SignInLimiter { counters: Mutex::default(), attempts_per_minute: attempts_per_minute.max(1) }
    }

    fn counters(&self) -> std::sync::MutexGuard<'_, Counters> {
        // Counting stays sound after a panic elsewhere: at worst one event is missing.
        self.counters.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Whether `address` may try a password for `account` now; when it may, the attempt is
    /// counted against the address's attempts per minute.
    pub fn check(&self, account: &str, address: &str, now: Instant) -> Result<(), Throttled> {
        let mut c = self.counters();
        let pair = Key::Pair { account: account.to_owned(), address: address.to_owned() };
        let waits = [
            c.wait(pair, now, PER_PAIR, WINDOW),
            c.wait(Key::AddressFailures(address.to_owned()), now, PER_ADDRESS, WINDOW),
            c.wait(Key::AddressAttempts(address.to_owned()), now, self.attempts_per_minute, MINUTE),
            c.account_delay(account, address, now),
        ];
        if let Some(throttled) = Throttled::longest(waits) {
            return Err(throttled);
        }
        c.record(Key::AddressAttempts(address.to_owned()), now, self.attempts_per_minute);
        Ok(())
    }

    pub fn failed(&self, account: &str, address: &str, now: Instant) {
        let mut c = self.counters();
        c.record(Key::Pair { account: account.to_owned(), address: address.to_owned() }, now, PER_PAIR);
        c.record(Key::AddressFailures(address.to_owned()), now, PER_ADDRESS);
        c.record(Key::Account(account.to_owned()), now, ACCOUNT_ALERT + DELAY_DOUBLINGS);
    }

    /// The right password from an address clears that address's failures for the account; not
    /// the account's failures from elsewhere, nor the address's failures for other accounts
    /// (signing in to one's own account must not reset a budget for guessing others).
    pub fn succeeded(&self, account: &str, address: &str) {
        let pair = Key::Pair { account: account.to_owned(), address: address.to_owned() };
        let mut c = self.counters();
        c.recent.remove(&pair);
        c.changes.push(Change::Cleared(pair));
    }

    /// The keys `check`, `failed` and `succeeded` read for this account and address.
    pub fn keys(account: &str, address: &str) -> [Key; 4] {
        [
            Key::Pair { account: account.to_owned(), address: address.to_owned() },
            Key::AddressFailures(address.to_owned()),
            Key::AddressAttempts(address.to_owned()),
            Key::Account(account.to_owned()),
        ]
    }

    pub fn load(&self, key: Key, at: Instant) {
        self.counters().load(key, at);
    }

    /// What the calls since the last `take_changes` recorded or cleared.
    pub fn take_changes(&self) -> Vec<Change> {
        std::mem::take(&mut self.counters().changes)
    }
}

/// How many password reset emails may be asked for, per address asked about and per client.
#[derive(Default)]
pub struct ResetLimiter {
    counters: Mutex<Counters>,
}

impl ResetLimiter {
    /// Whether `client` may ask for a reset email to `email` now; when it may, the request is
    /// counted against both.
    pub fn admit(&self, email: &str, client: &str, now: Instant) -> Result<(), Throttled> {
        // Counting stays sound after a panic elsewhere: at worst one request is missing.
        let mut c = self.counters.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let (account, address) = (Key::Account(email.to_lowercase()), Key::AddressAttempts(client.to_owned()));
        let waits = [
            c.wait(account.clone(), now, RESETS_PER_ACCOUNT, RESET_WINDOW),
            c.wait(address.clone(), now, RESETS_PER_ADDRESS, RESET_WINDOW),
        ];
        if let Some(throttled) = Throttled::longest(waits) {
            return Err(throttled);
        }
        c.record(account, now, RESETS_PER_ACCOUNT);
        c.record(address, now, RESETS_PER_ADDRESS);
        Ok(())
    }

    /// The keys `admit` reads for this address asked about and this client.
    pub fn keys(email: &str, client: &str) -> [Key; 2] {
        [Key::Account(email.to_lowercase()), Key::AddressAttempts(client.to_owned())]
    }

    pub fn load(&self, key: Key, at: Instant) {
        self.counters.lock().unwrap_or_else(std::sync::PoisonError::into_inner).load(key, at);
    }

    pub fn take_changes(&self) -> Vec<Change> {
        std::mem::take(&mut self.counters.lock().unwrap_or_else(std::sync::PoisonError::into_inner).changes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ADA: &str = "ada@acme.example";
    const BOB: &str = "bob@globex.example";

    fn fail(limiter: &SignInLimiter, account: &str, address: &str, now: Instant) {
        assert_eq!(limiter.check(account, address, now), Ok(()), "{account} from {address}");
        limiter.failed(account, address, now);
    }

    #[test]
    fn one_address_guessing_one_account_is_stopped_there_and_only_there() {
        let limiter = SignInLimiter::default();
        let start = Instant::now();
        for _ in 0..PER_PAIR {
            fail(&limiter, ADA, "1.1.1.1", start);
        }
        assert_eq!(limiter.check(ADA, "1.1.1.1", start), Err(Throttled(WINDOW.as_secs())));
        assert_eq!(limiter.check(ADA, "2.2.2.2", start), Ok(()), "Ada elsewhere");
        assert_eq!(limiter.check(BOB, "1.1.1.1", start), Ok(()), "another account from there");
        assert_eq!(limiter.check(ADA, "1.1.1.1", start + WINDOW), Ok(()), "the window passed");
    }

    #[test]
    fn one_address_guessing_many_accounts_is_stopped_without_touching_others() {
        let limiter = SignInLimiter::default();
        let now = Instant::now();
        for i in 0..PER_ADDRESS {
            fail(&limiter, &format!("user{i}@x.example"), "9.9.9.9", now);
        }
        assert!(limiter.check(ADA, "9.9.9.9", now).is_err());
        assert_eq!(limiter.check(ADA, "8.8.8.8", now), Ok(()));
    }

    #[test]
    fn the_retry_after_counts_from_the_oldest_failure_that_still_counts() {
        let limiter = SignInLimiter::default();
        let start = Instant::now();
        for minute in 0..PER_PAIR as u64 {
            fail(&limiter, ADA, "1.1.1.1", start + Duration::from_secs(60 * minute));
        }
        let now = start + Duration::from_secs(60 * PER_PAIR as u64);
        assert_eq!(limiter.check(ADA, "1.1.1.1", now), Err(Throttled(WINDOW.as_secs() - 60 * PER_PAIR as u64)));
        assert_eq!(limiter.check(ADA, "1.1.1.1", start + WINDOW), Ok(()), "the first failure no longer counts");
    }

    #[test]
    fn many_addresses_guessing_one_account_wait_longer_and_longer_but_its_owner_does_not() {
        let limiter = SignInLimiter::default();
        let now = Instant::now();
        for i in 0..ACCOUNT_ALERT {
            fail(&limiter, ADA, &format!("10.0.0.{i}"), now);
        }
        let next = now + Duration::from_millis(500);
        assert_eq!(limiter.check(ADA, "10.0.0.0", next), Err(Throttled(1)), "an address that failed waits");
        assert_eq!(limiter.check(ADA, "10.9.9.9", next), Ok(()), "the owner, who has not failed, signs in");
        limiter.succeeded(ADA, "10.9.9.9");
        for i in 0..5 {
            fail(&limiter, ADA, &format!("10.1.0.{i}"), now);
        }
        assert_eq!(limiter.check(ADA, "10.0.0.0", next), Err(Throttled(32)), "2^5 seconds after 5 more");
        assert_eq!(limiter.check(ADA, "10.0.0.0", now + Duration::from_secs(32)), Ok(()));
        assert_eq!(limiter.check(BOB, "10.0.0.0", next), Ok(()), "only for the account under attack");
    }

    #[test]
    fn the_account_delay_stops_growing_at_the_window() {
        let limiter = SignInLimiter::default();
        let now = Instant::now();
        for i in 0..ACCOUNT_ALERT + 3 * DELAY_DOUBLINGS {
            fail(&limiter, ADA, &format!("10.0.{}.{}", i / 200, i % 200), now);
        }
        assert_eq!(limiter.check(ADA, "10.0.0.0", now), Err(Throttled(WINDOW.as_secs())));
    }

    #[test]
    fn every_attempt_counts_against_the_address_per_minute_right_or_wrong() {
        let limiter = SignInLimiter::default();
        let now = Instant::now();
        for i in 0..ATTEMPTS_PER_MINUTE {
            assert_eq!(limiter.check(&format!("user{i}@x.example"), "7.7.7.7", now), Ok(()));
            limiter.succeeded(&format!("user{i}@x.example"), "7.7.7.7");
        }
        assert_eq!(limiter.check(ADA, "7.7.7.7", now), Err(Throttled(60)));
        assert_eq!(limiter.check(ADA, "7.7.7.8", now), Ok(()));
        assert_eq!(limiter.check(ADA, "7.7.7.7", now + MINUTE), Ok(()));
    }

    #[test]
    fn a_success_clears_its_own_failures_and_nothing_else() {
        let limiter = SignInLimiter::default();
        let now = Instant::now();
        for _ in 0..PER_PAIR - 1 {
            fail(&limiter, ADA, "1.1.1.1", now);
            fail(&limiter, BOB, "1.1.1.1", now);
        }
        limiter.succeeded(ADA, "1.1.1.1");
        fail(&limiter, ADA, "1.1.1.1", now);
        fail(&limiter, BOB, "1.1.1.1", now);
        assert_eq!(limiter.check(ADA, "1.1.1.1", now), Ok(()), "Ada's count started again");
        assert!(limiter.check(BOB, "1.1.1.1", now).is_err(), "Bob's did not");
    }

    #[test]
    fn reset_emails_are_counted_per_address_asked_about_and_per_client() {
        let limiter = ResetLimiter::default();
        let start = Instant::now();
        for _ in 0..RESETS_PER_ACCOUNT {
            assert_eq!(limiter.admit(ADA, "1.1.1.1", start), Ok(()));
        }
        assert_eq!(limiter.admit("ADA@acme.example", "2.2.2.2", start), Err(Throttled(RESET_WINDOW.as_secs())));
        assert_eq!(limiter.admit("nobody@acme.example", "1.1.1.1", start), Ok(()), "another address asked about");
        for i in RESETS_PER_ACCOUNT + 1..RESETS_PER_ADDRESS {
            assert_eq!(limiter.admit(&format!("user{i}@x.example"), "1.1.1.1", start), Ok(()));
        }
        assert!(limiter.admit(BOB, "1.1.1.1", start).is_err(), "the client asked too often");
        assert_eq!(limiter.admit(BOB, "3.3.3.3", start), Ok(()), "another client");
        assert_eq!(limiter.admit(ADA, "1.1.1.1", start + RESET_WINDOW), Ok(()), "an hour later");
    }
}
