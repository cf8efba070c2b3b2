//! The task that delivers the outbox: it takes the due notifications oldest first, composes
//! each, hands it to the transport, and marks it sent only once the mail server accepted it.
//! A temporary failure is tried again later, each wait twice the one before (with jitter, at
//! most an hour) until `give_up_after`; a permanent refusal fails the row at once. Once a
//! minute (by the server's clock) it also writes the "reopen window closing" reminders.
//!
//! It finds new rows by asking the `notifications_due` index every `IDLE_POLL` while idle
//! rather than being woken by the writers: rows come from HTTP handlers, the inbound relay,
//! this task's own reminders and tools working on the same file, and a poll cannot be forgotten
//! by any of them. The question is one indexed read on a reader connection, five a second.
//!
//! After a crash nothing is lost: an unsent row is still due, and is sent again under its own
//! `Message-ID`. Only a message the server accepted just before the crash, and that was not
//! marked yet, reaches its recipient twice, as the same message.

use super::compose::compose;
use super::outbox::{self, Queued};
use super::transport::{Failure, SMTP_CONNECTIONS, Transport};
use crate::clock::Clock;
use crate::db::Db;
use crate::error::ApiResult;
use crate::state::AppState;
use chrono::{DateTime, Utc};
use std::sync::Arc;
use std::time::Duration;
use tokio::task::JoinSet;

/// How often an idle sender asks for due rows: the wait an event's email may have before it
/// leaves (the goal is under a second from the event to the mail server).
const IDLE_POLL: Duration = Duration::from_millis(200);
/// Rows taken at once; a full batch means more may wait, so the next is taken without a pause.
/// Small enough to be delivered well within `CLAIM_LEASE` even when every message takes its
/// full timeouts (4 rounds of at most a minute).
const BATCH: u32 = 16;
/// Messages in flight at once: one for each pooled SMTP connection.
const CONCURRENCY: usize = SMTP_CONNECTIONS;
/// How often the reopen windows are looked at.
const SCAN_EVERY: chrono::Duration = chrono::Duration::minutes(1);
/// How long a batch taken by one instance is left by the others' senders: longer than
/// delivering it can take. An instance that dies holding a batch leaves it to the others after
/// this, sent then under the same Message-IDs, as after a crash of a single server. (A lone
/// SQLite server takes its batch back at once when it starts again: `outbox::release_claims`.)
const CLAIM_LEASE: chrono::Duration = chrono::Duration::minutes(5);
/// How long before a reopen window ends its followers are told.
const CLOSING_NOTICE: chrono::Duration = chrono::Duration::hours(24);

#[derive(Clone)]
struct Sender {
    db: Db,
    config: Arc<crate::state::Config>,
    clock: Clock,
    key: super::token::MailKey,
    transport: Transport,
}

/// Starts delivering the outbox of `state`'s database through `transport`, for as long as the
/// runtime runs.
pub fn spawn(state: &AppState, transport: Transport) -> tokio::task::JoinHandle<()> {
    let sender = Sender {
        db: state.db.clone(),
        config: state.config.clone(),
        clock: state.clock.clone(),
        key: state.mail_key.clone(),
        transport,
    };
    tokio::spawn(sender.run())
}

impl Sender {
    async fn run(self) {
        let mut next_scan = self.clock.now();
        loop {
            let now = self.clock.now();
            if now >= next_scan {
                if let Err(e) = self.remind_closing_windows(now).await {
                    tracing::error!(error = ?e, "writing reopen-window reminders failed; trying again next minute");
                }
                next_scan = now + SCAN_EVERY;
            }
            match self.deliver_due().await {
                Ok(taken) if taken == BATCH as usize => {}
                Ok(_) => tokio::time::sleep(IDLE_POLL).await,
                Err(e) => {
                    tracing::error!(error = ?e, "reading the outbox failed");
                    tokio::time::sleep(IDLE_POLL).await;
                }
            }
        }
    }

    /// Delivers one batch of due rows, `CONCURRENCY` at a time; answers how many it took.
    async fn deliver_due(&self) -> ApiResult<usize> {
        let now = self.clock.now();
        // A reader looks first, so an idle outbox costs no turn of the writer on any instance.
        if self.db.read(move |conn| outbox::due(conn, now, 1)).await?.is_empty() {
            return Ok(0);
        }
        let batch = self.db.call(move |conn| outbox::claim_due(conn, now, BATCH, now + CLAIM_LEASE)).await?;
        let taken = batch.len();
        let mut running = JoinSet::new();
        for queued in batch {
            if running.len() >= CONCURRENCY {
                running.join_next().await;
            }
            let sender = self.clone();
            running.spawn(async move { sender.deliver(queued).await });
        }
        while running.join_next().await.is_some() {}
        Ok(taken)
    }

