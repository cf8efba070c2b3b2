use crate::ids::{AccountId, UserId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// `POST /session` body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Credentials {
    pub email: String,
    pub password: String,
}

wire_enum!(
    /// `system` is Bird's own records, not a person (the status changes that follow from what
    /// someone did); nobody signs in with it.
    Role {
        Customer => "customer",
        Tam => "tam",
        Agent => "agent",
        System => "system",
    }
);

impl Role {
    /// Bird's side of a case (the TAM and support agents), as opposed to the customer's.
    pub fn is_bird(self) -> bool {
        matches!(self, Role::Tam | Role::Agent)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionUser {
    pub id: UserId,
    pub name: String,
    pub email: String,
    pub role: Role,
}

wire_enum!(
    /// What a customer's person may do on one account. An account always keeps one admin.
    AccountRole {
        Admin => "admin",
        Member => "member",
    }
);

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionAccount {
    pub id: AccountId,
    pub name: String,
    /// The caller's role on this account: set for a customer's own accounts, absent for
    /// Bird's side (a TAM or agent sees an account without belonging to it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<AccountRole>,
}

/// `GET /session`: who is signed in and which accounts they may see.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionInfo {
    pub user: SessionUser,
    pub accounts: Vec<SessionAccount>,
}

/// `POST /tokens`: a short-lived bearer token for an embedding host.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenGrant {
    pub token: String,
    pub expires_at: DateTime<Utc>,
}
