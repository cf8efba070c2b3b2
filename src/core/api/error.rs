use crate::core::i18n::Key;
use portal_contract::{ErrorBody, FieldError};

/// Every way a call to the API can fail, in words a page can show.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ApiError {
    #[error("the API could not be reached")]
    Network,
    #[error("the request was cancelled")]
    Aborted,
    #[error("the email or password is wrong")]
    InvalidCredentials { request_id: Option<String> },
    #[error("not signed in")]
    Unauthorized { request_id: Option<String> },
    #[error("not allowed")]
    Forbidden { request_id: Option<String> },
    #[error("not found")]
    NotFound { request_id: Option<String> },
    #[error("conflict: {code}")]
    Conflict { code: String, request_id: Option<String> },
    #[error("invalid input")]
    Validation { fields: Vec<FieldError>, request_id: Option<String> },
    /// The account's files would pass its storage quota.
    #[error("the account's storage quota is reached")]
    StorageQuotaExceeded { request_id: Option<String> },
    #[error("too many requests")]
    RateLimited { retry_after: Option<u32>, request_id: Option<String> },
    #[error("the service is unavailable")]
    Unavailable { retry_after: Option<u32>, request_id: Option<String> },
    #[error("server error {status}")]
    Server { status: u16, request_id: Option<String> },
    #[error("the answer could not be read")]
    Decode { request_id: Option<String> },
    /// The code of a page outside the first load could not be fetched.
    #[error("the page's code could not be loaded")]
    PageCode,
}

impl ApiError {
    /// Maps a non-2xx answer to an error. The body is read for its code and field details
    /// only; a body that isn't the documented shape still yields the right kind of error.
    pub fn from_answer(status: u16, body: &str, request_id: Option<String>, retry_after: Option<&str>) -> ApiError {
        let parsed = serde_json::from_str::<ErrorBody>(body).ok().map(|b| b.error);
        let request_id = request_id.or_else(|| parsed.as_ref().map(|e| e.request_id.clone()));
        let code = parsed.as_ref().map(|e| e.code.as_str()).unwrap_or("");
        let retry_after = retry_after.and_then(|v| v.trim().parse::<u32>().ok());
        match status {
            401 if code == "invalid_credentials" => ApiError::InvalidCredentials { request_id },
            401 => ApiError::Unauthorized { request_id },
            403 => ApiError::Forbidden { request_id },
            // 410: an upload that expired is as gone as one that never was.
            404 | 410 => ApiError::NotFound { request_id },
            // 423: another request holds the upload; like a 409, the state moved under us.
            409 | 423 => ApiError::Conflict { code: code.to_owned(), request_id },
            413 if code == "storage_quota_exceeded" => ApiError::StorageQuotaExceeded { request_id },
            400 | 413 | 415 | 422 => {
                ApiError::Validation { fields: parsed.and_then(|e| e.details).unwrap_or_default(), request_id }
            }
            429 => ApiError::RateLimited { retry_after, request_id },
            502..=504 => ApiError::Unavailable { retry_after, request_id },
            _ => ApiError::Server { status, request_id },
        }
    }

    pub fn request_id(&self) -> Option<&str> {
        match self {
            ApiError::Network | ApiError::Aborted | ApiError::PageCode => None,
            ApiError::InvalidCredentials { request_id }
            | ApiError::Unauthorized { request_id }
            | ApiError::Forbidden { request_id }
            | ApiError::NotFound { request_id }
            | ApiError::Conflict { request_id, .. }
            | ApiError::Validation { request_id, .. }
            | ApiError::StorageQuotaExceeded { request_id }
            | ApiError::RateLimited { request_id, .. }
            | ApiError::Unavailable { request_id, .. }
            | ApiError::Server { request_id, .. }
            | ApiError::Decode { request_id } => request_id.as_deref(),
        }
    }

