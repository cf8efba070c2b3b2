//! Writing one `PATCH` body to disk and, when it was the last one, turning the upload into an
//! attachment.
//!
//! Architecture Invariant: the bytes of a request are written on a blocking thread that owns
//! the upload until it has recorded what it wrote. If the client goes away mid-body (the
//! handler is dropped), that thread still records the acknowledged offset, or discards the
//! partial chunk when it carried a checksum, so the file and the database never disagree.

use super::Dirs;
use super::headers::Algorithm;
use super::slots::SlotGuard;
use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use crate::store;
use crate::store::uploads::UploadRow;
use crate::util::{hex, new_id};
use axum::body::Bytes;
use chrono::Utc;
use portal_contract::{Attachment, EventKind, Person};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use tokio::sync::mpsc;

pub enum Piece {
    Data(Bytes),
    /// The whole body arrived.
    End,
}

pub struct Job {
    pub db: Db,
    pub dirs: Dirs,
    pub upload: UploadRow,
    pub checksum: Option<(Algorithm, Vec<u8>)>,
    pub guard: SlotGuard,
}

#[derive(Debug)]
pub struct Written {
    pub offset: u64,
    pub attachment: Option<Attachment>,
}

enum ChunkHash {
    Sha1(Sha1),
    Sha256(Sha256),
}

impl ChunkHash {
    fn update(&mut self, data: &[u8]) {
        match self {
            ChunkHash::Sha1(h) => h.update(data),
            ChunkHash::Sha256(h) => h.update(data),
        }
    }

    fn matches(self, expected: &[u8]) -> bool {
        match self {
            ChunkHash::Sha1(h) => h.finalize().as_slice() == expected,
            ChunkHash::Sha256(h) => h.finalize().as_slice() == expected,
        }
    }
}

/// Receives the body piece by piece and writes it; runs on a blocking thread.
pub fn run(job: Job, mut pieces: mpsc::Receiver<Piece>) -> ApiResult<Written> {
    let Job { db, dirs, upload, checksum, guard } = job;
    let start = upload.offset;
    let room = upload.length - start;
    let path = dirs.part(&upload.id);
    let mut file = OpenOptions::new().write(true).create(true).truncate(false).open(&path)?;
    // Bytes past the acknowledged offset are from a request that never finished: drop them.
    file.set_len(start)?;
    file.seek(SeekFrom::Start(start))?;
    let mut out = BufWriter::with_capacity(1 << 20, &mut file);
    let mut whole = guard.take_hash(start);
    let before = whole.clone();
    let mut chunk = checksum.as_ref().map(|(algorithm, _)| match algorithm {
        Algorithm::Sha1 => ChunkHash::Sha1(Sha1::new()),
        Algorithm::Sha256 => ChunkHash::Sha256(Sha256::new()),
    });
    let mut written = 0u64;
    let mut complete = false;
    let mut too_large = false;
    while let Some(piece) = pieces.blocking_recv() {
        match piece {
            Piece::Data(bytes) => {
                if written + bytes.len() as u64 > room {
                    too_large = true;
                    break;
                }
                out.write_all(&bytes)?;
                written += bytes.len() as u64;
                if let Some(h) = whole.as_mut() {
                    h.update(&bytes);
                }
                if let Some(h) = chunk.as_mut() {
                    h.update(&bytes);
                }
            }
            Piece::End => {
                complete = true;
                break;
            }
        }
    }
    out.flush()?;
    drop(out);
    let verified = match (&checksum, chunk) {
        (Some((_, expected)), Some(hash)) => complete && hash.matches(expected),
        _ => true,
    };
    // A chunk that is too large, fails its checksum, or stopped before its checksum could be
    // checked is not kept at all; a plain chunk keeps whatever arrived (tus core).
    let keep = !too_large && verified && (complete || checksum.is_none());
    let offset = if keep { start + written } else { start };
    if keep {
        file.sync_data()?;
        if let Some(h) = whole {
            guard.keep_hash(offset, h);
        }
    } else {
        file.set_len(start)?;
        if let Some(h) = before {
            guard.keep_hash(start, h);
        }
    }
    db.with(|conn| store::uploads::set_offset(conn, &upload.id, offset))?;
    if too_large {
        return Err(ApiError::TooLarge("upload_length_exceeded", "the body goes past the Upload-Length".into()));
    }
    if !verified {
        return Err(if complete {
            ApiError::ChecksumMismatch
        } else {
            ApiError::BadRequest("body_incomplete", "the body stopped early".into())
        });
    }
    let attachment = if offset == upload.length && upload.attachment_id.is_none() {
        let hash = guard.take_hash(offset);
        let done = finalize(&db, &dirs, &UploadRow { offset, ..upload }, hash)?;
        Some(done)
    } else {
        None
    };
    Ok(Written { offset, attachment })
}

fn hash_file(path: &std::path::Path) -> ApiResult<String> {
    let mut file = File::open(path)?;
    let mut hash = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hash.update(&buf[..n]);
    }
    Ok(hex(&hash.finalize()))
}

/// Moves the complete part file to the attachments and records the attachment, in one
/// transaction: if the commit fails the file goes back, so nothing half-done is ever listed.
pub fn finalize(db: &Db, dirs: &Dirs, upload: &UploadRow, hash: Option<Sha256>) -> ApiResult<Attachment> {
    let part = dirs.part(&upload.id);
    let sha256 = match hash {
        Some(h) => hex(&h.finalize()),
        None => hash_file(&part)?,
    };
    let attachment_id = new_id("att");
    let target = dirs.attachment(&attachment_id);
    let attachment = db.with(|conn| {
        let tx = conn.transaction()?;
        let uploader = crate::auth::load_user(&tx, &upload.user_id)?
            .ok_or_else(|| ApiError::Internal("uploader vanished".into()))?;
        let now = Utc::now();
        let attachment = Attachment {
            id: attachment_id.clone().into(),
            case_id: upload.case_id.clone().into(),
            information_request_id: None,
            file_name: upload.file_name.clone(),
            media_type: upload.media_type.clone(),
            size: upload.length,
            sha256,
            uploaded_by: Person { id: uploader.id, name: uploader.name, role: uploader.role },
            uploaded_at: now,
        };
        store::attachments::insert(&tx, &attachment)?;
        store::uploads::complete(&tx, &upload.id, &attachment_id)?;
        let event = store::cases::add_event(
            &tx,
            &upload.case_id,
            EventKind::AttachmentAdded,
            &upload.user_id,
            None,
            None,
            now,
        )?;
        store::cases::link_event(
            &tx,
            &event,
            upload.information_request_id.as_deref(),
            std::slice::from_ref(&attachment_id),
        )?;
        std::fs::rename(&part, &target)?;
        if let Err(e) = tx.commit() {
            let _ = std::fs::rename(&target, &part);
            return Err(e.into());
        }
        Ok(attachment)
    })?;
    dirs.sync()?;
    Ok(attachment)
}
