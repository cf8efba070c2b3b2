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
use crate::clock::Clock;
use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use crate::store;
use crate::store::uploads::UploadRow;
use crate::util::{hex, new_id};
use axum::body::Bytes;
use portal_contract::file_types::{ContentCheck, Signature, file_type_of, served_media_type};
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
    /// What the finished file's `uploaded_at` is read from.
    pub clock: Clock,
    pub dirs: Dirs,
    pub upload: UploadRow,
    pub checksum: Option<(Algorithm, Vec<u8>)>,
    pub guard: SlotGuard,
}

/// The first bytes of an upload whose type has a signature, gathered across requests until
/// they show whether the file is what its name says.
struct FirstBytes {
    signature: &'static Signature,
    bytes: Vec<u8>,
    length: u64,
}

impl FirstBytes {
    /// `None` when there is nothing left to judge: no signature, or enough bytes arrived in an
    /// earlier request (they were judged before they were written).
    fn resume(upload: &UploadRow, part: &mut File) -> ApiResult<Option<FirstBytes>> {
        let Some(signature) = file_type_of(&upload.file_name).and_then(|t| t.signature) else { return Ok(None) };
        let needed = signature.needed() as u64;
        if upload.offset >= needed.min(upload.length) {
            return Ok(None);
        }
        let mut bytes = vec![0; upload.offset as usize];
        part.seek(SeekFrom::Start(0))?;
        part.read_exact(&mut bytes)?;
        Ok(Some(FirstBytes { signature, bytes, length: upload.length }))
    }

    /// Takes the next bytes of the body and judges as soon as enough are there.
    fn judge(&mut self, data: &[u8]) -> ContentCheck {
        let wanted = self.signature.needed().saturating_sub(self.bytes.len()).min(data.len());
        self.bytes.extend_from_slice(&data[..wanted]);
        self.signature.check(&self.bytes, self.bytes.len() as u64 >= self.length)
    }