    /// What the person reads.
    pub fn message(&self) -> Key {
        match self {
            ApiError::Network => Key::ErrorNetwork,
            ApiError::Aborted => Key::ErrorAborted,
            ApiError::InvalidCredentials { .. } => Key::ErrorInvalidCredentials,
            ApiError::Unauthorized { .. } => Key::ErrorUnauthorized,
            ApiError::Forbidden { .. } => Key::ErrorForbidden,
            ApiError::NotFound { .. } => Key::ErrorNotFound,
            ApiError::Conflict { .. } => Key::ErrorConflict,
            ApiError::Validation { .. } => Key::ErrorValidation,
            ApiError::StorageQuotaExceeded { .. } => Key::ErrorStorageQuota,
            ApiError::RateLimited { .. } => Key::ErrorRateLimited,
            ApiError::Unavailable { .. } => Key::ErrorUnavailable,
            ApiError::Server { .. } => Key::ErrorServer,
            ApiError::Decode { .. } => Key::ErrorDecode,
            ApiError::PageCode => Key::ErrorPageCode,
        }
    }

    /// Whether trying the same request again may succeed.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            ApiError::Network
                | ApiError::RateLimited { .. }
                | ApiError::Unavailable { .. }
                | ApiError::Server { .. }
                | ApiError::Decode { .. }
                | ApiError::PageCode
        )
    }

    /// The message the server gave for one field, by its name in the request body.
    pub fn field(&self, param: &str) -> Option<&FieldError> {
        match self {
            ApiError::Validation { fields, .. } => fields.iter().find(|f| f.param == param),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOT_FOUND: &str =
        r#"{"error":{"type":"not_found","code":"case_not_found","message":"m","request_id":"req_body"}}"#;

    #[test]
    fn statuses_map_to_kinds() {
        assert!(matches!(ApiError::from_answer(404, NOT_FOUND, None, None), ApiError::NotFound { .. }));
        assert!(matches!(ApiError::from_answer(403, "", None, None), ApiError::Forbidden { .. }));
        assert!(matches!(ApiError::from_answer(500, "<html>", None, None), ApiError::Server { status: 500, .. }));
        assert!(matches!(ApiError::from_answer(418, "", None, None), ApiError::Server { status: 418, .. }));
    }

    #[test]
    fn a_wrong_password_is_not_a_lost_session() {
        let body = r#"{"error":{"type":"authentication","code":"invalid_credentials","message":"m","request_id":"r"}}"#;
        assert!(matches!(ApiError::from_answer(401, body, None, None), ApiError::InvalidCredentials { .. }));
        assert!(matches!(ApiError::from_answer(401, "", None, None), ApiError::Unauthorized { .. }));
    }

    #[test]
    fn the_header_request_id_wins_and_the_body_one_is_a_fallback() {
        let e = ApiError::from_answer(404, NOT_FOUND, Some("req_header".into()), None);
        assert_eq!(e.request_id(), Some("req_header"));
        let e = ApiError::from_answer(404, NOT_FOUND, None, None);
        assert_eq!(e.request_id(), Some("req_body"));
    }

    #[test]
    fn validation_details_are_kept_by_field() {
        let body = r#"{"error":{"type":"invalid_request","code":"validation_failed","message":"m","request_id":"r",
            "details":[{"param":"subject","message":"must not be empty","code":"required"}]}}"#;
        let e = ApiError::from_answer(422, body, None, None);
        assert_eq!(e.field("subject").and_then(|f| f.code.as_deref()), Some("required"));
        assert!(e.field("description").is_none());
    }

    #[test]
    fn a_full_quota_is_told_apart_from_a_file_too_large() {
        let body =
            r#"{"error":{"type":"invalid_request","code":"storage_quota_exceeded","message":"m","request_id":"r"}}"#;
        let quota = ApiError::from_answer(413, body, None, None);
        assert_eq!(quota, ApiError::StorageQuotaExceeded { request_id: Some("r".into()) });
        assert_eq!(quota.message(), Key::ErrorStorageQuota);
        assert!(!quota.is_retryable());
        assert!(matches!(ApiError::from_answer(413, "", None, None), ApiError::Validation { .. }));
    }

    #[test]
    fn retry_after_is_read_and_garbage_ignored() {
        assert_eq!(
            ApiError::from_answer(503, "", None, Some("7")),
            ApiError::Unavailable { retry_after: Some(7), request_id: None }
        );
        assert_eq!(
            ApiError::from_answer(429, "", None, Some("soon")),
            ApiError::RateLimited { retry_after: None, request_id: None }
        );
    }

    #[test]
    fn only_transient_failures_are_retryable() {
        assert!(ApiError::Network.is_retryable());
        assert!(!ApiError::NotFound { request_id: None }.is_retryable());
        assert!(!ApiError::Validation { fields: vec![], request_id: None }.is_retryable());
    }
}
