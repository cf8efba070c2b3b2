//! Resumable uploads (tus 1.0.0), their bytes in the object store (`crate::objects`).
//!
//! Each request's bytes are kept as a part (`parts`), never held whole in memory; the last byte
//! assembles the parts into the attachment's object, recorded in the transaction that lists it.
//! Unfinished uploads expire and are swept with their parts.

pub mod headers;
mod leases;
pub mod limits;
pub mod parts;
pub mod writer;

pub use leases::{Lease, Leases};

use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use crate::objects::Objects;
use crate::sql::Connection;
use crate::store;
use chrono::Utc;
use portal_contract::rules::{self, Refusal};
use portal_contract::{Case, InformationRequestStatus, Role};
use std::time::Duration;

/// Ends an unfinished upload: deletes its row (its lease goes with it), then its parts (a crash
/// between leaves parts of no upload, which the start-up sweep deletes); for the one holding its
/// lease. Termination, expiry and refusal all come here.
pub async fn delete(db: &Db, objects: &Objects, upload_id: &str) -> ApiResult<()> {
    let id = upload_id.to_owned();
    db.call(move |conn| store::uploads::delete(conn, &id)).await?;
    objects.delete_all(&parts::folder(upload_id)).await
}

/// The code of the refusal that ends an upload whose case no longer takes files.
pub const CASE_CLOSED_FOR_UPLOADS: &str = "case_closed_for_uploads";
const REQUEST_NOT_OPEN: &str = "information_request_not_open";

/// Whether a case, and the information request an upload answers if any, still take files: the
/// same rule when an upload is created, when its bytes arrive and when it becomes an attachment,
/// so a file started before the case was resolved (or the request answered) never joins it.
/// Who may attach is `rules::may_attach`, which the portal asks too before it offers uploads.
pub fn takes_files(conn: &Connection, role: Role, case: &Case, request_id: Option<&str>) -> ApiResult<()> {
    match rules::may_attach(role, case.status) {
        Ok(()) => {}
        Err(Refusal::NotYourRole) => {
            return Err(ApiError::Forbidden("action_not_allowed", "your side may not add files to this case"));
        }
        Err(Refusal::NotNow) => {
            return Err(ApiError::Conflict(
                CASE_CLOSED_FOR_UPLOADS,
                format!("{} is resolved and takes no more files; reopen it to add some", case.number),
            ));
        }
    }
    let Some(request_id) = request_id else { return Ok(()) };
    match store::information_requests::case_and_status(conn, request_id)? {
        Some((of_case, status)) if of_case == case.id.as_str() => {
            if status == InformationRequestStatus::Open {
                Ok(())
            } else {
                Err(ApiError::Conflict(REQUEST_NOT_OPEN, "this request was already answered".into()))
            }
        }
        _ => Err(ApiError::NotFound("information_request_not_found", "no such request")),
    }
}

/// A refusal of `takes_files`: the upload it concerns can never finish and is ended.
pub fn ends_upload(error: &ApiError) -> bool {
    matches!(error, ApiError::Conflict(code, _) if *code == CASE_CLOSED_FOR_UPLOADS || *code == REQUEST_NOT_OPEN)
}

/// Bytes in binary units, for messages: `20 GiB`, `1.5 MiB`, `512 bytes`.
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["KiB", "MiB", "GiB", "TiB", "PiB"];
    if bytes < 1024 {
        return format!("{bytes} bytes");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    let text = format!("{value:.1}");
    format!("{} {}", text.strip_suffix(".0").unwrap_or(&text), UNITS[unit])
}

/// Deletes expired unfinished uploads (rows and bytes) that nobody is writing to: the sweep
/// takes each one's lease as a writer would, so an upload a request on any instance is still
/// writing to stays until that request is done.
pub async fn sweep_expired(db: &Db, objects: &Objects, leases: &Leases) -> ApiResult<usize> {
    let expired = db.call(|conn| store::uploads::expired(conn, Utc::now())).await?;
    let mut swept = 0;
    for id in &expired {
        let lease = match leases.take(id).await {
            Ok(lease) => lease,
            Err(ApiError::UploadBusy) => continue,
            Err(e) => return Err(e),
        };
        let deleted = delete(db, objects, id).await;
        lease.release().await;
        deleted?;
        swept += 1;
    }
    Ok(swept)
}

/// After a crash: parts of no unfinished upload, and attachment objects of no attachment row
/// (assembled but never committed), are deleted once older than the store's grace.
pub async fn sweep_strays(db: &Db, objects: &Objects) -> ApiResult<usize> {
    let (unfinished, attachments) =
        db.call(|conn| Ok((store::uploads::unfinished_ids(conn)?, store::attachments::all_ids(conn)?))).await?;
    let grace = objects.stray_grace();
    let settled = |object: &crate::objects::Listed| {
        grace.is_zero() || Utc::now().signed_duration_since(object.modified).to_std().is_ok_and(|age| age > grace)
    };
    let mut swept = 0;
    let mut stray_uploads = std::collections::BTreeSet::new();
    for object in objects.list("uploads/").await?.into_iter().filter(settled) {
        let Some(rest) = object.key.strip_prefix("uploads/") else { continue };
        match rest.split_once('/') {
            Some((upload, _)) if !unfinished.contains(upload) => {
                stray_uploads.insert(upload.to_owned());
            }
            Some(_) => {}
            // The one file per upload of a data dir from before parts: its bytes become the
            // first part.
            None => {
                let upload = rest.strip_suffix(".part").filter(|u| unfinished.contains(*u));
                if let Some(upload) = upload.filter(|_| object.size > 0) {
                    objects.copy(&object, &parts::key(upload, 0)).await?;
                } else {
                    swept += 1;
                }
                objects.delete(&object.key).await?;
            }
        }
    }
    for upload in &stray_uploads {
        objects.delete_all(&parts::folder(upload)).await?;
    }
    swept += stray_uploads.len();
    for object in objects.list("attachments/").await?.into_iter().filter(settled) {
        let listed = object.key.strip_prefix("attachments/").is_some_and(|id| attachments.contains(id));
        if !listed {
            objects.delete(&object.key).await?;
            swept += 1;
        }
    }
    Ok(swept)
}

/// Sweeps expired uploads for as long as the server runs, often enough that an upload does not
/// outlive its expiry by more than half of it (and at least once a minute).
pub fn spawn_sweeper(db: Db, objects: Objects, leases: Leases, expiry: Duration) {
    let every = (expiry / 2).clamp(Duration::from_millis(200), Duration::from_secs(60));
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            match sweep_expired(&db, &objects, &leases).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(swept = n, "expired uploads deleted"),
                Err(e) => tracing::warn!(error = ?e, "sweeping expired uploads failed"),
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::human_bytes;

    #[test]
    fn sizes_read_in_binary_units() {
        assert_eq!(human_bytes(21_474_836_480), "20 GiB");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(5 * 1024 * 1024 + 1), "5 MiB");
        assert_eq!(human_bytes(1023), "1023 bytes");
    }
}
