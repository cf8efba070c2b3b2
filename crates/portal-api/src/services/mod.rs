//! What the API does to a case, whichever door it came in by (HTTP or inbound email). Each
//! runs inside the caller's transaction, so a case and the events it records commit together
//! or not at all; the doors keep what is theirs (parsing, idempotency, rate limits, answers).

pub mod cases;
pub mod information_requests;
