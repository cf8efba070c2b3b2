//! The server killed (SIGKILL) in the middle of a burst of writes: after a restart every
//! acknowledged write is there, and no case or message is half-written.

mod common;

use common::{ADA, PASSWORD};
use serde_json::{Value, json};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

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

async fn signed_in(base: &str) -> reqwest::Client {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let client = reqwest::Client::builder().cookie_store(true).build().expect("client");
        let res = client
            .post(format!("{base}/api/v1/session"))
            .json(&json!({"email": ADA, "password": PASSWORD}))
            .send()
            .await;
        if res.is_ok_and(|r| r.status() == 200) {
            return client;
        }
        assert!(Instant::now() < deadline, "the server did not come up");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn acknowledged_writes_survive_a_kill_in_the_middle_of_a_burst() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    for round in 0..3u64 {
        let port = free_port();
        let mut server = spawn(&data, port);
        let base = format!("http://127.0.0.1:{port}");
        let client = signed_in(&base).await;
        let mut acknowledged: Vec<(String, String)> = Vec::new();
        // Kill at a different point each round, while writes are in flight.
        let kill_after = Duration::from_millis(150 + 170 * round);
        let started = Instant::now();
        let mut i = 0;
        while started.elapsed() < kill_after {
            i += 1;
            let subject = format!("durability round {round} write {i}");
            let created = client
                .post(format!("{base}/api/v1/accounts/acc_acme/cases"))
                .header("X-Requested-With", "test")
                .json(&json!({"kind": "problem", "severity": "low", "subject": subject, "description": "d"}))
                .send()
                .await;
            if let Ok(res) = created
                && res.status() == 201
                && let Ok(case) = res.json::<Value>().await
            {
                let id = case["id"].as_str().unwrap_or_default().to_owned();
                let reply = client
                    .post(format!("{base}/api/v1/cases/{id}/messages"))
                    .header("X-Requested-With", "test")
                    .json(&json!({"body": format!("reply to {subject}")}))
                    .send()
                    .await;
                acknowledged.push((id.clone(), subject.clone()));
                if reply.is_ok_and(|r| r.status() == 201) {
                    acknowledged.push((id, format!("reply to {subject}")));
                }
            }
        }
        // SIGKILL: no graceful shutdown, no chance to flush anything more.
        server.kill().expect("kill");
        let _ = server.wait();
        assert!(acknowledged.len() > 5, "round {round}: the burst wrote something ({})", acknowledged.len());

        let port = free_port();
        let mut again = spawn(&data, port);
        let base = format!("http://127.0.0.1:{port}");
        let client = signed_in(&base).await;
        for (id, text) in &acknowledged {
            let res = client.get(format!("{base}/api/v1/cases/{id}")).send().await.expect("get");
            assert_eq!(res.status(), 200, "round {round}: acknowledged case {id} is there");
            let case: Value = res.json().await.expect("json");
            if text.starts_with("reply to") {
                let bodies: Vec<&str> =
                    case["timeline"].as_array().expect("timeline").iter().filter_map(|e| e["body"].as_str()).collect();
                assert!(bodies.contains(&text.as_str()), "round {round}: acknowledged reply on {id}");
            } else {
                assert_eq!(case["subject"].as_str(), Some(text.as_str()));
                assert_eq!(case["status"], "new", "a whole case, in its first status");
            }
        }
        // Nothing half-written: every case and every event is complete and readable.
        let db = rusqlite::Connection::open(data.join("portal.sqlite3")).expect("db");
        let broken: i64 = db
            .query_row(
                "SELECT (SELECT COUNT(*) FROM cases WHERE subject = '' OR number IS NULL OR requester_id IS NULL) + \
                 (SELECT COUNT(*) FROM events e LEFT JOIN cases c ON c.id = e.case_id WHERE c.id IS NULL)",
                [],
                |r| r.get(0),
            )
            .expect("query");
        assert_eq!(broken, 0, "round {round}");
        let integrity: String = db.query_row("PRAGMA integrity_check", [], |r| r.get(0)).expect("integrity");
        assert_eq!(integrity, "ok");
        again.kill().expect("kill");
        let _ = again.wait();
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
    let client = signed_in(&base).await;
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
    let client = signed_in(&base).await;
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
