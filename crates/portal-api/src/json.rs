//! The JSON body extractor: every way a body can be wrong becomes the one error shape, naming
//! the field where serde can tell which.

use crate::error::ApiError;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::header::CONTENT_TYPE;
use serde::de::DeserializeOwned;

pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json =
            req.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| {
                v.split(';').next().is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
            });
        if !is_json {
            return Err(ApiError::UnsupportedMediaType);
        }
        let bytes = Bytes::from_request(req, state).await.map_err(body_error)?;
        decode(&bytes).map(ApiJson)
    }
}

/// Too large is the client's to fix; a body that stopped arriving (the idle timeout, or the
/// client went away) is worth sending again.
fn body_error(rejection: axum::extract::rejection::BytesRejection) -> ApiError {
    use axum::extract::rejection::{BytesRejection, FailedToBufferBody};
    match rejection {
        BytesRejection::FailedToBufferBody(FailedToBufferBody::UnknownBodyError(_)) => {
            ApiError::BadRequest("body_incomplete", "the request body stopped arriving; send it again".to_owned())
        }
        _ => ApiError::PayloadTooLarge,
    }
}

/// Decodes a body, telling a syntax error (400) from a well-formed body with a wrong or
/// missing field (422, naming it).
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Ok(value) => Ok(value),
        Err(error) => {
            let path = error.path().to_string();
            let inner = error.into_inner();
            if inner.is_syntax() || inner.is_eof() {
                return Err(ApiError::MalformedJson(inner.to_string()));
            }
            let message = inner.to_string();
            let param = missing_field(&message).map(str::to_owned).unwrap_or(path);
            let param = if param == "." { "body".to_owned() } else { param };
            let code = if message.starts_with("missing field") { "required" } else { "invalid_type" };
            Err(ApiError::field(&param, code, &message))
        }
    }
}

fn missing_field(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("missing field `")?;
    rest.split('`').next()
}

#[cfg(test)]
mod tests {
    use super::*;
    use portal_contract::{FieldError, NewCase};

    fn field_of(result: Result<NewCase, ApiError>) -> Option<FieldError> {
        match result {
            Err(ApiError::Validation(fields)) => fields.into_iter().next(),
            _ => None,
        }
    }

    #[test]
    fn a_missing_field_is_named() {
        let f = field_of(decode(br#"{"kind":"problem","severity":"high","description":"d"}"#));
        assert_eq!(f.map(|f| f.param), Some("subject".to_owned()));
    }

    #[test]
    fn a_wrong_type_is_named_by_path() {
        let f = field_of(decode(br#"{"kind":"problem","severity":"high","subject":5,"description":"d"}"#));
        assert_eq!(f.map(|f| f.param), Some("subject".to_owned()));
    }

    #[test]
    fn broken_json_is_a_syntax_error() {
        assert!(matches!(decode::<NewCase>(b"{\"kind\":"), Err(ApiError::MalformedJson(_))));
        assert!(matches!(decode::<NewCase>(b"not json"), Err(ApiError::MalformedJson(_))));
    }
}
