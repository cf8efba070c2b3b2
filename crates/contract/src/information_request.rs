use crate::ids::{AttachmentId, CaseId, InformationRequestId};
use crate::person::Person;
use crate::upload::Attachment;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

wire_enum!(
    /// `open` until the customer answers; Bird may withdraw one it no longer needs.
    InformationRequestStatus {
        Open => "open",
        Answered => "answered",
        Withdrawn => "withdrawn",
    }
);

/// Something a support agent asked the customer for, and the customer's answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InformationRequest {
    pub id: InformationRequestId,
    pub case_id: CaseId,
    pub title: String,
    /// What is needed, in the agent's words.
    pub description: String,
    pub files_expected: bool,
    pub status: InformationRequestStatus,
    pub raised_by: Person,
    pub created_at: DateTime<Utc>,
    #[serde(default)]
    pub answer: Option<InformationAnswer>,
}

/// The customer's answer: text, files, or both.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InformationAnswer {
    #[serde(default)]
    pub text: Option<String>,
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    pub answered_by: Person,
    pub answered_at: DateTime<Utc>,
}

/// `POST /cases/{case_id}/information-requests` body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewInformationRequest {
    pub title: String,
    pub description: String,
    #[serde(default)]
    pub files_expected: bool,
}

/// `POST /cases/{case_id}/information-requests/{request_id}/answer` body.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewInformationAnswer {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default)]
    pub attachment_ids: Vec<AttachmentId>,
}

impl NewInformationAnswer {
    /// The text, trimmed; `None` when there is none worth keeping.
    pub fn text(&self) -> Option<&str> {
        self.text.as_deref().map(str::trim).filter(|t| !t.is_empty())
    }
}

/// An open request with the case it belongs to: the account page's "Waiting for you".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WaitingRequest {
    pub request: InformationRequest,
    pub case_number: String,
    pub case_subject: String,
}
