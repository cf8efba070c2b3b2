//! `bench/report.md` (today's figures, each with its budget) and `bench/report.json`.

use super::api::{LIST_BUDGET_MS, RUNS, Timing};
use super::assets::{Asset, kb};
use super::backends::Setup;
use super::email::EmailReport;
use super::experience::Experience;
use super::upload::{S3UploadReport, UploadReport};
use crate::root;
use crate::run::Result;

const FIRST_LOAD_BUDGET: u64 = 250 * 1024;

pub struct Results {
    pub timings: Vec<Timing>,
    /// The load on each backend, SQLite first.
    pub loads: Vec<Setup>,
    pub upload: UploadReport,
    pub upload_s3: S3UploadReport,
    pub experience: Experience,
    pub assets: Vec<Asset>,
    pub email: EmailReport,
}

pub fn write(results: &Results) -> Result<()> {
    let Results { timings, loads, upload, upload_s3, experience, assets, email } = results;
    let first_load_br: u64 = assets.iter().filter(|a| a.first_load).filter_map(|a| a.brotli).sum();
    let on_demand_br: u64 = assets.iter().filter(|a| !a.first_load).filter_map(|a| a.brotli).sum();
    let chunks = assets.iter().filter(|a| !a.first_load).count();

    let mut md = String::from(
        "# Bench report\n\nWritten by `cargo xtask bench`. Loopback, release build, one request per connection, ",
    );
    md.push_str(&format!("{RUNS} runs after 3 warm-up runs; account with 10,000 cases (`--demo-large`).\n\n"));
    md.push_str("| API request | median | p95 | budget |\n| --- | --- | --- | --- |\n");
    for t in timings {
        let verdict = if t.name.starts_with("list") {
            if t.median_ms < LIST_BUDGET_MS { "≤ 50 ms: met" } else { "≤ 50 ms: MISSED" }
        } else {
            ""
        };
        md.push_str(&format!("| {} | {:.2} ms | {:.2} ms | {verdict} |\n", t.name, t.median_ms, t.p95_ms));
    }
    if let Some(first) = loads.first() {
        md.push_str(&format!(
            "\nLoad: {} simulated customers for {} s each, listing cases, reading one and replying, and every \
             fifth round uploading a 64 KiB file (create + one PATCH, which behind the proxy usually reach \
             different instances); the same 10,000-case demo data on each backend, release builds, \
             PostgreSQL 15 on the same 2-core machine:\n\n\
             | backend | requests | requests/s | p50 | p99 | errors |\n| --- | --- | --- | --- | --- | --- |\n",
            first.load.clients, first.load.seconds
        ));
    }
    for Setup { name, load } in loads {
        md.push_str(&format!(
            "| {name} | {} | {:.0} | {:.2} ms | {:.2} ms | {} |\n",
            load.requests,
            load.per_second(),
            load.p50_ms,
            load.p99_ms,
            load.errors
        ));
    }
    let ratio = upload.tus_mib_s / upload.curl_mib_s;
    md.push_str(&format!(
        "\nUpload of {} MiB on loopback, median of 3 alternating runs: tus in {} MiB chunks (the size the server \
         advertises to the portal) {:.0} MiB/s; plain `curl` of the same file in one request {:.0} MiB/s; \
         ratio {:.0}% (budget ≥ 80%: {}). Server peak memory (VmHWM): {:.1} MiB after a {} MiB upload, \
         {:.1} MiB after the {} MiB ones.\n",
        upload.size >> 20,
        upload.chunk >> 20,
        upload.tus_mib_s,
        upload.curl_mib_s,
        ratio * 100.0,
        if ratio >= 0.8 { "met" } else { "MISSED" },
        upload.peak_after_small_kib as f64 / 1024.0,
        64,
        upload.peak_after_large_kib as f64 / 1024.0,
        upload.size >> 20,
    ));
    md.push_str(&format!("\n{}\n", upload_s3_line(upload_s3)));
    md.push_str(&format!(
        "\nEmail, release build, to a local SMTP server (aiosmtpd, `xtask/smtp_catcher.py`) over loopback:\n\n{}\n",
        super::email::summary(email).lines().map(|l| format!("- {l}")).collect::<Vec<_>>().join("\n")
    ));
    let verdict = |ms: f64, budget: f64| if ms <= budget { "met" } else { "MISSED" };
    let f = &experience.filter;
    let wasm_br: u64 =
        assets.iter().filter(|a| a.first_load && a.name.ends_with(".wasm")).filter_map(|a| a.brotli).sum();
    md.push_str(&format!(
        "\n| experience (Debian's Chromium, loopback, release build) | median | budget |\n| --- | --- | --- |\n\
         | sign-in page to the account page with cases shown, {} cold loads, in the page's clock, the email and password typed at 50 ms a key: navigation start to the sign-in form on screen (median {:.0} ms, of which the first-load wasm, {} brotli, streamed and compiled by {:.0} ms) plus submit to the first open case on screen (median {:.0} ms, of which the sign-in request, argon2id on the server, {:.0} ms); on the wall clock around Playwright, its typing and polling included: {:.0} ms | {:.0} ms | ≤ 300 ms: {} |\n\
         | the same journey with the form filled at once, in alternate runs: the sign-in request leaves while the browser is still busy after the page's load and shares this machine's 2 cores with it (form {:.0} ms + after submit {:.0} ms, of which the sign-in request {:.0} ms) | {:.0} ms | ≤ 300 ms: {} (no person types that fast) |\n\
         | opening a case with {} timeline events, from the click on its link in the case list to the last event on screen, in the page's clock (the newest 100 are drawn first); on the wall clock around Playwright's click and polling: {:.0} ms | {:.0} ms | ≤ 100 ms: {} |\n\
         | filtering a {}-case list as the person types \"{}\", keydown to the new rows laid out, {} keystrokes; beside it plain JavaScript drawing the same rows from the same cases (median {:.1} ms, p95 {:.1} ms) | {:.1} ms (p95 {:.1} ms; {:.2}× the plain JavaScript) | ≤ 16 ms: {} |\n",
        experience.sign_in_runs,
        experience.sign_in_form_median_ms,
        kb(wasm_br),
        experience.sign_in_wasm_loaded_median_ms,
        experience.sign_in_after_submit_median_ms,
        experience.sign_in_request_median_ms,
        experience.sign_in_wall_median_ms,
        experience.sign_in_median_ms,
        verdict(experience.sign_in_median_ms, 300.0),
        experience.filled_at_once.form_median_ms,
        experience.filled_at_once.after_submit_median_ms,
        experience.filled_at_once.sign_in_request_median_ms,
        experience.filled_at_once.median_ms,
        verdict(experience.filled_at_once.median_ms, 300.0),
        experience.timeline_events,
        experience.timeline_wall_median_ms,
        experience.timeline_median_ms,
        verdict(experience.timeline_median_ms, 100.0),
        f.cases,
        f.query,
        f.keystrokes,
        f.baseline_median_ms,
        f.baseline_p95_ms,
        f.portal_median_ms,
        f.portal_p95_ms,
        f.portal_median_ms / f.baseline_median_ms,
        verdict(f.portal_median_ms, 16.0),
    ));
    md.push_str(
        "\n| Lighthouse 12, desktop preset, signed in | performance (≥ 95) | accessibility (100) | best practices (100) | audits below 100 |\n\
         | --- | --- | --- | --- | --- |\n",
    );
    for run in &experience.lighthouse {
        let mark =
            |score: u64, budget: u64| if score >= budget { format!("{score}") } else { format!("**{score}: MISSED**") };
        md.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            run.page,
            mark(run.performance, 95),
            mark(run.accessibility, 100),
            mark(run.best_practices, 100),
            run.not_full.join(", ")
        ));
    }
    md.push_str("\n| asset | raw | gzip -9 | brotli -q 11 (served) | when |\n| --- | --- | --- | --- | --- |\n");
    for a in assets {
        md.push_str(&format!(
            "| {} | {} | {} | {} | {} |\n",
            a.name,
            kb(a.raw),
            kb(a.gzip),
            a.brotli.map(kb).unwrap_or_else(|| "n/a".into()),
            if a.first_load { "first load" } else { "on demand" }
        ));
    }
    let verdict = if first_load_br <= FIRST_LOAD_BUDGET {
        "met".to_owned()
    } else {
        format!("MISSED (over by {})", kb(first_load_br - FIRST_LOAD_BUDGET))
    };
    md.push_str(&format!(
        "\nFirst load (`index.html` and the files it names, brotli): **{}** — budget {}: {verdict}. It \
         carries the shell and sign-in: the views, the reactive graph and router, the contract's decoders \
         and both languages, built with Leptos's erase_components. The other pages are {chunks} wasm \
         chunks, {} brotli in all, cut out after Trunk's build by `xtask/src/split.rs`: the account \
         page's is fetched while the sign-in page is idle, the others the first time their page is \
         shown or in the background once the person has signed in and the browser is idle.\n",
        kb(first_load_br),
        kb(FIRST_LOAD_BUDGET),
        kb(on_demand_br),
    ));
    let json = serde_json::json!({
        "api": timings.iter().map(|t| serde_json::json!({"name": t.name, "median_ms": t.median_ms, "p95_ms": t.p95_ms})).collect::<Vec<_>>(),
        "assets": assets.iter().map(|a| serde_json::json!({"name": a.name, "raw": a.raw, "gzip": a.gzip, "brotli": a.brotli, "first_load": a.first_load})).collect::<Vec<_>>(),
        "load": loads.iter().map(|Setup { name, load }| serde_json::json!({"backend": name, "clients": load.clients, "seconds": load.seconds,
            "requests": load.requests, "errors": load.errors, "p50_ms": load.p50_ms, "p99_ms": load.p99_ms})).collect::<Vec<_>>(),
        "upload": {"bytes": upload.size, "chunk_bytes": upload.chunk, "tus_mib_s": upload.tus_mib_s, "curl_mib_s": upload.curl_mib_s,
                   "ratio": ratio, "peak_kib_after_64_mib": upload.peak_after_small_kib, "peak_kib_after_1_gib": upload.peak_after_large_kib},
        "experience": {"sign_in_to_cases_median_ms": experience.sign_in_median_ms, "cold_loads": experience.sign_in_runs,
                       "sign_in_form_median_ms": experience.sign_in_form_median_ms,
                       "sign_in_after_submit_median_ms": experience.sign_in_after_submit_median_ms,
                       "sign_in_wall_median_ms": experience.sign_in_wall_median_ms,
                       "sign_in_wasm_loaded_median_ms": experience.sign_in_wasm_loaded_median_ms,
                       "sign_in_request_median_ms": experience.sign_in_request_median_ms,
                       "sign_in_filled_at_once_median_ms": experience.filled_at_once.median_ms,
                       "timeline_events": experience.timeline_events, "timeline_median_ms": experience.timeline_median_ms,
                       "timeline_wall_median_ms": experience.timeline_wall_median_ms,
                       "filter": {"cases": f.cases, "query": f.query, "keystrokes": f.keystrokes,
                                  "portal_median_ms": f.portal_median_ms, "portal_p95_ms": f.portal_p95_ms,
                                  "baseline_median_ms": f.baseline_median_ms, "baseline_p95_ms": f.baseline_p95_ms},
                       "lighthouse": experience.lighthouse.iter().map(|r| serde_json::json!({"page": r.page, "performance": r.performance,
                           "accessibility": r.accessibility, "best_practices": r.best_practices, "not_full": r.not_full})).collect::<Vec<_>>()},
        "email": {"events": email.events, "event_to_accepted_p50_ms": email.p50_ms, "event_to_accepted_p95_ms": email.p95_ms,
                  "messages_per_second": email.per_second(),
                  "rounds": email.rounds.iter().map(|r| serde_json::json!({"seconds": r.seconds,
                      "rss_kib_queued": r.rss_queued_kib, "rss_kib_delivered": r.rss_delivered_kib})).collect::<Vec<_>>()},
        "first_load_brotli_bytes": first_load_br,
        "on_demand_brotli_bytes": on_demand_br,
        "first_load_budget_bytes": FIRST_LOAD_BUDGET,
    });
    let dir = root().join("bench");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("report.md"), &md).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("report.json"), serde_json::to_string_pretty(&json).unwrap_or_default())
        .map_err(|e| e.to_string())?;
    println!("\n{md}\nwritten to bench/report.md and bench/report.json");
    Ok(())
}

/// The upload through the object store beside `curl` into the same bucket.
pub fn upload_s3_line(s3: &S3UploadReport) -> String {
    format!(
        "Upload of {} MiB through the object store (`--object-store`, the S3 server moto on loopback), median of 3 \
         alternating runs: tus in {} MiB chunks, each kept as a part object and assembled into the attachment \
         object after the last byte, {:.0} MiB/s; `curl` putting the same file into the same bucket in one request \
         {:.0} MiB/s; ratio {:.0}%.",
        s3.size >> 20,
        s3.chunk >> 20,
        s3.tus_mib_s,
        s3.curl_mib_s,
        s3.tus_mib_s / s3.curl_mib_s * 100.0,
    )
}
