//! Reading and writing the domain in SQLite. Functions take a connection (or transaction) so
//! callers decide what runs atomically together.

pub mod accounts;
pub mod attachments;
pub mod cases;
pub mod idempotency;
pub mod information_requests;
pub mod invitations;
pub mod members;
pub mod participants;
pub mod password_resets;
pub mod resolution;
pub mod sessions;
pub mod tams;
pub mod upload_leases;
pub mod uploads;
