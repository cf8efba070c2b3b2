//! `cargo xtask bench`: measurements, not timed tests. It builds the release portal and API, then
//! runs each bench against its own release server and writes `bench/report.md` and
//! `bench/report.json` (`report.rs`).
//!
//! - `api.rs`: the API at 10,000 cases (`--demo --demo-large`), then `load.rs` against it.
//! - `upload.rs`: a 1 GiB upload through tus beside plain `curl`, with the server's memory.
//! - `experience.rs`: sign-in, the long timeline, filtering and Lighthouse in Chromium.
//! - `assets.rs`: the size of every built asset and of the first load.

mod api;
mod assets;
mod experience;
mod load;
mod report;
mod server;
mod upload;

use crate::build;
use crate::run::{Result, status};
use crate::tools::{cmd, ensure_build_tools};
use std::process::ExitCode;

const ADDR: &str = "127.0.0.1:18181";

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((sorted.len() - 1) as f64 * p).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

pub fn bench() -> Result<ExitCode> {
    ensure_build_tools()?;
    build::portal()?;
    status(cmd("cargo").args(["build", "--release", "-p", "portal-api"]))?;
    let (timings, load) = api::list_timings()?;
    let upload = upload::upload_bench()?;
    let experience = experience::experience_bench()?;
    let assets = assets::assets()?;
    report::write(&report::Results { timings, load, upload, experience, assets })?;
    Ok(ExitCode::SUCCESS)
}
