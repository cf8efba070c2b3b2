//! The API at 10,000 cases: each list scenario timed over many runs on loopback, then the load
//! of simulated customers against the same server.

use super::load::{Load, load};
use super::server::start_server;
use super::{ADDR, percentile};
use crate::http::{Answer, request};
use crate::run::Result;

pub const RUNS: usize = 30;
pub const LIST_BUDGET_MS: f64 = 50.0;

pub struct Timing {
    pub name: String,
    pub median_ms: f64,
    pub p95_ms: f64,
}

fn time(name: &str, cookie: &str, path: &str) -> Result<Timing> {
    for _ in 0..3 {
        request(ADDR, "GET", path, Some(cookie), None)?;
    }
    let mut ms = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let answer = request(ADDR, "GET", path, Some(cookie), None)?;
        if answer.status != 200 {
            return Err(format!("{name}: {path} answered {}", answer.status));
        }
        ms.push(answer.elapsed.as_secs_f64() * 1000.0);
    }
    ms.sort_by(f64::total_cmp);
    Ok(Timing { name: name.to_owned(), median_ms: percentile(&ms, 0.5), p95_ms: percentile(&ms, 0.95) })
}

fn json_field(answer: &Answer, pointer: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(&answer.body).ok()?;
    value.pointer(pointer).and_then(|v| v.as_str()).map(str::to_owned)
}

/// The session cookie of Carol, the customer of the 10,000-case account, signed in at `addr`.
pub fn carol(addr: &str) -> Result<String> {
    let login = r#"{"email":"carol@umbrella.example","password":"portal-demo"}"#;
    let answer = request(addr, "POST", "/api/v1/session", None, Some(login))?;
    Ok(answer.header("set-cookie").and_then(|c| c.split(';').next()).ok_or("no session cookie")?.to_owned())
}

/// 50 open cases of the large account: each takes replies and uploads in the load.
pub fn open_cases(addr: &str, cookie: &str) -> Result<Vec<String>> {
    let path = "/api/v1/accounts/acc_umbrella/cases?limit=50&status=new,in_progress";
    let few = request(addr, "GET", path, Some(cookie), None)?;
    let ids: Vec<String> = serde_json::from_str::<serde_json::Value>(&few.body)
        .ok()
        .and_then(|v| {
            v["data"].as_array().map(|a| a.iter().filter_map(|c| c["id"].as_str().map(str::to_owned)).collect())
        })
        .unwrap_or_default();
    if ids.is_empty() {
        return Err(format!("no cases to load at {addr}: {} {}", few.status, few.body));
    }
    Ok(ids)
}

pub fn list_timings() -> Result<(Vec<Timing>, Load)> {
    let data = std::env::temp_dir().join(format!("bird-bench-{}", std::process::id()));
    let _server = start_server(ADDR, &data, &["--demo", "--demo-large"])?;
    let cookie = carol(ADDR)?;
    let base = "/api/v1/accounts/acc_umbrella/cases";

    // The cursor of page 40 (cases 976–1000), reached the way a person paging would.
    let mut path = format!("{base}?limit=25");
    for _ in 0..39 {
        let page = request(ADDR, "GET", &path, Some(&cookie), None)?;
        let cursor = json_field(&page, "/next_cursor").ok_or("ran out of pages")?;
        path = format!("{base}?limit=25&cursor={cursor}");
    }
    let first = request(ADDR, "GET", &format!("{base}?limit=1"), Some(&cookie), None)?;
    let case_id = json_field(&first, "/data/0/id").ok_or("no case")?;
    let out = vec![
        time("list: first page (25, last updated)", &cookie, &format!("{base}?limit=25"))?,
        time("list: page 40 by cursor", &cookie, &path)?,
        time("list: search \"gmail\"", &cookie, &format!("{base}?limit=25&q=gmail"))?,
        time("list: search by number (full scan)", &cookie, &format!("{base}?limit=25&q=case-9999"))?,
        time(
            "list: status=resolved, sorted by severity",
            &cookie,
            &format!("{base}?limit=25&status=resolved&sort=severity"),
        )?,
        time("account overview (counts over 10,000 cases)", &cookie, "/api/v1/accounts/acc_umbrella")?,
        time("case page data", &cookie, &format!("/api/v1/cases/{case_id}"))?,
    ];
    let load = load(ADDR, &cookie, &open_cases(ADDR, &cookie)?);
    let _ = std::fs::remove_dir_all(&data);
    Ok((out, load))
}
