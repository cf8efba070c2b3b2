//! The pure parts of the tus client: metadata encoding, chunk sizing and retry timing. Tested
//! natively; `queue.rs` drives them against the API client.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with padding, as `Upload-Metadata` values are written. Small enough that
/// pulling in a crate for it would cost more wasm than it saves.
pub fn base64(input: &[u8]) -> String {
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// `Upload-Metadata`: `key base64(value)` pairs, comma-separated; empty values are left out.
pub fn metadata(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k} {}", base64(v.as_bytes())))
        .collect::<Vec<_>>()
        .join(",")
}

/// The first chunk: small, so the first progress shows quickly on any connection.
pub const FIRST_CHUNK: u64 = 256 * 1024;
/// How long one chunk should take: long enough to amortise a request, short enough that the
/// progress bar moves and a failure loses little.
const TARGET_CHUNK_MS: f64 = 1_500.0;

/// The next chunk size from how long the last one took, within `[FIRST_CHUNK / 4, max]`, and at
/// most four times bigger than the last so one fast chunk does not overshoot.
pub fn next_chunk_size(last: u64, elapsed_ms: f64, max: u64) -> u64 {
    let floor = (FIRST_CHUNK / 4).min(max);
    if elapsed_ms <= 0.0 {
        return (last * 4).clamp(floor, max);
    }
    let ideal = (last as f64 * TARGET_CHUNK_MS / elapsed_ms) as u64;
    ideal.min(last * 4).clamp(floor, max)
}

/// How many times a chunk is retried before the file is marked failed (with "Retry").
pub const MAX_ATTEMPTS: u32 = 8;

/// Capped exponential backoff with jitter: 0.5 s, 1 s, 2 s … up to 30 s, each scaled by a
/// factor in [0.5, 1.0) from `jitter` in [0, 1), so many clients do not retry in step.
pub fn backoff_ms(attempt: u32, jitter: f64) -> u32 {
    let base = 500u64.saturating_mul(1 << attempt.min(6)).min(30_000);
    (base as f64 * (0.5 + jitter.clamp(0.0, 0.999) / 2.0)) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_standard_alphabet_and_padding() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64("réponse.log".as_bytes()), "csOpcG9uc2UubG9n");
        assert_eq!(base64(&[0xfb, 0xff]), "+/8=");
    }

    #[test]
    fn metadata_skips_empty_values() {
        assert_eq!(metadata(&[("filename", "a.log"), ("information_request_id", "")]), "filename YS5sb2c=");
    }

    #[test]
    fn chunks_grow_towards_the_target_time_within_bounds() {
        let max = 8 << 20;
        assert_eq!(next_chunk_size(FIRST_CHUNK, 100.0, max), FIRST_CHUNK * 4, "growth is capped at 4x");
        assert_eq!(next_chunk_size(4 << 20, 10.0, max), max);
        assert_eq!(next_chunk_size(1 << 20, 3_000.0, max), 512 * 1024, "a slow chunk halves");
        assert_eq!(next_chunk_size(1 << 20, 600_000.0, max), FIRST_CHUNK / 4, "never below the floor");
        assert_eq!(next_chunk_size(FIRST_CHUNK, 0.0, 100_000), 100_000, "never above the server's maximum");
    }

    #[test]
    fn backoff_doubles_is_capped_and_jittered() {
        assert_eq!(backoff_ms(0, 0.0), 250);
        assert_eq!(backoff_ms(0, 0.999), 499);
        assert_eq!(backoff_ms(3, 0.0), 2_000);
        assert_eq!(backoff_ms(20, 0.0), 15_000);
        assert!(backoff_ms(20, 0.99) < 30_000);
    }
}
