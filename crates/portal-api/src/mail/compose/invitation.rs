//! The invitation to a customer account: who invites whom to which account, the link, until
//! when it works. A person who already has a user is asked for their password rather than a
//! new one. Nobody replies to it and nobody unsubscribes from it: it comes once, when an admin
//! sends it.

use super::letter::{Block, FooterLine, Letter, Link};
use super::words::{Words, fill};
use crate::mail::MailConfig;
use crate::store::invitations::Stored;
use portal_contract::{AccountRole, SessionUser};

pub fn letter(
    words: &'static Words,
    config: &MailConfig,
    stored: &Stored,
    existing: Option<&SessionUser>,
    secret: &str,
) -> Letter {
    let w = &words.invitation;
    let invitation = &stored.invitation;
    let (inviter, account) = (invitation.invited_by.name.as_str(), stored.account_name.as_str());
    let role = if invitation.role == AccountRole::Admin { w.roles.0 } else { w.roles.1 };
    let next = match existing {
        Some(user) => fill(w.existing_user, &[("email", &user.email), ("account", account)]),
        None => fill(w.new_person, &[("account", account)]),
    };
    Letter {
        lang: words.lang,
        subject: fill(w.subject, &[("name", inviter), ("account", account)]),
        marker: None,
        greeting: existing.map_or_else(|| w.hello.to_owned(), |user| fill(words.hello, &[("name", &user.name)])),
        lead: fill(w.lead, &[("name", inviter), ("account", account), ("role", role)]),
        blocks: vec![Block::Paragraph(next)],
        actions: vec![Link { label: w.action.to_owned(), url: format!("{}/invitations/{secret}", config.public_url) }],
        notes: vec![fill(w.valid, &[("date", &words.date(invitation.expires_at))]), w.ignore.to_owned()],
        footer: vec![FooterLine::Text("Bird Premium Support".to_owned())],
    }
}
