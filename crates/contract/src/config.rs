use crate::case::Severity;
use crate::upload::UploadLimits;
use serde::{Deserialize, Serialize};

/// What each severity promises: the first-response target Bird commits to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SeverityPolicy {
    pub severity: Severity,
    /// Minutes from opening to the first answer of a support agent (business hours).
    pub first_response_minutes: u32,
}

/// `GET /config`: the server's configuration the portal shows, so no page hard-codes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PortalConfig {
    /// Most severe first.
    pub severities: Vec<SeverityPolicy>,
    /// How many days after it is resolved a customer may still reopen a case.
    pub reopen_window_days: u32,
    /// What an upload may be; checked by the portal before a byte is sent.
    pub uploads: UploadLimits,
    /// How many bytes the portal sends per `PATCH` at most.
    pub upload_chunk_size: u64,
    /// What one account's files may occupy in all, in bytes: its attachments plus the length
    /// of its unfinished uploads. An upload that would pass it is refused when it is created.
    #[serde(default)]
    pub storage_quota_bytes: u64,
    /// The designated address customers write to: mail to it with `CASE-n` in the subject
    /// joins that case; without, it opens a new one.
    #[serde(default)]
    pub support_address: String,
}
