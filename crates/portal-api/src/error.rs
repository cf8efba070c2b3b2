//! The one error type of the API and the one shape every non-2xx answer takes.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use portal_contract::{ErrorBody, ErrorDetail, ErrorType, FieldError, FieldProblem};

tokio::task_local! {
    /// The id of the request being answered, so any error can name it.
    pub static REQUEST_ID: String;
}

thread_local! {
    /// The request a database write on this thread is for (`Db::call` sets it), so what the
    /// write records (a notification) can name the request that caused it.
    pub static WRITING_FOR: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// The id of the request the current database write is for, if it is for one.
pub fn request_id_of_this_write() -> Option<String> {
    WRITING_FOR.with(|w| w.borrow().clone())
}

pub fn current_request_id() -> String {
    REQUEST_ID.try_with(Clone::clone).unwrap_or_else(|_| "req_unknown".to_owned())
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("the request has invalid fields")]
    Validation(Vec<FieldError>),
    #[error("the body is not valid JSON: {0}")]
    MalformedJson(String),
    #[error("send the body as application/json")]
    UnsupportedMediaType,
    #[error("the body is larger than this endpoint accepts")]
    PayloadTooLarge,
    #[error("sign in first")]
    Unauthenticated,
    #[error("the email or password is not right")]
    InvalidCredentials,
    #[error("cookie-authenticated writes must carry the X-Requested-With header")]
    CsrfHeaderMissing,
    #[error("{1}")]
    Forbidden(&'static str, &'static str),
    #[error("{1}")]
    NotFound(&'static str, &'static str),
    #[error("{1}")]
    Conflict(&'static str, String),
    #[error("this Idempotency-Key was already used with a different request")]
    IdempotencyKeyReused,
    #[error("too many sign-in attempts; try again in {0} seconds")]
    TooManyAttempts(u64),
    #[error("this endpoint does not take that method")]
    MethodNotAllowed,
    #[error("{1}")]
    BadRequest(&'static str, String),
    #[error("{1}")]
    TooLarge(&'static str, String),
    #[error("{0}")]
    MediaTypeNotAllowed(String),
    /// The first bytes are not what the file's extension says.
    #[error("{0}")]
    ContentMismatch(String),
    #[error("{1}")]
    Gone(&'static str, String),
    /// Too many of something in a while; the number is the seconds until one more is allowed.
    #[error("{1}")]
    Throttled(&'static str, String, u64),
    #[error("the chunk does not match its Upload-Checksum; send it again")]
    ChecksumMismatch,
    #[error("this server speaks tus 1.0.0")]
    UnsupportedTusVersion,
    #[error("another request is writing to this upload; ask for its offset and continue from there")]
    UploadBusy,
    #[error("this upload expired and its bytes were deleted; start it again")]
    UploadExpired,
    /// A backend (the database, the object store) did not answer: worth a retry shortly.
    #[error("the {0} is unreachable; try again in a few seconds")]
    Unavailable(&'static str),
    #[error("internal error")]
    Internal(String),
}

impl ApiError {
    pub fn fields(problems: Vec<(&'static str, FieldProblem)>) -> ApiError {
        ApiError::Validation(
            problems
                .into_iter()
                .map(|(param, p)| FieldError {
                    param: param.to_owned(),
                    message: p.english(),
                    code: Some(p.code().to_owned()),
                })
                .collect(),
        )
    }

    pub fn field(param: &str, code: &str, message: &str) -> ApiError {
        ApiError::Validation(vec![FieldError {
            param: param.to_owned(),
            message: message.to_owned(),
            code: Some(code.to_owned()),
        }])
    }

    fn parts(&self) -> (StatusCode, ErrorType, &str) {
        use ApiError::*;
        match self {
            Validation(_) => (StatusCode::UNPROCESSABLE_ENTITY, ErrorType::InvalidRequest, "validation_failed"),
            MalformedJson(_) => (StatusCode::BAD_REQUEST, ErrorType::InvalidRequest, "malformed_json"),
            UnsupportedMediaType => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, ErrorType::InvalidRequest, "unsupported_media_type")
            }
            PayloadTooLarge => (StatusCode::PAYLOAD_TOO_LARGE, ErrorType::InvalidRequest, "payload_too_large"),
            Unauthenticated => (StatusCode::UNAUTHORIZED, ErrorType::Authentication, "not_signed_in"),
            InvalidCredentials => (StatusCode::UNAUTHORIZED, ErrorType::Authentication, "invalid_credentials"),
            CsrfHeaderMissing => (StatusCode::FORBIDDEN, ErrorType::Permission, "csrf_header_missing"),
            Forbidden(code, _) => (StatusCode::FORBIDDEN, ErrorType::Permission, code),
            NotFound(code, _) => (StatusCode::NOT_FOUND, ErrorType::NotFound, code),
            Conflict(code, _) => (StatusCode::CONFLICT, ErrorType::Conflict, code),
            IdempotencyKeyReused => {
                (StatusCode::UNPROCESSABLE_ENTITY, ErrorType::InvalidRequest, "idempotency_key_reused")
            }
            TooManyAttempts(_) => (StatusCode::TOO_MANY_REQUESTS, ErrorType::RateLimit, "too_many_attempts"),
            MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, ErrorType::InvalidRequest, "method_not_allowed"),
            BadRequest(code, _) => (StatusCode::BAD_REQUEST, ErrorType::InvalidRequest, code),
            TooLarge(code, _) => (StatusCode::PAYLOAD_TOO_LARGE, ErrorType::InvalidRequest, code),
            MediaTypeNotAllowed(_) => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, ErrorType::InvalidRequest, "media_type_not_allowed")
            }
            ContentMismatch(_) => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, ErrorType::InvalidRequest, "file_content_mismatch")
            }
            Gone(code, _) => (StatusCode::GONE, ErrorType::NotFound, code),
            Throttled(code, _, _) => (StatusCode::TOO_MANY_REQUESTS, ErrorType::RateLimit, code),
            // 460 is tus's "Checksum Mismatch".
            ChecksumMismatch => (
                StatusCode::from_u16(460).unwrap_or(StatusCode::BAD_REQUEST),
                ErrorType::InvalidRequest,
                "checksum_mismatch",
            ),
            UnsupportedTusVersion => (StatusCode::PRECONDITION_FAILED, ErrorType::InvalidRequest, "tus_version"),
            UploadBusy => (StatusCode::LOCKED, ErrorType::Conflict, "upload_busy"),
            UploadExpired => (StatusCode::GONE, ErrorType::NotFound, "upload_expired"),
            Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, ErrorType::Api, "backend_unavailable"),
            Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, ErrorType::Api, "internal_error"),
        }
    }
}

