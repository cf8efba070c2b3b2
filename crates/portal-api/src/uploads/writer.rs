//! Writing one `PATCH` body as a part of its upload and, when it was the last one, turning the
//! upload into an attachment.
//!
//! Architecture Invariant: the bytes of a request are written by a task of its own that holds
//! the upload's lease until it has recorded what it wrote. If the client goes away mid-body
//! (the handler is dropped), that task still keeps the part and records the acknowledged
//! offset, or drops the partial chunk when it carried a checksum, so the parts and the database
//! never disagree; then it releases the lease.

use super::Lease;
use super::headers::Algorithm;
use super::parts;
use crate::clock::Clock;
use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use crate::objects::{self, Objects};
use crate::store;
use crate::store::uploads::UploadRow;
use crate::util::{hex, new_id};
use axum::body::Bytes;
use portal_contract::file_types::{ContentCheck, Signature, file_type_of, served_media_type};
use portal_contract::{Attachment, EventKind, Person};
use sha1::Sha1;
use sha2::{Digest, Sha256};
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
    pub objects: Objects,
    pub upload: UploadRow,
    pub checksum: Option<(Algorithm, Vec<u8>)>,
    pub lease: Lease,
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
    async fn resume(
        upload: &UploadRow,
        objects: &Objects,
        earlier: &[objects::Listed],
    ) -> ApiResult<Option<FirstBytes>> {
        let Some(signature) = file_type_of(&upload.file_name).and_then(|t| t.signature) else { return Ok(None) };
        let needed = signature.needed() as u64;
        if upload.offset >= needed.min(upload.length) {
            return Ok(None);
        }
        // Read from the stored parts, wherever the earlier requests were received.
        let bytes = parts::first_bytes(objects, earlier, upload.offset).await?.to_vec();
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
async fn receive(
    pieces: &mut mpsc::Receiver<Piece>,
    out: &mut objects::Writer,
    room: u64,
    first_bytes: &mut Option<FirstBytes>,
    mut whole: Option<&mut Sha256>,
    mut chunk: Option<&mut ChunkHash>,
) -> ApiResult<Received> {
    let mut received = Received { written: 0, complete: false, too_large: false, refused: None };
    while let Some(piece) = pieces.recv().await {
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
        received.written += bytes.len() as u64;
        if let Some(h) = whole.as_deref_mut() {
            h.update(&bytes);
        }
        if let Some(h) = chunk.as_deref_mut() {
            h.update(&bytes);
        }
        out.write(bytes).await?;
    }
    Ok(received)
}

/// Receives the body piece by piece and keeps it as the part at the upload's offset; runs on a
/// task of its own. The lease is held until the offset is recorded and the upload, if done,
/// finalized, and released before the answer goes out.
pub async fn run(job: Job, pieces: mpsc::Receiver<Piece>) -> ApiResult<Written> {
    let Job { db, clock, objects, upload, checksum, lease } = job;
    let written = write(&db, &clock, &objects, upload, checksum, &lease, pieces).await;
    lease.release().await;
    written
}

async fn write(
    db: &Db,
    clock: &Clock,
    objects: &Objects,
    upload: UploadRow,
    checksum: Option<(Algorithm, Vec<u8>)>,
    lease: &Lease,
    mut pieces: mpsc::Receiver<Piece>,
) -> ApiResult<Written> {
    let start = upload.offset;
    let room = upload.length - start;
    // Acknowledged bytes that are gone cannot be made up: found out before more are taken.
    let earlier = parts::chain(objects, &upload.id, start).await?;
    let mut first_bytes = FirstBytes::resume(&upload, objects, &earlier).await?;
    // A part that starts at 0 and ends the upload is the whole file: its hash is known here.
    let mut whole = (start == 0).then(Sha256::new);
    let mut chunk = checksum.as_ref().map(|(algorithm, _)| match algorithm {
        Algorithm::Sha1 => ChunkHash::Sha1(Sha1::new()),
        Algorithm::Sha256 => ChunkHash::Sha256(Sha256::new()),
    });
    let mut out = objects.writer(&parts::key(&upload.id, start)).await?;
    let received = receive(&mut pieces, &mut out, room, &mut first_bytes, whole.as_mut(), chunk.as_mut()).await;
    let Received { written, complete, too_large, refused } = match received {
        Ok(received) => received,
        Err(e) => {
            out.abort().await;
            return Err(e);
        }
    };
    if let Some(refusal) = refused {
        out.abort().await;
        super::delete(db, objects, &upload.id).await?;
        return Err(refusal);
    }
    let verified = match (&checksum, chunk) {
        (Some((_, expected)), Some(hash)) => complete && hash.matches(expected),
        _ => true,
    };
    // A chunk that is too large, fails its checksum, or stopped before its checksum could be
    // checked is not kept at all; a plain chunk keeps whatever arrived (tus core).
    let keep = !too_large && verified && (complete || checksum.is_none()) && written > 0;
    let offset = if keep { start + written } else { start };
    // A part goes where another holder's part at this offset would: kept only by a holder
    // that still has the lease (and keeps it for a whole lease more).
    let held = if keep {
        lease.still_held().await.and_then(|held| held.then_some(()).ok_or(ApiError::UploadBusy))
    } else {
        Ok(())
    };
    if let Err(e) = held {
        out.abort().await;
        return Err(e);
    }
    if keep {
        out.commit().await?;
        // Recorded only by the lease's holder, checked in the same write: one that lost the
        // lease while the database was away must not move an offset another request now owns.
        db.call({
            let (id, renewal) = (upload.id.clone(), lease.renewal());
            move |conn| {
                if !renewal.renew(conn)? {
                    return Err(ApiError::UploadBusy);
                }
                store::uploads::set_offset(conn, &id, offset)
            }
        })
        .await?;
    } else {
        out.abort().await;
    }
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
        Some(finalize(db, clock, objects, &UploadRow { offset, ..upload }, whole).await?)
    } else {
        None
    };
    Ok(Written { offset, attachment })
}

