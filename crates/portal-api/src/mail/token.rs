//! The server's signing key and the tokens it signs: the reply address of a notification and
//! its one-click unsubscribe link (a kind of email off, or, for a participant, the case
//! unfollowed).
//!
//! The key lives in the database (`server_secrets`), created by the first start, so every
//! instance on the same database signs and verifies alike and a restart does not void the
//! addresses of emails already sent.

use crate::error::ApiResult;
use crate::sql::{Connection, OptionalExtension, params};
use crate::util::{hex, new_token};
use hmac::{Hmac, Mac};
use portal_contract::NotificationKind;
use sha2::Sha256;

/// Bytes of a MAC kept in a token: 80 bits, beyond guessing through a rate-limited relay, short
/// enough that `reply+<token>` stays within the 64 characters of an address's local part.
const MAC_BYTES: usize = 10;

#[derive(Clone)]
pub struct MailKey(Vec<u8>);

impl std::fmt::Debug for MailKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MailKey(..)")
    }
}

impl MailKey {
    /// The key in the database, written there first if there is none yet.
    pub fn load_or_create(conn: &Connection) -> ApiResult<MailKey> {
        conn.execute(
            "INSERT INTO server_secrets (name, value) VALUES ('mail_hmac', ?1) ON CONFLICT DO NOTHING",
            params![new_token()],
        )?;
        let value: Option<String> =
            conn.query_row("SELECT value FROM server_secrets WHERE name = 'mail_hmac'", [], |r| r.get(0)).optional()?;
        Ok(MailKey(value.unwrap_or_default().into_bytes()))
    }

    fn mac(&self, purpose: &str, message: &str) -> String {
        // HMAC takes a key of any length; this cannot fail.
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.0) else { return String::new() };
        mac.update(purpose.as_bytes());
        mac.update(b"\0");
        mac.update(message.as_bytes());
        hex(&mac.finalize().into_bytes()[..MAC_BYTES])
    }

    fn verify(&self, purpose: &str, message: &str, given: &str) -> bool {
        let expected = self.mac(purpose, message);
        expected.len() == given.len() && expected.bytes().zip(given.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
    }

    /// The local-part token of a notification's `Reply-To: reply+<token>@<reply-domain>`: its
    /// reply key and a MAC of it, all lower-case hex (some mail systems lower-case addresses).
    pub fn reply_token(&self, reply_key: &str) -> String {
        format!("{reply_key}{}", self.mac("reply", reply_key))
    }

    /// The reply key a token names, if the token is one this server signed.
    pub fn verify_reply(&self, token: &str) -> Option<String> {
        let token = token.trim().to_ascii_lowercase();
        let split = token.len().checked_sub(MAC_BYTES * 2)?;
        let (key, mac) = token.split_at(split);
        let well_formed = !key.is_empty() && token.bytes().all(|b| b.is_ascii_hexdigit());
        (well_formed && self.verify("reply", key, mac)).then(|| key.to_owned())
    }

    /// The token of a one-click unsubscribe link: this person, this kind of notification.
    pub fn unsubscribe_token(&self, user_id: &str, kind: NotificationKind) -> String {
        let message = format!("{user_id}.{}", kind.as_str());
        format!("{message}.{}", self.mac("unsubscribe", &message))
    }

    /// Whom and which kind an unsubscribe token names, if this server signed it.
    pub fn verify_unsubscribe(&self, token: &str) -> Option<(String, NotificationKind)> {
        let (message, mac) = token.rsplit_once('.')?;
        let (user_id, kind) = message.split_once('.')?;
        let kind = NotificationKind::parse(kind);
        (kind != NotificationKind::Unknown && self.verify("unsubscribe", message, mac))
            .then(|| (user_id.to_owned(), kind))
    }

    /// The token of the unsubscribe link a participant's emails carry: this person stops
    /// following this case (their other emails stay as they chose them).
    pub fn unfollow_token(&self, user_id: &str, case_id: &str) -> String {
        let message = format!("{UNFOLLOW}.{user_id}.{case_id}");
        format!("{message}.{}", self.mac("unfollow", &message))
    }

    /// Whom and which case an unfollow token names, if this server signed it.
    pub fn verify_unfollow(&self, token: &str) -> Option<(String, String)> {
        let (message, mac) = token.rsplit_once('.')?;
        let (user_id, case_id) = message.strip_prefix(UNFOLLOW)?.strip_prefix('.')?.split_once('.')?;
        self.verify("unfollow", message, mac).then(|| (user_id.to_owned(), case_id.to_owned()))
    }
}

/// What starts an unfollow token, so it never reads as the per-kind one (`person.kind.mac`).
const UNFOLLOW: &str = "unfollow";

/// A new reply key: 80 random bits in lower-case hex.
pub fn new_reply_key() -> String {
    let mut bytes = [0u8; 10];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut bytes);
    hex(&bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(secret: &str) -> MailKey {
        MailKey(secret.as_bytes().to_vec())
    }

    #[test]
    fn a_reply_token_verifies_only_as_signed() {
        let k = key("one");
        let reply_key = new_reply_key();
        let token = k.reply_token(&reply_key);
        assert!(token.len() + "reply+".len() <= 64, "{token}");
        assert_eq!(k.verify_reply(&token), Some(reply_key.clone()));
        assert_eq!(k.verify_reply(&token.to_ascii_uppercase()), Some(reply_key.clone()), "case is not meaning");
        assert_eq!(key("two").verify_reply(&token), None, "another server's key");
        let other = new_reply_key();
        let moved = format!("{other}{}", &token[reply_key.len()..]);
        assert_eq!(k.verify_reply(&moved), None, "the MAC of one notification on another");
        assert_eq!(k.verify_reply(""), None);
        assert_eq!(k.verify_reply("zz"), None);
    }

    #[test]
    fn an_unsubscribe_token_names_one_person_and_one_kind() {
        let k = key("one");
        let token = k.unsubscribe_token("usr_ada", NotificationKind::Reply);
        assert_eq!(k.verify_unsubscribe(&token), Some(("usr_ada".to_owned(), NotificationKind::Reply)));
        let forged = token.replacen("usr_ada", "usr_bob", 1);
        assert_eq!(k.verify_unsubscribe(&forged), None);
        let other_kind = token.replacen(".reply.", ".escalation.", 1);
        assert_eq!(k.verify_unsubscribe(&other_kind), None);
        assert_eq!(k.verify_unsubscribe("usr_ada.nonsense.00"), None);
    }

    #[test]
    fn an_unfollow_token_names_one_person_and_one_case_and_is_no_unsubscribe_token() {
        let k = key("one");
        let token = k.unfollow_token("usr_grace", "case_1");
        assert_eq!(k.verify_unfollow(&token), Some(("usr_grace".to_owned(), "case_1".to_owned())));
        assert_eq!(k.verify_unsubscribe(&token), None);
        assert_eq!(k.verify_unfollow(&k.unsubscribe_token("usr_grace", NotificationKind::Reply)), None);
        assert_eq!(k.verify_unfollow(&token.replacen("case_1", "case_2", 1)), None, "another case");
        assert_eq!(k.verify_unfollow(&token.replacen("usr_grace", "usr_ada", 1)), None, "another person");
        assert_eq!(key("two").verify_unfollow(&token), None);
    }
}
