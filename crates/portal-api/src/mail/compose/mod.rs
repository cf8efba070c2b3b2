//! A queued notification into the bytes of one plain-text email: who it goes to, whom the
//! envelope names as sender, and the RFC 5322 message with its fixed `Message-ID`.

use super::MailConfig;
use super::kind::MailKind;
use super::outbox::Queued;
use super::settings;
use super::token::MailKey;
use crate::error::{ApiError, ApiResult};
use lettre::message::{Mailbox, Message, header::ContentType};
use portal_contract::{Language, NotificationKind};
use rusqlite::{Connection, OptionalExtension, params};
use std::str::FromStr;

/// One email ready for a transport.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Composed {
    /// The recipient's address (the envelope's and the `To:` header's).
    pub to: String,
    /// The envelope sender: the address of `--mail-from`.
    pub envelope_from: String,
    pub bytes: Vec<u8>,
}

/// The email of `queued`, or `None` when there is nobody or nothing left to write about (the
/// recipient or the case is gone, or a password reset's link was already sent).
pub fn compose(conn: &Connection, mail: &MailConfig, _key: &MailKey, queued: &Queued) -> ApiResult<Option<Composed>> {
    let Some(kind) = queued.kind else { return Ok(None) };
    let recipient: Option<(String, String)> = conn
        .query_row("SELECT email, name FROM users WHERE id = ?1", params![queued.recipient_id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?;
    let Some((email, name)) = recipient else { return Ok(None) };
    let language = settings::get(conn, &queued.recipient_id)?.language;
    let Some((subject, body)) = text(conn, mail, kind, queued, language)? else { return Ok(None) };
    let from = Mailbox::from_str(&mail.from).map_err(|e| internal("--mail-from", e))?;
    let to = Mailbox::new(Some(name), email.parse().map_err(|e| internal("a recipient's address", e))?);
    let message = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(subject)
        .message_id(Some(format!("<{}@{}>", queued.message_id, mail.reply_domain)))
        .date(queued.created_at.into())
        .header(ContentType::TEXT_PLAIN)
        .body(body)
        .map_err(|e| internal("the message", e))?;
    Ok(Some(Composed { to: email, envelope_from: from.email.to_string(), bytes: message.formatted() }))
}

fn internal(what: &str, error: impl std::fmt::Display) -> ApiError {
    ApiError::Internal(format!("composing an email, {what}: {error}"))
}

/// The subject and body, in the recipient's language; `None` when their subject is gone.
fn text(
    conn: &Connection,
    mail: &MailConfig,
    kind: MailKind,
    queued: &Queued,
    language: Language,
) -> ApiResult<Option<(String, String)>> {
    let italian = language == Language::It;
    let MailKind::Case(notice) = kind else {
        let Some(secret) = &queued.secret else { return Ok(None) };
        let link = format!("{}/reset-password/{secret}", mail.public_url);
        return Ok(Some(if italian {
            ("Reimposta la password".into(), format!("Per scegliere una nuova password apri:\n{link}\n"))
        } else {
            ("Reset your password".into(), format!("To choose a new password, open:\n{link}\n"))
        }));
    };
    let Some(case_id) = &queued.case_id else { return Ok(None) };
    let case: Option<(i64, String)> = conn
        .query_row("SELECT number, subject FROM cases WHERE id = ?1", params![case_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((number, subject)) = case else { return Ok(None) };
    let what = what_happened(notice, italian);
    let link = format!("{}/cases/{case_id}", mail.public_url);
    let opening = if italian { "Apri il caso" } else { "Open the case" };
    Ok(Some((format!("[CASE-{number}] {what}: {subject}"), format!("{what}.\n\n{opening}: {link}\n"))))
}

fn what_happened(kind: NotificationKind, italian: bool) -> &'static str {
    use NotificationKind as N;
    match (kind, italian) {
        (N::CaseOpened, false) => "We received your case",
        (N::CaseOpened, true) => "Abbiamo ricevuto il tuo caso",
        (N::Reply, false) => "New reply",
        (N::Reply, true) => "Nuova risposta",
        (N::InformationRequest, false) => "Information requested",
        (N::InformationRequest, true) => "Informazioni richieste",
        (N::ProgressUpdate, false) => "Progress update",
        (N::ProgressUpdate, true) => "Aggiornamento",
        (N::ResolutionProposed, false) => "Resolution proposed",
        (N::ResolutionProposed, true) => "Risoluzione proposta",
        (N::CaseResolved, false) => "Case resolved",
        (N::CaseResolved, true) => "Caso risolto",
        (N::ReopenWindowClosing, false) => "The reopen window closes soon",
        (N::ReopenWindowClosing, true) => "Il periodo per riaprire sta per finire",
        (N::Escalation, false) => "Case escalated",
        (N::Escalation, true) => "Caso inoltrato al TAM",
        (N::EscalationAcknowledged, false) => "Escalation acknowledged",
        (N::EscalationAcknowledged, true) => "Inoltro preso in carico",
        (N::Unknown, false) => "News on your case",
        (N::Unknown, true) => "Novità sul tuo caso",
    }
}
