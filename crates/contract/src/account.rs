use crate::ids::AccountId;
use crate::tam::TamSummary;
use serde::{Deserialize, Serialize};

/// A Bird customer account on Premium Email.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Account {
    pub id: AccountId,
    pub name: String,
    pub plan: String,
}

/// How many of an account's cases stand where.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseCounts {
    /// Every case not yet resolved.
    pub open: u32,
    pub new: u32,
    pub in_progress: u32,
    pub waiting_on_customer: u32,
    pub resolution_proposed: u32,
    pub resolved: u32,
    /// Open cases the customer escalated to the TAM.
    pub escalated: u32,
    pub open_information_requests: u32,
}

/// `GET /accounts/{account_id}` and each item of `GET /accounts`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountOverview {
    pub id: AccountId,
    pub name: String,
    pub plan: String,
    pub tam: Option<TamSummary>,
    pub counts: CaseCounts,
}
