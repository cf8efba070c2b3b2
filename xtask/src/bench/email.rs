//! The email part of `cargo xtask bench`, against a local SMTP server (`xtask/smtp_catcher.py`,
//! aiosmtpd) and the release API sending to it with `--smtp-url`:
//!
//! - from the event to the message accepted: an agent's reply posted, one at a time, and the
//!   moment the catcher accepted the email it caused (its own clock, the same machine's);
//! - the outbox's throughput: the catcher holds its answers while `DRAINED` replies are posted,
//!   so their notifications queue up; then it lets go, and the time until the last one is
//!   accepted gives messages per second. The server's resident memory before and after.

use super::percentile;
use super::server::start_server;
use crate::http::request;
use crate::run::Result;
use crate::tools::ensure_smtp_catcher;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const EVENTS: usize = 200;
const DRAINED: usize = 2_000;
/// Posting threads while the queue fills.
const POSTERS: usize = 4;
pub const LATENCY_P95_BUDGET_MS: f64 = 1000.0;
pub const THROUGHPUT_BUDGET: f64 = 200.0;

pub struct EmailReport {
    pub events: usize,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub drained: usize,
    pub drain_seconds: f64,
    pub rss_before_kib: u64,
    pub rss_after_kib: u64,
}

impl EmailReport {
    pub fn per_second(&self) -> f64 {
        self.drained as f64 / self.drain_seconds
    }
}

/// The SMTP catcher, stopped when dropped (and, as it exits when its stdin closes, if the bench dies).
struct Catcher {
    child: Child,
    _stdin: ChildStdin,
    port: u16,
    dir: PathBuf,
}

impl Drop for Catcher {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Catcher {
    fn start(dir: &Path) -> Result<Catcher> {
        let (python, script) = ensure_smtp_catcher()?;
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        let mut child = Command::new(python)
            .arg(script)
            .args(["--port", "0", "--dir"])
            .arg(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("starting the SMTP catcher: {e}"))?;
        let stdin = child.stdin.take().ok_or("no stdin")?;
        let mut line = String::new();
        BufReader::new(child.stdout.take().ok_or("no stdout")?).read_line(&mut line).map_err(|e| e.to_string())?;
        let port = line.trim().rsplit(':').next().and_then(|p| p.parse().ok());
        let port = port.ok_or_else(|| format!("the SMTP catcher did not start: {line:?}"))?;
        Ok(Catcher { child, _stdin: stdin, port, dir: dir.to_owned() })
    }

    /// How many messages it accepted.
    fn count(&self) -> usize {
        std::fs::read_dir(&self.dir)
            .map(|entries| entries.flatten().filter(|e| e.path().extension().is_some_and(|x| x == "eml")).count())
            .unwrap_or(0)
    }

    /// When it accepted its `n`th message (from 1), in seconds since the epoch.
    fn accepted_at(&self, n: usize) -> Result<f64> {
        let text = std::fs::read_to_string(self.dir.join(format!("{n:06}.json"))).map_err(|e| e.to_string())?;
        let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
        value["accepted_at"].as_f64().ok_or_else(|| "no accepted_at".into())
    }

    fn wait_for(&self, count: usize, within: Duration) -> Result<()> {
        let deadline = Instant::now() + within;
        while self.count() < count {
            if Instant::now() > deadline {
                return Err(format!("{} of {count} messages arrived within {within:?}", self.count()));
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        Ok(())
    }

    fn hold(&self, on: bool) -> Result<()> {
        let path = self.dir.join("hold");
        if on { std::fs::write(path, b"") } else { std::fs::remove_file(path) }.map_err(|e| e.to_string())
    }
}

fn now_seconds() -> f64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs_f64()).unwrap_or_default()
}

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| s.lines().find(|l| l.starts_with("VmRSS:")).map(str::to_owned))
        .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        .unwrap_or(0)
}

fn free_addr() -> Result<String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    Ok(listener.local_addr().map_err(|e| e.to_string())?.to_string())
}

/// Signed in as the agent: the cookie, and an open case of Ada's to reply on.
fn agent_and_case(addr: &str) -> Result<(String, String)> {
    let login = r#"{"email":"alex@bird.example","password":"portal-demo"}"#;
    let answer = request(addr, "POST", "/api/v1/session", None, Some(login))?;
    let cookie = answer.header("set-cookie").and_then(|c| c.split(';').next()).ok_or("no session cookie")?.to_owned();
    let cases =
        request(addr, "GET", "/api/v1/accounts/acc_acme/cases?status=in_progress&limit=1", Some(&cookie), None)?;
    let case = serde_json::from_str::<serde_json::Value>(&cases.body)
        .ok()
        .and_then(|v| v["data"][0]["id"].as_str().map(str::to_owned))
        .ok_or("no open case")?;
    Ok((cookie, case))
}

