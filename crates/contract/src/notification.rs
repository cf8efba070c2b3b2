//! What reaches a person by email, and how they choose (`/me/notification-settings`), and the
//! bodies of the password endpoints.

use serde::{Deserialize, Serialize};

wire_enum!(
    /// The language a person's emails are written in.
    Language {
        En => "en",
        It => "it",
    }
);

wire_enum!(
    /// Each kind of email Bird sends about a case; a person may turn any of them off.
    NotificationKind {
        CaseOpened => "case_opened",
        Reply => "reply",
        InformationRequest => "information_request",
        ProgressUpdate => "progress_update",
        ResolutionProposed => "resolution_proposed",
        CaseResolved => "case_resolved",
        ReopenWindowClosing => "reopen_window_closing",
        Escalation => "escalation",
        EscalationAcknowledged => "escalation_acknowledged",
        ParticipantAdded => "participant_added",
    }
);

/// One switch per kind of notification: `true` sends it by email. Every kind is on for a person
/// who never chose.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NotificationEvents {
    pub case_opened: bool,
    pub reply: bool,
    pub information_request: bool,
    pub progress_update: bool,
    pub resolution_proposed: bool,
    pub case_resolved: bool,
    pub reopen_window_closing: bool,
    pub escalation: bool,
    pub escalation_acknowledged: bool,
    /// A colleague added this person to a case. Absent in what clients older than colleagues
    /// send, which means on.
    #[serde(default = "on")]
    pub participant_added: bool,
}

fn on() -> bool {
    true
}

impl NotificationEvents {
    pub const ALL_ON: NotificationEvents = NotificationEvents {
        case_opened: true,
        reply: true,
        information_request: true,
        progress_update: true,
        resolution_proposed: true,
        case_resolved: true,
        reopen_window_closing: true,
        escalation: true,
        escalation_acknowledged: true,
        participant_added: true,
    };

    /// Whether `kind` is sent; an unknown kind is not.
    pub fn get(&self, kind: NotificationKind) -> bool {
        match kind {
            NotificationKind::CaseOpened => self.case_opened,
            NotificationKind::Reply => self.reply,
            NotificationKind::InformationRequest => self.information_request,
            NotificationKind::ProgressUpdate => self.progress_update,
            NotificationKind::ResolutionProposed => self.resolution_proposed,
            NotificationKind::CaseResolved => self.case_resolved,
            NotificationKind::ReopenWindowClosing => self.reopen_window_closing,
            NotificationKind::Escalation => self.escalation,
            NotificationKind::EscalationAcknowledged => self.escalation_acknowledged,
            NotificationKind::ParticipantAdded => self.participant_added,
            NotificationKind::Unknown => false,
        }
    }

    /// Turns `kind` on or off (an unknown kind changes nothing).
    pub fn set(&mut self, kind: NotificationKind, on: bool) {
        let field = match kind {
            NotificationKind::CaseOpened => &mut self.case_opened,
            NotificationKind::Reply => &mut self.reply,
            NotificationKind::InformationRequest => &mut self.information_request,
            NotificationKind::ProgressUpdate => &mut self.progress_update,
            NotificationKind::ResolutionProposed => &mut self.resolution_proposed,
            NotificationKind::CaseResolved => &mut self.case_resolved,
            NotificationKind::ReopenWindowClosing => &mut self.reopen_window_closing,
            NotificationKind::Escalation => &mut self.escalation,
            NotificationKind::EscalationAcknowledged => &mut self.escalation_acknowledged,
            NotificationKind::ParticipantAdded => &mut self.participant_added,
            NotificationKind::Unknown => return,
        };
        *field = on;
    }
}

/// `GET`/`PUT /me/notification-settings`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NotificationSettings {
    pub language: Language,
    pub events: NotificationEvents,
}

/// `POST /password-resets`: who forgot their password.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordResetRequest {
    pub email: String,
}

/// `POST /password-resets/{token}`: the new password.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewPassword {
    pub password: String,
}

/// `PUT /me/password`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PasswordChange {
    pub current_password: String,
    pub password: String,
}

/// `GET /outbox` (agents): the state of the notification queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutboxStatus {
    /// Notifications not yet accepted by the mail server (including those waiting for a retry).
    pub waiting: u64,
    /// When the oldest waiting notification was written.
    pub oldest_waiting_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Accepted by the mail server (or written to the outbox folder).
    pub sent: u64,
    /// Refused for good (a 5xx answer); never retried.
    pub failed: u64,
    /// The last delivery error, with when it happened.
    pub last_error: Option<String>,
    pub last_error_at: Option<chrono::DateTime<chrono::Utc>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_from_a_client_older_than_colleagues_keep_the_new_kind_on() {
        let older = r#"{"case_opened": false, "reply": true, "information_request": true, "progress_update": true,
            "resolution_proposed": true, "case_resolved": true, "reopen_window_closing": true,
            "escalation": true, "escalation_acknowledged": true}"#;
        let events: NotificationEvents = serde_json::from_str(older).expect("decodes");
        assert!(events.get(NotificationKind::ParticipantAdded));
        assert!(!events.get(NotificationKind::CaseOpened));
    }

    #[test]
    fn every_kind_has_its_switch() {
        for kind in NotificationKind::ALL.iter().copied() {
            let mut events = NotificationEvents::ALL_ON;
            events.set(kind, false);
            assert!(!events.get(kind), "{kind}");
            assert_eq!(
                NotificationKind::ALL.iter().filter(|k| events.get(**k)).count(),
                NotificationKind::ALL.len() - 1
            );
        }
    }
}
