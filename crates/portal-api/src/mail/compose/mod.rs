//! A queued notification into the RFC 5322 bytes of one email, in its recipient's language.
//!
//! Code map:
//! - `kinds.rs`: what each kind of case notification says; `password.rs`: the reset email;
//!   `invitation.rs`: the invitation to an account.
//! - `letter.rs`: that content, before any format; `text.rs` and `html.rs` write the two parts.
//! - `thread.rs`: `Message-ID`, `In-Reply-To` and `References`, one thread per case and recipient.
//! - `headers.rs`: the message with its headers (Reply-To, List-Unsubscribe), as bytes.
//! - `words/`: every word, in English and Italian, and the "reply above this line" markers.

mod headers;
pub mod html;
mod invitation;
mod kinds;
mod letter;
mod password;
mod text;
mod thread;
pub mod words;

#[cfg(test)]
mod tests;

pub use words::{REPLY_MARKERS, reply_marker};

use crate::error::ApiResult;
use crate::mail::kind::MailKind;
use crate::mail::outbox::Queued;
use crate::mail::token::MailKey;
use crate::mail::{MailConfig, settings};
use crate::sql::Connection;
use crate::store;
use crate::util::sha256_hex;
use headers::{CaseHeaders, Parts};
use portal_contract::{NotificationKind, SessionUser};
use words::Words;

/// One email, ready for SMTP or the outbox folder.
#[derive(Clone, Debug)]
pub struct Composed {
    /// The recipient's address (the envelope's `RCPT TO`).
    pub to: String,
    /// The envelope sender (`MAIL FROM`): the address of `--mail-from`.
    pub envelope_from: String,
    pub bytes: Vec<u8>,
}

/// The email of notification `n`; `None` when there is nothing left to tell: its recipient or
/// case is gone, what it tells of no longer holds (a reminder to reopen a case reopened since,
/// an invitation accepted or revoked since), a link was already sent and forgotten, or its
/// kind is unknown here.
pub fn compose(conn: &Connection, config: &MailConfig, key: &MailKey, n: &Queued) -> ApiResult<Option<Composed>> {
    let Some(kind) = n.kind else { return Ok(None) };
    let Some(recipient) = store::sessions::user(conn, &n.recipient_id)? else { return Ok(None) };
    let words = Words::of(settings::get(conn, &n.recipient_id)?.language);
    match kind {
        MailKind::PasswordReset => {
            let Some(secret) = n.secret.as_deref() else { return Ok(None) };
            let letter = password::letter(words, config, &recipient, secret);
            headers::build(config, parts(config, n, &recipient, &letter, None)).map(Some)
        }
        MailKind::Case(notice) => case_notification(conn, config, key, n, notice, &recipient, words),
        MailKind::Invitation => invitation_email(conn, config, n),
    }
}

/// The invitation goes to its address, in its language, whoever the row's recipient (its sender).
fn invitation_email(conn: &Connection, config: &MailConfig, n: &Queued) -> ApiResult<Option<Composed>> {
    let Some(secret) = n.secret.as_deref() else { return Ok(None) };
    let Some(stored) = store::invitations::by_token_hash(conn, &sha256_hex(secret.as_bytes()))? else {
        return Ok(None);
    };
    if stored.accepted || stored.revoked {
        return Ok(None);
    }
    let existing = store::members::user_by_email(conn, &stored.invitation.email)?;
    let letter = invitation::letter(Words::of(stored.language), config, &stored, existing.as_ref(), secret);
    let parts = Parts {
        letter: &letter,
        message_id: thread::message_id(config, &n.message_id),
        date: n.created_at,
        to_name: existing.as_ref().map_or("", |user| user.name.as_str()),
        to_email: &stored.invitation.email,
        case: None,
    };
    headers::build(config, parts).map(Some)
}

fn parts<'a>(
    config: &MailConfig,
    n: &Queued,
    recipient: &'a SessionUser,
    letter: &'a letter::Letter,
    case: Option<CaseHeaders>,
) -> Parts<'a> {
    Parts {
        letter,
        message_id: thread::message_id(config, &n.message_id),
        date: n.created_at,
        to_name: &recipient.name,
        to_email: &recipient.email,
        case,
    }
}

fn case_notification(
    conn: &Connection,
    config: &MailConfig,
    key: &MailKey,
    n: &Queued,
    notice: NotificationKind,
    recipient: &SessionUser,
    words: &'static Words,
) -> ApiResult<Option<Composed>> {
    let Some(case_id) = n.case_id.as_deref() else { return Ok(None) };
    let Some(case) = store::cases::get(conn, case_id)? else { return Ok(None) };
    // A participant's link unfollows the case; the requester's turns the kind off, as before.
    let unfollows = store::participants::get(conn, case_id, &n.recipient_id)?.is_some();
    let token = if unfollows {
        key.unfollow_token(&n.recipient_id, case_id)
    } else {
        key.unsubscribe_token(&n.recipient_id, notice)
    };
    let unsubscribe_url = format!("{}/api/v1/unsubscribe/{token}", config.public_url);
    let about = kinds::About {
        words,
        config,
        recipient,
        account: account_name(conn, recipient, case.account_id.as_str())?,
        event: event(conn, case_id, n.event_id.as_deref())?,
        case: &case,
        unsubscribe_url: unsubscribe_url.clone(),
        unfollows,
    };
    let Some(letter) = kinds::letter(conn, notice, &about)? else { return Ok(None) };
    let headers = CaseHeaders {
        thread: thread::of(conn, config, n, case_id)?,
        reply_token: key.reply_token(&n.reply_key),
        unsubscribe_url,
    };
    headers::build(config, parts(config, n, recipient, &letter, Some(headers))).map(Some)
}

/// The name of the case's account as the recipient knows it (their own, or one they look after).
fn account_name(conn: &Connection, recipient: &SessionUser, account_id: &str) -> ApiResult<String> {
    let accounts = store::sessions::accounts_of(conn, recipient.id.as_str(), recipient.role)?;
    Ok(accounts.into_iter().find(|a| a.id.as_str() == account_id).map_or_else(|| account_id.to_owned(), |a| a.name))
}

/// The event a notification tells of, with its files.
fn event(
    conn: &Connection,
    case_id: &str,
    event_id: Option<&str>,
) -> ApiResult<Option<portal_contract::TimelineEvent>> {
    let Some(event_id) = event_id else { return Ok(None) };
    let files = store::attachments::of_case(conn, case_id)?;
    Ok(store::cases::timeline(conn, case_id, &files)?.into_iter().find(|e| e.id.as_str() == event_id))
}
