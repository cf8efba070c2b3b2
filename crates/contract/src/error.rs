use serde::{Deserialize, Serialize};

/// The one shape of every non-2xx answer: `{"error": {...}}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorDetail {
    #[serde(rename = "type")]
    pub kind: ErrorType,
    /// A stable machine-readable reason, e.g. `case_not_found`, `invalid_credentials`.
    pub code: String,
    /// English text for developers; the portal shows its own translated words.
    pub message: String,
    pub request_id: String,
    /// Present on validation errors (422): one entry per offending field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<Vec<FieldError>>,
}

wire_enum!(ErrorType {
    InvalidRequest => "invalid_request",
    Authentication => "authentication",
    Permission => "permission",
    NotFound => "not_found",
    Conflict => "conflict",
    RateLimit => "rate_limit",
    Api => "api",
});

/// One field that failed validation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// The field's name in the request body, e.g. `subject`.
    pub param: String,
    pub message: String,
    /// A stable reason (`required`, `too_long`, `invalid_choice`, …) the portal translates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}