    async fn deliver(&self, queued: Queued) {
        let outcome = self.attempt(&queued).await;
        let now = self.clock.now();
        let id = queued.id.clone();
        let recorded = match outcome {
            Ok(()) => self.db.call(move |conn| outbox::mark_sent(conn, &id, now)).await,
            Err(failure) => self.record_failure(&queued, failure, now).await,
        };
        if let Err(e) = recorded {
            // The row stays due: the message is sent again, under the same Message-ID.
            tracing::error!(request_id = request_id(&queued), notification = %queued.id, error = ?e,
                "recording a delivery failed");
        }
    }

    /// Composes the message and hands it over.
    async fn attempt(&self, queued: &Queued) -> Result<(), Failure> {
        if queued.kind.is_none() {
            return Err(Failure::Permanent("a kind of notification this server does not know".into()));
        }
        let (mail, key, row) = (self.config.mail.clone(), self.key.clone(), queued.clone());
        let composed = self
            .db
            .read(move |conn| compose(conn, &mail, &key, &row))
            .await
            .map_err(|e| Failure::Temporary(format!("composing the message: {e:?}")))?
            .ok_or_else(|| Failure::Permanent("its recipient or its case no longer exists".into()))?;
        self.transport.deliver(&queued.message_id, &composed).await
    }

    async fn record_failure(&self, queued: &Queued, failure: Failure, now: DateTime<Utc>) -> ApiResult<()> {
        let id = queued.id.clone();
        let attempts = queued.attempts + 1;
        let deadline = queued.created_at + to_chrono(self.config.mail.give_up_after);
        let text = failure.text().to_owned();
        let retry_at = match failure {
            Failure::Temporary(_) if now < deadline => {
                let delay = retry_delay(self.config.mail.retry_base, attempts, rand::random::<f64>());
                Some((now + to_chrono(delay)).min(deadline))
            }
            _ => None,
        };
        match retry_at {
            Some(at) => {
                tracing::warn!(request_id = request_id(queued), notification = %queued.id, attempts,
                    retry_at = %at, error = %text, "the mail server did not take an email; trying again");
                self.db.call(move |conn| outbox::mark_retry(conn, &id, &text, now, at)).await
            }
            None => {
                tracing::error!(request_id = request_id(queued), notification = %queued.id, attempts,
                    error = %text, "an email failed for good; it is not tried again");
                self.db.call(move |conn| outbox::mark_failed(conn, &id, &text, now)).await
            }
        }
    }

    /// Writes the reminders of every reopen window that ends within a day, in one transaction.
    async fn remind_closing_windows(&self, now: DateTime<Utc>) -> ApiResult<usize> {
        let window = self.config.reopen_window();
        self.db
            .call(move |conn| {
                let tx = conn.transaction()?;
                let cases = outbox::closing_windows(&tx, now, window, CLOSING_NOTICE)?;
                for case_id in &cases {
                    outbox::on_reopen_window_closing(&tx, case_id, now)?;
                }
                tx.commit()?;
                Ok(cases.len())
            })
            .await
    }
}

/// The request whose write queued the row, for the log ("-" for the sender's own reminders).
fn request_id(queued: &Queued) -> &str {
    queued.request_id.as_deref().unwrap_or("-")
}

fn to_chrono(duration: Duration) -> chrono::Duration {
    chrono::Duration::from_std(duration).unwrap_or(chrono::Duration::MAX)
}

/// The wait after the `failures`th failure: `base` doubled for each failure before it, at most
/// `MAX_RETRY_DELAY`, then drawn between half of that and all of it (`jitter` in 0..1), so
/// messages that failed together do not all come back together.
fn retry_delay(base: Duration, failures: u32, jitter: f64) -> Duration {
    let doublings = failures.saturating_sub(1).min(31);
    let full = base.saturating_mul(1 << doublings).min(super::MAX_RETRY_DELAY);
    full / 2 + full.mul_f64(jitter.clamp(0.0, 1.0) / 2.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_wait_doubles_with_jitter_up_to_an_hour() {
        let base = Duration::from_secs(30);
        assert_eq!(retry_delay(base, 1, 0.0), Duration::from_secs(15));
        assert_eq!(retry_delay(base, 1, 1.0), Duration::from_secs(30));
        assert_eq!(retry_delay(base, 2, 1.0), Duration::from_secs(60));
        assert_eq!(retry_delay(base, 4, 0.5), Duration::from_secs(180));
        let hour = Duration::from_secs(3600);
        assert_eq!(retry_delay(base, 8, 1.0), hour, "30 s × 2⁷ is past the cap");
        assert_eq!(retry_delay(base, 1000, 1.0), hour);
        assert_eq!(retry_delay(base, 1000, 0.0), hour / 2);
    }

    #[test]
    fn two_days_of_retries_are_about_sixty_attempts() {
        let (mut waited, mut attempts) = (Duration::ZERO, 0u32);
        while waited < Duration::from_secs(2 * 24 * 3600) {
            attempts += 1;
            waited += retry_delay(Duration::from_secs(30), attempts, 0.5);
        }
        assert!((60..80).contains(&attempts), "{attempts}");
    }
}
