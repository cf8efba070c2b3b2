//! `/uploads`: the tus 1.0.0 endpoint (core, creation, checksum, termination, expiration).

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::extract::visible_case;
use crate::idempotency;
use crate::sql::Connection;
use crate::state::AppState;
use crate::state::UploadConfig;
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
use portal_contract::file_types::FileType;
use portal_contract::{
    ErrorBody, Role, TUS_CHECKSUM_ALGORITHMS, TUS_EXTENSIONS, TUS_PATCH_CONTENT_TYPE, TUS_VERSION, UploadId,
    UploadState,
};
use std::collections::HashMap;
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

/// The name a new upload keeps and the type it is stored as; the name comes from the
/// `filename` of its metadata.
fn accepted_upload(
    limits: &UploadConfig,
    meta: &HashMap<String, String>,
    length: u64,
) -> ApiResult<(String, &'static FileType)> {
    let raw_name = meta.get("filename").map(String::as_str).unwrap_or("");
    if raw_name.trim().is_empty() {
        return Err(ApiError::field("filename", "required", "Upload-Metadata must carry the filename"));
    }
    crate::uploads::limits::accepted_file(limits, raw_name, length)
}

#[utoipa::path(post, path = "/api/v1/uploads", tag = "uploads",
    params(("Upload-Length" = u64, Header), ("Upload-Metadata" = String, Header, description = "filename, filetype (ignored: the file name's extension decides the type), case_id, information_request_id (base64 values)"),
           ("Idempotency-Key" = Option<String>, Header)),
    responses((status = 201, description = "Location of the new upload"), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody, description = "The case (or the request) takes no more files"),
              (status = 410, body = ErrorBody, description = "The upload this Idempotency-Key created was ended (terminated, expired or refused); create a new one with a new key"),
              (status = 413, body = ErrorBody, description = "Larger than the largest file, or past the account's storage quota"),
              (status = 415, body = ErrorBody, description = "The file name's extension is not accepted, or the file is too short for its type"),
              (status = 422, body = ErrorBody)))]
