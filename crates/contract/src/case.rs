use crate::ids::{AccountId, CaseId, EventId, InformationRequestId};
use crate::information_request::InformationRequest;
use crate::member::Participant;
use crate::person::Person;
use crate::upload::Attachment;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

wire_enum!(
    /// The three kinds of "Problem" of the terms.
    CaseKind {
        Problem => "problem",
        ConfigurationRequest => "configuration_request",
        InformationRequest => "information_request",
    }
);

wire_enum!(
    /// What a case is about, when the customer says so.
    Topic {
        MigrationPlanning => "migration_planning",
        MailboxProviderMediation => "mailbox_provider_mediation",
        Other => "other",
    }
);

wire_enum!(
    Severity {
        Critical => "critical",
        High => "high",
        Normal => "normal",
        Low => "low",
    }
);

wire_enum!(
    /// Where a case came from: this portal or the designated support email address.
    Channel {
        Portal => "portal",
        Email => "email",
    }
);

wire_enum!(
    /// `new` → `in_progress` ⇄ `waiting_on_customer` → `resolution_proposed` → `resolved`.
    CaseStatus {
        New => "new",
        InProgress => "in_progress",
        WaitingOnCustomer => "waiting_on_customer",
        ResolutionProposed => "resolution_proposed",
        Resolved => "resolved",
    }
);

wire_enum!(
    EventKind {
        Message => "message",
        ProgressUpdate => "progress_update",
        StatusChanged => "status_changed",
        InformationRequestRaised => "information_request_raised",
        InformationRequestAnswered => "information_request_answered",
        AttachmentAdded => "attachment_added",
        Escalation => "escalation",
        EscalationAcknowledged => "escalation_acknowledged",
        ResolutionProposed => "resolution_proposed",
        ResolutionConfirmed => "resolution_confirmed",
        ResolutionDeclined => "resolution_declined",
        Reopened => "reopened",
        ParticipantAdded => "participant_added",
        ParticipantRemoved => "participant_removed",
    }
);

wire_enum!(
    /// The orders a case list can be read in.
    CaseSort {
        UpdatedDesc => "updated_desc",
        CreatedDesc => "created_desc",
        Severity => "severity",
    }
);

impl Severity {
    /// Most urgent first: 0 for critical.
    pub fn rank(self) -> u8 {
        match self {
            Severity::Critical => 0,
            Severity::High => 1,
            Severity::Normal => 2,
            Severity::Low => 3,
            Severity::Unknown => 4,
        }
    }
}

impl CaseStatus {
    /// Still being worked on: anything but `resolved`.
    pub fn is_open(self) -> bool {
        !matches!(self, CaseStatus::Resolved)
    }
}

/// A Support Case as it appears in lists.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Case {
    pub id: CaseId,
    /// The human number, e.g. `CASE-1042`.
    pub number: String,
    pub account_id: AccountId,
    pub kind: CaseKind,
    #[serde(default)]
    pub topic: Option<Topic>,
    pub severity: Severity,
    pub subject: String,
    pub description: String,
    pub channel: Channel,
    pub requester: Person,
    #[serde(default)]
    pub agent: Option<Person>,
    pub status: CaseStatus,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(default)]
    pub first_response_at: Option<DateTime<Utc>>,
    /// When the customer escalated it to the TAM, if they did.
    #[serde(default)]
    pub escalated_at: Option<DateTime<Utc>>,
    /// When the account's TAM acknowledged the escalation, and who that was.
    #[serde(default)]
    pub escalation_acknowledged_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub escalation_acknowledged_by: Option<Person>,
    /// While the case waits for its first answer from a support agent: when that answer is due
    /// by its severity's target. `null` once an agent answered, and on a resolved case.
    #[serde(default)]
    pub first_response_due_at: Option<DateTime<Utc>>,
    /// `first_response_due_at` has passed by the server's clock.
    #[serde(default)]
    pub overdue: bool,
    /// The case this one follows up (opened from a resolved case).
    #[serde(default)]
    pub follow_up_of: Option<CaseRef>,
}

