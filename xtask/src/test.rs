//! `cargo xtask test`: formatting, lints, native unit and API tests, the published contract
//! checked from outside (schemathesis, a generated client), wasm component tests in headless
//! Chromium, then the Playwright journeys against the release build. The API tests run twice:
//! on SQLite and the data dir, then on PostgreSQL and S3 (with the two-instance and object-store
//! tests). Every phase runs even when an earlier one fails, so one run shows everything that is
//! wrong; a phase that runs no test fails, since it proves nothing. `--only KEY[,KEY…]` runs some
//! phases (keys below).

use crate::postgres::Postgres;
use crate::run::{Result, tee};
use crate::s3;
use crate::summary::{self, Tally};
use crate::tools::{
    CHROMEDRIVER, CHROMIUM, cmd, ensure_browser, ensure_build_tools, ensure_node_modules, ensure_smtp_catcher,
    target_dir,
};
use crate::{build, contract_check, root};
use std::process::ExitCode;

struct Phase {
    name: &'static str,
    ok: bool,
    tally: Tally,
}

type Run = Box<dyn FnOnce(&[Phase]) -> Result<(bool, Tally)>>;

/// A phase's key for `--only`, its name in the summary, and how to run it (given the phases
/// before it).
fn plan(skip_e2e: bool) -> Vec<(&'static str, &'static str, Run)> {
    let mut steps: Vec<(&'static str, &'static str, Run)> = vec![
        ("format", "format", Box::new(|_| checked(cmd("cargo").args(["fmt", "--all", "--check"])))),
        (
            "clippy",
            "clippy",
            Box::new(|_| {
                checked(cmd("cargo").args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]))
            }),
        ),
        (
            "native",
            "native unit and API tests",
            Box::new(|_| {
                // The API tests deliver email to a real SMTP server, started from these.
                let (python, script) = ensure_smtp_catcher()?;
                // The two-instance, object-store and outage tests need the shared database and the S3
                // server of the next phase.
                cargo_tests(
                    cmd("cargo")
                        .args(["test", "--workspace", "--tests", "--no-fail-fast", "--"])
                        .args(["--skip", "two_instances::", "--skip", "object_store::", "--skip", "postgres_outage::"])
                        .env("SMTP_CATCHER_PYTHON", python)
                        .env("SMTP_CATCHER_SCRIPT", script),
                )
            }),
        ),
        ("postgres", "API on PostgreSQL + S3", Box::new(|_| api_on_postgres())),
        ("contract", "OpenAPI conformance (schemathesis)", Box::new(|_| contract_check::schemathesis())),
        ("client", "generated OpenAPI client", Box::new(|_| contract_check::generated_client())),
        (
            "wasm",
            "wasm component tests (headless Chromium)",
            Box::new(|_| {
                cargo_tests(
                    cmd("cargo")
                        .args(["test", "-p", "bird-portal", "--target", "wasm32-unknown-unknown", "--tests"])
                        .arg("--no-fail-fast")
                        .env("CHROMEDRIVER", CHROMEDRIVER),
                )
            }),
        ),
    ];
    if !skip_e2e {
        steps.push((
            "build",
            "release build of the portal",
            Box::new(|_| build::portal().map(|_| (true, Tally::default()))),
        ));
        steps.push((
            "e2e",
            "Playwright journeys",
            Box::new(|before: &[Phase]| {
                let built = before.iter().any(|p| p.name == "release build of the portal" && p.ok);
                if built { playwright() } else { Err("skipped: the build failed or did not run".into()) }
            }),
        ));
    }
    steps
}

/// The API suite again with every server on PostgreSQL (a fresh database each, in a cluster
/// started for this phase and deleted after it) keeping its files in S3 (a folder each in the
/// bucket of a moto server started beside it), and the two-instance and object-store tests,
/// which run only here. Both servers stop when this returns, whatever the tests did.
fn api_on_postgres() -> Result<(bool, Tally)> {
    let (python, script) = ensure_smtp_catcher()?;
    let postgres = Postgres::start()?;
    let s3 = s3::start()?;
    cargo_tests(
        s3.apply(
            cmd("cargo")
                .args(["test", "-p", "portal-api", "--test", "api", "--no-fail-fast"])
                .env("PORTAL_TEST_DATABASE_URL", postgres.admin_url())
                .env("SMTP_CATCHER_PYTHON", python)
                .env("SMTP_CATCHER_SCRIPT", script),
        ),
    )
}

