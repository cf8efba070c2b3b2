use crate::ids::UserId;
use crate::session::Role;
use serde::{Deserialize, Serialize};

/// Someone who appears on a case: requester, agent, author of an event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Person {
    pub id: UserId,
    pub name: String,
    pub role: Role,
}
