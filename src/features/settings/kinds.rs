//! Which notifications concern whom, and their words.

use crate::core::i18n::Key;
use portal_contract::{NotificationKind, Role};

/// The kinds of email the server sends to `role`, in the order a case meets them. The
/// server's outbox writes every notice about a case to the case's customers, and the one
/// about an escalation to the account's TAM; Bird's agents follow cases in their own tools
/// and are emailed nothing.
pub fn kinds_for(role: Role) -> &'static [NotificationKind] {
    use NotificationKind as N;
    match role {
        Role::Customer => &[
            N::CaseOpened,
            N::Reply,
            N::InformationRequest,
            N::ProgressUpdate,
            N::ResolutionProposed,
            N::CaseResolved,
            N::ReopenWindowClosing,
            N::EscalationAcknowledged,
            N::ParticipantAdded,
        ],
        Role::Tam => &[N::Escalation],
        _ => &[],
    }
}

/// The label of a kind's checkbox and the line that says what it is.
pub fn describe(kind: NotificationKind) -> (Key, Key) {
    use NotificationKind as N;
    match kind {
        N::CaseOpened => (Key::NotificationCaseOpened, Key::NotificationCaseOpenedAbout),
        N::Reply => (Key::NotificationReply, Key::NotificationReplyAbout),
        N::InformationRequest => (Key::NotificationInformationRequest, Key::NotificationInformationRequestAbout),
        N::ProgressUpdate => (Key::NotificationProgressUpdate, Key::NotificationProgressUpdateAbout),
        N::ResolutionProposed => (Key::NotificationResolutionProposed, Key::NotificationResolutionProposedAbout),
        N::CaseResolved => (Key::NotificationCaseResolved, Key::NotificationCaseResolvedAbout),
        N::ReopenWindowClosing => (Key::NotificationReopenWindowClosing, Key::NotificationReopenWindowClosingAbout),
        N::Escalation => (Key::NotificationEscalation, Key::NotificationEscalationAbout),
        N::EscalationAcknowledged => {
            (Key::NotificationEscalationAcknowledged, Key::NotificationEscalationAcknowledgedAbout)
        }
        N::ParticipantAdded => (Key::NotificationParticipantAdded, Key::NotificationParticipantAddedAbout),
        N::Unknown => (Key::StatusUnknown, Key::StatusUnknown),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_customer_is_offered_every_case_notice_and_a_tam_the_escalation_only() {
        let customer = kinds_for(Role::Customer);
        assert_eq!(customer.len(), NotificationKind::ALL.len() - 1);
        assert!(!customer.contains(&NotificationKind::Escalation));
        assert_eq!(kinds_for(Role::Tam), [NotificationKind::Escalation]);
        assert!(kinds_for(Role::Agent).is_empty());
    }

    #[test]
    fn every_kind_offered_has_its_own_words() {
        let labels: std::collections::HashSet<Key> = NotificationKind::ALL.iter().map(|k| describe(*k).0).collect();
        assert_eq!(labels.len(), NotificationKind::ALL.len());
        assert_eq!(describe(NotificationKind::Reply).0.en(), "New reply");
    }
}
