//! What the portal tells its host. The wire shape is part of the contract with the Bird
//! dashboard: `{"source": "bird-support-portal", "version": 1, "type": "case.opened", …}`.

use portal_contract::{AccountId, CaseId, CaseStatus, EMBED_PROTOCOL_VERSION, InformationRequestId};
use serde::Serialize;

/// Marks the portal's messages among everything else a host window receives.
pub const EVENT_SOURCE: &str = "bird-support-portal";

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "type")]
pub enum HostEvent {
    /// The portal is mounted and about to show its first page.
    #[serde(rename = "ready")]
    Ready,
    /// A case's page is on screen.
    #[serde(rename = "case.opened")]
    CaseOpened { case_id: CaseId, account_id: AccountId },
    /// The person opened a new case.
    #[serde(rename = "case.created")]
    CaseCreated { case_id: CaseId, account_id: AccountId },
    /// The person changed a case: a reply, a proposal declined, a reopening, a rating.
    #[serde(rename = "case.updated")]
    CaseUpdated { case_id: CaseId, status: CaseStatus },
    #[serde(rename = "information_request.answered")]
    InformationRequestAnswered { case_id: CaseId, request_id: InformationRequestId },
    #[serde(rename = "case.escalated")]
    Escalated { case_id: CaseId },
    #[serde(rename = "resolution.confirmed")]
    ResolutionConfirmed { case_id: CaseId },
    /// The portal's own path (without the host's base path), so the host can keep its URL,
    /// title or breadcrumbs in step.
    #[serde(rename = "navigation")]
    Navigation { path: String },
    /// The token was refused: the host should answer with a fresh one (`setToken`, or a
    /// `token` message to a frame) within 10 seconds; the refused request then goes through.
    #[serde(rename = "token.requested")]
    TokenRequested,
    /// The token was refused and no fresh one came: the host should sign the person in and
    /// call `setToken`. Whatever the person typed is kept meanwhile.
    #[serde(rename = "session.expired")]
    SessionExpired,
    /// Framed only: the height the content needs, in CSS pixels.
    #[serde(rename = "resize")]
    Resize { height: u32 },
}

#[derive(Serialize)]
struct Envelope<'a> {
    source: &'static str,
    version: u32,
    #[serde(flatten)]
    event: &'a HostEvent,
}

impl HostEvent {
    /// The JSON the host receives.
    pub fn to_json(&self) -> String {
        serde_json::to_string(&Envelope { source: EVENT_SOURCE, version: EMBED_PROTOCOL_VERSION, event: self })
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn wire(event: HostEvent) -> Value {
        serde_json::from_str(&event.to_json()).unwrap_or(Value::Null)
    }

    #[test]
    fn events_are_typed_and_versioned() {
        assert_eq!(
            wire(HostEvent::CaseOpened { case_id: "case_1".into(), account_id: "acc_acme".into() }),
            json!({"source": "bird-support-portal", "version": 1, "type": "case.opened", "case_id": "case_1", "account_id": "acc_acme"})
        );
        assert_eq!(
            wire(HostEvent::CaseUpdated { case_id: "case_1".into(), status: CaseStatus::WaitingOnCustomer }),
            json!({"source": "bird-support-portal", "version": 1, "type": "case.updated", "case_id": "case_1", "status": "waiting_on_customer"})
        );
        assert_eq!(
            wire(HostEvent::SessionExpired),
            json!({"source": "bird-support-portal", "version": 1, "type": "session.expired"})
        );
        assert_eq!(wire(HostEvent::Resize { height: 640 })["height"], 640);
        assert_eq!(wire(HostEvent::Navigation { path: "/cases/case_1".into() })["path"], "/cases/case_1");
    }
}
