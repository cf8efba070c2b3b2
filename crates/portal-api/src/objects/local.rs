//! Objects as files under the data dir: a key is a path below it. A file is written under a
//! temporary name beside its place, synced, and renamed into place (then the folder synced), so
//! a crash leaves either the whole file or none under its name.

use super::{ByteStream, Listed, checked};
use crate::error::{ApiError, ApiResult};
use bytes::Bytes;
use futures_util::StreamExt;
use std::io::{Read, Seek, SeekFrom};
use std::ops::Range;
use std::path::{Path, PathBuf};
use tokio::io::AsyncWriteExt;
use tokio_util::io::ReaderStream;

/// Where temporary files start their names; never a key the server makes.
const TEMPORARY: &str = ".tmp-";

pub struct Local {
    root: PathBuf,
}

impl Local {
    pub fn create(data_dir: &Path) -> ApiResult<Local> {
        for folder in ["uploads", "attachments"] {
            std::fs::create_dir_all(data_dir.join(folder))?;
        }
        Ok(Local { root: data_dir.to_owned() })
    }

    fn path(&self, key: &str) -> ApiResult<PathBuf> {
        Ok(self.root.join(checked(key)?))
    }

    pub async fn writer(&self, key: &str) -> ApiResult<Writer> {
        let target = self.path(key)?;
        let folder = target.parent().map(Path::to_owned).unwrap_or_else(|| self.root.clone());
        tokio::fs::create_dir_all(&folder).await?;
        let temporary = folder.join(format!("{TEMPORARY}{}", crate::util::new_token()));
        let file = tokio::fs::File::create(&temporary).await?;
        Ok(Writer { file: Some(tokio::io::BufWriter::with_capacity(1 << 20, file)), temporary, target, folder })
    }

    pub async fn stream(&self, key: &str) -> ApiResult<ByteStream> {
        let file = tokio::fs::File::open(self.path(key)?).await?;
        Ok(ReaderStream::with_capacity(file, 256 * 1024).map(|piece| piece.map_err(ApiError::from)).boxed())
    }

    pub async fn read_range(&self, key: &str, range: Range<u64>) -> ApiResult<Bytes> {
        let path = self.path(key)?;
        blocking(move || {
            let mut file = std::fs::File::open(path)?;
            file.seek(SeekFrom::Start(range.start))?;
            let mut bytes = vec![0; range.end.saturating_sub(range.start) as usize];
            file.read_exact(&mut bytes)?;
            Ok(Bytes::from(bytes))
        })
        .await
    }

    pub async fn list(&self, prefix: &str) -> ApiResult<Vec<Listed>> {
        let (root, folder) = (self.root.clone(), self.path(prefix)?);
        blocking(move || {
            let mut found = Vec::new();
            walk(&root, &folder, &mut found)?;
            Ok(found)
        })
        .await
    }

    pub async fn delete(&self, key: &str) -> ApiResult<()> {
        match tokio::fs::remove_file(self.path(key)?).await {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e.into()),
            _ => Ok(()),
        }
    }

    pub async fn delete_all(&self, prefix: &str) -> ApiResult<()> {
        match tokio::fs::remove_dir_all(self.path(prefix)?).await {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e.into()),
            _ => Ok(()),
        }
    }

    /// A hard link: the same bytes under a second name, nothing copied.
    pub async fn copy(&self, from: &str, to: &str) -> ApiResult<()> {
        let (from, to) = (self.path(from)?, self.path(to)?);
        blocking(move || {
            let folder = to.parent().map(Path::to_owned).unwrap_or_default();
            std::fs::create_dir_all(&folder)?;
            std::fs::hard_link(&from, &to)?;
            std::fs::File::open(&folder)?.sync_all()?;
            Ok(())
        })
        .await
    }
}

/// Every file below `folder` (none if it does not exist), keyed by its path from `root`.
fn walk(root: &Path, folder: &Path, found: &mut Vec<Listed>) -> ApiResult<()> {
    let entries = match std::fs::read_dir(folder) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        entries => entries?,
    };
    for entry in entries {
        let entry = entry?;
        let meta = entry.metadata()?;
        let path = entry.path();
        if meta.is_dir() {
            walk(root, &path, found)?;
            continue;
        }
        let Some(key) = path.strip_prefix(root).ok().and_then(|p| p.to_str()) else { continue };
        found.push(Listed {
            key: key.replace(std::path::MAIN_SEPARATOR, "/"),
            size: meta.len(),
            modified: meta.modified().map(Into::into).unwrap_or_else(|_| chrono::Utc::now()),
        });
    }
    Ok(())
}

async fn blocking<T: Send + 'static>(f: impl FnOnce() -> ApiResult<T> + Send + 'static) -> ApiResult<T> {
    tokio::task::spawn_blocking(f).await.map_err(|e| ApiError::Internal(format!("file task: {e}")))?
}

pub struct Writer {
    /// `None` once committed or aborted.
    file: Option<tokio::io::BufWriter<tokio::fs::File>>,
    temporary: PathBuf,
    target: PathBuf,
    folder: PathBuf,
}

impl Writer {
    pub async fn write(&mut self, bytes: &[u8]) -> ApiResult<()> {
        match &mut self.file {
            Some(file) => Ok(file.write_all(bytes).await?),
            None => Err(ApiError::Internal("a write after the object was committed".into())),
        }
    }

    pub async fn commit(mut self) -> ApiResult<()> {
        let Some(mut file) = self.file.take() else {
            return Err(ApiError::Internal("an object committed twice".into()));
        };
        file.flush().await?;
        file.get_mut().sync_data().await?;
        drop(file);
        tokio::fs::rename(&self.temporary, &self.target).await?;
        let folder = self.folder.clone();
        blocking(move || Ok(std::fs::File::open(folder)?.sync_all()?)).await
    }

    pub async fn abort(mut self) {
        self.file = None;
        if let Err(error) = tokio::fs::remove_file(&self.temporary).await {
            tracing::warn!(%error, file = %self.temporary.display(), "a temporary file stays until the next start");
        }
    }
}

impl Drop for Writer {
    /// A writer dropped mid-way (its task failed) leaves no temporary file behind.
    fn drop(&mut self) {
        if self.file.is_some() {
            let _ = std::fs::remove_file(&self.temporary);
        }
    }
}
