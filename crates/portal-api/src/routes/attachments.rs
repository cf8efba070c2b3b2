use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::store;
use crate::uploads::headers::content_disposition;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use futures_util::{StreamExt, stream};
use portal_contract::{AttachmentId, ErrorBody};

/// Downloads are never rendered by the browser: sandboxed, typed as stored but not sniffed,
/// and always saved as a file.
const DOWNLOAD_CSP: &str = "default-src 'none'; sandbox";

#[utoipa::path(get, path = "/api/v1/attachments/{attachment_id}", tag = "uploads",
    params(("attachment_id" = String, Path)),
    responses((status = 200, description = "The file, as a download"), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn download(
    State(state): State<AppState>,
    caller: Caller,
    Path(AttachmentId(attachment_id)): Path<AttachmentId>,
) -> ApiResult<Response> {
    let attachment = state
        .db
        .read(move |conn| {
            let found = store::attachments::get(conn, &attachment_id)?;
            let case = match &found {
                Some(a) => store::cases::get(conn, a.case_id.as_str())?,
                None => None,
            };
            match (found, case) {
                (Some(a), Some(c)) if caller.may_see(c.account_id.as_str()) => Ok(a),
                _ => Err(ApiError::NotFound("attachment_not_found", "no such attachment")),
            }
        })
        .await?;
    // Streamed as it is read from the store. The first piece is read before answering, so a
    // store that cannot be reached is a 503 the client can retry, not a 200 cut short.
    let key = crate::objects::attachment_key(attachment.id.as_str());
    let mut bytes = state.objects.stream(&key, attachment.size).await?;
    let first = bytes.next().await.transpose()?;
    let mut response = Body::from_stream(stream::iter(first.map(Ok)).chain(bytes)).into_response();
    let headers = response.headers_mut();
    let content_type = HeaderValue::from_str(&attachment.media_type)
        .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"));
    headers.insert(header::CONTENT_TYPE, content_type);
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(attachment.size));
    if let Ok(v) = HeaderValue::from_str(&content_disposition(&attachment.file_name)) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(DOWNLOAD_CSP));
    Ok(response)
}