pub async fn create(State(state): State<AppState>, caller: Caller, headers: HeaderMap) -> ApiResult<Response> {
    headers::require_tus_version(&headers)?;
    if headers.contains_key("upload-defer-length") {
        return Err(ApiError::BadRequest("defer_length_unsupported", "send Upload-Length when creating".into()));
    }
    let length = headers::number(&headers, "upload-length")?;
    let meta = headers::metadata(&headers)?;
    let limits = state.config.uploads.clone();
    crate::uploads::limits::within_max_size(&limits, length)?;
    let (file_name, file_type) = accepted_upload(&limits, &meta, length)?;
    let creation = Creation {
        case_id: meta.get("case_id").cloned().unwrap_or_default(),
        request_id: meta.get("information_request_id").filter(|r| !r.is_empty()).cloned(),
        file_name,
        file_type,
        length,
        key: idempotency::key(&headers)?,
        limits,
    };
    let upload = state.db.call(move |conn| start(conn, &caller, creation)).await?;
    if upload.length == 0 && upload.attachment_id.is_none() {
        let (db, clock, objects, row) = (state.db.clone(), state.clock.clone(), state.objects.clone(), upload.clone());
        let lease = state.uploads.take(&upload.id).await?;
        // A task of its own, so a client gone mid-way does not stop the attachment half-made.
        tokio::spawn(async move {
            let finalized = writer::finalize(&db, &clock, &objects, &row, None).await;
            lease.release().await;
            finalized
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

/// A create, as far as it was checked without the database.
struct Creation {
    case_id: String,
    request_id: Option<String>,
    file_name: String,
    file_type: &'static FileType,
    length: u64,
    key: Option<String>,
    limits: UploadConfig,
}

/// Records a new upload (its bytes come with its requests), or answers the one a retried key
/// created.
fn start(conn: &mut Connection, caller: &Caller, c: Creation) -> ApiResult<UploadRow> {
    let tx = conn.transaction()?;
    let case = visible_case(&tx, caller, &c.case_id)?;
    crate::uploads::takes_files(&tx, caller.user.role, &case, c.request_id.as_deref())?;
    let now = Utc::now();
    let user_id = caller.user.id.to_string();
    let request = (&c.case_id, &c.request_id, &c.file_name, c.file_type.media_type, c.length);
    // The limits are checked inside `once`: a retry replays its upload without counting it a
    // second time.
    let upload = idempotency::once(&tx, &user_id, c.key.as_deref(), &request, |tx| {
        crate::uploads::limits::within_limits(tx, &c.limits, &case, 1, c.length, &crate::util::stamp(now))?;
        let id = crate::util::new_id("upl");
        let expiry = chrono::Duration::from_std(c.limits.expiry).unwrap_or(chrono::Duration::days(1));
        let row = UploadRow {
            id: id.clone(),
            case_id: c.case_id.clone(),
            information_request_id: c.request_id.clone(),
            user_id: user_id.clone(),
            file_name: c.file_name.clone(),
            media_type: c.file_type.media_type.to_owned(),
            length: c.length,
            offset: 0,
            created_at: now,
            expires_at: now + expiry,
            attachment_id: None,
        };
        store::uploads::insert(tx, &row)?;
        Ok(id)
    })?;
    tx.commit()?;
    // A replayed key whose upload was since terminated, expired or refused: the key named that
    // upload and no other, so another upload needs another key.
    store::uploads::get(conn, &upload)?.ok_or_else(|| {
        ApiError::Gone(
            "upload_terminated",
            "the upload this Idempotency-Key created was ended and its bytes deleted; \
             create a new upload with a new Idempotency-Key"
                .into(),
        )
    })
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
    Path(UploadId(upload_id)): Path<UploadId>,
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
    Path(UploadId(upload_id)): Path<UploadId>,
) -> ApiResult<Json<UploadState>> {
    let upload = own_upload(&state, &caller, upload_id).await?;
    let attachment = match upload.attachment_id.clone() {
        Some(id) => state.db.call(move |conn| store::attachments::get(conn, &id)).await?,
        None => None,
    };
    Ok(Json(UploadState { offset: upload.offset, length: upload.length, attachment }))
}

/// Bytes for an upload whose case stopped taking files (resolved, or its request answered)
/// are refused and the upload is ended, so they never become an attachment of that case.
async fn still_taken(state: &AppState, role: Role, upload: &UploadRow) -> ApiResult<()> {
    let (case_id, request_id) = (upload.case_id.clone(), upload.information_request_id.clone());
    let verdict = state
        .db
        .call(move |conn| {
            let case =
                store::cases::get(conn, &case_id)?.ok_or(ApiError::NotFound("upload_not_found", "no such upload"))?;
            crate::uploads::takes_files(conn, role, &case, request_id.as_deref())
        })
        .await;
    match verdict {
        Err(refusal) if crate::uploads::ends_upload(&refusal) => {
            let (db, objects, id) = (state.db.clone(), state.objects.clone(), upload.id.clone());
            tokio::spawn(async move { crate::uploads::delete(&db, &objects, &id).await })
                .await
                .map_err(|e| ApiError::Internal(e.to_string()))??;
            tracing::info!(upload = %upload.id, case = %upload.case_id, "upload ended: the case takes no more files");
            Err(refusal)
        }
        other => other,
    }
}

#[utoipa::path(patch, path = "/api/v1/uploads/{upload_id}", tag = "uploads",
    params(("upload_id" = String, Path), ("Upload-Offset" = u64, Header), ("Upload-Checksum" = Option<String>, Header)),
    request_body(content = Vec<u8>, content_type = "application/offset+octet-stream"),
    responses((status = 204, description = "The new Upload-Offset"),
              (status = 409, body = ErrorBody, description = "The offset is not the upload's; or the case was resolved (or the request answered) since the upload began: the upload is ended"),
              (status = 413, body = ErrorBody),
              (status = 415, body = ErrorBody, description = "Not offset+octet-stream; or the first bytes are not what the file name's extension says: the upload is ended and its bytes deleted"),
              (status = 423, body = ErrorBody), (status = 460, body = ErrorBody)))]
pub async fn patch(
    State(state): State<AppState>,
    caller: Caller,
    Path(UploadId(upload_id)): Path<UploadId>,
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
    // Known and ours before its lease is taken, so unknown ids never hold one.
    own_upload(&state, &caller, upload_id.clone()).await?;
    let lease = state.uploads.take(&upload_id).await?;
    // Read again under the lease: the offset cannot move between this check and the write.
    let upload = match writable(&state, &caller, upload_id, offset).await {
        Ok(upload) => upload,
        Err(e) => {
            lease.release().await;
            return Err(e);
        }
    };
    let (tx, rx) = mpsc::channel::<Piece>(16);
    let job = Job {
        db: state.db.clone(),
        clock: state.clock.clone(),
        objects: state.objects.clone(),
        upload,
        checksum,
        lease,
    };
    let writing = tokio::spawn(writer::run(job, rx));
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
        tracing::info!(attachment = %attachment.id, size = attachment.size, "upload finished");
    }
    Ok(with_headers(StatusCode::NO_CONTENT, &[("upload-offset", written.offset.to_string())]))
}

/// The upload a `PATCH` at `offset` may write to, read under its lease.
async fn writable(state: &AppState, caller: &Caller, upload_id: String, offset: u64) -> ApiResult<UploadRow> {
    let upload = own_upload(state, caller, upload_id).await?;
    if offset != upload.offset {
        return Err(ApiError::Conflict(
            "upload_offset_mismatch",
            format!("the upload is at offset {}; send the bytes from there", upload.offset),
        ));
    }
    still_taken(state, caller.user.role, &upload).await?;
    Ok(upload)
}

#[utoipa::path(delete, path = "/api/v1/uploads/{upload_id}", tag = "uploads", params(("upload_id" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 423, body = ErrorBody)))]
pub async fn terminate(
    State(state): State<AppState>,
    caller: Caller,
    Path(UploadId(upload_id)): Path<UploadId>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    headers::require_tus_version(&headers)?;
    own_upload(&state, &caller, upload_id.clone()).await?;
    // Another request writing to it, on any instance, holds its lease: 423 until it is done.
    let lease = state.uploads.take(&upload_id).await?;
    let upload = match own_upload(&state, &caller, upload_id.clone()).await {
        Ok(upload) if upload.attachment_id.is_none() => upload,
        Ok(_) => {
            lease.release().await;
            return Err(ApiError::Conflict(
                "upload_finished",
                "this upload is already an attachment of the case".into(),
            ));
        }
        Err(e) => {
            lease.release().await;
            return Err(e);
        }
    };
    let (db, objects) = (state.db.clone(), state.objects.clone());
    tokio::spawn(async move {
        // Held until the upload is gone, so no PATCH can start on it meanwhile.
        let deleted = crate::uploads::delete(&db, &objects, &upload.id).await;
        lease.release().await;
        deleted
    })
    .await
    .map_err(|e| ApiError::Internal(e.to_string()))??;
    Ok(StatusCode::NO_CONTENT.into_response())
}
