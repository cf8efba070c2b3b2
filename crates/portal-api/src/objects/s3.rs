//! Objects in an S3-compatible bucket, through the `object_store` crate:
//! `--object-store s3://bucket[/prefix]?endpoint=http://host:port&region=r`, credentials from
//! `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` (and `AWS_SESSION_TOKEN` if set).
//!
//! Requests are bounded (a few quick retries, timeouts of seconds), so a store that is down
//! answers 503 soon instead of holding requests for minutes. Reads go by ranges of a few MiB,
//! each its own request, so a slow download never outlives a request's timeout.

use super::{ByteStream, Listed, checked, unavailable};
use crate::error::{ApiError, ApiResult};
use bytes::Bytes;
use futures_util::{StreamExt, TryStreamExt};
use object_store::aws::AmazonS3Builder;
use object_store::buffered::BufWriter;
use object_store::path::Path;
use object_store::{BackoffConfig, ClientOptions, ObjectStore, RetryConfig};
use std::ops::Range;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::AsyncWriteExt;

const FLAG: &str = "--object-store";
const SHAPE: &str = "s3://bucket?endpoint=http://host:port&region=r";

/// What one request reads, and what a writer holds before it sends a part (S3's parts are at
/// least 5 MiB).
const PIECE: u64 = 8 * 1024 * 1024;

/// S3's limit for a copy in one request.
pub const LARGEST_COPY: u64 = 5 * 1024 * 1024 * 1024;

pub struct S3 {
    store: Arc<dyn ObjectStore>,
    /// Prepended to every key: `prefix/` or empty.
    prefix: String,
}

impl S3 {
    /// The store `url` names; the error names the flag and what is wrong. Nothing is sent.
    pub fn open(url: &str) -> Result<S3, String> {
        let bad = |what: String| format!("{FLAG} {url}: {what}; expected {SHAPE}");
        let parsed = url::Url::parse(url).map_err(|e| bad(format!("not a URL ({e})")))?;
        if parsed.scheme() != "s3" {
            return Err(bad(format!("the scheme is {}, not s3", parsed.scheme())));
        }
        let bucket = parsed.host_str().filter(|b| !b.is_empty()).ok_or_else(|| bad("no bucket".into()))?;
        let prefix = parsed.path().trim_matches('/');
        if !prefix.is_empty() {
            checked(prefix).map_err(|_| bad(format!("the prefix {prefix:?} is not a plain path")))?;
        }
        let (mut endpoint, mut region) = (None, None);
        for (name, value) in parsed.query_pairs() {
            match name.as_ref() {
                "endpoint" => endpoint = Some(value.into_owned()),
                "region" => region = Some(value.into_owned()),
                other => return Err(bad(format!("unknown parameter {other:?} (endpoint and region are known)"))),
            }
        }
        let mut builder = AmazonS3Builder::from_env()
            .with_bucket_name(bucket)
            .with_region(region.unwrap_or_else(|| "us-east-1".to_owned()))
            .with_virtual_hosted_style_request(false)
            .with_retry(RetryConfig {
                backoff: BackoffConfig {
                    init_backoff: Duration::from_millis(100),
                    max_backoff: Duration::from_secs(1),
                    base: 2.0,
                },
                max_retries: 2,
                retry_timeout: Duration::from_secs(10),
            })
            .with_client_options(
                ClientOptions::new().with_connect_timeout(Duration::from_secs(2)).with_timeout(Duration::from_secs(60)),
            );
        if let Some(endpoint) = endpoint {
            let scheme = url::Url::parse(&endpoint).map(|e| e.scheme().to_owned());
            match scheme.as_deref() {
                Ok("http") => builder = builder.with_allow_http(true),
                Ok("https") => {}
                _ => return Err(bad(format!("the endpoint {endpoint:?} is not an http(s) URL"))),
            }
            builder = builder.with_endpoint(endpoint);
        }
        let credential = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        // Without both, object_store would ask the cloud's metadata address for credentials.
        if credential("AWS_ACCESS_KEY_ID").is_none() || credential("AWS_SECRET_ACCESS_KEY").is_none() {
            return Err(format!("{FLAG} needs the credentials in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"));
        }
        let store = builder.build().map_err(|e| bad(e.to_string()))?;
        let prefix = if prefix.is_empty() { String::new() } else { format!("{prefix}/") };
        Ok(S3 { store: Arc::new(store), prefix })
    }

