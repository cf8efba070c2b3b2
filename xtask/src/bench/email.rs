//! The email part of `cargo xtask bench`, against a local SMTP server (`xtask/smtp_catcher.py`,
//! aiosmtpd) and the release API sending to it with `--smtp-url`:
//!
//! - from the event to the message accepted: an agent's reply posted, one at a time, and the
//!   moment the catcher accepted the email it caused (its own clock, the same machine's);
//!   Agents do not post in step with the sender's poll, so the replies are spread over it by
//!   pauses of 0 to 250 ms between them.
//! - the outbox's throughput: the catcher holds its answers while `DRAINED` replies are posted,
//!   so their notifications queue up; then it lets go, and the time until the last one is
//!   accepted gives messages per second. Three rounds, each with the server's resident memory
//!   with the notifications queued and once they are delivered: delivering must not grow it.

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

const ROUNDS: usize = 3;

pub struct EmailReport {
    pub events: usize,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub rounds: Vec<Round>,
}

impl EmailReport {
    /// Messages per second of the slowest round.
    pub fn per_second(&self) -> f64 {
        DRAINED as f64 / self.rounds.iter().map(|r| r.seconds).fold(f64::MIN_POSITIVE, f64::max)
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

    /// Waits for the `count`th message (from 1): asking for its one file rather than listing
    /// thousands keeps the bench's own work off the two cores it shares with what it measures.
    fn wait_for(&self, count: usize, within: Duration) -> Result<()> {
        let deadline = Instant::now() + within;
        while !self.dir.join(format!("{count:06}.eml")).exists() {
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

/// Signed in as the agent: the cookie, and the open cases of the demo's customers to reply on
/// (spread over many, as real replies are: a case is not thousands of events long).
fn agent_and_cases(addr: &str) -> Result<(String, Vec<String>)> {
    let login = r#"{"email":"alex@bird.example","password":"portal-demo"}"#;
    let answer = request(addr, "POST", "/api/v1/session", None, Some(login))?;
    let cookie = answer.header("set-cookie").and_then(|c| c.split(';').next()).ok_or("no session cookie")?.to_owned();
    let mut cases = Vec::new();
    for account in ["acc_acme", "acc_globex"] {
        let path = format!("/api/v1/accounts/{account}/cases?status=new,in_progress,waiting_on_customer&limit=50");
        let page = request(addr, "GET", &path, Some(&cookie), None)?;
        let page: serde_json::Value = serde_json::from_str(&page.body).map_err(|e| e.to_string())?;
        let ids = page["data"].as_array().into_iter().flatten().filter_map(|c| c["id"].as_str());
        cases.extend(ids.map(str::to_owned));
    }
    if cases.is_empty() { Err("no open case to reply on".into()) } else { Ok((cookie, cases)) }
}

/// The `n`th reply, on one of `cases` in turn.
fn reply(addr: &str, cookie: &str, cases: &[String], n: usize) -> Result<()> {
    let case = &cases[n % cases.len()];
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
fn latencies(addr: &str, cookie: &str, cases: &[String], catcher: &Catcher) -> Result<Vec<f64>> {
    let mut ms = Vec::with_capacity(EVENTS);
    for n in 0..EVENTS {
        std::thread::sleep(Duration::from_millis((n as u64 * 37) % 250));
        let before = catcher.count();
        let posted = now_seconds();
        reply(addr, cookie, cases, n)?;
        catcher.wait_for(before + 1, Duration::from_secs(30))?;
        ms.push((catcher.accepted_at(before + 1)? - posted) * 1000.0);
    }
    ms.sort_by(f64::total_cmp);
    Ok(ms)
}

/// One round of the throughput bench.
pub struct Round {
    pub seconds: f64,
    /// The server's memory with `DRAINED` notifications waiting, and once they are delivered.
    pub rss_queued_kib: u64,
    pub rss_delivered_kib: u64,
}

/// `DRAINED` notifications queued behind a holding catcher, then let go.
fn drain(server: &Server, cookie: &str, cases: &[String], catcher: &Catcher) -> Result<Round> {
    let (addr, before) = (server.addr.clone(), catcher.count());
    catcher.hold(true)?;
    let posting = Instant::now();
    let posters: Vec<_> = (0..POSTERS)
        .map(|p| {
            let (addr, cookie, cases) = (addr.clone(), cookie.to_owned(), cases.to_vec());
            std::thread::spawn(move || -> Result<()> {
                (p..DRAINED).step_by(POSTERS).try_for_each(|n| reply(&addr, &cookie, &cases, n))
            })
        })
        .collect();
    for poster in posters {
        poster.join().map_err(|_| "a posting thread panicked")??;
    }
    // The few messages the sender started before the hold wait in DATA; past the sender's
    // 30 s timeout they would be retried later, and the figure would measure the retry.
    if posting.elapsed() > Duration::from_secs(20) {
        return Err(format!(
            "posting {DRAINED} replies took {:?}: the machine is too busy to measure",
            posting.elapsed()
        ));
    }
    let rss_queued_kib = rss_kib(server.pid);
    let released = now_seconds();
    catcher.hold(false)?;
    catcher.wait_for(before + DRAINED, Duration::from_secs(120))?;
    let seconds = catcher.accepted_at(before + DRAINED)? - released;
    outbox_idle(&addr, cookie)?;
    Ok(Round { seconds, rss_queued_kib, rss_delivered_kib: rss_kib(server.pid) })
}

/// The API under measurement.
struct Server {
    addr: String,
    pid: u32,
}

pub fn email_bench() -> Result<EmailReport> {
    let scratch = std::env::temp_dir().join(format!("bird-bench-email-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    let catcher = Catcher::start(&scratch.join("smtp"))?;
    let addr = free_addr()?;
    let smtp_url = format!("smtp://127.0.0.1:{}", catcher.port);
    let result = (|| {
        let running = start_server(&addr, &scratch.join("server"), &["--demo", "--smtp-url", &smtp_url])?;
        let server = Server { addr: addr.clone(), pid: running.0.id() };
        let (cookie, cases) = agent_and_cases(&addr)?;
        outbox_idle(&addr, &cookie)?;
        let ms = latencies(&addr, &cookie, &cases, &catcher)?;
        outbox_idle(&addr, &cookie)?;
        let rounds = (0..ROUNDS).map(|_| drain(&server, &cookie, &cases, &catcher)).collect::<Result<Vec<_>>>()?;
        Ok(EmailReport { events: ms.len(), p50_ms: percentile(&ms, 0.5), p95_ms: percentile(&ms, 0.95), rounds })
    })();
    drop(catcher);
    let _ = std::fs::remove_dir_all(&scratch);
    result
}

/// The figures as one line each, for `--only email` and the report.
pub fn summary(report: &EmailReport) -> String {
    let met = |ok: bool| if ok { "met" } else { "MISSED" };
    let mib = |kib: u64| kib as f64 / 1024.0;
    let rounds: Vec<String> = report
        .rounds
        .iter()
        .map(|r| format!("{:.2} s ({:.1} → {:.1} MiB)", r.seconds, mib(r.rss_queued_kib), mib(r.rss_delivered_kib)))
        .collect();
    format!(
        "event to email accepted by a local SMTP server, {} agent replies one at a time: p50 {:.0} ms, p95 {:.0} ms \
         (p95 ≤ {LATENCY_P95_BUDGET_MS:.0} ms: {})\n\
         outbox throughput: {DRAINED} queued notifications delivered in {}, {:.0} messages/s in the slowest round \
         (≥ {THROUGHPUT_BUDGET:.0}/s: {}); in brackets the server's memory (VmRSS) with them queued, then delivered",
        report.events,
        report.p50_ms,
        report.p95_ms,
        met(report.p95_ms <= LATENCY_P95_BUDGET_MS),
        rounds.join(", "),
        report.per_second(),
        met(report.per_second() >= THROUGHPUT_BUDGET),
    )
}