/// Another case, named the way people name it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseRef {
    pub id: CaseId,
    /// `CASE-n`.
    pub number: String,
}

/// One entry of a case's append-only timeline.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimelineEvent {
    pub id: EventId,
    pub kind: EventKind,
    pub author: Person,
    #[serde(default)]
    pub body: Option<String>,
    /// For `status_changed`: the status the case moved to.
    #[serde(default)]
    pub status: Option<CaseStatus>,
    /// For `attachment_added` and `information_request_answered`: the files concerned.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attachments: Vec<Attachment>,
    /// For `information_request_*`: the request concerned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub information_request_id: Option<InformationRequestId>,
    /// For `participant_added` and `participant_removed`: the colleague added or removed (the
    /// author is who did it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub participant: Option<Person>,
    pub created_at: DateTime<Utc>,
}

/// The resolution agreement: one side proposed, the other confirmed (or it is still pending).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Resolution {
    pub summary: String,
    pub proposed_by: Person,
    pub proposed_at: DateTime<Utc>,
    #[serde(default)]
    pub confirmed_by: Option<Person>,
    #[serde(default)]
    pub confirmed_at: Option<DateTime<Utc>>,
}

/// The customer's rating of the support on a resolved case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Satisfaction {
    /// 1 (poor) to 5 (excellent).
    pub rating: u8,
    #[serde(default)]
    pub comment: Option<String>,
    pub rated_at: DateTime<Utc>,
}

/// `GET /cases/{case_id}`: the case with everything that happened on it, oldest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseDetail {
    #[serde(flatten)]
    pub case: Case,
    pub timeline: Vec<TimelineEvent>,
    /// The pending or agreed resolution; none while nobody has proposed one.
    #[serde(default)]
    pub resolution: Option<Resolution>,
    #[serde(default)]
    pub satisfaction: Option<Satisfaction>,
    /// For a resolved case: the customer may reopen it until then.
    #[serde(default)]
    pub reopen_until: Option<DateTime<Utc>>,
    /// Open ones first, then newest first.
    #[serde(default)]
    pub information_requests: Vec<InformationRequest>,
    /// Every finished file on the case, oldest first.
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    /// Colleagues of the requester who follow the case, in the order they were added.
    #[serde(default)]
    pub participants: Vec<Participant>,
}

/// `POST /cases/{case_id}/resolution/propose` body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewResolution {
    pub summary: String,
}

/// A reason: declining a resolution, reopening, escalating to the TAM.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reason {
    pub reason: String,
}

/// `POST /cases/{case_id}/satisfaction` body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewRating {
    pub rating: u8,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// `POST /accounts/{account_id}/cases` body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewCase {
    pub kind: CaseKind,
    pub severity: Severity,
    pub subject: String,
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic: Option<Topic>,
    /// A case of the same account this one follows up, typically a resolved one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_up_of: Option<CaseId>,
}

/// `POST /cases/{case_id}/messages` and `POST /cases/{case_id}/updates` body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewMessage {
    pub body: String,
}

/// The query of `GET /accounts/{account_id}/cases`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct CaseListQuery {
    /// One status or several, comma-separated (`new,in_progress`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<CaseKind>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    /// Searched in the number, subject and description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
    /// Only cases escalated to the TAM (`true`) or never escalated (`false`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub escalated: Option<bool>,
    /// Only the caller's own cases: opened by them or followed as a participant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mine: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort: Option<CaseSort>,
    /// 1–100, default 25.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
}

impl CaseListQuery {
    /// The statuses asked for; empty means all. Unknown names are kept as `Unknown` so the
    /// server can refuse them by name instead of silently widening the list.
    pub fn statuses(&self) -> Vec<CaseStatus> {
        self.status
            .as_deref()
            .unwrap_or("")
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(CaseStatus::parse)
            .collect()
    }
}
