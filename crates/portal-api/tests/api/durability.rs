//! The server killed (SIGKILL) while several writers have requests in flight: after a restart
//! every acknowledged write is there exactly once and whole, a refused write is absent, and a
//! write whose answer was lost is whole or absent, never half-written.

use crate::common;

use common::{ADA, signed_in_when_up};
use serde_json::{Value, json};
use sha2::Digest;
use std::collections::BTreeSet;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

fn spawn(data: &std::path::Path, port: u16) -> Child {
    Command::new(env!("CARGO_BIN_EXE_portal-api"))
        .args(["--addr", &format!("127.0.0.1:{port}"), "--static-dir", "/nonexistent", "--demo"])
        // The bursts open more cases as Ada than the per-person limit allows in an hour.
        .args(["--cases-per-hour", "100000", "--data-dir"])
        .arg(data)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("portal-api starts")
}

const MESSAGE_WRITERS: usize = 3;
const FILE_WRITERS: usize = 2;
/// Each file goes in two `PATCH`es, so a kill can fall between them.
const FILE_CHUNK: usize = 32 << 10;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Case,
    Message,
    File,
}

/// What a writer was told.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Outcome {
    Acknowledged,
    Refused,
    /// Sent, and the server died before it answered.
    Unanswered,
}

#[derive(Debug)]
struct Write {
    kind: Kind,
    /// The subject, message body or file name: unique to this write.
    marker: String,
    /// The case it was written to (none for a new case).
    case: String,
    /// A file's upload path, once created, to resume it after the restart.
    upload: Option<String>,
    outcome: Outcome,
}

/// The server under a burst, shared by its writers; `in_flight` counts the requests sent and
/// not answered yet.
#[derive(Clone)]
struct Burst {
    base: String,
    client: reqwest::Client,
    round: u64,
    in_flight: Arc<AtomicUsize>,
}

type Answer = Option<(u16, reqwest::header::HeaderMap)>;

impl Burst {
    async fn send(&self, req: reqwest::RequestBuilder) -> Answer {
        self.in_flight.fetch_add(1, Ordering::SeqCst);
        let answer = async {
            let res = req.header("X-Requested-With", "test").send().await.ok()?;
            let (status, headers) = (res.status().as_u16(), res.headers().clone());
            res.bytes().await.ok()?;
            Some((status, headers))
        }
        .await;
        self.in_flight.fetch_sub(1, Ordering::SeqCst);
        answer
    }

