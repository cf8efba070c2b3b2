//! Email to people, and their replies back into cases.
//!
//! Code map:
//! - `kind.rs`: what a notification is about (`MailKind`).
//! - `outbox.rs`: notifications written in the transaction of the event that causes them (a
//!   transactional outbox), and the queue's rows.
//! - `settings.rs`: which emails each person wants, in which language.
//! - `token.rs`: the server's signing key; reply addresses and unsubscribe links.
//! - `compose/`: a queued notification into the RFC 5322 bytes of one email.
//! - `transport.rs`: SMTP (`--smtp-url`, `smtp.rs`) or the `outbox/` folder of the data dir.
//! - `sender.rs`: the task that delivers, retries with backoff, and marks sent.
//! - `reply.rs`: the text of a reply above the quoted history.
//!
//! Architecture Invariant: a notification row is written in the same transaction as the event
//! it tells of, and marked sent only after the mail server accepted it: nothing an event
//! promises is lost, and a crash at worst repeats a message under the same `Message-ID`.

pub mod compose;
pub mod kind;
pub mod outbox;
pub mod reply;
pub mod sender;
pub mod settings;
pub mod smtp;
pub mod token;
pub mod transport;

/// Where and as whom notifications are sent (`--smtp-url`, `--mail-from`, `--reply-domain`,
/// `--public-url`).
#[derive(Clone, Debug)]
pub struct MailConfig {
    /// `smtp://…` or `smtps://…`; none writes each message into `<data-dir>/outbox/`.
    pub smtp_url: Option<String>,
    pub from: String,
    pub reply_domain: String,
    /// The portal's address as people reach it, for links in emails (ends without `/`).
    pub public_url: String,
    /// How long a resolved case can be reopened, for the emails that say until when: a copy of
    /// `Config::reopen_window_days` that `build` makes, so the composer needs no more than this.
    pub reopen_window: chrono::Duration,
    /// The wait before the first retry of a message the mail server did not take; each further
    /// retry waits twice as long (with jitter), at most `MAX_RETRY_DELAY`.
    pub retry_base: std::time::Duration,
    /// A message still not accepted this long after it was written is given up (failed).
    pub give_up_after: std::time::Duration,
}

pub const DEFAULT_MAIL_FROM: &str = "Bird Premium Support <support@bird.example>";
pub const DEFAULT_REPLY_DOMAIN: &str = "reply.bird.example";
/// The longest wait between two attempts at one message.
pub const MAX_RETRY_DELAY: std::time::Duration = std::time::Duration::from_secs(60 * 60);

impl Default for MailConfig {
    fn default() -> Self {
        MailConfig {
            smtp_url: None,
            from: DEFAULT_MAIL_FROM.to_owned(),
            reply_domain: DEFAULT_REPLY_DOMAIN.to_owned(),
            public_url: "http://127.0.0.1:8080".to_owned(),
            reopen_window: chrono::Duration::days(14),
            retry_base: std::time::Duration::from_secs(30),
            // Long enough to outlast a relay's outage over a weekend day; short enough that what
            // arrives is still news.
            give_up_after: std::time::Duration::from_secs(2 * 24 * 60 * 60),
        }
    }
}
