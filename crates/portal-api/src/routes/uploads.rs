//! `/uploads`: the tus 1.0.0 endpoint (core, creation, checksum, termination, expiration).

use super::cases::visible_case;
use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::idempotency;
use crate::state::AppState;
use crate::store;
use crate::store::uploads::UploadRow;
use crate::uploads::headers;
use crate::uploads::writer::{self, Job, Piece};
use axum::Json;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use futures_util::StreamExt;
use portal_contract::{
    ErrorBody, InformationRequestStatus, TUS_CHECKSUM_ALGORITHMS, TUS_EXTENSIONS, TUS_PATCH_CONTENT_TYPE, TUS_VERSION,
    UploadState, media_type_for,
};
use tokio::sync::mpsc;

fn with_headers(status: StatusCode, pairs: &[(&'static str, String)]) -> Response {
    let mut response = status.into_response();
    for (name, value) in pairs {
        if let Ok(v) = HeaderValue::from_str(value) {
            response.headers_mut().insert(HeaderName::from_static(name), v);
        }
    }
    response
}

fn expires(upload: &UploadRow) -> String {
    httpdate::fmt_http_date(upload.expires_at.into())
}

/// Every tus answer, errors included, says which protocol version it speaks.
pub async fn tus_resumable(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let mut response = next.run(request).await;
    response.headers_mut().insert("tus-resumable", HeaderValue::from_static(TUS_VERSION));
    if response.status() == StatusCode::PRECONDITION_FAILED {
        response.headers_mut().insert("tus-version", HeaderValue::from_static(TUS_VERSION));
    }
    response
}

#[utoipa::path(options, path = "/api/v1/uploads", tag = "uploads",
    responses((status = 204, description = "Tus-Version, Tus-Extension, Tus-Max-Size and Tus-Checksum-Algorithm")))]
pub async fn options(State(state): State<AppState>) -> Response {
    with_headers(
        StatusCode::NO_CONTENT,
        &[
            ("tus-version", TUS_VERSION.to_owned()),
            ("tus-extension", TUS_EXTENSIONS.to_owned()),
            ("tus-max-size", state.config.uploads.max_size.to_string()),
            ("tus-checksum-algorithm", TUS_CHECKSUM_ALGORITHMS.to_owned()),
        ],
    )
}