    fn path(&self, key: &str) -> ApiResult<Path> {
        let key = checked(key)?;
        Ok(Path::from(format!("{}{}", self.prefix, key.trim_end_matches('/'))))
    }

    pub fn writer(&self, key: &str) -> Writer {
        let target = self.path(key);
        Writer {
            upload: target
                .map(|path| BufWriter::with_capacity(self.store.clone(), path, PIECE as usize).with_max_concurrency(2)),
        }
    }

    pub fn stream(&self, key: &str, size: u64) -> ApiResult<ByteStream> {
        let (store, path) = (self.store.clone(), self.path(key)?);
        let starts = (0..size).step_by(PIECE as usize);
        Ok(futures_util::stream::iter(starts)
            .then(move |start| {
                let (store, path) = (store.clone(), path.clone());
                async move { store.get_range(&path, start..(start + PIECE).min(size)).await.map_err(unavailable) }
            })
            .boxed())
    }

    pub async fn read_range(&self, key: &str, range: Range<u64>) -> ApiResult<Bytes> {
        self.store.get_range(&self.path(key)?, range).await.map_err(unavailable)
    }

    pub async fn list(&self, prefix: &str) -> ApiResult<Vec<Listed>> {
        let found: Vec<_> = self.store.list(Some(&self.path(prefix)?)).try_collect().await.map_err(unavailable)?;
        Ok(found
            .into_iter()
            .filter_map(|meta| {
                let key = meta.location.as_ref().strip_prefix(&self.prefix)?.to_owned();
                Some(Listed { key, size: meta.size, modified: meta.last_modified })
            })
            .collect())
    }

    pub async fn delete(&self, key: &str) -> ApiResult<()> {
        match self.store.delete(&self.path(key)?).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(unavailable(e)),
        }
    }

    /// A copy made by the store (CopyObject), the bytes never passing through here.
    pub async fn copy(&self, from: &str, to: &str) -> ApiResult<()> {
        self.store.copy(&self.path(from)?, &self.path(to)?).await.map_err(unavailable)
    }
}

/// A small object is sent in one request when committed; a larger one as a multipart upload
/// whose parts go out as they fill, completed on commit.
pub struct Writer {
    upload: ApiResult<BufWriter>,
}

impl Writer {
    fn upload(&mut self) -> ApiResult<&mut BufWriter> {
        self.upload.as_mut().map_err(|e| ApiError::Internal(e.to_string()))
    }

    pub async fn write(&mut self, bytes: Bytes) -> ApiResult<()> {
        self.upload()?.put(bytes).await.map_err(unavailable)
    }

    pub async fn commit(mut self) -> ApiResult<()> {
        let upload = self.upload()?;
        if let Err(error) = upload.shutdown().await {
            tracing::warn!(%error, "completing an object failed");
            return Err(ApiError::Unavailable(super::UNAVAILABLE));
        }
        Ok(())
    }

    pub async fn abort(mut self) {
        if let Ok(upload) = self.upload()
            && let Err(error) = upload.abort().await
        {
            tracing::warn!(%error, "an unfinished multipart upload stays in the bucket");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bad_flag_says_what_is_wrong_and_names_the_flag() {
        for (url, says) in [
            ("not a url", "not a URL"),
            ("http://bucket", "not s3"),
            ("s3://?region=x", "no bucket"),
            ("s3://bucket?endpoint=http://h:1&colour=blue", "unknown parameter \"colour\""),
            ("s3://bucket?endpoint=ftp://h:1", "not an http(s) URL"),
        ] {
            let error = S3::open(url).err().unwrap_or_default();
            assert!(error.starts_with("--object-store ") && error.contains(says), "{url}: {error}");
        }
    }
}
