//! Whether a relayed message was sent to a reply address, `reply+<token>@<reply-domain>`, and
//! the token that address holds.
//!
//! The relay's envelope recipient (`rcpt_to`) decides: it is where the mail was delivered, which
//! the sender does not choose once the message is written. Only when the relay sent none are
//! the message's own headers read, `Delivered-To` (the receiving system's) before `To` and
//! `Cc`. An address at another domain is not a reply address, whatever its local part.

use mail_parser::{HeaderName, HeaderValue, Message};

const LOCAL_PREFIX: &str = "reply+";

/// The token of the reply address the message was sent to, lower-cased (some mail systems
/// change the case of addresses, the token is hex); `None` when it was not sent to one.
pub fn reply_token(rcpt_to: Option<&str>, message: &Message, reply_domain: &str) -> Option<String> {
    match rcpt_to.map(str::trim).filter(|r| !r.is_empty()) {
        Some(rcpt_to) => token_of(rcpt_to, reply_domain),
        None => header_addresses(message).iter().find_map(|a| token_of(a, reply_domain)),
    }
}

fn token_of(address: &str, reply_domain: &str) -> Option<String> {
    let address = address.trim();
    let bare = address.strip_prefix('<').and_then(|a| a.strip_suffix('>')).unwrap_or(address);
    let (local, domain) = bare.rsplit_once('@')?;
    let ours = domain.trim_end_matches('.').eq_ignore_ascii_case(reply_domain.trim_end_matches('.'));
    let prefixed = local.get(..LOCAL_PREFIX.len()).is_some_and(|p| p.eq_ignore_ascii_case(LOCAL_PREFIX));
    (ours && prefixed).then(|| local[LOCAL_PREFIX.len()..].to_ascii_lowercase())
}

fn header_addresses(message: &Message) -> Vec<String> {
    [HeaderName::DeliveredTo, HeaderName::To, HeaderName::Cc]
        .into_iter()
        .flat_map(|name| message.header_values(name).flat_map(addresses_in).collect::<Vec<_>>())
        .collect()
}

fn addresses_in(value: &HeaderValue) -> Vec<String> {
    match value {
        HeaderValue::Address(address) => address.iter().filter_map(|a| a.address()).map(str::to_owned).collect(),
        other => other.as_text_list().unwrap_or_default().iter().map(|t| t.to_string()).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mail_parser::MessageParser;

    const DOMAIN: &str = "reply.bird.example";

    fn token(rcpt_to: Option<&str>, headers: &str) -> Option<String> {
        let raw = format!("{headers}From: someone@acme.example\r\nSubject: Re: x\r\n\r\nbody\r\n");
        let message = MessageParser::default().parse(raw.as_bytes()).expect("a message");
        reply_token(rcpt_to, &message, DOMAIN)
    }

    #[test]
    fn the_envelope_recipient_decides() {
        assert_eq!(token(Some("reply+ab12cd@reply.bird.example"), ""), Some("ab12cd".into()));
        assert_eq!(token(Some("<REPLY+AB12CD@Reply.Bird.Example.>"), ""), Some("ab12cd".into()));
        assert_eq!(token(Some("support@bird.example"), "To: reply+ab12cd@reply.bird.example\r\n"), None);
        assert_eq!(token(Some("reply+ab12cd@evil.example"), ""), None, "another domain is not ours");
        assert_eq!(token(Some("reply+ab12cd@sub.reply.bird.example"), ""), None);
        assert_eq!(token(Some("replyab12cd@reply.bird.example"), ""), None);
        assert_eq!(token(Some("reply+@reply.bird.example"), ""), Some(String::new()), "an empty token fails to verify");
    }

    #[test]
    fn without_one_the_headers_are_read() {
        let to = "To: Bird Premium Support <reply+ab12cd@reply.bird.example>\r\n";
        assert_eq!(token(None, to), Some("ab12cd".into()));
        assert_eq!(token(Some("  "), to), Some("ab12cd".into()));
        let cc = "To: ada@acme.example\r\nCc: colleague@acme.example, reply+ef34@REPLY.bird.example\r\n";
        assert_eq!(token(None, cc), Some("ef34".into()));
        let delivered = "Delivered-To: reply+0001@reply.bird.example\r\nTo: reply+0002@reply.bird.example\r\n";
        assert_eq!(token(None, delivered), Some("0001".into()));
        assert_eq!(token(None, "To: reply+ab12cd@evil.example\r\n"), None);
        assert_eq!(token(None, ""), None);
    }
}
