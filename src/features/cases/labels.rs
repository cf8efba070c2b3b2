//! The words for each value of the case enums.

use crate::core::i18n::Key;
use portal_contract::{CaseKind, CaseSort, CaseStatus, Channel, EventKind, Role, Severity, Topic};

pub fn status(value: CaseStatus) -> Key {
    match value {
        CaseStatus::New => Key::StatusNew,
        CaseStatus::InProgress => Key::StatusInProgress,
        CaseStatus::WaitingOnCustomer => Key::StatusWaitingOnCustomer,
        CaseStatus::ResolutionProposed => Key::StatusResolutionProposed,
        CaseStatus::Resolved => Key::StatusResolved,
        CaseStatus::Unknown => Key::StatusUnknown,
    }
}

/// The status as `viewer` reads it: the customer is "you", so Bird's side reads whom the case
/// waits on instead.
pub fn status_for(value: CaseStatus, viewer: Role) -> Key {
    match value {
        CaseStatus::WaitingOnCustomer if viewer.is_bird() => Key::StatusWaitingOnCustomerBird,
        other => status(other),
    }
}

pub fn kind(value: CaseKind) -> Key {
    match value {
        CaseKind::Problem => Key::KindProblem,
        CaseKind::ConfigurationRequest => Key::KindConfigurationRequest,
        CaseKind::InformationRequest => Key::KindInformationRequest,
        CaseKind::Unknown => Key::KindUnknown,
    }
}

pub fn severity(value: Severity) -> Key {
    match value {
        Severity::Critical => Key::SeverityCritical,
        Severity::High => Key::SeverityHigh,
        Severity::Normal => Key::SeverityNormal,
        Severity::Low => Key::SeverityLow,
        Severity::Unknown => Key::SeverityUnknown,
    }
}

pub fn channel(value: Channel) -> Key {
    match value {
        Channel::Portal => Key::ChannelPortal,
        Channel::Email => Key::ChannelEmail,
        Channel::Unknown => Key::ChannelUnknown,
    }
}

pub fn topic(value: Topic) -> Key {
    match value {
        Topic::MigrationPlanning => Key::TopicMigrationPlanning,
        Topic::MailboxProviderMediation => Key::TopicMailboxProviderMediation,
        Topic::Other => Key::TopicOther,
        Topic::Unknown => Key::TopicUnknown,
    }
}

pub fn role(value: Role) -> Key {
    match value {
        Role::Customer => Key::RoleCustomer,
        Role::Tam => Key::RoleTam,
        Role::Agent => Key::RoleAgent,
        Role::System => Key::RoleSystem,
        Role::Unknown => Key::RoleUnknown,
    }
}

pub fn sort(value: CaseSort) -> Key {
    match value {
        CaseSort::UpdatedDesc | CaseSort::Unknown => Key::SortUpdatedDesc,
        CaseSort::CreatedDesc => Key::SortCreatedDesc,
        CaseSort::Severity => Key::SortSeverity,
    }
}

/// The heading of a timeline event; `status_changed` names its status with `{status}`.
pub fn event(value: EventKind) -> Key {
    match value {
        EventKind::Message => Key::EventMessage,
        EventKind::ProgressUpdate => Key::EventProgressUpdate,
        EventKind::StatusChanged => Key::EventStatusChanged,
        EventKind::InformationRequestRaised => Key::EventInformationRequestRaised,
        EventKind::InformationRequestAnswered => Key::EventInformationRequestAnswered,
        EventKind::AttachmentAdded => Key::EventAttachmentAdded,
        EventKind::Escalation => Key::EventEscalation,
        EventKind::EscalationAcknowledged => Key::EventEscalationAcknowledged,
        EventKind::ResolutionProposed => Key::EventResolutionProposed,
        EventKind::ResolutionConfirmed => Key::EventResolutionConfirmed,
        EventKind::ResolutionDeclined => Key::EventResolutionDeclined,
        EventKind::Reopened => Key::EventReopened,
        EventKind::ParticipantAdded => Key::EventParticipantAdded,
        EventKind::ParticipantRemoved => Key::EventParticipantRemoved,
        EventKind::Unknown => Key::EventUnknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bird_reads_waiting_on_the_customer_where_the_customer_reads_waiting_for_you() {
        let waiting = CaseStatus::WaitingOnCustomer;
        assert_eq!(status_for(waiting, Role::Customer), Key::StatusWaitingOnCustomer);
        assert_eq!(status_for(waiting, Role::Tam), Key::StatusWaitingOnCustomerBird);
        assert_eq!(status_for(waiting, Role::Agent), Key::StatusWaitingOnCustomerBird);
        assert_eq!(status_for(CaseStatus::New, Role::Tam), Key::StatusNew);
    }
}
