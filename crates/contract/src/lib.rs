//! The API contract (v1) of the Bird Premium Support Portal.
//!
//! Architecture Invariant: this crate holds only data shapes and the pure rules over them
//! (validation, labels of enums). It depends on serde and chrono alone, so the portal (wasm)
//! and the reference API (native) compile the very same definitions and cannot drift.
//!
//! Architecture Invariant: every enum that arrives from the network has an `Unknown` variant
//! (`#[serde(other)]`), so a newer API adding a status never breaks an older portal.

#[macro_use]
mod wire_enum;
mod account;
mod case;
mod case_index;
mod config;
mod embedding;
mod error;
pub mod file_types;
mod health;
mod ids;
mod information_request;
pub mod limits;
mod member;
mod notification;
mod page;
mod person;
pub mod rules;
mod session;
mod tam;
mod upload;
mod validation;
mod worklist;

pub use account::{Account, AccountOverview, CaseCounts};
pub use case::{
    Case, CaseDetail, CaseKind, CaseListQuery, CaseRef, CaseSort, CaseStatus, Channel, EventKind, NewCase, NewMessage,
    NewRating, NewResolution, Reason, Resolution, Satisfaction, Severity, TimelineEvent, Topic,
};
pub use case_index::{CASE_INDEX_MAX, CaseIndex, CaseIndexQuery, CaseSummary};
pub use config::{PortalConfig, SeverityPolicy};
pub use embedding::{EMBED_PROTOCOL_VERSION, EmbeddingPolicy, origin_allowed};
pub use error::{ErrorBody, ErrorDetail, ErrorType, FieldError};
pub use health::{BackendHealth, Health};
pub use ids::{AccountId, AttachmentId, CaseId, EventId, InformationRequestId, InvitationId, TamId, UploadId, UserId};
pub use information_request::{
    InformationAnswer, InformationRequest, InformationRequestStatus, NewInformationAnswer, NewInformationRequest,
    WaitingRequest,
};
pub use member::{
    Invitation, InvitationAcceptance, InvitationPreview, Member, MemberUpdate, Members, NewInvitation, NewParticipant,
    Participant,
};
pub use notification::{
    Language, NewPassword, NotificationEvents, NotificationKind, NotificationSettings, OutboxStatus, PasswordChange,
    PasswordResetRequest,
};
pub use page::{DEFAULT_LIMIT, MAX_LIMIT, Page};
pub use person::Person;
pub use session::{AccountRole, Credentials, Role, SessionAccount, SessionInfo, SessionUser, TokenGrant};
pub use tam::{
    HoursInterval, HoursOverride, Tam, TamExclusion, TamHours, TamService, TamSummary, TimeSpan, Weekday, WeeklyHours,
};
pub use upload::{
    Attachment, TUS_CHECKSUM_ALGORITHMS, TUS_EXTENSIONS, TUS_PATCH_CONTENT_TYPE, TUS_VERSION, UploadLimits, UploadState,
};
pub use validation::{FieldProblem, Validate};
pub use worklist::{AT_RISK_WITHIN_MINUTES, NeedsAction, ProposedResolution, Worklist};

/// The path every endpoint of this contract lives under.
pub const API_BASE: &str = "/api/v1";
/// The header that carries a request's idempotency key on creates.
pub const IDEMPOTENCY_KEY_HEADER: &str = "Idempotency-Key";
/// The header every answer carries, echoed in error bodies.
pub const REQUEST_ID_HEADER: &str = "X-Request-Id";
/// The custom header a cookie-authenticated write must carry (CSRF defence).
pub const CSRF_HEADER: &str = "X-Requested-With";
/// The name of the session cookie set by `POST /session`.
pub const SESSION_COOKIE: &str = "portal_session";
