//! Resumable uploads (tus 1.0.0) on local disk.
//!
//! An upload's bytes go to `<data_dir>/uploads/<upload_id>.part` as they arrive (never held
//! whole in memory); the last byte moves the file to `<data_dir>/attachments/<attachment_id>`
//! in the transaction that lists it. Unfinished uploads expire and are swept with their bytes.

pub mod headers;
pub mod limits;
mod slots;
pub mod writer;

pub use slots::Slots;

use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use crate::sql::Connection;
use crate::store;
use chrono::Utc;
use portal_contract::rules::{self, Refusal};
use portal_contract::{Case, InformationRequestStatus, Role};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

#[derive(Clone, Debug)]
pub struct Dirs {
    uploads: PathBuf,
    attachments: PathBuf,
}

impl Dirs {
    pub fn create(data_dir: &Path) -> ApiResult<Dirs> {
        let dirs = Dirs { uploads: data_dir.join("uploads"), attachments: data_dir.join("attachments") };
        std::fs::create_dir_all(&dirs.uploads)?;
        std::fs::create_dir_all(&dirs.attachments)?;
        Ok(dirs)
    }

    /// Whether files can be kept: one is written, read back and removed in each folder.
    pub fn probe(&self) -> std::io::Result<()> {
        for dir in [&self.uploads, &self.attachments] {
            let path = dir.join(format!(".health-{}", crate::util::new_token()));
            std::fs::write(&path, b"ok")?;
            let read = std::fs::read(&path);
            std::fs::remove_file(&path)?;
            if read? != b"ok" {
                return Err(std::io::Error::other("a file read back differs from what was written"));
            }
        }
        Ok(())
    }

    pub fn part(&self, upload_id: &str) -> PathBuf {
        self.uploads.join(format!("{upload_id}.part"))
    }

    pub fn attachment(&self, attachment_id: &str) -> PathBuf {
        self.attachments.join(attachment_id)
    }

    /// Makes renames into and out of the directories durable.
    pub fn sync(&self) -> ApiResult<()> {
        for dir in [&self.uploads, &self.attachments] {
            std::fs::File::open(dir)?.sync_all()?;
        }
        Ok(())
    }
}

/// Ends an unfinished upload: its row, its bytes and its slot. Termination and expiry both
/// come here.
pub fn discard(db: &Db, dirs: &Dirs, slots: &Slots, upload_id: &str) -> ApiResult<()> {
    delete(db, dirs, upload_id)?;
    slots.forget(upload_id);
    Ok(())
}

/// Deletes an unfinished upload's row and bytes; for the one holding its slot.
pub fn delete(db: &Db, dirs: &Dirs, upload_id: &str) -> ApiResult<()> {
    db.with(|conn| store::uploads::delete(conn, upload_id))?;
    remove_if_present(&dirs.part(upload_id))
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

/// Deletes expired unfinished uploads (rows and bytes) that nobody is writing to.
pub fn sweep_expired(db: &Db, dirs: &Dirs, slots: &Slots) -> ApiResult<usize> {
    let expired = db.with(|conn| store::uploads::expired(conn, Utc::now()))?;
    let mut swept = 0;
    for id in expired.iter().filter(|id| !slots.is_busy(id)) {
        discard(db, dirs, slots, id)?;
        swept += 1;
    }
    Ok(swept)
}

/// After a crash: part files of no unfinished upload, and attachment files of no attachment row
/// (moved but never committed), are deleted.
pub fn sweep_strays(db: &Db, dirs: &Dirs) -> ApiResult<usize> {
    let (unfinished, attachments) =
        db.with(|conn| Ok((store::uploads::unfinished_ids(conn)?, store::attachments::all_ids(conn)?)))?;
    let mut swept = 0;
    for entry in std::fs::read_dir(&dirs.uploads)?.chain(std::fs::read_dir(&dirs.attachments)?) {
        let path = entry?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("").to_owned();
        let known = match name.strip_suffix(".part") {
            Some(upload) => unfinished.contains(upload),
            None => attachments.contains(&name),
        };
        if !known {
            remove_if_present(&path)?;
            swept += 1;
        }
    }
    Ok(swept)
}

fn remove_if_present(path: &Path) -> ApiResult<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e.into()),
        _ => Ok(()),
    }
}

/// Sweeps expired uploads for as long as the server runs, often enough that an upload does not
/// outlive its expiry by more than half of it (and at least once a minute).
pub fn spawn_sweeper(db: Db, dirs: Dirs, slots: Arc<Slots>, expiry: Duration) {
    let every = (expiry / 2).clamp(Duration::from_millis(200), Duration::from_secs(60));
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            let (db, dirs, slots) = (db.clone(), dirs.clone(), slots.clone());
            match tokio::task::spawn_blocking(move || sweep_expired(&db, &dirs, &slots)).await {
                Ok(Ok(0)) => {}
                Ok(Ok(n)) => tracing::info!(swept = n, "expired uploads deleted"),
                Ok(Err(e)) => tracing::warn!(error = ?e, "sweeping expired uploads failed"),
                Err(e) => tracing::warn!(error = %e, "upload sweeper task failed"),
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
