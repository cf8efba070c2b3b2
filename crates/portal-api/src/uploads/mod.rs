//! Resumable uploads (tus 1.0.0) on local disk.
//!
//! An upload's bytes go to `<data_dir>/uploads/<upload_id>.part` as they arrive (never held
//! whole in memory); the last byte moves the file to `<data_dir>/attachments/<attachment_id>`
//! in the transaction that lists it. Unfinished uploads expire and are swept with their bytes.

pub mod headers;
mod slots;
pub mod writer;

pub use slots::Slots;

use crate::db::Db;
use crate::error::ApiResult;
use crate::store;
use chrono::Utc;
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
    db.with(|conn| store::uploads::delete(conn, upload_id))?;
    remove_if_present(&dirs.part(upload_id))?;
    slots.forget(upload_id);
    Ok(())
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
