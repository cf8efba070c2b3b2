//! The message itself: addresses, ids, threading, the reply and unsubscribe headers, and the
//! two parts, built with lettre and formatted into the bytes SMTP carries.

use super::Composed;
use super::letter::Letter;
use super::thread::Thread;
use crate::error::{ApiError, ApiResult};
use crate::mail::MailConfig;
use chrono::{DateTime, Utc};
use lettre::Message;
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};

/// What a case notification carries besides its letter.
pub struct CaseHeaders {
    pub thread: Thread,
    /// The local part after `reply+`.
    pub reply_token: String,
    pub unsubscribe_url: String,
}

/// Everything the message is made of.
pub struct Parts<'a> {
    pub letter: &'a Letter,
    pub message_id: String,
    pub date: DateTime<Utc>,
    pub to_name: &'a str,
    pub to_email: &'a str,
    pub case: Option<CaseHeaders>,
}

fn raw(name: &'static str, value: String) -> HeaderValue {
    HeaderValue::new(HeaderName::new_from_ascii_str(name), value)
}

fn mailbox(what: &str, value: &str) -> ApiResult<Mailbox> {
    value.parse::<Mailbox>().map_err(|e| ApiError::Internal(format!("{what} {value:?} is not an address: {e}")))
}

pub fn build(config: &MailConfig, parts: Parts) -> ApiResult<Composed> {
    let from = mailbox("--mail-from", &config.from)?;
    // Someone invited before they have a user has no name yet: the address alone.
    let name = Some(parts.to_name.to_owned()).filter(|name| !name.is_empty());
    let to = Mailbox::new(name, mailbox("the recipient's email", parts.to_email)?.email);
    let mut builder = Message::builder()
        .from(from.clone())
        .to(to.clone())
        .subject(parts.letter.subject.clone())
        .date(parts.date.into())
        .message_id(Some(parts.message_id))
        // Out-of-office answers must not come back into the case as the person's message.
        .raw_header(raw("Auto-Submitted", "auto-generated".to_owned()))
        .raw_header(raw("X-Auto-Response-Suppress", "All".to_owned()));
    if let Some(case) = parts.case {
        let reply_to = mailbox("--reply-domain", &format!("reply+{}@{}", case.reply_token, config.reply_domain))?;
        builder = builder
            .reply_to(Mailbox::new(from.name.clone(), reply_to.email))
            .in_reply_to(case.thread.in_reply_to)
            .references(case.thread.references)
            .raw_header(raw("List-Unsubscribe", format!("<{}>", case.unsubscribe_url)))
            .raw_header(raw("List-Unsubscribe-Post", "List-Unsubscribe=One-Click".to_owned()));
    }
    let body = MultiPart::alternative_plain_html(super::text::render(parts.letter), super::html::render(parts.letter));
    let message = builder.multipart(body).map_err(|e| ApiError::Internal(format!("composing an email: {e}")))?;
    Ok(Composed { to: to.email.to_string(), envelope_from: from.email.to_string(), bytes: message.formatted() })
}