#[utoipa::path(post, path = "/api/v1/uploads", tag = "uploads",
    params(("Upload-Length" = u64, Header), ("Upload-Metadata" = String, Header, description = "filename, filetype, case_id, information_request_id (base64 values)"),
           ("Idempotency-Key" = Option<String>, Header)),
    responses((status = 201, description = "Location of the new upload"), (status = 404, body = ErrorBody),
              (status = 413, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(State(state): State<AppState>, caller: Caller, headers: HeaderMap) -> ApiResult<Response> {
    headers::require_tus_version(&headers)?;
    if headers.contains_key("upload-defer-length") {
        return Err(ApiError::BadRequest("defer_length_unsupported", "send Upload-Length when creating".into()));
    }
    let length = headers::number(&headers, "upload-length")?;
    let meta = headers::metadata(&headers)?;
    let limits = state.config.uploads.clone();
    if length > limits.max_size {
        return Err(ApiError::TooLarge(
            "upload_too_large",
            format!("the file is {length} bytes; the limit is {} bytes", limits.max_size),
        ));
    }
    let raw_name = meta.get("filename").map(String::as_str).unwrap_or("");
    if raw_name.trim().is_empty() {
        return Err(ApiError::field("filename", "required", "Upload-Metadata must carry the filename"));
    }
    let file_name = headers::safe_file_name(raw_name);
    let media_type = media_type_for(&file_name, meta.get("filetype").map(String::as_str).unwrap_or(""));
    if !limits.limits().accepts_file(&file_name, &media_type) {
        return Err(ApiError::MediaTypeNotAllowed(format!("files of type {media_type} are not accepted")));
    }
    let case_id = meta.get("case_id").cloned().unwrap_or_default();
    let request_id = meta.get("information_request_id").filter(|r| !r.is_empty()).cloned();
    let key = idempotency::key(&headers)?;
    let dirs = state.dirs.clone();
    let expiry = chrono::Duration::from_std(limits.expiry).unwrap_or(chrono::Duration::days(1));
    let user_id = caller.user.id.to_string();
    let (db, finalize_db) = (state.db.clone(), state.db.clone());
    let upload = db
        .call(move |conn| {
            let tx = conn.transaction()?;
            let case = visible_case(&tx, &caller, &case_id)?;
            if !case.status.is_open() {
                return Err(ApiError::Conflict("case_resolved", "files cannot be added to a resolved case".into()));
            }
            if let Some(rid) = &request_id {
                match store::information_requests::case_and_status(&tx, rid)? {
                    Some((of_case, status)) if of_case == case_id => {
                        if status != InformationRequestStatus::Open {
                            return Err(ApiError::Conflict(
                                "information_request_not_open",
                                "this request was already answered".into(),
                            ));
                        }
                    }
                    _ => return Err(ApiError::NotFound("information_request_not_found", "no such request")),
                }
            }
            let now = Utc::now();
            let files = store::attachments::files_on_case(&tx, &case_id, &crate::util::stamp(now))?;
            if files >= limits.files_per_case {
                return Err(ApiError::field(
                    "case_id",
                    "too_many_files",
                    &format!("this case already has {files} files; the limit is {}", limits.files_per_case),
                ));
            }
            let request = (&case_id, &request_id, &file_name, &media_type, length);
            let upload = idempotency::once(&tx, &user_id, key.as_deref(), &request, |tx| {
                let id = crate::util::new_id("upl");
                std::fs::File::create(dirs.part(&id))?;
                let row = UploadRow {
                    id: id.clone(),
                    case_id: case_id.clone(),
                    information_request_id: request_id.clone(),
                    user_id: user_id.clone(),
                    file_name: file_name.clone(),
                    media_type: media_type.clone(),
                    length,
                    offset: 0,
                    created_at: now,
                    expires_at: now + expiry,
                    attachment_id: None,
                };
                store::uploads::insert(tx, &row)?;
                Ok(id)
            })?;
            tx.commit()?;
            store::uploads::get(conn, &upload)?.ok_or_else(|| ApiError::Internal("created upload vanished".into()))
        })
        .await?;
    if upload.length == 0 && upload.attachment_id.is_none() {
        let (dirs, row) = (state.dirs.clone(), upload.clone());
        let guard = state.uploads.acquire(&upload.id).ok_or(ApiError::UploadBusy)?;
        tokio::task::spawn_blocking(move || {
            let _guard = guard;
            writer::finalize(&finalize_db, &dirs, &row, None)
        })
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))??;
    }
    tracing::info!(upload = %upload.id, case = %upload.case_id, length = upload.length, "upload created");
    Ok(with_headers(
        StatusCode::CREATED,
        &[("location", format!("/api/v1/uploads/{}", upload.id)), ("upload-expires", expires(&upload))],
    ))
}

/// The caller's own upload; anyone else's (or a missing one) is the same 404.
async fn own_upload(state: &AppState, caller: &Caller, upload_id: String) -> ApiResult<UploadRow> {
    let user = caller.user.id.to_string();
    let caller = caller.clone();
    state
        .db
        .call(move |conn| {
            let upload = store::uploads::get(conn, &upload_id)?
                .filter(|u| u.user_id == user)
                .ok_or(ApiError::NotFound("upload_not_found", "no such upload"))?;
            visible_case(conn, &caller, &upload.case_id)
                .map_err(|_| ApiError::NotFound("upload_not_found", "no such upload"))?;
            if upload.attachment_id.is_none() && upload.expires_at <= Utc::now() {
                return Err(ApiError::UploadExpired);
            }
            Ok(upload)
        })
        .await
}

#[utoipa::path(head, path = "/api/v1/uploads/{upload_id}", tag = "uploads", params(("upload_id" = String, Path)),
    responses((status = 200, description = "Upload-Offset and Upload-Length"), (status = 404), (status = 410)))]
pub async fn head(
    State(state): State<AppState>,
    caller: Caller,
    Path(upload_id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    headers::require_tus_version(&headers)?;
    let upload = own_upload(&state, &caller, upload_id).await?;
    let mut response = with_headers(
        StatusCode::OK,
        &[
            ("upload-offset", upload.offset.to_string()),
            ("upload-length", upload.length.to_string()),
            ("upload-expires", expires(&upload)),
        ],
    );
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

#[utoipa::path(get, path = "/api/v1/uploads/{upload_id}", tag = "uploads", params(("upload_id" = String, Path)),
    responses((status = 200, body = UploadState), (status = 404, body = ErrorBody), (status = 410, body = ErrorBody)))]
