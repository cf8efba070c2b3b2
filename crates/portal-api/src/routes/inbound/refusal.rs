//! Why one message of a batch was refused: a stable code for the relay's logs and machines, a
//! sentence for people, and the field of the batch item it is about.

/// A message refused on its own; the rest of its batch is still processed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The item is not a relay event: the path inside it (empty for the item itself) and what
    /// serde said about it.
    MalformedEvent {
        path: String,
        problem: String,
    },
    /// No `email_rfc822`: without the headers the sender cannot be checked.
    NoRfc822,
    NotAnEmail,
    NoFromAddress,
    SeveralFromAddresses,
    NoEnvelopeSender,
    SenderMismatch,
    NotAuthenticated,
    UnknownSender,
    MessageIdReused,
    /// Sent to a reply address whose token this server did not sign, or that names no
    /// notification.
    InvalidReplyToken,
    /// The reply address is of an email about no case (a password reset).
    NoCaseToReplyTo,
    /// The person the reply address was sent to may no longer post on the case.
    ReplyNotAllowed,
    /// Nothing above the quoted history, and no files.
    EmptyReply,
    /// Files for a resolved case, which takes none until it is reopened.
    CaseResolved {
        number: String,
    },
    /// A file of the message breaks a limit of uploads: the code says which, the reason names
    /// the file.
    AttachmentRefused {
        code: &'static str,
        reason: String,
    },
}

impl Refusal {
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::MalformedEvent { .. } => "malformed_event",
            Refusal::NoRfc822 | Refusal::NotAnEmail | Refusal::NoFromAddress => "malformed_message",
            Refusal::SeveralFromAddresses => "several_senders",
            Refusal::NoEnvelopeSender | Refusal::SenderMismatch => "sender_mismatch",
            Refusal::NotAuthenticated => "not_authenticated",
            Refusal::UnknownSender => "unknown_sender",
            Refusal::MessageIdReused => "message_id_reused",
            Refusal::InvalidReplyToken => "invalid_reply_token",
            Refusal::NoCaseToReplyTo => "no_case_to_reply_to",
            Refusal::ReplyNotAllowed => "reply_not_allowed",
            Refusal::EmptyReply => "empty_reply",
            Refusal::CaseResolved { .. } => "case_resolved",
            Refusal::AttachmentRefused { code, .. } => code,
        }
    }

    pub fn reason(&self) -> String {
        match self {
            Refusal::MalformedEvent { path, problem } if path.is_empty() => {
                format!("the item is not a relay event: {problem}")
            }
            Refusal::MalformedEvent { path, problem } => format!("the item is not a relay event: {path}: {problem}"),
            Refusal::NoRfc822 => "the message has no email_rfc822, so its From: address cannot be checked".into(),
            Refusal::NotAnEmail => {
                "email_rfc822 is not a parsable email (a header block, an empty line, a body)".into()
            }
            Refusal::NoFromAddress => "the message has no From: address".into(),
            Refusal::SeveralFromAddresses => "the message names more than one From: address".into(),
            Refusal::NoEnvelopeSender => "the relay sent no envelope sender (msg_from)".into(),
            Refusal::SenderMismatch => "the From: address is not the envelope sender (msg_from)".into(),
            Refusal::NotAuthenticated => {
                "Authentication-Results shows neither dmarc=pass nor a dkim=pass aligned with the From: domain".into()
            }
            Refusal::UnknownSender => "the sender is not a customer user of any account".into(),
            Refusal::MessageIdReused => {
                "another message with this Message-ID and different content was received".into()
            }
            Refusal::InvalidReplyToken => {
                "the reply address holds no token this server signed for an email it sent".into()
            }
            Refusal::NoCaseToReplyTo => "the reply address belongs to an email about no case".into(),
            Refusal::ReplyNotAllowed => {
                "the person this reply address was sent to may no longer post on the case".into()
            }
            Refusal::EmptyReply => "nothing is written above the quoted message, and nothing is attached".into(),
            Refusal::CaseResolved { number } => {
                format!("{number} is resolved and takes no more files; reopen it from the portal, then add them there")
            }
            Refusal::AttachmentRefused { reason, .. } => reason.clone(),
        }
    }

    /// The field of the item at `index` the refusal is about, in the error shape's notation.
    pub fn param(&self, index: usize) -> String {
        let field = match self {
            Refusal::MalformedEvent { path, .. } if path.is_empty() => return format!("[{index}]"),
            Refusal::MalformedEvent { path, .. } => return format!("[{index}].{path}"),
            Refusal::NoEnvelopeSender | Refusal::SenderMismatch => "msg_from",
            Refusal::InvalidReplyToken | Refusal::NoCaseToReplyTo | Refusal::ReplyNotAllowed => "rcpt_to",
            _ => "content.email_rfc822",
        };
        format!("[{index}].msys.relay_message.{field}")
    }
}
