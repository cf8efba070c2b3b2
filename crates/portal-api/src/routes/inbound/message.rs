//! Reading one relayed message and deciding whether its `From:` address can be believed.
//!
//! Mail to the support address carries no signed reply address (see [`super::reply`] for mail
//! that does): its `From:` line is what opens a case in an account, and anyone can write one.
//! So such a message is believed only when:
//! - it names exactly one `From:` address (one header, one mailbox);
//! - that address is the envelope sender the relay received it from (`msg_from`), compared
//!   case-insensitively, display names ignored;
//! - when it carries an `Authentication-Results` header, that header shows `dmarc=pass` or an
//!   aligned `dkim=pass` (see [`super::authentication`]).
//!
//! Without an `Authentication-Results` header the envelope rule alone decides: the relay
//! accepted the SMTP transaction and reports its envelope sender itself, so `msg_from` is the
//! relay's word, not the message's, and a `From:` line that differs from it is refused.
//!
//! A relay item without `email_rfc822` is refused too: with only `content.subject/text` there are
//! no headers to compare with the envelope, and the relay always sends the whole message.

use super::RelayMessage;
use super::authentication;
use super::refusal::Refusal;
use crate::util::sha256_hex;
use mail_parser::{HeaderName, Message, MessageParser};

/// A relayed message as parsed, with the text it was parsed from.
pub struct Mail<'a> {
    pub raw: &'a str,
    pub message: Message<'a>,
}

impl Mail<'_> {
    /// `relay:<Message-ID>`, or `relay-sha256:<hex>` of the raw message when it has no
    /// Message-ID, so a retried batch is recognised either way.
    pub fn dedup_key(&self) -> String {
        match self.message.message_id() {
            Some(id) => format!("relay:{id}"),
            None => format!("relay-sha256:{}", sha256_hex(self.raw.as_bytes())),
        }
    }
}

/// A message whose sender has been checked, with the key that recognises a redelivery.
#[derive(Debug)]
pub struct Parsed {
    pub sender: String,
    pub subject: String,
    pub text: String,
    pub dedup_key: String,
}

/// The relay item's `email_rfc822`, parsed; anything else is refused.
pub fn open(message: &RelayMessage) -> Result<Mail<'_>, Refusal> {
    let raw = message.content.email_rfc822.as_deref().filter(|r| !r.trim().is_empty()).ok_or(Refusal::NoRfc822)?;
    // A message needs a header block ending in an empty line; anything else is not an email.
    if !raw.contains("\r\n\r\n") && !raw.contains("\n\n") {
        return Err(Refusal::NotAnEmail);
    }
    let parsed = MessageParser::default().parse(raw.as_bytes()).ok_or(Refusal::NotAnEmail)?;
    Ok(Mail { raw, message: parsed })
}

/// The message's sender, if the checks above believe it.
pub fn believed(message: &RelayMessage, mail: &Mail) -> Result<Parsed, Refusal> {
    let parsed = &mail.message;
    let sender = from_address(parsed)?;
    if envelope_sender(message)? != sender {
        return Err(Refusal::SenderMismatch);
    }
    check_authentication(parsed, mail.raw, &sender)?;
    let subject = parsed.subject().or(message.content.subject.as_deref()).unwrap_or("").trim().to_owned();
    let text = parsed.body_text(0).map(|t| t.into_owned()).or_else(|| message.content.text.clone()).unwrap_or_default();
    Ok(Parsed { sender, subject, text: text.trim().to_owned(), dedup_key: mail.dedup_key() })
}

/// The one `From:` mailbox, lower-cased. Several `From:` headers or mailboxes are refused: which
/// one a reader shows differs between programs, so none of them can be trusted.
fn from_address(parsed: &Message) -> Result<String, Refusal> {
    let headers = parsed.headers().iter().filter(|h| h.name == HeaderName::From).count();
    if headers > 1 {
        return Err(Refusal::SeveralFromAddresses);
    }
    let from = parsed.from().ok_or(Refusal::NoFromAddress)?;
    let mut addresses = from.iter();
    let first = addresses.next().ok_or(Refusal::NoFromAddress)?;
    if addresses.next().is_some() {
        return Err(Refusal::SeveralFromAddresses);
    }
    first.address().and_then(mailbox).ok_or(Refusal::NoFromAddress)
}

/// `msg_from` as a mailbox; the relay may send it in angle brackets.
fn envelope_sender(message: &RelayMessage) -> Result<String, Refusal> {
    let given = message.msg_from.as_deref().unwrap_or("").trim();
    let bare = given.strip_prefix('<').and_then(|g| g.strip_suffix('>')).unwrap_or(given);
    mailbox(bare).ok_or(Refusal::NoEnvelopeSender)
}

/// `local@domain`, lower-cased, or nothing when the text is not one address.
fn mailbox(text: &str) -> Option<String> {
    let text = text.trim();
    let (local, domain) = text.split_once('@')?;
    let plain = !local.is_empty() && !domain.is_empty() && !domain.contains('@');
    (plain && !text.chars().any(char::is_whitespace)).then(|| text.to_lowercase())
}