pub async fn status(
    State(state): State<AppState>,
    caller: Caller,
    Path(upload_id): Path<String>,
) -> ApiResult<Json<UploadState>> {
    let upload = own_upload(&state, &caller, upload_id).await?;
    let attachment = match upload.attachment_id.clone() {
        Some(id) => state.db.call(move |conn| store::attachments::get(conn, &id)).await?,
        None => None,
    };
    Ok(Json(UploadState { offset: upload.offset, length: upload.length, attachment }))
}

#[utoipa::path(patch, path = "/api/v1/uploads/{upload_id}", tag = "uploads",
    params(("upload_id" = String, Path), ("Upload-Offset" = u64, Header), ("Upload-Checksum" = Option<String>, Header)),
    request_body(content = Vec<u8>, content_type = "application/offset+octet-stream"),
    responses((status = 204, description = "The new Upload-Offset"), (status = 409, body = ErrorBody), (status = 413, body = ErrorBody),
              (status = 415, body = ErrorBody), (status = 423, body = ErrorBody), (status = 460, body = ErrorBody)))]
pub async fn patch(
    State(state): State<AppState>,
    caller: Caller,
    Path(upload_id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<Response> {
    headers::require_tus_version(&headers)?;
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if content_type != TUS_PATCH_CONTENT_TYPE {
        return Err(ApiError::UnsupportedMediaType);
    }
    let offset = headers::number(&headers, "upload-offset")?;
    let checksum = headers::checksum(&headers)?;
    // Known and ours before a slot is taken, so unknown ids never occupy one.
    own_upload(&state, &caller, upload_id.clone()).await?;
    let guard = state.uploads.acquire(&upload_id).ok_or(ApiError::UploadBusy)?;
    // Read again under the guard: the offset cannot move between this check and the write.
    let upload = own_upload(&state, &caller, upload_id.clone()).await?;
    if offset != upload.offset {
        return Err(ApiError::Conflict(
            "upload_offset_mismatch",
            format!("the upload is at offset {}; send the bytes from there", upload.offset),
        ));
    }
    let (tx, rx) = mpsc::channel::<Piece>(16);
    let job = Job { db: state.db.clone(), dirs: state.dirs.clone(), upload, checksum, guard };
    let writing = tokio::task::spawn_blocking(move || writer::run(job, rx));
    let mut stream = body.into_data_stream();
    let mut clean_end = true;
    while let Some(frame) = stream.next().await {
        match frame {
            Ok(bytes) => {
                if tx.send(Piece::Data(bytes)).await.is_err() {
                    // The writer stopped early (too large); its answer says why.
                    break;
                }
            }
            Err(_) => {
                clean_end = false;
                break;
            }
        }
    }
    if clean_end {
        let _ = tx.send(Piece::End).await;
    }
    drop(tx);
    let written = writing.await.map_err(|e| ApiError::Internal(format!("upload writer: {e}")))??;
    if let Some(attachment) = &written.attachment {
        state.uploads.forget(&upload_id);
        tracing::info!(attachment = %attachment.id, size = attachment.size, "upload finished");
    }
    Ok(with_headers(StatusCode::NO_CONTENT, &[("upload-offset", written.offset.to_string())]))
}

#[utoipa::path(delete, path = "/api/v1/uploads/{upload_id}", tag = "uploads", params(("upload_id" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 423, body = ErrorBody)))]
pub async fn terminate(
    State(state): State<AppState>,
    caller: Caller,
    Path(upload_id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    headers::require_tus_version(&headers)?;
    own_upload(&state, &caller, upload_id.clone()).await?;
    let guard = state.uploads.acquire(&upload_id).ok_or(ApiError::UploadBusy)?;
    let upload = own_upload(&state, &caller, upload_id.clone()).await?;
    if upload.attachment_id.is_some() {
        return Err(ApiError::Conflict("upload_finished", "this upload is already an attachment of the case".into()));
    }
    let (db, dirs, slots) = (state.db.clone(), state.dirs.clone(), state.uploads.clone());
    tokio::task::spawn_blocking(move || {
        // Held until the upload is gone, so no PATCH can start on it meanwhile.
        let _guard = guard;
        crate::uploads::discard(&db, &dirs, &slots, &upload.id)
    })
    .await
    .map_err(|e| ApiError::Internal(e.to_string()))??;
    Ok(StatusCode::NO_CONTENT.into_response())
}
