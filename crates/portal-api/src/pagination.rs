//! Opaque cursors for keyset pagination: the sort key and id of the last row a page showed.

use crate::error::ApiError;
use base64::Engine as _;
use portal_contract::{DEFAULT_LIMIT, MAX_LIMIT};

pub fn limit(requested: Option<u32>) -> Result<u32, ApiError> {
    match requested {
        None => Ok(DEFAULT_LIMIT),
        Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        Some(_) => Err(ApiError::field("limit", "out_of_range", "must be between 1 and 100")),
    }
}

pub fn encode(parts: &[String]) -> String {
    let json = serde_json::to_vec(parts).unwrap_or_default();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json)
}

/// The parts of a cursor, which must number `expected` (a cursor of another sort is refused).
pub fn decode(cursor: &str, expected: usize) -> Result<Vec<String>, ApiError> {
    let invalid = || ApiError::field("cursor", "invalid_cursor", "is not a cursor this list gave out");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(cursor).map_err(|_| invalid())?;
    let parts: Vec<String> = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
    if parts.len() == expected { Ok(parts) } else { Err(invalid()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_garbage() {
        let parts = vec!["2026-11-25T10:00:00.000000Z".to_owned(), "case_1".to_owned()];
        assert_eq!(decode(&encode(&parts), 2).ok(), Some(parts.clone()));
        assert!(decode(&encode(&parts), 3).is_err());
        assert!(decode("!!", 2).is_err());
        assert!(decode("bm90IGpzb24", 2).is_err());
    }

    #[test]
    fn limits_are_bounded() {
        assert_eq!(limit(None).ok(), Some(25));
        assert_eq!(limit(Some(100)).ok(), Some(100));
        assert!(limit(Some(0)).is_err());
        assert!(limit(Some(101)).is_err());
    }
}
