//! What one queued email is about.

use portal_contract::NotificationKind;

/// A notification about a case (a kind a person can turn off), or an email about their
/// credentials or an invitation to an account, which always goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MailKind {
    Case(NotificationKind),
    PasswordReset,
    /// Its row's recipient is the person who sent the invitation (the invited address may have
    /// no user yet); the email goes to the invitation's address, found by its token's hash.
    Invitation,
}

impl MailKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MailKind::Case(kind) => kind.as_str(),
            MailKind::PasswordReset => "password_reset",
            MailKind::Invitation => "invitation",
        }
    }

    /// The kind a stored row names; `None` for one this server does not know.
    pub fn parse(value: &str) -> Option<MailKind> {
        match value {
            "password_reset" => Some(MailKind::PasswordReset),
            "invitation" => Some(MailKind::Invitation),
            other => match NotificationKind::parse(other) {
                NotificationKind::Unknown => None,
                kind => Some(MailKind::Case(kind)),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_reads_back_as_written() {
        for kind in NotificationKind::ALL
            .iter()
            .copied()
            .map(MailKind::Case)
            .chain([MailKind::PasswordReset, MailKind::Invitation])
        {
            assert_eq!(MailKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(MailKind::parse("nonsense"), None);
    }
}
