//! The portal-api integration tests: one binary (the crate links once), one module per subject, over real HTTP against a real SQLite file (`common`).

mod authorization;
mod case_rate_limit;
mod common;
mod connections;
mod contract;
mod credentials;
mod durability;
mod endpoints;
mod inbound;
mod information_requests;
mod resolution;
mod sign_in_throttling;
mod tam;
mod tus;
mod upload_types;
