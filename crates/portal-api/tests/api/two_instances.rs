//! Two `portal-api` processes on one PostgreSQL database and one bucket, as behind a load
//! balancer: what one writes the other reads, an upload moves between them chunk by chunk, and
//! the races that one process settles in its memory (an Idempotency-Key, confirm against
//! decline, one writer per upload) are settled across both; one SIGKILLed mid burst loses no
//! acknowledged write, and one SIGKILLed mid chunk leaves an upload the other resumes.
//!
//! These run in the test command's PostgreSQL phase only (its SQLite phase skips them by name).
//! Run on their own without `PORTAL_TEST_DATABASE_URL` they fail: passing on nothing proves
//! nothing.

use crate::common;

use common::{ADA, ALEX, Database, PASSWORD, b64, new_case};
use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The bucket of the PostgreSQL phase (`s3://bucket?endpoint=…&region=…`, credentials in the
/// AWS_* variables the processes inherit).
const OBJECT_STORE_VAR: &str = "PORTAL_TEST_OBJECT_STORE";

fn object_store() -> Option<String> {
    std::env::var(OBJECT_STORE_VAR).ok().filter(|u| !u.is_empty())
}

/// The bucket under a prefix of this pair's own (named after its database), shared by A and B.
fn shared_object_store(database: &Database) -> Option<String> {
    let mut url = url::Url::parse(&object_store()?).expect("PORTAL_TEST_OBJECT_STORE is a URL");
    url.set_path(&format!("/{}", database.url.rsplit('/').next().unwrap_or("two-instances")));
    Some(url.to_string())
}

fn shared_database() -> Database {
    let admin = common::postgres_admin_url().unwrap_or_else(|| {
        panic!(
            "{} is not set: the two-instance tests run in the PostgreSQL phase of `cargo xtask test` \
             (`cargo xtask test --only postgres`)",
            common::DATABASE_URL_VAR
        )
    });
    Database::create(&admin)
}

/// One `portal-api` process, killed when dropped; its stderr is kept for a failure's message.
struct Instance {
    child: Child,
    base: String,
    dir: tempfile::TempDir,
}

impl Instance {
    fn spawn(database: &Database, object_store: Option<&str>) -> Instance {
        let dir = tempfile::tempdir().expect("temp dir");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        let log = std::fs::File::create(dir.path().join("stderr.log")).expect("log file");
        let mut command = Command::new(env!("CARGO_BIN_EXE_portal-api"));
        command
            .args(["--addr", &format!("127.0.0.1:{port}"), "--static-dir", "/nonexistent", "--demo"])
            // The bursts open and post far more than one person would in an hour.
            .args(["--cases-per-hour", "100000", "--data-dir"])
            .arg(dir.path().join("data"))
            .args(common::backend_args(Some(database)));
        if let Some(bucket) = object_store {
            command.args(["--object-store", bucket]);
        }
        let child = command.stdout(Stdio::null()).stderr(log).spawn().expect("portal-api starts");
        Instance { child, base: format!("http://127.0.0.1:{port}"), dir }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn stderr(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("stderr.log")).unwrap_or_default()
    }

    /// Waits until `GET /api/v1/health` answers 200 (migrated, seeded, both backends reachable).
    async fn until_healthy(&mut self) {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let answer = reqwest::get(self.url("/api/v1/health")).await;
            if answer.is_ok_and(|r| r.status() == 200) {
                return;
            }
            if let Ok(Some(exit)) = self.child.try_wait() {
                panic!("{} exited ({exit}) before it was healthy:\n{}", self.base, self.stderr());
            }
            assert!(Instant::now() < deadline, "{} did not become healthy:\n{}", self.base, self.stderr());
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    fn kill(&mut self) {
        // SIGKILL: no graceful shutdown, nothing flushed.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A and B on a fresh database and bucket prefix, B started once A is up (a rolling start;
/// starting both at once has its own test).
struct Pair {
    a: Instance,
    b: Instance,
    // Dropped last: the instances first.
    database: Database,
}

async fn pair() -> Pair {
    let database = shared_database();
    let bucket = shared_object_store(&database);
    let mut a = Instance::spawn(&database, bucket.as_deref());
    a.until_healthy().await;
    let mut b = Instance::spawn(&database, bucket.as_deref());
    b.until_healthy().await;
    Pair { a, b, database }
}

#[tokio::test]
async fn both_started_at_once_on_an_empty_database_migrate_and_seed_it_once() {
    let database = shared_database();
    let bucket = shared_object_store(&database);
    let (mut a, mut b) = (Instance::spawn(&database, bucket.as_deref()), Instance::spawn(&database, bucket.as_deref()));
    tokio::join!(a.until_healthy(), b.until_healthy());
    let ada = signed_in(&a, ADA).await;
    let (_, on_a) =
        json_of(ada.get(a.url("/api/v1/accounts/acc_acme/cases?limit=100")).send().await.expect("list")).await;
    let (_, on_b) =
        json_of(ada.get(b.url("/api/v1/accounts/acc_acme/cases?limit=100")).send().await.expect("list")).await;
    let ids = |page: &Value| -> Vec<String> {
        page["data"].as_array().expect("data").iter().filter_map(|c| c["id"].as_str().map(str::to_owned)).collect()
    };
    assert!(!ids(&on_a).is_empty(), "{on_a}");
    assert_eq!(ids(&on_a), ids(&on_b), "one demo, seen alike");
    let mut subjects: Vec<&str> =
        on_a["data"].as_array().expect("data").iter().filter_map(|c| c["subject"].as_str()).collect();
    let all = subjects.len();
    subjects.sort_unstable();
    subjects.dedup();
    assert_eq!(subjects.len(), all, "the demo cases were seeded once, not by both");
}

/// A client with the CSRF header, signed in on `on`. Cookies are kept per host, not per port,
/// so the same client then carries the session to the other instance too, as a browser behind a
/// balancer does.
async fn signed_in(on: &Instance, email: &str) -> reqwest::Client {
    let mut headers = HeaderMap::new();
    headers.insert("X-Requested-With", HeaderValue::from_static("tests"));
    let client = reqwest::Client::builder().cookie_store(true).default_headers(headers).build().expect("client");
    let res = client
        .post(on.url("/api/v1/session"))
        .json(&json!({"email": email, "password": PASSWORD}))
        .send()
        .await
        .expect("sign in");
    let status = res.status();
    assert_eq!(
        status,
        200,
        "{email} signs in on {}: {}\n{}",
        on.base,
        res.text().await.unwrap_or_default(),
        on.stderr()
    );
    client
}

async fn json_of(res: reqwest::Response) -> (u16, Value) {
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn open_case(on: &Instance, client: &reqwest::Client, subject: &str) -> String {
    let res = client.post(on.url("/api/v1/accounts/acc_acme/cases")).json(&new_case(subject)).send().await;
    let (status, case) = json_of(res.expect("POST case")).await;
    assert_eq!(status, 201, "{case}");
    case["id"].as_str().expect("id").to_owned()
}

async fn case_detail(on: &Instance, client: &reqwest::Client, id: &str) -> Value {
    let (status, detail) = json_of(client.get(on.url(&format!("/api/v1/cases/{id}"))).send().await.expect("GET")).await;
    assert_eq!(status, 200, "{detail}");
    detail
}

#[tokio::test]
async fn a_case_opened_on_one_is_read_on_the_other_with_the_same_session() {
    let p = pair().await;
    let ada = signed_in(&p.a, ADA).await;
    let id = open_case(&p.a, &ada, "Opened on A").await;

    let detail = case_detail(&p.b, &ada, &id).await;
    assert_eq!(detail["subject"], "Opened on A");
    let (status, list) =
        json_of(ada.get(p.b.url("/api/v1/accounts/acc_acme/cases?q=Opened%20on%20A")).send().await.expect("list"))
            .await;
    assert_eq!(status, 200);
    let ids: Vec<&str> = list["data"].as_array().expect("data").iter().filter_map(|c| c["id"].as_str()).collect();
    assert_eq!(ids, [id.as_str()]);

    // The session is the database's: signed out on B, the same cookie is refused on A.
    let cookie = session_cookie(&p.a, ADA).await;
    let read_on_a =
        || reqwest::Client::new().get(p.a.url(&format!("/api/v1/cases/{id}"))).header("Cookie", &cookie).send();
    assert_eq!(read_on_a().await.expect("GET").status(), 200);
    let signed_out = reqwest::Client::new()
        .delete(p.b.url("/api/v1/session"))
        .header("Cookie", &cookie)
        .header("X-Requested-With", "tests")
        .send()
        .await
        .expect("sign out");
    assert_eq!(signed_out.status(), 204);
    assert_eq!(read_on_a().await.expect("GET").status(), 401);
}

/// `name=value` of the session cookie a fresh sign-in on `on` sets.
async fn session_cookie(on: &Instance, email: &str) -> String {
    let res = reqwest::Client::new()
        .post(on.url("/api/v1/session"))
        .header("X-Requested-With", "tests")
        .json(&json!({"email": email, "password": PASSWORD}))
        .send()
        .await
        .expect("sign in");
    let cookie = res.headers().get("set-cookie").and_then(|c| c.to_str().ok()).expect("a session cookie");
    cookie.split(';').next().expect("name=value").to_owned()
}

async fn patch(client: &reqwest::Client, url: &str, offset: usize, chunk: &[u8]) -> reqwest::Response {
    client
        .patch(url)
        .header("Tus-Resumable", "1.0.0")
        .header("Upload-Offset", offset.to_string())
        .header("Content-Type", "application/offset+octet-stream")
        .body(chunk.to_vec())
        .send()
        .await
        .expect("PATCH")
}

async fn upload_offset(client: &reqwest::Client, url: &str) -> Option<usize> {
    let res = client.head(url).header("Tus-Resumable", "1.0.0").send().await.expect("HEAD");
    res.headers().get("upload-offset")?.to_str().ok()?.parse().ok()
}

#[tokio::test]
async fn an_upload_created_on_one_continued_on_the_other_is_downloaded_whole_from_either() {
    let bucket = object_store();
    assert!(
        bucket.is_some(),
        "{OBJECT_STORE_VAR} is not set: an upload split across two instances needs their shared object store"
    );
    let p = pair().await;
    let ada = signed_in(&p.a, ADA).await;
    let case = open_case(&p.a, &ada, "A trace in three requests").await;
    // Larger than S3's smallest multipart part, and not a multiple of anything.
    let bytes: Vec<u8> = (0..(6 << 20) + 12_345).map(|i: u32| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
    let (first, rest) = bytes.split_at((5 << 20) + 777);
    let (second, third) = rest.split_at(300_001);

    let meta =
        format!("filename {},filetype {},case_id {}", b64(b"trace.log"), b64(b"text/plain"), b64(case.as_bytes()));
    let created = ada
        .post(p.a.url("/api/v1/uploads"))
        .header("Tus-Resumable", "1.0.0")
        .header("Upload-Length", bytes.len().to_string())
        .header("Upload-Metadata", meta)
        .send()
        .await
        .expect("create on A");
    assert_eq!(created.status(), 201);
    let location = created.headers()["location"].to_str().expect("location").to_owned();
    let (on_a, on_b) = (p.a.url(&location), p.b.url(&location));

    assert_eq!(patch(&ada, &on_b, 0, first).await.status(), 204, "the first chunk on B");
    assert_eq!(upload_offset(&ada, &on_a).await, Some(first.len()), "A sees B's offset");
    assert_eq!(patch(&ada, &on_b, first.len(), second).await.status(), 204, "the second chunk on B");
    // Two PATCHes at once on the two instances: the upload lock is shared, so one of them waits
    // its turn (423) or finds the offset moved (409); never both written.
    let offset = first.len() + second.len();
    let (x, y) = tokio::join!(patch(&ada, &on_a, offset, third), patch(&ada, &on_b, offset, third));
    let mut codes = [x.status().as_u16(), y.status().as_u16()];
    codes.sort_unstable();
    assert!(codes == [204, 409] || codes == [204, 423], "the last chunk twice at once: {codes:?}");

    let (status, upload) = json_of(ada.get(&on_b).send().await.expect("GET upload on B")).await;
    assert_eq!(status, 200, "{upload}");
    let attachment = upload["attachment"]["id"].as_str().expect("finished into an attachment").to_owned();
    for (name, instance) in [("A", &p.a), ("B", &p.b)] {
        let res = ada.get(instance.url(&format!("/api/v1/attachments/{attachment}"))).send().await.expect("download");
        assert_eq!(res.status(), 200, "download from {name}");
        let downloaded = res.bytes().await.expect("bytes");
        assert!(downloaded.as_ref() == bytes.as_slice(), "{name} serves {} bytes, not the same", downloaded.len());
    }
}

/// Creates an upload of `length` bytes on `on`; its path.
async fn create_upload(on: &Instance, client: &reqwest::Client, case: &str, name: &str, length: usize) -> String {
    let meta =
        format!("filename {},filetype {},case_id {}", b64(name.as_bytes()), b64(b"text/plain"), b64(case.as_bytes()));
    let created = client
        .post(on.url("/api/v1/uploads"))
        .header("Tus-Resumable", "1.0.0")
        .header("Upload-Length", length.to_string())
        .header("Upload-Metadata", meta)
        .send()
        .await
        .expect("create");
    assert_eq!(created.status(), 201);
    created.headers()["location"].to_str().expect("location").to_owned()
}

/// Waits until a request on A holds the upload at `location` (its lease is in the database).
async fn until_leased(p: &Pair, location: &str) {
    let upload_id = location.rsplit('/').next().expect("id").to_owned();
    let database = portal_api::sql::Connection::open(&p.database.url).expect("the shared database");
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let leases: i64 = database
            .query_row("SELECT COUNT(*) FROM upload_leases WHERE upload_id = ?1", portal_api::params![upload_id], |r| {
                r.get(0)
            })
            .expect("the upload's lease");
        if leases == 1 {
            return;
        }
        assert!(Instant::now() < deadline, "A never took the upload:\n{}", p.a.stderr());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// A `PATCH` at `offset` whose body arrives as the test sends it; it ends when the sender is
/// dropped.
fn streaming_patch(
    client: &reqwest::Client,
    url: &str,
    offset: usize,
    length: usize,
) -> (tokio::sync::mpsc::Sender<Vec<u8>>, tokio::task::JoinHandle<reqwest::Result<reqwest::Response>>) {
    let (pieces, rx) = tokio::sync::mpsc::channel::<Vec<u8>>(1);
    let body = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|piece| (Ok::<_, std::io::Error>(piece), rx))
    });
    let request = client
        .patch(url)
        .header("Tus-Resumable", "1.0.0")
        .header("Upload-Offset", offset.to_string())
        .header("Content-Type", "application/offset+octet-stream")
        .header("Content-Length", length.to_string())
        .body(reqwest::Body::wrap_stream(body));
    (pieces, tokio::spawn(request.send()))
}

#[tokio::test]
async fn two_patches_at_once_on_the_two_one_writes_and_the_other_is_told_423() {
    let p = pair().await;
    let ada = signed_in(&p.a, ADA).await;
    let case = open_case(&p.a, &ada, "Two chunks at once").await;
    let bytes: Vec<u8> = (0..200_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
    let location = create_upload(&p.a, &ada, &case, "race.log", bytes.len()).await;
    let (on_a, on_b) = (p.a.url(&location), p.b.url(&location));

    // A's PATCH streams its body slowly, holding the upload while it waits for the rest.
    let (pieces, slow) = streaming_patch(&ada, &on_a, 0, bytes.len());
    pieces.send(bytes[..100_000].to_vec()).await.expect("the first half");
    until_leased(&p, &location).await;

    let on_b_meanwhile = patch(&ada, &on_b, 0, &bytes).await;
    pieces.send(bytes[100_000..].to_vec()).await.expect("the second half");
    drop(pieces);
    let on_a_answer = slow.await.expect("join").expect("A's PATCH");
    let codes = [on_a_answer.status().as_u16(), on_b_meanwhile.status().as_u16()];
    assert_eq!(codes, [204, 423], "A writes, B is told to wait: {:?}", on_b_meanwhile.text().await);
    assert_eq!(upload_offset(&ada, &on_b).await, Some(bytes.len()), "B sees A's bytes, written once");
}

#[tokio::test]
async fn an_upload_whose_instance_dies_mid_chunk_is_resumed_on_the_other_once_its_lease_runs_out() {
    let mut p = pair().await;
    let ada = signed_in(&p.a, ADA).await;
    let case = open_case(&p.a, &ada, "A chunk cut off").await;
    let bytes: Vec<u8> = (0..300_000u32).map(|i| (i.wrapping_mul(2_246_822_519) >> 24) as u8).collect();
    let location = create_upload(&p.a, &ada, &case, "cut.log", bytes.len()).await;
    let (on_a, on_b) = (p.a.url(&location), p.b.url(&location));
    assert_eq!(patch(&ada, &on_a, 0, &bytes[..100_000]).await.status(), 204);

    // A dies while the second chunk streams to it, holding the upload's lease.
    let (pieces, cut) = streaming_patch(&ada, &on_a, 100_000, 100_000);
    pieces.send(bytes[100_000..150_000].to_vec()).await.expect("half the chunk");
    until_leased(&p, &location).await;
    p.a.kill();
    let killed = Instant::now();
    drop(pieces);
    assert!(cut.await.expect("join").is_err(), "A never answered the chunk it died with");

    assert_eq!(upload_offset(&ada, &on_b).await, Some(100_000), "B resumes from what A acknowledged");
    let first_try = patch(&ada, &on_b, 100_000, &bytes[100_000..]).await;
    assert_eq!(first_try.status(), 423, "A's lease outlives A for a while");
    // As the portal does: the chunk again, backing off, until the dead holder's lease ran out.
    let resumed = loop {
        tokio::time::sleep(Duration::from_secs(1)).await;
        let res = patch(&ada, &on_b, 100_000, &bytes[100_000..]).await;
        if res.status() != 423 {
            break res;
        }
        assert!(killed.elapsed() < Duration::from_secs(45), "the dead instance's lease never ran out");
    };
    assert_eq!(resumed.status(), 204);
    let waited = killed.elapsed();
    eprintln!("resumed on B {waited:?} after A died holding the upload");
    assert!(waited < Duration::from_secs(35), "the lease lasts 30 s, not {waited:?}");
    let (status, upload) = json_of(ada.get(&on_b).send().await.expect("GET upload on B")).await;
    assert_eq!(status, 200, "{upload}");
    let id = upload["attachment"]["id"].as_str().expect("finished");
    let res = ada.get(p.b.url(&format!("/api/v1/attachments/{id}"))).send().await.expect("download");
    assert!(
        res.bytes().await.expect("bytes").as_ref() == bytes.as_slice(),
        "whole and exact, nothing of the cut chunk"
    );
}

#[tokio::test]
async fn the_same_idempotency_key_on_both_at_once_opens_one_case() {
    let p = pair().await;
    let ada = signed_in(&p.a, ADA).await;
    for round in 0..5 {
        let subject = format!("Idempotent round {round}");
        let key = format!("two-instances-{round}");
        let post = |on: &Instance| {
            ada.post(on.url("/api/v1/accounts/acc_acme/cases"))
                .header("Idempotency-Key", &key)
                .json(&new_case(&subject))
                .send()
        };
        let (x, y) = tokio::join!(post(&p.a), post(&p.b));
        let answers = [json_of(x.expect("POST on A")).await, json_of(y.expect("POST on B")).await];
        let query = format!("/api/v1/accounts/acc_acme/cases?q={}", subject.replace(' ', "%20"));
        let (_, list) = json_of(ada.get(p.b.url(&query)).send().await.expect("list")).await;
        let found: Vec<&str> = list["data"].as_array().expect("data").iter().filter_map(|c| c["id"].as_str()).collect();
        assert_eq!(found.len(), 1, "round {round}: one case, not {found:?}; answers {answers:?}");
        for (status, body) in &answers {
            // The second waits for the first and replays its answer, or is told the first is
            // still running; either way never a second case.
            match status {
                201 => assert_eq!(body["id"], found[0], "round {round}: {body}"),
                409 => assert_eq!(body["error"]["code"], "idempotency_request_in_progress", "round {round}: {body}"),
                other => panic!("round {round}: {other} {body}"),
            }
        }
        assert!(answers.iter().any(|(s, _)| *s == 201), "round {round}: one of them opened it: {answers:?}");
    }
}

#[tokio::test]
async fn confirm_on_one_and_decline_on_the_other_at_once_have_one_winner() {
    let p = pair().await;
    let ada = signed_in(&p.a, ADA).await;
    let alex = signed_in(&p.b, ALEX).await;
    for round in 0..5 {
        let id = open_case(&p.a, &ada, &format!("Race {round}")).await;
        let post = |client: &reqwest::Client, on: &Instance, path: &str, body: Value| {
            client.post(on.url(&format!("/api/v1/cases/{id}/{path}"))).json(&body).send()
        };
        let (status, _) = json_of(post(&alex, &p.b, "updates", json!({"body": "on it"})).await.expect("update")).await;
        assert_eq!(status, 201);
        let proposed = post(&alex, &p.a, "resolution/propose", json!({"summary": "fixed"})).await.expect("propose");
        assert_eq!(proposed.status(), 200);

        let (c, d) = tokio::join!(
            post(&ada, &p.a, "resolution/confirm", json!({})),
            post(&ada, &p.b, "resolution/decline", json!({"reason": "no"}))
        );
        let mut codes = [c.expect("confirm").status().as_u16(), d.expect("decline").status().as_u16()];
        codes.sort_unstable();
        assert_eq!(codes, [200, 409], "round {round}");
        for on in [&p.a, &p.b] {
            let detail = case_detail(on, &ada, &id).await;
            let answers = detail["timeline"]
                .as_array()
                .expect("timeline")
                .iter()
                .filter(|e| e["kind"] == "resolution_confirmed" || e["kind"] == "resolution_declined")
                .count();
            assert_eq!(answers, 1, "round {round}: {detail}");
        }
    }
}

/// What a writer was told about one message.
#[derive(Debug, PartialEq)]
enum Outcome {
    Acknowledged,
    Refused(u16),
    Unanswered,
}

const BURST: usize = 200;
const WRITERS: usize = 4;

#[tokio::test]
async fn one_killed_mid_burst_loses_and_doubles_no_acknowledged_message() {
    let mut p = pair().await;
    let ada = signed_in(&p.a, ADA).await;
    let case = open_case(&p.a, &ada, "Burst across two").await;
    let urls = [p.a.url(&format!("/api/v1/cases/{case}/messages")), p.b.url(&format!("/api/v1/cases/{case}/messages"))];
    let acknowledged = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    // Writer w sends messages w, w + WRITERS, …, alternating between A and B.
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let (ada, urls, acknowledged) = (ada.clone(), urls.clone(), acknowledged.clone());
            tokio::spawn(async move {
                let mut outcomes = Vec::new();
                for n in (w..BURST).step_by(WRITERS) {
                    let body = json!({"body": format!("burst message {n}")});
                    let outcome = match ada.post(&urls[n % 2]).json(&body).send().await {
                        Ok(res) if res.status().is_success() => {
                            acknowledged.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                            Outcome::Acknowledged
                        }
                        Ok(res) => Outcome::Refused(res.status().as_u16()),
                        Err(_) => Outcome::Unanswered,
                    };
                    outcomes.push((n, outcome));
                }
                outcomes
            })
        })
        .collect();
    // A dies a third of the way in, with writes in flight on it.
    let deadline = Instant::now() + Duration::from_secs(60);
    while acknowledged.load(std::sync::atomic::Ordering::SeqCst) < BURST / 3 {
        assert!(Instant::now() < deadline, "the burst stalled");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    p.a.kill();
    let mut outcomes = BTreeMap::new();
    for writer in writers {
        outcomes.extend(writer.await.expect("writer"));
    }

    let detail = case_detail(&p.b, &ada, &case).await;
    let mut present: BTreeMap<usize, usize> = BTreeMap::new();
    for event in detail["timeline"].as_array().expect("timeline") {
        if let Some(n) = event["body"].as_str().and_then(|b| b.strip_prefix("burst message ")) {
            *present.entry(n.parse().expect("a burst number")).or_default() += 1;
        }
    }
    let mut problems = Vec::new();
    for (n, outcome) in &outcomes {
        let times = present.get(n).copied().unwrap_or(0);
        let fine = match outcome {
            Outcome::Acknowledged => times == 1,
            Outcome::Refused(_) => times == 0,
            // Its answer was lost with A: written whole once, or not at all.
            Outcome::Unanswered => times <= 1,
        };
        if !fine {
            problems.push(format!("message {n}: {outcome:?}, present {times} times"));
        }
    }
    let acked = outcomes.values().filter(|o| **o == Outcome::Acknowledged).count();
    let lost_with_a = outcomes.values().filter(|o| **o == Outcome::Unanswered).count();
    eprintln!("{acked} acknowledged, {lost_with_a} unanswered (A killed), {} present", present.values().sum::<usize>());
    assert!(problems.is_empty(), "{problems:#?}");
    assert!(acked > BURST / 2, "B kept taking writes after A died: {acked} acknowledged");
    assert!(lost_with_a > 0, "A was killed before the burst ended");
}
