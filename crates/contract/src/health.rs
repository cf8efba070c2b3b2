//! `GET /health`: whether this instance can serve, for a load balancer.

use serde::{Deserialize, Serialize};

wire_enum!(
    /// Whether one backend answered the health check in time.
    BackendHealth {
        Ok => "ok",
        Unreachable => "unreachable",
    }
);

/// 200 when both are `ok`, 503 (with `Retry-After`) otherwise.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    /// The database: a query answered on the connection writes use.
    pub database: BackendHealth,
    /// Where attachments and upload parts are kept: a file written, read back and removed.
    pub object_store: BackendHealth,
}
