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

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Customer,
    Tam,
    Agent,
    #[serde(other)]
    Unknown,
}

impl Role {
    /// Bird's side of a case (the TAM and support agents), as opposed to the customer's.
    pub fn is_bird(self) -> bool {
        matches!(self, Role::Tam | Role::Agent)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Customer => "customer",
            Role::Tam => "tam",
            Role::Agent => "agent",
            Role::Unknown => "unknown",
        }
    }

    pub fn parse(value: &str) -> Role {
        match value {
            "customer" => Role::Customer,
            "tam" => Role::Tam,
            "agent" => Role::Agent,
            _ => Role::Unknown,
        }
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

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionAccount {
    pub id: AccountId,
    pub name: String,
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
