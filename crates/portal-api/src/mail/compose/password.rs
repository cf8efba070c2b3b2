//! The password reset email: the link, how long it works, and what to do if it was not asked
//! for. Nobody replies to it and nobody unsubscribes from it.

use super::letter::{FooterLine, Letter, Link};
use super::words::{Words, fill};
use crate::mail::MailConfig;
use portal_contract::SessionUser;

pub fn letter(words: &'static Words, config: &MailConfig, recipient: &SessionUser, secret: &str) -> Letter {
    let r = &words.reset;
    Letter {
        lang: words.lang,
        subject: r.subject.to_owned(),
        marker: None,
        greeting: fill(words.hello, &[("name", &recipient.name)]),
        lead: fill(r.lead, &[("email", &recipient.email)]),
        blocks: Vec::new(),
        actions: vec![Link {
            label: r.action.to_owned(),
            url: format!("{}/reset-password/{secret}", config.public_url),
        }],
        notes: vec![r.valid.to_owned(), r.ignore.to_owned()],
        footer: vec![FooterLine::Text("Bird Premium Support".to_owned())],
    }
}
