//! `cargo xtask test`: formatting, lints, native unit and API tests, wasm component tests in
//! headless Chromium, then the Playwright journeys against the release build. Every phase runs
//! even when an earlier one fails, so one run shows everything that is wrong.

use crate::run::{Result, tee};
use crate::summary::{self, Tally};
use crate::tools::{CHROMEDRIVER, CHROMIUM, cmd, ensure_browser, ensure_build_tools};
use crate::{build, root};
use std::process::ExitCode;

struct Phase {
    name: &'static str,
    ok: bool,
    tally: Tally,
}

fn phase(name: &'static str, f: impl FnOnce() -> Result<(bool, Tally)>) -> Phase {
    println!("\n==> {name}");
    match f() {
        Ok((ok, tally)) => Phase { name, ok, tally },
        Err(error) => {
            eprintln!("{name}: {error}");
            Phase { name, ok: false, tally: Tally::default() }
        }
    }
}

fn checked(command: &mut std::process::Command) -> Result<(bool, Tally)> {
    tee(command).map(|(ok, _)| (ok, Tally::default()))
}

fn cargo_tests(command: &mut std::process::Command) -> Result<(bool, Tally)> {
    tee(command).map(|(ok, out)| {
        let tally = summary::cargo(&out);
        (ok && tally.failed == 0, tally)
    })
}

pub fn test(args: &[String]) -> Result<ExitCode> {
    let skip_e2e = args.iter().any(|a| a == "--skip-e2e");
    ensure_build_tools()?;
    ensure_browser()?;

    let mut phases = vec![
        phase("format", || checked(cmd("cargo").args(["fmt", "--all", "--check"]))),
        phase("clippy", || {
            checked(cmd("cargo").args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]))
        }),
        phase("native unit and API tests", || cargo_tests(cmd("cargo").args(["test", "--workspace", "--tests"]))),
        phase("wasm component tests (headless Chromium)", || {
            cargo_tests(
                cmd("cargo")
                    .args(["test", "-p", "bird-portal", "--target", "wasm32-unknown-unknown", "--tests"])
                    .env("CHROMEDRIVER", CHROMEDRIVER),
            )
        }),
    ];
    if !skip_e2e {
        phases.push(phase("release build of the portal", || build::portal().map(|_| (true, Tally::default()))));
        let built = phases.last().is_some_and(|p| p.ok);
        phases.push(phase("Playwright journeys", || {
            if built { playwright() } else { Err("skipped: the build failed".into()) }
        }));
    }

    let mut total = Tally::default();
    println!("\n==> summary");
    for p in &phases {
        total += p.tally;
        println!(
            "{:<45} {:<6} {} passed, {} failed",
            p.name,
            if p.ok { "ok" } else { "FAILED" },
            p.tally.passed,
            p.tally.failed
        );
    }
    let all_ok = phases.iter().all(|p| p.ok);
    // A phase that fails without a test failing (a build error, a lint) still counts as one.
    let failed_phases = phases.iter().filter(|p| !p.ok).count() as u64;
    let failed = total.failed.max(failed_phases);
    println!("{} passed, {} failed", total.passed, failed);
    Ok(if all_ok { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

fn playwright() -> Result<(bool, Tally)> {
    // The API binary the journeys run against: the debug build the API tests already made.
    tee(cmd("cargo").args(["build", "-p", "portal-api"]))?;
    let e2e = root().join("end2end");
    let report = e2e.join("test-results/report.json");
    let _ = std::fs::remove_file(&report);
    let (ok, _) = tee(cmd("npx")
        .current_dir(&e2e)
        .args(["playwright", "test"])
        .env("PORTAL_API_BIN", root().join("target/debug/portal-api"))
        .env("PORTAL_DIST", root().join("dist"))
        .env("CHROMIUM_PATH", CHROMIUM)
        .env("PLAYWRIGHT_JSON_OUTPUT_NAME", &report))?;
    let tally = std::fs::read_to_string(&report).ok().and_then(|r| summary::playwright(&r)).unwrap_or_default();
    Ok((ok && tally.failed == 0 && tally.passed > 0, tally))
}
