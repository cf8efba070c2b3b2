//! The entry points: the standalone app with its routes, the two ways into a host page
//! (mounted and framed), and the pages fetched on demand.

pub mod app;
pub mod embed;
pub mod on_demand;
