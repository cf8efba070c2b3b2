//! Where files live: attachments and the bytes of unfinished uploads, as objects under keys
//! (`attachments/<attachment id>`, `uploads/<upload id>/<offset>`), either in the data dir
//! (the default) or in an S3-compatible store (`--object-store s3://…`).
//!
//! Architecture Invariant: nothing about a file is kept in one process. An object becomes
//! visible under its key only when it is whole and durable (`Writer::commit`), so any instance
//! sharing the store may read, list, assemble or delete what another wrote.

mod local;
mod s3;

use crate::error::{ApiError, ApiResult};
use bytes::Bytes;
use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use sha2::{Digest, Sha256};
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// How `ApiError::Unavailable` names this backend.
const UNAVAILABLE: &str = "object store";

/// The bytes of an object as they are read, never all at once.
pub type ByteStream = BoxStream<'static, ApiResult<Bytes>>;

/// The key of an attachment's file.
pub fn attachment_key(attachment_id: &str) -> String {
    format!("attachments/{attachment_id}")
}

/// One object found by `list`.
#[derive(Clone, Debug)]
pub struct Listed {
    pub key: String,
    pub size: u64,
    pub modified: DateTime<Utc>,
}

#[derive(Clone)]
pub struct Objects {
    backend: Arc<Backend>,
}

enum Backend {
    Local(local::Local),
    S3(s3::S3),
}

/// Checks `--object-store` before anything starts: the message names the flag and says what
/// is wrong.
pub fn check_flag(url: &str) -> Result<(), String> {
    s3::S3::open(url).map(drop)
}

impl Objects {
    /// The S3 store `object_store` names, or the data dir's `uploads/` and `attachments/`.
    pub fn open(object_store: Option<&str>, data_dir: &Path) -> ApiResult<Objects> {
        let backend = match object_store {
            Some(url) => Backend::S3(s3::S3::open(url).map_err(ApiError::Internal)?),
            None => Backend::Local(local::Local::create(data_dir)?),
        };
        Ok(Objects { backend: Arc::new(backend) })
    }

    /// A new object at `key`, visible there only once committed; what was there before stays
    /// until then and is replaced whole.
    pub async fn writer(&self, key: &str) -> ApiResult<Writer> {
        match &*self.backend {
            Backend::Local(l) => Ok(Writer::Local(l.writer(key).await?)),
            Backend::S3(s) => Ok(Writer::S3(s.writer(key))),
        }
    }

    pub async fn put(&self, key: &str, bytes: Bytes) -> ApiResult<()> {
        let mut writer = self.writer(key).await?;
        match writer.write(bytes).await {
            Ok(()) => writer.commit().await,
            Err(e) => {
                writer.abort().await;
                Err(e)
            }
        }
    }

    /// The object's `size` bytes, read piece by piece as the stream is polled.
    pub async fn stream(&self, key: &str, size: u64) -> ApiResult<ByteStream> {
        match &*self.backend {
            Backend::Local(l) => l.stream(key).await,
            Backend::S3(s) => s.stream(key, size),
        }
    }

    pub async fn read_range(&self, key: &str, range: Range<u64>) -> ApiResult<Bytes> {
        match &*self.backend {
            Backend::Local(l) => l.read_range(key, range).await,
            Backend::S3(s) => s.read_range(key, range).await,
        }
    }

    /// Every object whose key starts with `prefix` (a folder: it ends with `/`).
    pub async fn list(&self, prefix: &str) -> ApiResult<Vec<Listed>> {
        match &*self.backend {
            Backend::Local(l) => l.list(prefix).await,
            Backend::S3(s) => s.list(prefix).await,
        }
    }

    /// Deletes the object; one already gone is no error.
    pub async fn delete(&self, key: &str) -> ApiResult<()> {
        match &*self.backend {
            Backend::Local(l) => l.delete(key).await,
            Backend::S3(s) => s.delete(key).await,
        }
    }

    /// Deletes every object under `prefix` (a folder: it ends with `/`).
    pub async fn delete_all(&self, prefix: &str) -> ApiResult<()> {
        match &*self.backend {
            Backend::Local(l) => l.delete_all(prefix).await,
            Backend::S3(s) => {
                for object in s.list(prefix).await? {
                    s.delete(&object.key).await?;
                }
                Ok(())
            }
        }
    }

    /// A second object with the same bytes, made by the store itself where it can (a hard link,
    /// a server-side copy).
    pub async fn copy(&self, from: &Listed, to: &str) -> ApiResult<()> {
        match &*self.backend {
            Backend::Local(l) => l.copy(&from.key, to).await,
            Backend::S3(s) if from.size <= s3::LARGEST_COPY => s.copy(&from.key, to).await,
            Backend::S3(_) => self.concatenate(std::slice::from_ref(from), to).await.map(drop),
        }
    }

    /// One object at `target` made of `parts` in order; answers the SHA-256 of its bytes, read
    /// as they went through.
    pub async fn concatenate(&self, parts: &[Listed], target: &str) -> ApiResult<Sha256> {
        let mut writer = self.writer(target).await?;
        let mut hash = Sha256::new();
        match self.copy_into(parts, &mut writer, &mut hash).await {
            Ok(()) => {
                writer.commit().await?;
                Ok(hash)
            }
            Err(e) => {
                writer.abort().await;
                Err(e)
            }
        }
    }

