use crate::case::{Case, CaseKind, CaseStatus, Channel, Severity};
use crate::ids::CaseId;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The most cases `GET /accounts/{account_id}/case-index` answers: beyond it the portal
/// searches on the server only, because a larger index costs more to fetch than it saves.
pub const CASE_INDEX_MAX: usize = 20_000;

/// One case as a row of the case list shows it: enough to filter and sort as the person
/// types, without the description or the people behind it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseSummary {
    pub id: CaseId,
    /// The human number, e.g. `CASE-1042`.
    pub number: String,
    pub kind: CaseKind,
    pub severity: Severity,
    pub subject: String,
    pub channel: Channel,
    pub status: CaseStatus,
    /// The support agent's name, when one has the case.
    #[serde(default)]
    pub agent: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(default)]
    pub escalated: bool,
    /// As `Case.overdue`: its first answer is late by the server's clock.
    #[serde(default)]
    pub overdue: bool,
}

impl From<Case> for CaseSummary {
    fn from(case: Case) -> Self {
        CaseSummary {
            id: case.id,
            number: case.number,
            kind: case.kind,
            severity: case.severity,
            subject: case.subject,
            channel: case.channel,
            status: case.status,
            agent: case.agent.map(|a| a.name),
            created_at: case.created_at,
            updated_at: case.updated_at,
            escalated: case.escalated_at.is_some(),
            overdue: case.overdue,
        }
    }
}

/// `GET /accounts/{account_id}/case-index`: every case of the account, most recently updated
/// first, as summaries.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseIndex {
    pub data: Vec<CaseSummary>,
    /// False when the account has more than `CASE_INDEX_MAX` cases and `data` holds only the
    /// most recently updated of them.
    pub complete: bool,
}

/// The query of `GET /accounts/{account_id}/case-index`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct CaseIndexQuery {
    /// Only the caller's own cases, as `CaseListQuery::mine`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mine: Option<bool>,
}