fn reply(addr: &str, cookie: &str, case: &str, n: usize) -> Result<()> {
    let body = format!(r#"{{"body":"Bench answer {n}."}}"#);
    let answer = request(addr, "POST", &format!("/api/v1/cases/{case}/messages"), Some(cookie), Some(&body))?;
    if answer.status == 201 { Ok(()) } else { Err(format!("a reply answered {}", answer.status)) }
}

/// Waits until the server's outbox has nothing waiting.
fn outbox_idle(addr: &str, cookie: &str) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let status = request(addr, "GET", "/api/v1/outbox", Some(cookie), None)?;
        let waiting = serde_json::from_str::<serde_json::Value>(&status.body).ok().and_then(|v| v["waiting"].as_u64());
        if waiting == Some(0) {
            return Ok(());
        }
        if Instant::now() > deadline {
            return Err(format!("the outbox did not empty: {}", status.body));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Each reply posted alone, timed to its email's acceptance.
fn latencies(addr: &str, cookie: &str, case: &str, catcher: &Catcher) -> Result<Vec<f64>> {
    let mut ms = Vec::with_capacity(EVENTS);
    for n in 0..EVENTS {
        let before = catcher.count();
        let posted = now_seconds();
        reply(addr, cookie, case, n)?;
        catcher.wait_for(before + 1, Duration::from_secs(30))?;
        ms.push((catcher.accepted_at(before + 1)? - posted) * 1000.0);
    }
    ms.sort_by(f64::total_cmp);
    Ok(ms)
}

/// `DRAINED` notifications queued behind a holding catcher, then let go: seconds to the last.
fn drain(addr: &str, cookie: &str, case: &str, catcher: &Catcher) -> Result<f64> {
    let before = catcher.count();
    catcher.hold(true)?;
    let posters: Vec<_> = (0..POSTERS)
        .map(|p| {
            let (addr, cookie, case) = (addr.to_owned(), cookie.to_owned(), case.to_owned());
            std::thread::spawn(move || -> Result<()> {
                (p..DRAINED).step_by(POSTERS).try_for_each(|n| reply(&addr, &cookie, &case, n))
            })
        })
        .collect();
    for poster in posters {
        poster.join().map_err(|_| "a posting thread panicked")??;
    }
    let released = now_seconds();
    catcher.hold(false)?;
    catcher.wait_for(before + DRAINED, Duration::from_secs(120))?;
    Ok(catcher.accepted_at(before + DRAINED)? - released)
}

pub fn email_bench() -> Result<EmailReport> {
    let scratch = std::env::temp_dir().join(format!("bird-bench-email-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    let catcher = Catcher::start(&scratch.join("smtp"))?;
    let addr = free_addr()?;
    let smtp_url = format!("smtp://127.0.0.1:{}", catcher.port);
    let result = (|| {
        let server = start_server(&addr, &scratch.join("server"), &["--demo", "--smtp-url", &smtp_url])?;
        let (cookie, case) = agent_and_case(&addr)?;
        outbox_idle(&addr, &cookie)?;
        let ms = latencies(&addr, &cookie, &case, &catcher)?;
        outbox_idle(&addr, &cookie)?;
        let rss_before_kib = rss_kib(server.0.id());
        let drain_seconds = drain(&addr, &cookie, &case, &catcher)?;
        outbox_idle(&addr, &cookie)?;
        let rss_after_kib = rss_kib(server.0.id());
        Ok(EmailReport {
            events: ms.len(),
            p50_ms: percentile(&ms, 0.5),
            p95_ms: percentile(&ms, 0.95),
            drained: DRAINED,
            drain_seconds,
            rss_before_kib,
            rss_after_kib,
        })
    })();
    drop(catcher);
    let _ = std::fs::remove_dir_all(&scratch);
    result
}

/// The figures as one line each, for `--only email` and the report.
pub fn summary(report: &EmailReport) -> String {
    let met = |ok: bool| if ok { "met" } else { "MISSED" };
    format!(
        "event to email accepted by a local SMTP server, {} agent replies one at a time: p50 {:.0} ms, p95 {:.0} ms \
         (p95 ≤ {LATENCY_P95_BUDGET_MS:.0} ms: {})\n\
         outbox throughput: {} queued notifications delivered in {:.2} s, {:.0} messages/s (≥ {THROUGHPUT_BUDGET:.0}/s: {}); \
         server memory (VmRSS) {:.1} MiB before, {:.1} MiB after",
        report.events,
        report.p50_ms,
        report.p95_ms,
        met(report.p95_ms <= LATENCY_P95_BUDGET_MS),
        report.drained,
        report.drain_seconds,
        report.per_second(),
        met(report.per_second() >= THROUGHPUT_BUDGET),
        report.rss_before_kib as f64 / 1024.0,
        report.rss_after_kib as f64 / 1024.0,
    )
}