/// Assembles the parts into the attachment's object and records the attachment, in one
/// transaction: if the commit fails the object is deleted again, so nothing half-done is ever
/// listed. An upload whose case stopped taking files meanwhile is ended instead, bytes and all.
/// A file for an information request is held for the answer: no event, not listed, until it is
/// sent. Any instance can finalize: the parts and the row are all it reads.
pub async fn finalize(
    db: &Db,
    clock: &Clock,
    objects: &Objects,
    upload: &UploadRow,
    hash: Option<Sha256>,
) -> ApiResult<Attachment> {
    match record(db, clock, objects, upload, hash).await {
        Err(refusal) if super::ends_upload(&refusal) => {
            super::delete(db, objects, &upload.id).await?;
            Err(refusal)
        }
        recorded => recorded,
    }
}

async fn record(
    db: &Db,
    clock: &Clock,
    objects: &Objects,
    upload: &UploadRow,
    hash: Option<Sha256>,
) -> ApiResult<Attachment> {
    let chain = parts::chain(objects, &upload.id, upload.length).await?;
    let attachment_id = new_id("att");
    let target = objects::attachment_key(&attachment_id);
    // One part whose hash this request took is copied by the store itself; anything else is
    // read through once, hashed on the way (the requests before may have been another
    // instance's, whose running hash this one never saw).
    let sha256 = match (chain.as_slice(), hash) {
        ([only], Some(hash)) => {
            objects.copy(only, &target).await?;
            hash
        }
        _ => objects.concatenate(&chain, &target).await?,
    };
    let sha256 = hex(&sha256.finalize());
    let (row, id, now) = (upload.clone(), attachment_id.clone(), clock.now());
    let recorded = db.call(move |conn| insert(conn, &row, &id, sha256, now)).await;
    match recorded {
        Ok(attachment) => {
            // The row is committed: parts left now are of a finished upload, which the start-up
            // sweep deletes, so a failure here does not fail the request.
            if let Err(error) = objects.delete_all(&parts::folder(&upload.id)).await {
                tracing::warn!(upload = %upload.id, ?error, "the parts of a finished upload stay until a sweep");
            }
            Ok(attachment)
        }
        Err(e) => {
            if let Err(error) = objects.delete(&target).await {
                tracing::warn!(attachment = %attachment_id, ?error, "an unlisted attachment object stays until a sweep");
            }
            Err(e)
        }
    }
}

fn insert(
    conn: &mut crate::sql::Connection,
    upload: &UploadRow,
    attachment_id: &str,
    sha256: String,
    now: chrono::DateTime<chrono::Utc>,
) -> ApiResult<Attachment> {
    let tx = conn.transaction()?;
    // Read again in the transaction: the same upload finished meanwhile (by a request another
    // instance took) is not a second attachment.
    let current = store::uploads::get(&tx, &upload.id)?.ok_or(ApiError::UploadExpired)?;
    if current.attachment_id.is_some() {
        return Err(ApiError::Conflict("upload_finished", "this upload is already an attachment of the case".into()));
    }
    let case = store::cases::get(&tx, &upload.case_id)?
        .ok_or_else(|| ApiError::Internal("the case of an upload vanished".into()))?;
    let uploader =
        store::sessions::user(&tx, &upload.user_id)?.ok_or_else(|| ApiError::Internal("uploader vanished".into()))?;
    super::takes_files(&tx, uploader.role, &case, upload.information_request_id.as_deref())?;
    let attachment = Attachment {
        id: attachment_id.to_owned().into(),
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
    store::uploads::complete(&tx, &upload.id, attachment_id)?;
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
        store::cases::link_event(&tx, &event, None, &[attachment_id.to_owned()])?;
    }
    tx.commit()?;
    Ok(attachment)
}