fn check_authentication(parsed: &Message, raw: &str, sender: &str) -> Result<(), Refusal> {
    // The topmost header is the receiving system's own; see `authentication`.
    let Some(header) = parsed.headers().iter().find(|h| h.name == HeaderName::AuthenticationResults) else {
        return Ok(());
    };
    let value = raw.get(header.offset_start as usize..header.offset_end as usize).unwrap_or("");
    let domain = sender.rsplit('@').next().unwrap_or("");
    if authentication::vouches_for(value, domain) { Ok(()) } else { Err(Refusal::NotAuthenticated) }
}

#[cfg(test)]
mod tests {
    use super::super::RelayContent;
    use super::*;

    fn relayed(envelope: Option<&str>, raw: &str) -> RelayMessage {
        RelayMessage {
            msg_from: envelope.map(str::to_owned),
            rcpt_to: None,
            content: RelayContent { subject: None, text: None, email_rfc822: Some(raw.to_owned()) },
        }
    }

    fn parse(relay: &RelayMessage) -> Result<Parsed, Refusal> {
        believed(relay, &open(relay)?)
    }

    fn refusal(envelope: &str, raw: &str) -> Option<&'static str> {
        parse(&relayed(Some(envelope), raw)).err().map(|r| r.code())
    }

    #[test]
    fn a_message_needs_headers_and_a_sender() {
        assert_eq!(refusal("ada@acme.example", "just some text"), Some("malformed_message"));
        assert_eq!(refusal("ada@acme.example", "Subject: hi\r\n\r\nno sender"), Some("malformed_message"));
        let ok = parse(&relayed(
            Some("<Ada@Acme.Example>"),
            "From: \"Someone Else\" <ADA@acme.example>\r\nSubject: Help\r\n\r\nBody text\r\n",
        ));
        assert_eq!(
            ok.map(|p| (p.sender, p.subject, p.text)).ok(),
            Some(("ada@acme.example".into(), "Help".into(), "Body text".into()))
        );
    }

    #[test]
    fn the_from_line_must_be_the_envelope_sender() {
        let raw = "From: Ada <ada@acme.example>\r\nSubject: x\r\n\r\nbody\r\n";
        assert_eq!(refusal("mallory@evil.example", raw), Some("sender_mismatch"));
        assert_eq!(parse(&relayed(None, raw)).err(), Some(Refusal::NoEnvelopeSender));
        assert_eq!(refusal("", raw), Some("sender_mismatch"));
        let display_name = "From: \"ada@acme.example\" <mallory@evil.example>\r\n\r\nbody\r\n";
        assert_eq!(refusal("ada@acme.example", display_name), Some("sender_mismatch"));
    }

    #[test]
    fn one_from_address_only() {
        for raw in [
            "From: ada@acme.example, mallory@evil.example\r\n\r\nbody\r\n",
            "From: ada@acme.example\r\nFrom: mallory@evil.example\r\n\r\nbody\r\n",
            "From: mallory@evil.example\r\nFrom: ada@acme.example\r\n\r\nbody\r\n",
            "From: friends: ada@acme.example, mallory@evil.example;\r\n\r\nbody\r\n",
        ] {
            assert_eq!(refusal("ada@acme.example", raw), Some("several_senders"), "{raw:?}");
        }
        // Two addresses without a comma are not one mailbox either.
        let run_together = "From: ada@acme.example mallory@evil.example\r\n\r\nbody\r\n";
        assert_eq!(refusal("ada@acme.example", run_together), Some("malformed_message"));
    }

    #[test]
    fn the_topmost_authentication_results_decide() {
        let with = |results: &str| format!("{results}From: ada@acme.example\r\nSubject: x\r\n\r\nbody\r\n");
        let pass = "Authentication-Results: mx.bird.example; dmarc=pass header.from=acme.example\r\n";
        let fail = "Authentication-Results: mx.bird.example; dmarc=fail header.from=acme.example\r\n";
        assert_eq!(refusal("ada@acme.example", &with(pass)), None);
        assert_eq!(refusal("ada@acme.example", &with(fail)), Some("not_authenticated"));
        assert_eq!(refusal("ada@acme.example", &with(&format!("{fail}{pass}"))), Some("not_authenticated"));
        assert_eq!(refusal("ada@acme.example", &with("")), None);
    }

    #[test]
    fn a_message_without_message_id_is_keyed_by_its_bytes() {
        let raw = "From: ada@acme.example\r\n\r\nbody\r\n";
        let key = parse(&relayed(Some("ada@acme.example"), raw)).map(|p| p.dedup_key).ok();
        assert_eq!(key, Some(format!("relay-sha256:{}", sha256_hex(raw.as_bytes()))));
        let with_id = "From: ada@acme.example\r\nMessage-ID: <m1@acme.example>\r\n\r\nbody\r\n";
        let key = parse(&relayed(Some("ada@acme.example"), with_id)).map(|p| p.dedup_key).ok();
        assert_eq!(key.as_deref(), Some("relay:m1@acme.example"));
    }
}
