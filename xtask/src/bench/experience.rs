//! The experience part of `cargo xtask bench`: Playwright in Debian's Chromium against the
//! release build (`end2end/bench/experience.bench.ts`): sign-in page to the account page with
//! cases shown over 10 cold loads, opening a case with 1,000 timeline events from the list,
//! filtering 10,000 cases as the person types beside a plain JavaScript page
//! (`end2end/bench/filter.ts`), and Lighthouse (desktop preset) on the account page, the case
//! list and a case page.

use crate::root;
use crate::run::Result;
use crate::tools::{CHROMIUM, cmd, ensure_browser};

pub struct Experience {
    /// In the page's clock: the sign-in form on screen after navigation start, plus submit
    /// to the first open case on screen (the person's typing, 50 ms a key, left out).
    pub sign_in_median_ms: f64,
    pub sign_in_form_median_ms: f64,
    pub sign_in_after_submit_median_ms: f64,
    /// Of those: the wasm received (streamed and compiled as it arrives) after navigation
    /// start, and the sign-in request (the server hashes the password with argon2id).
    pub sign_in_wasm_loaded_median_ms: f64,
    pub sign_in_request_median_ms: f64,
    /// The same journey on the wall clock around Playwright, its typing and polling included.
    pub sign_in_wall_median_ms: f64,
    pub sign_in_runs: usize,
    /// The same, the form filled at once by Playwright, in alternate runs.
    pub filled_at_once: FilledAtOnce,
    /// In the page's clock: the click on the case link to the last event on screen.
    pub timeline_median_ms: f64,
    pub timeline_wall_median_ms: f64,
    pub timeline_events: u64,
    pub filter: Filter,
    pub lighthouse: Vec<LighthouseRun>,
}

/// The sign-in journey with no time to type: the sign-in overlaps the page's post-load work.
pub struct FilledAtOnce {
    pub median_ms: f64,
    pub form_median_ms: f64,
    pub after_submit_median_ms: f64,
    pub sign_in_request_median_ms: f64,
}

/// Keystroke to updated rows in the case list, and in plain JavaScript doing the same work.
pub struct Filter {
    pub cases: u64,
    pub query: String,
    pub keystrokes: u64,
    pub portal_median_ms: f64,
    pub portal_p95_ms: f64,
    pub baseline_median_ms: f64,
    pub baseline_p95_ms: f64,
}

/// Lighthouse's scores (0–100) for one page, and the audits that kept them from 100.
pub struct LighthouseRun {
    pub page: String,
    pub performance: u64,
    pub accessibility: u64,
    pub best_practices: u64,
    pub not_full: Vec<String>,
}

pub fn experience_bench() -> Result<Experience> {
    ensure_browser()?;
    let e2e = root().join("end2end");
    let out = std::env::temp_dir().join(format!("bird-bench-experience-{}.json", std::process::id()));
    let status = cmd("npx")
        .current_dir(&e2e)
        .args(["playwright", "test", "-c", "playwright.bench.config.ts"])
        .env("PORTAL_API_BIN", root().join("target/release/portal-api"))
        .env("PORTAL_DIST", root().join("dist"))
        .env("PORTAL_PORT", "18183")
        .env("CHROMIUM_PATH", CHROMIUM)
        .env("BENCH_OUT", &out)
        .status()
        .map_err(|e| format!("npx playwright: {e}"))?;
    if !status.success() {
        return Err("the experience bench failed".into());
    }
    let text = std::fs::read_to_string(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    let _ = std::fs::remove_file(&out);
    let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let number = |pointer: &str| v.pointer(pointer).and_then(serde_json::Value::as_f64).ok_or(format!("no {pointer}"));
    Ok(Experience {
        sign_in_median_ms: number("/sign_in_to_cases_ms/median")?,
        sign_in_form_median_ms: number("/sign_in_to_cases_ms/form_median")?,
        sign_in_after_submit_median_ms: number("/sign_in_to_cases_ms/after_submit_median")?,
        sign_in_wasm_loaded_median_ms: number("/sign_in_to_cases_ms/wasm_loaded_median")?,
        sign_in_request_median_ms: number("/sign_in_to_cases_ms/sign_in_request_median")?,
        sign_in_wall_median_ms: number("/sign_in_to_cases_ms/wall_median")?,
        sign_in_runs: v.pointer("/sign_in_to_cases_ms/runs").and_then(|r| r.as_array()).map_or(0, Vec::len),
        filled_at_once: FilledAtOnce {
            median_ms: number("/sign_in_filled_at_once_ms/median")?,
            form_median_ms: number("/sign_in_filled_at_once_ms/form_median")?,
            after_submit_median_ms: number("/sign_in_filled_at_once_ms/after_submit_median")?,
            sign_in_request_median_ms: number("/sign_in_filled_at_once_ms/sign_in_request_median")?,
        },
        timeline_median_ms: number("/timeline/median")?,
        timeline_wall_median_ms: number("/timeline/wall_median")?,
        timeline_events: number("/timeline/events")? as u64,
        filter: Filter {
            cases: number("/filter/cases")? as u64,
            query: v.pointer("/filter/query").and_then(serde_json::Value::as_str).unwrap_or_default().to_owned(),
            keystrokes: number("/filter/portal/keystrokes")? as u64,
            portal_median_ms: number("/filter/portal/median")?,
            portal_p95_ms: number("/filter/portal/p95")?,
            baseline_median_ms: number("/filter/baseline/median")?,
            baseline_p95_ms: number("/filter/baseline/p95")?,
        },
        lighthouse: v["lighthouse"]
            .as_array()
            .map(|runs| {
                runs.iter()
                    .map(|r| LighthouseRun {
                        page: r["page"].as_str().unwrap_or_default().to_owned(),
                        performance: r["performance"].as_u64().unwrap_or(0),
                        accessibility: r["accessibility"].as_u64().unwrap_or(0),
                        best_practices: r["best_practices"].as_u64().unwrap_or(0),
                        not_full: r["not_full"]
                            .as_array()
                            .map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_owned)).collect())
                            .unwrap_or_default(),
                    })
                    .collect()
            })
            .unwrap_or_default(),
    })
}
