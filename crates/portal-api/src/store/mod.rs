//! Reading and writing the domain in SQLite. Functions take a connection (or transaction) so
//! callers decide what runs atomically together.

pub mod accounts;
pub mod cases;
pub mod resolution;
pub mod tams;