    async fn copy_into(&self, parts: &[Listed], writer: &mut Writer, hash: &mut Sha256) -> ApiResult<()> {
        for part in parts {
            let mut bytes = self.stream(&part.key, part.size).await?;
            while let Some(piece) = bytes.next().await {
                let piece = piece?;
                hash.update(&piece);
                writer.write(piece).await?;
            }
        }
        Ok(())
    }

    /// Whether files can be kept: an object is written, read back and deleted.
    pub async fn probe(&self) -> ApiResult<()> {
        let keys = match &*self.backend {
            Backend::Local(_) => vec!["uploads/", "attachments/"],
            Backend::S3(_) => vec!["health/"],
        };
        for folder in keys {
            let key = format!("{folder}.probe-{}", crate::util::new_token());
            self.put(&key, Bytes::from_static(b"ok")).await?;
            let read = self.read_range(&key, 0..2).await;
            self.delete(&key).await?;
            if read? != b"ok"[..] {
                return Err(ApiError::Internal("an object read back differs from what was written".into()));
            }
        }
        Ok(())
    }

    /// How old an object no row names must be before a sweep deletes it. Other instances
    /// sharing an S3 store write an object before the row naming it commits; the data dir
    /// belongs to this process alone, swept before it serves.
    pub fn stray_grace(&self) -> Duration {
        match &*self.backend {
            Backend::Local(_) => Duration::ZERO,
            Backend::S3(_) => Duration::from_secs(60 * 60),
        }
    }
}

/// An object being written; dropped without `commit`, it never appears.
pub enum Writer {
    Local(local::Writer),
    S3(s3::Writer),
}

impl Writer {
    pub async fn write(&mut self, bytes: Bytes) -> ApiResult<()> {
        match self {
            Writer::Local(w) => w.write(&bytes).await,
            Writer::S3(w) => w.write(bytes).await,
        }
    }

    /// Makes the object whole, durable and visible under its key.
    pub async fn commit(self) -> ApiResult<()> {
        match self {
            Writer::Local(w) => w.commit().await,
            Writer::S3(w) => w.commit().await,
        }
    }

    /// Drops what was written; a failure to clean up is logged (a sweep finds what is left).
    pub async fn abort(self) {
        match self {
            Writer::Local(w) => w.abort().await,
            Writer::S3(w) => w.abort().await,
        }
    }
}

/// A failure of the S3 store: logged with its detail, answered as unavailable.
fn unavailable(error: object_store::Error) -> ApiError {
    tracing::warn!(%error, "the object store failed");
    ApiError::Unavailable(UNAVAILABLE)
}

/// Keys are made by this server from its own ids; anything that could leave the store's root
/// is refused before it reaches a path.
fn checked(key: &str) -> ApiResult<&str> {
    let body = key.strip_suffix('/').unwrap_or(key);
    if body.is_empty() || body.split('/').any(|s| s.is_empty() || s == "." || s == ".." || s.contains('\\')) {
        return Err(ApiError::Internal(format!("not an object key: {key:?}")));
    }
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_never_leave_the_root() {
        for bad in ["", "/", "../x", "uploads/../../etc", "a//b", "/abs", "a/./b", "a\\..\\b"] {
            assert!(checked(bad).is_err(), "{bad:?}");
        }
        for good in ["attachments/att_x-Y", "uploads/upl_1/00000000000000000012", "uploads/upl_1/"] {
            assert!(checked(good).is_ok(), "{good:?}");
        }
    }

    #[tokio::test]
    async fn parts_concatenate_into_one_object_with_its_hash() {
        let dir = tempfile::tempdir().expect("temp dir");
        let objects = Objects::open(None, dir.path()).expect("local");
        objects.put("uploads/u/0", Bytes::from_static(b"hello ")).await.expect("part 0");
        objects.put("uploads/u/6", Bytes::from_static(b"world")).await.expect("part 6");
        let mut parts = objects.list("uploads/u/").await.expect("list");
        parts.sort_by(|a, b| a.key.cmp(&b.key));
        assert_eq!(
            parts.iter().map(|p| (p.key.as_str(), p.size)).collect::<Vec<_>>(),
            [("uploads/u/0", 6), ("uploads/u/6", 5)]
        );
        let hash = objects.concatenate(&parts, "attachments/a").await.expect("concatenate");
        assert_eq!(hash.finalize().as_slice(), Sha256::digest(b"hello world").as_slice());
        assert_eq!(objects.read_range("attachments/a", 4..9).await.expect("range"), &b"o wor"[..]);
        objects.delete_all("uploads/u/").await.expect("delete");
        assert!(objects.list("uploads/").await.expect("list").is_empty());
        objects.delete("attachments/never-there").await.expect("deleting nothing is fine");
    }

    #[tokio::test]
    async fn an_object_appears_only_when_committed() {
        let dir = tempfile::tempdir().expect("temp dir");
        let objects = Objects::open(None, dir.path()).expect("local");
        let mut writer = objects.writer("attachments/a").await.expect("writer");
        writer.write(Bytes::from_static(b"half")).await.expect("write");
        let listed = objects.list("attachments/").await.expect("list");
        assert!(listed.iter().all(|o| o.key != "attachments/a"), "{listed:?}");
        writer.abort().await;
        assert!(objects.list("attachments/").await.expect("list").is_empty(), "the temporary file went too");
        objects.probe().await.expect("probe");
    }
}
