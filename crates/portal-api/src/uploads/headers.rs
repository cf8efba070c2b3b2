//! The tus request headers, parsed strictly, and the download headers, written safely.

use crate::error::{ApiError, ApiResult};
use axum::http::HeaderMap;
use base64::Engine as _;
use portal_contract::TUS_VERSION;
use std::collections::HashMap;

pub fn require_tus_version(headers: &HeaderMap) -> ApiResult<()> {
    match headers.get("tus-resumable").and_then(|v| v.to_str().ok()) {
        Some(TUS_VERSION) => Ok(()),
        _ => Err(ApiError::UnsupportedTusVersion),
    }
}

/// A non-negative integer header (`Upload-Length`, `Upload-Offset`).
pub fn number(headers: &HeaderMap, name: &'static str) -> ApiResult<u64> {
    let value = headers.get(name).ok_or_else(|| ApiError::BadRequest("header_missing", format!("send {name}")))?;
    value
        .to_str()
        .ok()
        .filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| ApiError::BadRequest("header_invalid", format!("{name} must be a non-negative integer")))
}

/// `Upload-Metadata`: comma-separated `key base64value` pairs (the value may be absent).
pub fn metadata(headers: &HeaderMap) -> ApiResult<HashMap<String, String>> {
    let Some(raw) = headers.get("upload-metadata") else { return Ok(HashMap::new()) };
    let raw =
        raw.to_str().map_err(|_| ApiError::BadRequest("metadata_invalid", "Upload-Metadata must be ASCII".into()))?;
    let mut out = HashMap::new();
    for pair in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once(' ').unwrap_or((pair, ""));
        let bytes = base64::engine::general_purpose::STANDARD.decode(value.trim()).map_err(|_| {
            ApiError::BadRequest("metadata_invalid", format!("the Upload-Metadata value of {key} is not base64"))
        })?;
        out.insert(key.to_owned(), String::from_utf8_lossy(&bytes).into_owned());
    }
    Ok(out)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Algorithm {
    Sha1,
    Sha256,
}

/// `Upload-Checksum: <algorithm> <base64 digest>`, when the client sent one.
pub fn checksum(headers: &HeaderMap) -> ApiResult<Option<(Algorithm, Vec<u8>)>> {
    let Some(raw) = headers.get("upload-checksum") else { return Ok(None) };
    let bad = || ApiError::BadRequest("checksum_invalid", "Upload-Checksum must be '<algorithm> <base64>'".into());
    let (name, digest) = raw.to_str().ok().and_then(|v| v.trim().split_once(' ')).ok_or_else(bad)?;
    let algorithm = match name.to_ascii_lowercase().as_str() {
        "sha1" => Algorithm::Sha1,
        "sha256" => Algorithm::Sha256,
        other => {
            return Err(ApiError::BadRequest(
                "checksum_algorithm_unsupported",
                format!("{other} is not supported; use sha1 or sha256"),
            ));
        }
    };
    let digest = base64::engine::general_purpose::STANDARD.decode(digest.trim()).map_err(|_| bad())?;
    Ok(Some((algorithm, digest)))
}

/// RFC 6266: an ASCII `filename` for old clients and the exact name in `filename*`.
pub fn content_disposition(file_name: &str) -> String {
    let fallback: String = file_name
        .chars()
        .map(|c| if c.is_ascii_graphic() && !matches!(c, '"' | '\\' | '%') || c == ' ' { c } else { '_' })
        .collect();
    let mut encoded = String::new();
    for b in file_name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn metadata_pairs_decode_and_values_may_be_absent() {
        let mut h = HeaderMap::new();
        h.insert(
            "upload-metadata",
            HeaderValue::from_static("filename Ym91bmNlcy5sb2c=,is_confidential, case_id Y2FzZV8x"),
        );
        let m = metadata(&h).expect("valid");
        assert_eq!(m["filename"], "bounces.log");
        assert_eq!(m["is_confidential"], "");
        assert_eq!(m["case_id"], "case_1");
        h.insert("upload-metadata", HeaderValue::from_static("filename ***"));
        assert!(metadata(&h).is_err());
    }

    #[test]
    fn numbers_are_strict() {
        let mut h = HeaderMap::new();
        for bad in ["-1", "1.5", "", " 3", "0x10"] {
            h.insert("upload-offset", HeaderValue::from_str(bad).expect("header"));
            assert!(number(&h, "upload-offset").is_err(), "{bad:?}");
        }
        h.insert("upload-offset", HeaderValue::from_static("42"));
        assert_eq!(number(&h, "upload-offset").ok(), Some(42));
    }

    #[test]
    fn checksums_name_a_supported_algorithm() {
        let mut h = HeaderMap::new();
        h.insert("upload-checksum", HeaderValue::from_static("sha1 Kq5sNclPz7QV2+lfQIuc6R7oRu0="));
        assert_eq!(checksum(&h).expect("ok").map(|c| (c.0, c.1.len())), Some((Algorithm::Sha1, 20)));
        h.insert("upload-checksum", HeaderValue::from_static("md5 AAAA"));
        assert!(matches!(checksum(&h), Err(ApiError::BadRequest("checksum_algorithm_unsupported", _))));
    }

    #[test]
    fn disposition_has_an_ascii_fallback_and_the_exact_name() {
        assert_eq!(
            content_disposition("réponse \"finale\".pdf"),
            "attachment; filename=\"r_ponse _finale_.pdf\"; filename*=UTF-8''r%C3%A9ponse%20%22finale%22.pdf"
        );
    }
}