/// A handler that panicked: the request is answered like any internal error (500, the request
/// id, nothing of the panic's text), the panic is logged, and the other requests carry on.
pub fn from_panic(payload: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let detail = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic with no message".to_owned());
    ApiError::Internal(format!("panic: {detail}")).into_response()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, kind, code) = self.parts();
        if let ApiError::Internal(detail) = &self {
            tracing::error!(request_id = %current_request_id(), %detail, "internal error");
        }
        let details = match &self {
            ApiError::Validation(fields) => Some(fields.clone()),
            _ => None,
        };
        let body = ErrorBody {
            error: ErrorDetail {
                kind,
                code: code.to_owned(),
                message: self.to_string(),
                request_id: current_request_id(),
                details,
            },
        };
        let mut response = (status, Json(body)).into_response();
        let retry_after = match self {
            ApiError::TooManyAttempts(seconds) | ApiError::Throttled(_, _, seconds) => Some(seconds),
            ApiError::Unavailable(_) => Some(UNAVAILABLE_RETRY_SECONDS),
            _ => None,
        };
        if let Some(seconds) = retry_after
            && let Ok(value) = axum::http::HeaderValue::from_str(&seconds.to_string())
        {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, value);
        }
        response
    }
}

impl From<std::io::Error> for ApiError {
    fn from(e: std::io::Error) -> Self {
        ApiError::Internal(format!("file: {e}"))
    }
}

impl From<crate::sql::Error> for ApiError {
    fn from(e: crate::sql::Error) -> Self {
        if e.is_unreachable() {
            tracing::warn!(request_id = %current_request_id(), error = %e, "database unreachable");
            ApiError::Unavailable("database")
        } else {
            ApiError::Internal(format!("database: {e}"))
        }
    }
}

/// For the SQLite-only corners (its pragmas and migrations) that speak to rusqlite directly.
impl From<rusqlite::Error> for ApiError {
    fn from(e: rusqlite::Error) -> Self {
        crate::sql::Error::from(e).into()
    }
}

/// When a client should try again after a backend did not answer: long enough for a database
/// restart or a fail-over to finish, short enough that a person does not give up.
pub const UNAVAILABLE_RETRY_SECONDS: u64 = 5;

pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use super::{REQUEST_ID, from_panic};
    use axum::http::StatusCode;

    #[tokio::test]
    async fn a_panic_is_answered_as_an_internal_error_without_its_text() {
        let response =
            REQUEST_ID.scope("req_test".to_owned(), async { from_panic(Box::new("index out of bounds")) }).await;
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap_or_default();
        let body: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
        assert_eq!(body["error"]["code"], "internal_error");
        assert_eq!(body["error"]["request_id"], "req_test");
        assert!(!body.to_string().contains("index out of bounds"), "{body}");
    }
}