fn run_phase(name: &'static str, run: Run, before: &[Phase]) -> Phase {
    println!("\n==> {name}");
    match run(before) {
        Ok((ok, tally)) => Phase { name, ok, tally },
        Err(error) => {
            eprintln!("{name}: {error}");
            Phase { name, ok: false, tally: Tally::default() }
        }
    }
}

/// A check that runs no tests (format, lints): its exit status is its result.
fn checked(command: &mut std::process::Command) -> Result<(bool, Tally)> {
    tee(command).map(|(ok, _)| (ok, Tally::default()))
}

fn cargo_tests(command: &mut std::process::Command) -> Result<(bool, Tally)> {
    tee(command).map(|(ok, out)| {
        let tally = summary::cargo(&out);
        if !tally.ran_any() {
            eprintln!("no test ran");
        }
        (ok && tally.failed == 0 && tally.ran_any(), tally)
    })
}

/// The keys `--only a,b` names; empty when every phase runs.
fn only(args: &[String]) -> Vec<String> {
    args.windows(2)
        .filter(|pair| pair[0] == "--only")
        .flat_map(|pair| pair[1].split(',').map(str::to_owned).collect::<Vec<_>>())
        .collect()
}

pub fn test(args: &[String]) -> Result<ExitCode> {
    let skip_e2e = args.iter().any(|a| a == "--skip-e2e");
    let only = only(args);
    let steps: Vec<_> =
        plan(skip_e2e).into_iter().filter(|(key, _, _)| only.is_empty() || only.iter().any(|o| o == key)).collect();
    if steps.is_empty() {
        return Err(format!("--only names no phase: {only:?}"));
    }
    if steps.iter().any(|(key, _, _)| ["wasm", "build", "e2e"].contains(key)) {
        ensure_build_tools()?;
        ensure_browser()?;
    } else if steps.iter().any(|(key, _, _)| *key == "client") {
        ensure_node_modules()?;
    }
    let mut phases: Vec<Phase> = Vec::new();
    for (_, name, run) in steps {
        let phase = run_phase(name, run, &phases);
        phases.push(phase);
    }
    Ok(report(&phases))
}

fn report(phases: &[Phase]) -> ExitCode {
    let mut total = Tally::default();
    println!("\n==> summary");
    for p in phases {
        total += p.tally;
        let Tally { passed, failed, skipped } = p.tally;
        let verdict = if p.ok { "ok" } else { "FAILED" };
        println!("{:<45} {verdict:<6} {passed} passed, {failed} failed, {skipped} skipped", p.name);
    }
    // A phase that fails without a test failing (a build error, a lint, no test run) still
    // counts as one.
    let failed_phases = phases.iter().filter(|p| !p.ok).count() as u64;
    let failed = total.failed.max(failed_phases);
    // CI reads this last line: it must start with "N passed, N failed".
    println!("{} passed, {failed} failed, {} skipped", total.passed, total.skipped);
    if phases.iter().all(|p| p.ok) { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

fn playwright() -> Result<(bool, Tally)> {
    // The API binary the journeys run against: the debug build the API tests already made.
    tee(cmd("cargo").args(["build", "-p", "portal-api"]))?;
    let e2e = root().join("end2end");
    let report = e2e.join("test-results/report.json");
    let _ = std::fs::remove_file(&report);
    // The colleagues' journeys read their emails from a real SMTP server (playwright.config.ts).
    let (python, script) = ensure_smtp_catcher()?;
    let (ok, _) = tee(cmd("npx")
        .current_dir(&e2e)
        .args(["playwright", "test"])
        .env("SMTP_CATCHER_PYTHON", python)
        .env("SMTP_CATCHER_SCRIPT", script)
        .env("PORTAL_API_BIN", target_dir().join("debug/portal-api"))
        .env("PORTAL_DIST", root().join("dist"))
        .env("CHROMIUM_PATH", CHROMIUM)
        .env("PLAYWRIGHT_JSON_OUTPUT_NAME", &report))?;
    let tally = std::fs::read_to_string(&report).ok().and_then(|r| summary::playwright(&r)).unwrap_or_default();
    Ok((ok && tally.failed == 0 && tally.ran_any(), tally))
}

#[cfg(test)]
mod tests {
    use super::only;

    #[test]
    fn only_names_phases_by_key_repeated_or_comma_separated() {
        let args: Vec<String> =
            ["--only", "contract,client", "--skip-e2e", "--only", "native"].map(String::from).into();
        assert_eq!(only(&args), ["contract", "client", "native"]);
        assert!(only(&["--skip-e2e".to_owned()]).is_empty());
    }
}
