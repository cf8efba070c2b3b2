//! `cargo xtask <command>`: the project's dev commands, so a fresh machine needs nothing but
//! rustup and this repository.
//!
//! - `serve`: install what is missing, build the portal (release) and run the whole product.
//! - `test`: every check CI runs, ending with one `N passed, N failed, N skipped` line
//!   (`--only contract,client` runs some phases; their keys are in test.rs).
//! - `bench`: measurements (API at 10,000 cases, asset sizes) into bench/report.md.
//! - `build`: the release build of the portal into dist/.
//! - `with-s3 COMMAND…`: runs a command beside a real S3 server (moto), its bucket named in
//!   `PORTAL_TEST_OBJECT_STORE`, e.g. the API tests with every file in S3.

mod bench;
mod build;
mod contract_check;
mod http;
mod postgres;
mod run;
mod s3;
mod serve;
mod split;
mod summary;
mod test;
mod tools;

use std::path::PathBuf;
use std::process::ExitCode;

/// The repository root (xtask lives one level below it).
pub fn root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.parent().map(PathBuf::from).unwrap_or(manifest)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve::serve(&args[1..]),
        Some("test") => test::test(&args[1..]),
        Some("bench") => bench::bench(&args[1..]),
        Some("build") => tools::ensure_build_tools().and_then(|()| build::portal()),
        Some("with-s3") => s3::with_s3(&args[1..]),
        _ => {
            eprintln!(
                "usage: cargo xtask <serve [--addr HOST:PORT] | test [--skip-e2e] [--only KEY,…] | bench [--only api|email|backends] | build | with-s3 COMMAND…>"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("xtask: {error}");
            ExitCode::FAILURE
        }
    }
}