    fn marker(&self, writer: &str, i: usize) -> String {
        format!("durability r{} {writer} n{i}", self.round)
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

fn outcome(answer: &Answer) -> Outcome {
    match answer {
        None => Outcome::Unanswered,
        Some((status, _)) if (200..300).contains(status) => Outcome::Acknowledged,
        Some(_) => Outcome::Refused,
    }
}

fn description(subject: &str) -> String {
    format!("{subject}: every word of the description")
}

/// A file's bytes, different for every file.
fn content(name: &str) -> Vec<u8> {
    name.bytes().chain(*b" log line\n").cycle().take(2 * FILE_CHUNK).collect()
}

fn sha256_hex(bytes: &[u8]) -> String {
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Opens cases until the server stops answering. A rate limit may refuse some: those must be
/// absent.
async fn open_cases(b: Burst) -> Vec<Write> {
    let mut writes = Vec::new();
    for i in 0.. {
        let marker = b.marker("case", i);
        let new = json!({"kind": "problem", "severity": "low", "subject": marker, "description": description(&marker)});
        let answer = b.send(b.client.post(b.url("/api/v1/accounts/acc_acme/cases")).json(&new)).await;
        let outcome = outcome(&answer);
        writes.push(Write { kind: Kind::Case, marker, case: String::new(), upload: None, outcome });
        match outcome {
            Outcome::Unanswered => break,
            Outcome::Refused => tokio::time::sleep(Duration::from_millis(20)).await,
            Outcome::Acknowledged => {}
        }
    }
    writes
}

async fn post_messages(b: Burst, w: usize, case: String) -> Vec<Write> {
    let mut writes = Vec::new();
    for i in 0.. {
        let marker = b.marker(&format!("message-w{w}"), i);
        let url = b.url(&format!("/api/v1/cases/{case}/messages"));
        let outcome = outcome(&b.send(b.client.post(url).json(&json!({"body": marker}))).await);
        writes.push(Write { kind: Kind::Message, marker, case: case.clone(), upload: None, outcome });
        if outcome == Outcome::Unanswered {
            break;
        }
    }
    writes
}

fn tus(req: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
    req.header("Tus-Resumable", "1.0.0")
}

fn patch(client: &reqwest::Client, url: &str, offset: usize, bytes: &[u8]) -> reqwest::RequestBuilder {
    tus(client.patch(url))
        .header("Upload-Offset", offset.to_string())
        .header("Content-Type", "application/offset+octet-stream")
        .body(bytes.to_vec())
}

/// Acknowledged when its last `PATCH` is.
async fn upload_files(b: Burst, w: usize, case: String) -> Vec<Write> {
    use base64::Engine as _;
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let mut writes = Vec::new();
    for i in 0.. {
        let marker = format!("{}.log", b.marker(&format!("file-w{w}"), i).replace(' ', "-"));
        let bytes = content(&marker);
        let create = tus(b.client.post(b.url("/api/v1/uploads")))
            .header("Upload-Length", bytes.len().to_string())
            .header("Upload-Metadata", format!("filename {},case_id {}", b64(&marker), b64(&case)));
        let created = b.send(create).await;
        let upload = created.as_ref().and_then(|(_, h)| h.get("location")).and_then(|l| l.to_str().ok());
        let upload = upload.map(str::to_owned);
        let mut outcome = outcome(&created);
        if let Some(path) = &upload {
            for (k, chunk) in bytes.chunks(FILE_CHUNK).enumerate() {
                outcome = self::outcome(&b.send(patch(&b.client, &b.url(path), k * FILE_CHUNK, chunk)).await);
                if outcome != Outcome::Acknowledged {
                    break;
                }
            }
        }
        writes.push(Write { kind: Kind::File, marker, case: case.clone(), upload, outcome });
        if outcome == Outcome::Unanswered {
            break;
        }
    }
    writes
}

/// What a restarted server holds of one round's writes, against what their writers were told.
#[derive(Debug, Default)]
struct Tally {
    acknowledged: usize,
    acknowledged_present: usize,
    refused: usize,
    refused_present: usize,
    unanswered: usize,
    unanswered_present: usize,
    /// Unanswered files absent after the restart, then resumed (each must become whole).
    resumed: usize,
    problems: Vec<String>,
}

impl Tally {
    fn count(&mut self, write: &Write, found: usize) {
        let (sent, present) = match write.outcome {
            Outcome::Acknowledged => (&mut self.acknowledged, &mut self.acknowledged_present),
            Outcome::Refused => (&mut self.refused, &mut self.refused_present),
            Outcome::Unanswered => (&mut self.unanswered, &mut self.unanswered_present),
        };
        *sent += 1;
        *present += found;
        let allowed = match write.outcome {
            Outcome::Acknowledged => found == 1,
            Outcome::Refused => found == 0,
            Outcome::Unanswered => found <= 1,
        };
        if !allowed {
            self.problems
                .push(format!("{:?} {:?} {:?} is there {found} times", write.outcome, write.kind, write.marker));
        }
    }

    fn check(&mut self, whole: bool, what: impl FnOnce() -> String) {
        if !whole {
            self.problems.push(what());
        }
    }
}

struct Restarted {
    base: String,
    client: reqwest::Client,
    round: u64,
}

impl Restarted {
    async fn get(&self, path: &str) -> Value {
        let url = format!("{}{path}", self.base);
        let res = self.client.get(&url).send().await.expect("GET");
        assert_eq!(res.status(), 200, "GET {url}");
        res.json().await.expect("json")
    }

    fn prefix(&self) -> String {
        format!("durability r{} ", self.round)
    }
}

fn stamp(value: &Value) -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339(value.as_str().unwrap_or_default()).expect("a time stamp")
}

fn mine(writes: &[Write], kind: Kind) -> impl Iterator<Item = &Write> {
    writes.iter().filter(move |w| w.kind == kind)
}

fn is_whole_case(case: &Value, subject: &str) -> bool {
    case["description"] == description(subject).as_str()
        && case["kind"] == "problem"
        && case["severity"] == "low"
        && case["status"] == "new"
        && case["channel"] == "portal"
        && case["requester"]["id"] == "usr_ada"
        && case["agent"]["id"] == "usr_alex"
        && case["number"].as_str().is_some_and(|n| n.starts_with("CASE-"))
}

async fn check_cases(r: &Restarted, writes: &[Write], tally: &mut Tally) {
    let mut cases = Vec::new();
    let mut cursor = String::new();
    loop {
        let page = r.get(&format!("/api/v1/accounts/acc_acme/cases?limit=100{cursor}")).await;
        cases.extend(page["data"].as_array().expect("data").iter().cloned());
        match page["next_cursor"].as_str() {
            Some(next) => cursor = format!("&cursor={next}"),
            None => break,
        }
    }
    let ours: Vec<&Value> =
        cases.iter().filter(|c| c["subject"].as_str().is_some_and(|s| s.starts_with(&r.prefix()))).collect();
    let markers: BTreeSet<&str> = mine(writes, Kind::Case).map(|w| w.marker.as_str()).collect();
    for case in &ours {
        tally.check(markers.contains(case["subject"].as_str().unwrap_or_default()), || {
            format!("a case nobody wrote: {case}")
        });
    }
    for write in mine(writes, Kind::Case) {
        let found: Vec<&&Value> = ours.iter().filter(|c| c["subject"] == write.marker.as_str()).collect();
        tally.count(write, found.len());
        for case in found {
            tally.check(is_whole_case(case, &write.marker), || format!("a half-written case: {case}"));
        }
    }
}

async fn check_messages(r: &Restarted, writes: &[Write], tally: &mut Tally) {
    let targets: BTreeSet<&str> = mine(writes, Kind::Message).map(|w| w.case.as_str()).collect();
    for target in targets {
        let detail = r.get(&format!("/api/v1/cases/{target}")).await;
        let updated = stamp(&detail["updated_at"]);
        let events = detail["timeline"].as_array().expect("timeline");
        let ours: Vec<&Value> =
            events.iter().filter(|e| e["body"].as_str().is_some_and(|b| b.starts_with(&r.prefix()))).collect();
        for write in mine(writes, Kind::Message).filter(|w| w.case == target) {
            let found: Vec<&&Value> = ours.iter().filter(|e| e["body"] == write.marker.as_str()).collect();
            tally.count(write, found.len());
            for event in found {
                // The event and the case's `updated_at` are written together.
                let whole = event["kind"] == "message"
                    && event["author"]["id"] == "usr_ada"
                    && stamp(&event["created_at"]) <= updated;
                tally.check(whole, || format!("a half-written message on {target}: {event}, case updated {updated}"));
            }
        }
        let written = mine(writes, Kind::Message).filter(|w| w.case == target).count();
        tally.check(ours.len() <= written, || format!("{} messages on {target}, {written} written", ours.len()));
    }
}

/// The attachment is listed with its bytes' size and hash, downloads as exactly those bytes,
/// and its `attachment_added` event names it.
async fn is_whole_file(r: &Restarted, detail: &Value, attachment: &Value, expected: &[u8]) -> bool {
    let id = attachment["id"].as_str().unwrap_or_default();
    let res = r.client.get(format!("{}/api/v1/attachments/{id}", r.base)).send().await.expect("download");
    let downloaded = res.bytes().await.expect("bytes");
    let announced = detail["timeline"].as_array().expect("timeline").iter().any(|e| {
        e["kind"] == "attachment_added" && e["attachments"].as_array().is_some_and(|a| a.iter().any(|a| a["id"] == id))
    });
    attachment["size"] == expected.len()
        && attachment["sha256"] == sha256_hex(expected).as_str()
        && sha256_hex(&downloaded) == sha256_hex(expected)
        && announced
}

/// An unanswered file not listed after the restart: the rest of it is sent from the offset the
/// server gives, and it must become the whole file.
async fn resume(r: &Restarted, path: &str, bytes: &[u8]) -> Option<Value> {
    let url = &format!("{}{path}", r.base);
    let head = tus(r.client.head(url)).send().await.ok()?;
    let offset: usize = head.headers().get("upload-offset")?.to_str().ok()?.parse().ok()?;
    let rest =
        patch(&r.client, url, offset, bytes.get(offset..)?).header("X-Requested-With", "test").send().await.ok()?;
    (rest.status() == 204).then_some(())?;
    Some(r.get(path).await["attachment"].clone())
}

async fn check_files(r: &Restarted, writes: &[Write], tally: &mut Tally) {
    let targets: BTreeSet<&str> = mine(writes, Kind::File).map(|w| w.case.as_str()).collect();
    let prefix = r.prefix().replace(' ', "-");
    for target in targets {
        let detail = r.get(&format!("/api/v1/cases/{target}")).await;
        let files = detail["attachments"].as_array().expect("attachments");
        let ours: Vec<&Value> =
            files.iter().filter(|f| f["file_name"].as_str().is_some_and(|n| n.starts_with(&prefix))).collect();
        for write in mine(writes, Kind::File).filter(|w| w.case == target) {
            let bytes = content(&write.marker);
            let found: Vec<&&Value> = ours.iter().filter(|f| f["file_name"] == write.marker.as_str()).collect();
            tally.count(write, found.len());
            for file in &found {
                let whole = is_whole_file(r, &detail, file, &bytes).await;
                tally.check(whole, || format!("a half-written file: {file}"));
            }
            if let (Outcome::Unanswered, true, Some(path)) = (write.outcome, found.is_empty(), &write.upload) {
                let finished = resume(r, path, &bytes).await;
                let detail = r.get(&format!("/api/v1/cases/{target}")).await;
                let whole = match &finished {
                    Some(file) => is_whole_file(r, &detail, file, &bytes).await,
                    None => false,
                };
                tally.check(whole, || format!("{} does not resume into the whole file: {finished:?}", write.marker));
                tally.resumed += 1;
            }
        }
    }
}

/// Below the API: every attachment row has its file of its size and every file its row; every
/// upload folder of parts belongs to an unfinished upload; no event or case is orphaned or empty.
fn check_disk(data: &std::path::Path, tally: &mut Tally) {
    let db = portal_api::sql::Connection::open(&data.join("portal.sqlite3").to_string_lossy()).expect("db");
    let rows: Vec<(String, u64)> = db
        .prepare("SELECT id, size FROM attachments")
        .and_then(|mut s| s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect())
        .expect("attachments");
    let files = names_in(&data.join("attachments"));
    for (id, size) in &rows {
        let on_disk = std::fs::metadata(data.join("attachments").join(id)).map(|m| m.len()).ok();
        tally.check(on_disk == Some(*size), || format!("attachment {id}: {size} bytes listed, {on_disk:?} on disk"));
    }
    let listed: BTreeSet<String> = rows.into_iter().map(|(id, _)| id).collect();
    tally.check(files == listed, || format!("attachment files {files:?} but rows {listed:?}"));
    let unfinished: BTreeSet<String> = db
        .prepare("SELECT id FROM uploads WHERE attachment_id IS NULL")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .expect("uploads");
    let parts = names_in(&data.join("uploads"));
    tally.check(parts.is_subset(&unfinished), || format!("parts {parts:?} of no unfinished upload"));
    let broken: i64 = db
        .query_row(
            "SELECT (SELECT COUNT(*) FROM cases WHERE subject = '' OR number IS NULL OR requester_id IS NULL) + \
             (SELECT COUNT(*) FROM events e LEFT JOIN cases c ON c.id = e.case_id WHERE c.id IS NULL)",
            [],
            |r| r.get(0),
        )
        .expect("query");
    tally.check(broken == 0, || format!("{broken} empty cases or orphaned events"));
    let integrity: String = db.query_row("PRAGMA integrity_check", [], |r| r.get(0)).expect("integrity");
    tally.check(integrity == "ok", || format!("integrity: {integrity}"));
}

fn names_in(dir: &std::path::Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(|e| e.ok()?.file_name().into_string().ok()).collect())
        .unwrap_or_default()
}

/// Open Acme cases to write to, the same every round.
async fn targets(base: &str, client: &reqwest::Client) -> Vec<String> {
    let url = format!("{base}/api/v1/accounts/acc_acme/cases?status=new,in_progress,waiting_on_customer&limit=100");
    let page: Value = client.get(url).send().await.expect("list").json().await.expect("json");
    let mut ids: Vec<String> =
        page["data"].as_array().expect("data").iter().map(|c| c["id"].as_str().expect("id").to_owned()).collect();
    ids.sort();
    assert!(ids.len() >= MESSAGE_WRITERS + 3 * FILE_WRITERS, "enough open demo cases");
    ids
}

/// Starts every writer, kills the server after `kill_after`, and answers what each writer was
/// told with how many requests were unanswered at the kill.
async fn burst_until_killed(
    b: Burst,
    targets: &[String],
    server: &mut Child,
    kill_after: Duration,
) -> (Vec<Write>, usize) {
    let round = b.round as usize;
    let mut writers = vec![tokio::spawn(open_cases(b.clone()))];
    for (w, case) in targets.iter().take(MESSAGE_WRITERS).enumerate() {
        writers.push(tokio::spawn(post_messages(b.clone(), w, case.clone())));
    }
    for w in 0..FILE_WRITERS {
        // A case per file writer and round, so no case reaches its limit of files.
        let case = targets[MESSAGE_WRITERS + round * FILE_WRITERS + w].clone();
        writers.push(tokio::spawn(upload_files(b.clone(), w, case)));
    }
    tokio::time::sleep(kill_after).await;
    let in_flight = b.in_flight.load(Ordering::SeqCst);
    // SIGKILL: no graceful shutdown, no chance to finish or flush anything more.
    server.kill().expect("kill");
    server.wait().expect("reaped");
    let mut writes = Vec::new();
    for writer in writers {
        writes.extend(writer.await.expect("writer"));
    }
    (writes, in_flight)
}

#[tokio::test]
async fn every_acknowledged_write_is_whole_after_a_kill_with_requests_in_flight() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let mut cases = Vec::new();
    for round in 0..3u64 {
        let port = free_port();
        let mut server = spawn(&data, port);
        let base = format!("http://127.0.0.1:{port}");
        let client = signed_in_when_up(&base, ADA).await;
        if cases.is_empty() {
            cases = targets(&base, &client).await;
        }
        let b = Burst { base, client, round, in_flight: Arc::new(AtomicUsize::new(0)) };
        // Kill at a different point each round.
        let (writes, in_flight) =
            burst_until_killed(b, &cases, &mut server, Duration::from_millis(300 + 250 * round)).await;
        assert!(in_flight > 0, "round {round}: no request was in flight at the kill");

        let port = free_port();
        let mut again = spawn(&data, port);
        let base = format!("http://127.0.0.1:{port}");
        let r = Restarted { client: signed_in_when_up(&base, ADA).await, base, round };
        let mut tally = Tally::default();
        check_cases(&r, &writes, &mut tally).await;
        check_messages(&r, &writes, &mut tally).await;
        check_files(&r, &writes, &mut tally).await;
        check_disk(&data, &mut tally);
        again.kill().expect("kill");
        let _ = again.wait();
        eprintln!("round {round}: {in_flight} requests in flight at the kill; {tally:?}");
        assert!(tally.acknowledged > 5, "round {round}: the burst wrote something: {tally:?}");
        assert!(tally.problems.is_empty(), "round {round}: {:#?}", tally.problems);
    }
}

