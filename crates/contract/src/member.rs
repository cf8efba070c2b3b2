//! The people of a customer account (#20): their role on it, invitations that bring a colleague
//! in, and the colleagues who follow a case beside its requester.

use crate::ids::{InvitationId, UserId};
use crate::notification::Language;
use crate::person::Person;
use crate::session::{AccountRole, SessionAccount};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One person of an account, as `GET /accounts/{account_id}/members` lists them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Member {
    pub id: UserId,
    pub name: String,
    pub email: String,
    pub role: AccountRole,
    pub joined_at: DateTime<Utc>,
}

/// An invitation nobody has accepted yet: what the account's admins see of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Invitation {
    pub id: InvitationId,
    pub email: String,
    pub role: AccountRole,
    pub invited_by: Person,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// `GET /accounts/{account_id}/members`: every person of the account (all of them: an account
/// has few, so `next_cursor` is always null), and, for its admins, the invitations still open.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Members {
    pub data: Vec<Member>,
    #[serde(default)]
    pub next_cursor: Option<String>,
    /// Empty unless the caller is one of the account's admins.
    #[serde(default)]
    pub invitations: Vec<Invitation>,
}

/// `POST /accounts/{account_id}/invitations` body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewInvitation {
    pub email: String,
    pub role: AccountRole,
    /// The language of the invitation email; the inviter's own when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<Language>,
}

/// `PATCH /accounts/{account_id}/members/{user_id}` body: an admin changes a colleague's role.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberUpdate {
    pub role: AccountRole,
}

/// `GET /invitations/{token}`: what the emailed link opens onto, for whoever holds the token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitationPreview {
    pub account: SessionAccount,
    pub email: String,
    pub role: AccountRole,
    /// The name of the person who sent it.
    pub invited_by: String,
    /// The email already has a user: accepting asks for that user's password, not a new one.
    pub existing_user: bool,
    pub expires_at: DateTime<Utc>,
}

/// `POST /invitations/{token}/accept` body. A new person chooses a name and a password (the
/// rules of a new password); a person who already has a user gives their current password and
/// no name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvitationAcceptance {
    #[serde(default)]
    pub name: String,
    pub password: String,
}

/// `POST /cases/{case_id}/participants` body: a colleague of the case's account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewParticipant {
    pub user_id: UserId,
}

/// A colleague who follows a case beside its requester and gets its notifications.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Participant {
    pub id: UserId,
    pub name: String,
    pub added_by: Person,
    pub added_at: DateTime<Utc>,
}