    fn refusal(&self) -> ApiError {
        ApiError::ContentMismatch(format!(
            "this file's content is not {}, as its name says; the upload was ended and its bytes deleted",
            self.signature.format
        ))
    }
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

/// What became of one request's body.
struct Received {
    written: u64,
    /// The whole body arrived.
    complete: bool,
    /// The body went past the upload's length; it stopped there.
    too_large: bool,
    /// The first bytes are not what the name says; it stopped there.
    refused: Option<ApiError>,
}

/// Writes the pieces of a body as they come, hashing them, until the body ends or goes wrong.
fn receive(
    pieces: &mut mpsc::Receiver<Piece>,
    out: &mut impl Write,
    room: u64,
    first_bytes: &mut Option<FirstBytes>,
    mut whole: Option<&mut Sha256>,
    mut chunk: Option<&mut ChunkHash>,
) -> ApiResult<Received> {
    let mut received = Received { written: 0, complete: false, too_large: false, refused: None };
    while let Some(piece) = pieces.blocking_recv() {
        let Piece::Data(bytes) = piece else {
            received.complete = true;
            break;
        };
        if received.written + bytes.len() as u64 > room {
            received.too_large = true;
            break;
        }
        match first_bytes.as_mut().map(|f| f.judge(&bytes)) {
            Some(ContentCheck::Mismatch) => {
                received.refused = first_bytes.as_ref().map(FirstBytes::refusal);
                break;
            }
            Some(ContentCheck::Matches) => *first_bytes = None,
            Some(ContentCheck::NeedMore(_)) | None => {}
        }
        out.write_all(&bytes)?;
        received.written += bytes.len() as u64;
        if let Some(h) = whole.as_deref_mut() {
            h.update(&bytes);
        }
        if let Some(h) = chunk.as_deref_mut() {
            h.update(&bytes);
        }
    }
    Ok(received)
}

/// Receives the body piece by piece and writes it; runs on a blocking thread.
pub fn run(job: Job, mut pieces: mpsc::Receiver<Piece>) -> ApiResult<Written> {
    let Job { db, clock, dirs, upload, checksum, guard } = job;
    let start = upload.offset;
    let room = upload.length - start;
    let path = dirs.part(&upload.id);
    if start > 0 && !path.exists() {
        // Acknowledged bytes that are gone cannot be made up (padding would store zeros).
        return Err(ApiError::UploadExpired);
    }
    let mut file = OpenOptions::new().read(true).write(true).create(true).truncate(false).open(&path)?;
    // Bytes past the acknowledged offset are from a request that never finished: drop them.
    file.set_len(start)?;
    let mut first_bytes = FirstBytes::resume(&upload, &mut file)?;
    file.seek(SeekFrom::Start(start))?;
    let mut out = BufWriter::with_capacity(1 << 20, &mut file);
    let mut whole = guard.take_hash(start);
    let before = whole.clone();
    let mut chunk = checksum.as_ref().map(|(algorithm, _)| match algorithm {
        Algorithm::Sha1 => ChunkHash::Sha1(Sha1::new()),
        Algorithm::Sha256 => ChunkHash::Sha256(Sha256::new()),
    });
    let Received { written, complete, too_large, refused } =
        receive(&mut pieces, &mut out, room, &mut first_bytes, whole.as_mut(), chunk.as_mut())?;
    out.flush()?;
    drop(out);
    if let Some(refusal) = refused {
        drop(file);
        super::delete(&db, &dirs, &upload.id)?;
        return Err(refusal);
    }
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
        let done = finalize(&db, &clock, &dirs, &UploadRow { offset, ..upload }, hash)?;
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
/// An upload whose case stopped taking files meanwhile is ended instead, bytes and all. A file
/// for an information request is held for the answer: no event, not listed, until it is sent.
pub fn finalize(
    db: &Db,
    clock: &Clock,
    dirs: &Dirs,
    upload: &UploadRow,
    hash: Option<Sha256>,
) -> ApiResult<Attachment> {
    match record(db, clock, dirs, upload, hash) {
        Err(refusal) if super::ends_upload(&refusal) => {
            super::delete(db, dirs, &upload.id)?;
            Err(refusal)
        }
        recorded => recorded,
    }
}

fn record(db: &Db, clock: &Clock, dirs: &Dirs, upload: &UploadRow, hash: Option<Sha256>) -> ApiResult<Attachment> {
    let part = dirs.part(&upload.id);
    let sha256 = match hash {
        Some(h) => hex(&h.finalize()),
        None => hash_file(&part)?,
    };
    let attachment_id = new_id("att");
    let target = dirs.attachment(&attachment_id);
    let attachment = db.with(|conn| {
        let tx = conn.transaction()?;
        let case = store::cases::get(&tx, &upload.case_id)?
            .ok_or_else(|| ApiError::Internal("the case of an upload vanished".into()))?;
        let uploader = store::sessions::user(&tx, &upload.user_id)?
            .ok_or_else(|| ApiError::Internal("uploader vanished".into()))?;
        super::takes_files(&tx, uploader.role, &case, upload.information_request_id.as_deref())?;
        let now = clock.now();
        let attachment = Attachment {
            id: attachment_id.clone().into(),
            case_id: upload.case_id.clone().into(),
            information_request_id: None,
            file_name: upload.file_name.clone(),
            media_type: served_media_type(&upload.file_name).to_owned(),
            size: upload.length,
            sha256,
            uploaded_by: Person { id: uploader.id, name: uploader.name, role: uploader.role },
            uploaded_at: now,
        };
        let held_for = upload.information_request_id.as_deref();
        store::attachments::insert(&tx, &attachment, held_for)?;
        store::uploads::complete(&tx, &upload.id, &attachment_id)?;
        if held_for.is_none() {
            let event = store::cases::add_event(
                &tx,
                &upload.case_id,
                EventKind::AttachmentAdded,
                &upload.user_id,
                None,
                None,
                now,
            )?;
            store::cases::link_event(&tx, &event, None, std::slice::from_ref(&attachment_id))?;
        }
        // A second name, not a move: killed before the commit, the upload still has its part
        // file (and the start-up sweep deletes the attachment name no row lists), so the
        // client finishes it again; killed after, the sweep deletes the part file instead.
        std::fs::hard_link(&part, &target)?;
        if let Err(e) = tx.commit() {
            let _ = std::fs::remove_file(&target);
            return Err(e.into());
        }
        Ok(attachment)
    })?;
    super::remove_if_present(&part)?;
    dirs.sync()?;
    Ok(attachment)
}