#[tokio::test]
async fn an_upload_killed_mid_chunk_resumes_from_its_acknowledged_offset_and_lists_no_partial_file() {
    use base64::Engine as _;
    use sha2::Digest;
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let port = free_port();
    let mut server = spawn(&data, port);
    let base = format!("http://127.0.0.1:{port}");
    let client = signed_in_when_up(&base, ADA).await;
    let page: Value = client
        .get(format!("{base}/api/v1/accounts/acc_acme/cases?status=in_progress&limit=1"))
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("json");
    let case_id = page["data"][0]["id"].as_str().expect("a case").to_owned();
    let bytes: Vec<u8> = (0..8 << 20).map(|i: u32| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let created = client
        .post(format!("{base}/api/v1/uploads"))
        .header("Tus-Resumable", "1.0.0")
        .header("X-Requested-With", "test")
        .header("Upload-Length", bytes.len().to_string())
        .header("Upload-Metadata", format!("filename {},case_id {}", b64("big.log"), b64(&case_id)))
        .send()
        .await
        .expect("create");
    let url = format!("{base}{}", created.headers()["location"].to_str().expect("location"));
    let patch = |offset: usize, body: reqwest::Body| {
        client
            .patch(&url)
            .header("Tus-Resumable", "1.0.0")
            .header("X-Requested-With", "test")
            .header("Upload-Offset", offset.to_string())
            .header("Content-Type", "application/offset+octet-stream")
            .body(body)
            .send()
    };
    let first = patch(0, bytes[..1 << 20].to_vec().into()).await.expect("first chunk");
    assert_eq!(first.status(), 204);

    // The second chunk is streaming when the server is killed.
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(4);
    let stream = futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|item| (item, rx)) });
    let in_flight = tokio::spawn(patch(1 << 20, reqwest::Body::wrap_stream(stream)));
    for piece in bytes[1 << 20..3 << 20].chunks(256 << 10) {
        tx.send(Ok(piece.to_vec())).await.expect("piece");
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    server.kill().expect("kill");
    server.wait().expect("reaped");
    drop(tx);
    let _ = in_flight.await;

    let mut server = spawn(&data, port);
    let client = signed_in_when_up(&base, ADA).await;
    let head = client.head(&url).header("Tus-Resumable", "1.0.0").send().await.expect("HEAD");
    let offset: usize = head.headers()["upload-offset"].to_str().expect("offset").parse().expect("number");
    assert!((1 << 20..=3 << 20).contains(&offset), "resumes from an acknowledged offset, not {offset}");
    let detail: Value =
        client.get(format!("{base}/api/v1/cases/{case_id}")).send().await.expect("case").json().await.expect("json");
    assert!(detail["attachments"].as_array().expect("list").is_empty(), "no partial file is listed");
    let rest = client
        .patch(&url)
        .header("Tus-Resumable", "1.0.0")
        .header("X-Requested-With", "test")
        .header("Upload-Offset", offset.to_string())
        .header("Content-Type", "application/offset+octet-stream")
        .body(bytes[offset..].to_vec())
        .send()
        .await
        .expect("the rest");
    assert_eq!(rest.status(), 204);
    let state: Value = client.get(&url).send().await.expect("state").json().await.expect("json");
    let expected: String = sha2::Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(state["attachment"]["sha256"], expected.as_str(), "the file is whole and exact");
    server.kill().expect("kill");
    let _ = server.wait();
}
