//! What waits on someone: the customer's "Needs your action" and the TAM's worklist.

use crate::case::{Case, Resolution};
use crate::information_request::WaitingRequest;
use serde::{Deserialize, Serialize};

/// A resolution Bird proposed that waits for the customer's answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProposedResolution {
    pub case: Case,
    pub resolution: Resolution,
}

/// `GET /accounts/{account_id}/needs-action`: everything on the account that waits on its
/// customer: the open information requests and the resolutions Bird proposed, oldest first.
/// Empty lists for Bird's side, whose work is `Worklist`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NeedsAction {
    pub information_requests: Vec<WaitingRequest>,
    pub resolutions: Vec<ProposedResolution>,
}

impl NeedsAction {
    pub fn is_empty(&self) -> bool {
        self.information_requests.is_empty() && self.resolutions.is_empty()
    }

    pub fn len(&self) -> usize {
        self.information_requests.len() + self.resolutions.len()
    }
}

/// `GET /me/worklist`, for a TAM across the accounts they look after (an agent: all accounts).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Worklist {
    /// Escalated open cases the TAM has not acknowledged yet, newest escalation first.
    pub escalations: Vec<Case>,
    /// Open cases still waiting for their first answer whose target has passed or passes within
    /// `AT_RISK_WITHIN_MINUTES`, soonest due first.
    pub at_risk: Vec<Case>,
}

/// How close to its first-response target a case must be to be at risk.
pub const AT_RISK_WITHIN_MINUTES: i64 = 120;
