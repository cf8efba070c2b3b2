//! The portal-api integration tests: one binary (the crate links once), one module per subject, over real HTTP against a real SQLite file (`common`). The connection tests (`tests/connections.rs`, timeouts of a second or two) are their own binary so they never share the two cores with this suite.

mod authorization;
mod case_rate_limit;
mod cases;
mod common;
mod contract;
mod credentials;
mod durability;
mod email_loop;
mod first_response;
mod inbound;
mod inbound_reply;
mod information_requests;
mod notification_settings;
mod outbox;
mod participants;
mod password_resets;
mod resolution;
mod served;
mod session;
mod sign_in_throttling;
mod smtp;
mod tam;
mod tus;
mod upload_types;
mod worklist;
