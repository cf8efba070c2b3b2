//! An unfinished upload's bytes: each `PATCH` keeps what it received as one object,
//! `uploads/<upload id>/<offset>` (the offset its bytes start at, zero-padded so keys sort as
//! offsets do). The acknowledged bytes are the chain of parts from offset 0, each starting where
//! the one before ended, up to the upload's offset in the database; a part off that chain is
//! from a request that never got its offset recorded, and is ignored (the next request at that
//! offset replaces it). Any instance can follow the chain: nothing depends on which one wrote.

use crate::error::{ApiError, ApiResult};
use crate::objects::{Listed, Objects};
use bytes::{Bytes, BytesMut};
use std::collections::BTreeMap;

/// The folder of one upload's parts.
pub fn folder(upload_id: &str) -> String {
    format!("uploads/{upload_id}/")
}

/// The key of the part whose bytes start at `offset`.
pub fn key(upload_id: &str, offset: u64) -> String {
    format!("uploads/{upload_id}/{offset:020}")
}

/// The upload a key under `uploads/` belongs to.
pub fn upload_of(key: &str) -> Option<&str> {
    key.strip_prefix("uploads/")?.split('/').next()
}

/// The parts holding the first `offset` bytes, in order. Acknowledged bytes that are gone (the
/// upload expired and was swept meanwhile) cannot be made up: that is `UploadExpired`.
pub async fn chain(objects: &Objects, upload_id: &str, offset: u64) -> ApiResult<Vec<Listed>> {
    if offset == 0 {
        return Ok(Vec::new());
    }
    let stored = objects.list(&folder(upload_id)).await?;
    follow(stored, offset).ok_or(ApiError::UploadExpired)
}

fn follow(stored: Vec<Listed>, offset: u64) -> Option<Vec<Listed>> {
    let by_start: BTreeMap<u64, Listed> = stored
        .into_iter()
        .filter_map(|part| {
            let start = part.key.rsplit('/').next()?.parse().ok()?;
            Some((start, part))
        })
        .collect();
    let mut chain = Vec::new();
    let mut at = 0;
    while at < offset {
        let part = by_start.get(&at).filter(|p| p.size > 0 && at + p.size <= offset)?;
        at += part.size;
        chain.push(part.clone());
    }
    Some(chain)
}

/// The first `n` bytes of the chain (fewer if it holds fewer).
pub async fn first_bytes(objects: &Objects, chain: &[Listed], n: u64) -> ApiResult<Bytes> {
    let mut bytes = BytesMut::new();
    for part in chain {
        let wanted = (n - bytes.len() as u64).min(part.size);
        if wanted == 0 {
            break;
        }
        bytes.extend_from_slice(&objects.read_range(&part.key, 0..wanted).await?);
    }
    Ok(bytes.freeze())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(upload: &str, start: u64, size: u64) -> Listed {
        Listed { key: key(upload, start), size, modified: chrono::Utc::now() }
    }

    fn starts(chain: Option<Vec<Listed>>) -> Option<Vec<u64>> {
        chain.map(|c| c.iter().map(|p| p.key.rsplit('/').next().unwrap_or("").parse().unwrap_or(u64::MAX)).collect())
    }

    #[test]
    fn the_chain_follows_parts_from_zero_to_the_offset() {
        let stored = vec![part("u", 10, 5), part("u", 0, 10), part("u", 15, 7), part("u", 3, 99)];
        assert_eq!(starts(follow(stored.clone(), 15)), Some(vec![0, 10]), "the part at 15 is not acknowledged");
        assert_eq!(starts(follow(stored.clone(), 22)), Some(vec![0, 10, 15]));
        assert_eq!(starts(follow(stored.clone(), 12)), None, "no chain ends at 12");
        assert_eq!(starts(follow(vec![part("u", 10, 5)], 15)), None, "the first bytes are gone");
        assert_eq!(starts(follow(Vec::new(), 0)), Some(vec![]));
        let mut stray = part("u", 0, 4);
        stray.key = "uploads/u/.tmp-abc".into();
        assert_eq!(starts(follow(vec![stray, part("u", 0, 4)], 4)), Some(vec![0]), "temporary files are no parts");
    }

    #[test]
    fn keys_sort_as_offsets_and_name_their_upload() {
        assert!(key("upl_a", 9) < key("upl_a", 10));
        assert_eq!(upload_of(&key("upl_a", 9)), Some("upl_a"));
        assert_eq!(upload_of("uploads/upl_b/.tmp-x"), Some("upl_b"));
        assert_eq!(upload_of("attachments/att_x"), None);
    }
}
