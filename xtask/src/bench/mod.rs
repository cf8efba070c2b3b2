//! `cargo xtask bench`: measurements, not timed tests. It builds the release portal and API, then
//! runs each bench against its own release server and writes `bench/report.md` and
//! `bench/report.json` (`report.rs`).
//!
//! - `api.rs`: the API at 10,000 cases (`--demo --demo-large`), then `load.rs` against it.
//! - `backends.rs`: the same load on one PostgreSQL instance and on two behind a round-robin
//!   proxy (`proxy.rs`), beside the SQLite figure.
//! - `upload.rs`: a 1 GiB upload through tus beside plain `curl`, with the server's memory.
//! - `experience.rs`: sign-in, the long timeline, filtering and Lighthouse in Chromium.
//! - `assets.rs`: the size of every built asset and of the first load.
//! - `email.rs`: from an event to its email accepted by a local SMTP server, and the outbox's
//!   throughput, with the server's memory.

mod api;
mod assets;
mod backends;
mod email;
mod experience;
mod load;
mod proxy;
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

pub fn bench(args: &[String]) -> Result<ExitCode> {
    match args {
        [] => {}
        [flag, what] if flag == "--only" && what == "api" => return api_only(),
        [flag, what] if flag == "--only" && what == "email" => return email_only(),
        [flag, what] if flag == "--only" && what == "backends" => return backends_only(),
        [flag, what] if flag == "--only" && what == "upload-s3" => return upload_s3_only(),
        _ => return Err("usage: cargo xtask bench [--only api|email|backends|upload-s3]".into()),
    }
    ensure_build_tools()?;
    build::portal()?;
    status(cmd("cargo").args(["build", "--release", "-p", "portal-api"]))?;
    let (timings, load) = api::list_timings()?;
    let loads = with_postgres(load)?;
    let upload = upload::upload_bench()?;
    let upload_s3 = upload::upload_bench_s3()?;
    let experience = experience::experience_bench()?;
    let assets = assets::assets()?;
    let email = email::email_bench()?;
    report::write(&report::Results { timings, loads, upload, upload_s3, experience, assets, email })?;
    Ok(ExitCode::SUCCESS)
}

/// The SQLite figure first, then the PostgreSQL ones.
fn with_postgres(on_sqlite: load::Load) -> Result<Vec<backends::Setup>> {
    let mut loads = vec![backends::Setup { name: "1 instance, SQLite".into(), load: on_sqlite }];
    loads.extend(backends::on_postgres()?);
    Ok(loads)
}

/// The upload through the object store, printed: the release `portal-api` already built.
fn upload_s3_only() -> Result<ExitCode> {
    println!("{}", report::upload_s3_line(&upload::upload_bench_s3()?));
    Ok(ExitCode::SUCCESS)
}

/// The load on every backend, printed: the release `portal-api` already built.
fn backends_only() -> Result<ExitCode> {
    let (_, load) = api::list_timings()?;
    for setup in with_postgres(load)? {
        println!("{}: {}", setup.name, setup.load.summary());
    }
    Ok(ExitCode::SUCCESS)
}

/// The API at 10,000 cases and the load on it, printed rather than written into the report:
/// for comparing one change to the server before and after. It runs the release `portal-api`
/// already built (`cargo build --release -p portal-api`), so a build of another revision can be
/// measured too.
fn api_only() -> Result<ExitCode> {
    let (timings, load) = api::list_timings()?;
    for t in &timings {
        println!("{}: median {:.1} ms, p95 {:.1} ms", t.name, t.median_ms, t.p95_ms);
    }
    println!("load: {}", load.summary());
    Ok(ExitCode::SUCCESS)
}

/// The email figures alone, printed: they need only the release API, which this builds.
fn email_only() -> Result<ExitCode> {
    status(cmd("cargo").args(["build", "--release", "-p", "portal-api"]))?;
    println!("{}", email::summary(&email::email_bench()?));
    Ok(ExitCode::SUCCESS)
}
