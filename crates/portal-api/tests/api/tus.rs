//! The tus 1.0.0 upload endpoint over real HTTP and a real data directory: offsets, checksums,
//! limits, termination, expiry, concurrency, other accounts, and safe downloads.

use crate::common;

use common::{ADA, BOB, Server, TUS, ada_case, b64, create};
use reqwest::{Client, Method, StatusCode};
use sha2::Digest;
use std::time::Duration;

async fn created(server: &Server, client: &Client, case_id: &str, name: &str, length: u64) -> String {
    let res = create(server, client, case_id, name, "text/plain", length).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    assert_eq!(res.headers()["tus-resumable"], "1.0.0");
    assert!(res.headers().contains_key("upload-expires"));
    server.url(res.headers()["location"].to_str().expect("location"))
}

async fn patch(client: &Client, url: &str, offset: u64, bytes: Vec<u8>, checksum: Option<String>) -> reqwest::Response {
    let mut req = client
        .patch(url)
        .header(TUS.0, TUS.1)
        .header("Upload-Offset", offset.to_string())
        .header("Content-Type", "application/offset+octet-stream");
    if let Some(c) = checksum {
        req = req.header("Upload-Checksum", c);
    }
    req.body(bytes).send().await.expect("PATCH")
}

async fn offset(client: &Client, url: &str) -> (StatusCode, Option<u64>) {
    let res = client.head(url).header(TUS.0, TUS.1).send().await.expect("HEAD");
    let offset = res.headers().get("upload-offset").and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok());
    (res.status(), offset)
}

fn bytes(n: usize, seed: u8) -> Vec<u8> {
    (0..n).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed)).collect()
}

#[tokio::test]
async fn options_advertise_the_protocol_and_limits() {
    let server = common::start_with(|c| c.uploads.max_size = 12_345).await;
    let res = server.anonymous().request(Method::OPTIONS, server.url("/api/v1/uploads")).send().await.expect("OPTIONS");
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let h = res.headers();
    assert_eq!(h["tus-version"], "1.0.0");
    assert_eq!(h["tus-extension"], "creation,checksum,termination,expiration");
    assert_eq!(h["tus-max-size"], "12345");
    assert_eq!(h["tus-checksum-algorithm"], "sha1,sha256");
    let ada = server.signed_in(ADA).await;
    let (_, config) = common::get_json(&ada, server.url("/api/v1/config")).await;
    assert_eq!(config["uploads"]["max_size"], 12_345);
    assert!(config["upload_chunk_size"].as_u64().is_some_and(|n| n > 0));
}

#[tokio::test]
async fn chunks_with_checksums_become_an_attachment_that_downloads_identical() {
    let server = common::start().await;
    let ada = server.signed_in(ADA).await;
    let case_id = ada_case(&server, &ada).await;
    let data = bytes(300_000, 7);
    let url = created(&server, &ada, &case_id, "bounces.log", data.len() as u64).await;
    let sha1 = format!("sha1 {}", b64(&sha1::Sha1::digest(&data[..100_000])));
    assert_eq!(patch(&ada, &url, 0, data[..100_000].to_vec(), Some(sha1)).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(offset(&ada, &url).await, (StatusCode::OK, Some(100_000)));
    let sha256 = format!("sha256 {}", b64(&sha2::Sha256::digest(&data[100_000..200_000])));
    let res = patch(&ada, &url, 100_000, data[100_000..200_000].to_vec(), Some(sha256)).await;
    assert_eq!(res.headers()["upload-offset"], "200000");
    let (_, state) = common::get_json(&ada, url.clone()).await;
    assert!(state["attachment"].is_null(), "not an attachment before the last byte");
    assert_eq!(patch(&ada, &url, 200_000, data[200_000..].to_vec(), None).await.status(), StatusCode::NO_CONTENT);

    let (_, state) = common::get_json(&ada, url).await;
    let attachment = &state["attachment"];
    assert_eq!(attachment["file_name"], "bounces.log");
    assert_eq!(attachment["size"], 300_000);
    let expected: String = sha2::Sha256::digest(&data).iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(attachment["sha256"], expected.as_str());
    let id = attachment["id"].as_str().expect("id");
    let res = ada.get(server.url(&format!("/api/v1/attachments/{id}"))).send().await.expect("download");
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    let disposition = res.headers()["content-disposition"].to_str().expect("ascii").to_owned();
    assert_eq!(disposition, "attachment; filename=\"bounces.log\"; filename*=UTF-8''bounces.log");
    assert_eq!(res.bytes().await.expect("body").to_vec(), data);
    assert_eq!(server.uploads_with_bytes().await, 0, "the parts are gone once the attachment is made");

    let (_, detail) = common::get_json(&ada, server.url(&format!("/api/v1/cases/{case_id}"))).await;
    assert!(detail["attachments"].as_array().expect("list").iter().any(|a| a["id"] == id));
    assert!(
        detail["timeline"]
            .as_array()
            .expect("timeline")
            .iter()
            .any(|e| e["kind"] == "attachment_added" && e["attachments"][0]["id"] == id)
    );
}

#[tokio::test]
async fn a_wrong_offset_is_a_conflict_and_moves_nothing() {
    let server = common::start().await;
    let ada = server.signed_in(ADA).await;
    let case_id = ada_case(&server, &ada).await;
    let url = created(&server, &ada, &case_id, "a.log", 10).await;
    assert_eq!(patch(&ada, &url, 0, b"hello".to_vec(), None).await.status(), StatusCode::NO_CONTENT);
    let res = patch(&ada, &url, 3, b"xxxxx".to_vec(), None).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let body: serde_json::Value = res.json().await.expect("json");
    assert_eq!(body["error"]["code"], "upload_offset_mismatch");
    assert_eq!(offset(&ada, &url).await.1, Some(5));
}

#[tokio::test]
async fn a_checksum_mismatch_is_460_and_the_chunk_is_discarded() {
    let server = common::start().await;
    let ada = server.signed_in(ADA).await;
    let case_id = ada_case(&server, &ada).await;
    let url = created(&server, &ada, &case_id, "a.log", 6).await;
    let wrong = format!("sha1 {}", b64(&sha1::Sha1::digest(b"other!")));
    let res = patch(&ada, &url, 0, b"abcdef".to_vec(), Some(wrong)).await;
    assert_eq!(res.status().as_u16(), 460);
    assert_eq!(offset(&ada, &url).await.1, Some(0));
    let right = format!("sha1 {}", b64(&sha1::Sha1::digest(b"abcdef")));
    assert_eq!(patch(&ada, &url, 0, b"abcdef".to_vec(), Some(right)).await.status(), StatusCode::NO_CONTENT);
    let (_, state) = common::get_json(&ada, url).await;
    let expected: String = sha2::Sha256::digest(b"abcdef").iter().map(|b| format!("{b:02x}")).collect();
    assert_eq!(state["attachment"]["sha256"], expected.as_str(), "the discarded chunk left no trace in the hash");
    let unsupported = patch(&ada, &server.url("/api/v1/uploads/upl_x"), 0, vec![], Some("md5 AAAA".into())).await;
    assert_eq!(unsupported.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn size_and_type_limits_refuse_before_any_byte_is_stored() {
    let server = common::start_with(|c| c.uploads.max_size = 1_000).await;
    let ada = server.signed_in(ADA).await;
    let case_id = ada_case(&server, &ada).await;
    let res = create(&server, &ada, &case_id, "big.log", "text/plain", 1_001).await;
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    for kind in ["text/html", "application/x-msdownload", "image/svg+xml"] {
        let res = create(&server, &ada, &case_id, "x.bin", kind, 10).await;
        assert_eq!(res.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE, "{kind}");
        let body: serde_json::Value = res.json().await.expect("json");
        assert_eq!(body["error"]["code"], "media_type_not_allowed");
    }
    // The name counts too: a page declared as text, or an executable with no declared type.
    for (name, kind) in [("page.html", "text/plain"), ("run.exe", "")] {
        let res = create(&server, &ada, &case_id, name, kind, 10).await;
        assert_eq!(res.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE, "{name}");
    }
    assert_eq!(server.uploads_with_bytes().await, 0, "nothing was created for a refused upload");

    // A body past the declared length is refused whole and the offset stays.
    let url = created(&server, &ada, &case_id, "a.log", 4).await;
    assert_eq!(patch(&ada, &url, 0, b"abcdefgh".to_vec(), None).await.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(offset(&ada, &url).await.1, Some(0));
    let res = ada
        .patch(&url)
        .header(TUS.0, TUS.1)
        .header("Upload-Offset", "0")
        .header("Content-Type", "application/octet-stream")
        .body("abcd")
        .send()
        .await
        .expect("PATCH");
    assert_eq!(res.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE, "PATCH must say offset+octet-stream");
    let res = ada.head(&url).send().await.expect("HEAD without Tus-Resumable");
    assert_eq!(res.status(), StatusCode::PRECONDITION_FAILED);
    assert_eq!(res.headers()["tus-version"], "1.0.0");
}

#[tokio::test]
async fn a_zero_length_file_is_an_attachment_at_once() {
    let server = common::start().await;
    let ada = server.signed_in(ADA).await;
    let case_id = ada_case(&server, &ada).await;
    let url = created(&server, &ada, &case_id, "empty.txt", 0).await;
    let (_, state) = common::get_json(&ada, url).await;
    assert_eq!(state["attachment"]["size"], 0);
    let id = state["attachment"]["id"].as_str().expect("id");
    let res = ada.get(server.url(&format!("/api/v1/attachments/{id}"))).send().await.expect("download");
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.bytes().await.expect("body").is_empty());
}

#[tokio::test]
async fn hostile_file_names_are_kept_as_text_and_never_become_paths() {
    let server = common::start().await;
    let ada = server.signed_in(ADA).await;
    let case_id = ada_case(&server, &ada).await;
    for (raw, kept) in [
        ("../../etc/passwd.txt", "passwd.txt"),
        ("C:\\Windows\\evil.log", "evil.log"),
        ("a\u{0}b\r\nc.txt", "abc.txt"),
        ("<script>alert(1)</script>.log", "script>.log"),
        ("<img src=x onerror=alert(1)>.txt", "<img src=x onerror=alert(1)>.txt"),
        ("\u{202e}gol.txt", "gol.txt"),
    ] {
        let url = created(&server, &ada, &case_id, raw, 2).await;
        assert_eq!(patch(&ada, &url, 0, b"ok".to_vec(), None).await.status(), StatusCode::NO_CONTENT);
        let (_, state) = common::get_json(&ada, url).await;
        assert_eq!(state["attachment"]["file_name"], kept, "{raw:?}");
        let id = state["attachment"]["id"].as_str().expect("id");
        let res = ada.get(server.url(&format!("/api/v1/attachments/{id}"))).send().await.expect("download");
        let disposition = res.headers()["content-disposition"].to_str().expect("ascii header").to_owned();
        assert!(disposition.starts_with("attachment; filename=\"") && disposition.contains("filename*=UTF-8''"));
        assert!(
            !disposition[..disposition.find("filename*").unwrap_or(0)].contains(['/', '\\', '<']) || kept.contains('<')
        );
    }
    let data = server.dir.path().join("data");
    let mut entries: Vec<String> = std::fs::read_dir(&data)
        .expect("data dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    entries.sort();
    assert!(
        entries
            .iter()
            .all(|e| e.starts_with("portal.sqlite3") || ["uploads", "attachments", "outbox"].contains(&e.as_str())),
        "{entries:?}"
    );
    assert!(!server.dir.path().join("etc").exists());
}

#[tokio::test]
async fn another_account_sees_no_upload_and_no_attachment() {
    let server = common::start().await;
    let ada = server.signed_in(ADA).await;
    let bob = server.signed_in(BOB).await;
    let case_id = ada_case(&server, &ada).await;
    assert_eq!(create(&server, &bob, &case_id, "x.log", "text/plain", 3).await.status(), StatusCode::NOT_FOUND);
    let url = created(&server, &ada, &case_id, "x.log", 3).await;
    assert_eq!(offset(&bob, &url).await.0, StatusCode::NOT_FOUND);
    assert_eq!(patch(&bob, &url, 0, b"abc".to_vec(), None).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(bob.delete(&url).header(TUS.0, TUS.1).send().await.expect("DELETE").status(), StatusCode::NOT_FOUND);
    assert_eq!(offset(&ada, &url).await.1, Some(0), "Bob's attempts wrote nothing");
    assert_eq!(patch(&ada, &url, 0, b"abc".to_vec(), None).await.status(), StatusCode::NO_CONTENT);
    let (_, state) = common::get_json(&ada, url.clone()).await;
    let id = state["attachment"]["id"].as_str().expect("id");
    let (status, body) = common::get_json(&bob, server.url(&format!("/api/v1/attachments/{id}"))).await;
    assert_eq!(status, 404);
    assert!(!body.to_string().contains("x.log"));
    assert_eq!(common::get_json(&bob, url).await.0, 404);
}

#[tokio::test]
async fn two_patches_at_once_one_waits_its_turn_with_423() {
    let server = common::start().await;
    let ada = server.signed_in(ADA).await;
    let case_id = ada_case(&server, &ada).await;
    let url = created(&server, &ada, &case_id, "slow.log", 10).await;
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(1);
    let stream = futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|item| (item, rx)) });
    let slow = {
        let (ada, url) = (ada.clone(), url.clone());
        tokio::spawn(async move {
            ada.patch(&url)
                .header(TUS.0, TUS.1)
                .header("Upload-Offset", "0")
                .header("Content-Type", "application/offset+octet-stream")
                .header("Content-Length", "6")
                .body(reqwest::Body::wrap_stream(stream))
                .send()
                .await
                .expect("slow PATCH")
        })
    };
    tx.send(Ok(b"abc".to_vec())).await.expect("first piece");
    // Let the slow request reach the handler and take the upload (it then waits for more body).
    tokio::time::sleep(Duration::from_millis(300)).await;
    let busy = patch(&ada, &url, 0, b"zz".to_vec(), None).await.status();
    assert_eq!(busy, StatusCode::LOCKED);
    tx.send(Ok(b"def".to_vec())).await.expect("second piece");
    drop(tx);
    let res = slow.await.expect("join");
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(res.headers()["upload-offset"], "6");
    assert_eq!(offset(&ada, &url).await.1, Some(6));
}

#[tokio::test]
async fn termination_deletes_the_bytes_and_a_finished_upload_stays() {
    let server = common::start().await;
    let ada = server.signed_in(ADA).await;
    let case_id = ada_case(&server, &ada).await;
    let url = created(&server, &ada, &case_id, "a.log", 10).await;
    assert_eq!(patch(&ada, &url, 0, b"abc".to_vec(), None).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(server.uploads_with_bytes().await, 1);
    let res = ada.delete(&url).header(TUS.0, TUS.1).send().await.expect("DELETE");
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(offset(&ada, &url).await.0, StatusCode::NOT_FOUND);
    assert_eq!(server.uploads_with_bytes().await, 0);

    let done = created(&server, &ada, &case_id, "b.log", 1).await;
    assert_eq!(patch(&ada, &done, 0, b"b".to_vec(), None).await.status(), StatusCode::NO_CONTENT);
    let res = ada.delete(&done).header(TUS.0, TUS.1).send().await.expect("DELETE");
    assert_eq!(res.status(), StatusCode::CONFLICT);
}

#[tokio::test]
async fn an_abandoned_upload_expires_and_its_bytes_are_swept() {
    let server = common::start_with(|c| c.uploads.expiry = Duration::from_millis(400)).await;
    let ada = server.signed_in(ADA).await;
    let case_id = ada_case(&server, &ada).await;
    let url = created(&server, &ada, &case_id, "a.log", 10).await;
    assert_eq!(patch(&ada, &url, 0, b"abc".to_vec(), None).await.status(), StatusCode::NO_CONTENT);
    let mut swept = false;
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let (status, _) = offset(&ada, &url).await;
        assert!(matches!(status, StatusCode::GONE | StatusCode::NOT_FOUND | StatusCode::OK), "{status}");
        if status == StatusCode::NOT_FOUND && server.uploads_with_bytes().await == 0 {
            swept = true;
            break;
        }
    }
    assert!(swept, "the expired upload and its parts are gone within 5 s");
}

#[tokio::test]
async fn the_files_per_case_limit_refuses_the_next_upload() {
    let server = common::start_with(|c| c.uploads.files_per_case = 2).await;
    let ada = server.signed_in(ADA).await;
    let case_id = ada_case(&server, &ada).await;
    for name in ["1.log", "2.log"] {
        let url = created(&server, &ada, &case_id, name, 5).await;
        assert_eq!(patch(&ada, &url, 0, b"a".to_vec(), None).await.status(), StatusCode::NO_CONTENT);
    }
    let res = create(&server, &ada, &case_id, "3.log", "text/plain", 5).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: serde_json::Value = res.json().await.expect("json");
    assert_eq!(body["error"]["details"][0]["param"], "case_id");
    assert_eq!(body["error"]["details"][0]["code"], "too_many_files");
    assert_eq!(server.uploads_with_bytes().await, 2);
}

#[tokio::test]
async fn a_repeated_create_with_one_idempotency_key_is_one_upload() {
    let server = common::start().await;
    let ada = server.signed_in(ADA).await;
    let case_id = ada_case(&server, &ada).await;
    let meta = format!("filename {},case_id {}", b64(b"a.log"), b64(case_id.as_bytes()));
    let mut locations = Vec::new();
    for _ in 0..2 {
        let res = ada
            .post(server.url("/api/v1/uploads"))
            .header(TUS.0, TUS.1)
            .header("Upload-Length", "5")
            .header("Upload-Metadata", &meta)
            .header("Idempotency-Key", "upload-once")
            .send()
            .await
            .expect("POST");
        assert_eq!(res.status(), StatusCode::CREATED);
        locations.push(res.headers()["location"].to_str().expect("location").to_owned());
    }
    assert_eq!(locations[0], locations[1]);
    let (first, second) = (server.url(&locations[0]), server.url(&locations[1]));
    assert_eq!(patch(&ada, &first, 0, b"ab".to_vec(), None).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(patch(&ada, &second, 2, b"c".to_vec(), None).await.status(), StatusCode::NO_CONTENT, "one upload");
    assert_eq!(server.uploads_with_bytes().await, 1);
}

/// A Location from a create that must have succeeded.
fn location(server: &Server, res: &reqwest::Response) -> String {
    assert_eq!(res.status(), StatusCode::CREATED);
    server.url(res.headers()["location"].to_str().expect("location"))
}

#[tokio::test]
async fn an_upload_past_the_storage_quota_is_refused_before_any_byte_is_stored() {
    let server = common::start_with(|c| c.uploads.storage_quota = 3 * 1024).await;
    let ada = server.signed_in(ADA).await;
    let (_, config) = common::get_json(&ada, server.url("/api/v1/config")).await;
    assert_eq!(config["storage_quota_bytes"], 3 * 1024);
    let case_id = ada_case(&server, &ada).await;

    let reserved = ada
        .post(server.url("/api/v1/uploads"))
        .header(TUS.0, TUS.1)
        .header("Upload-Length", "2048")
        .header("Upload-Metadata", format!("filename {},case_id {}", b64(b"big.log"), b64(case_id.as_bytes())))
        .header("Idempotency-Key", "quota-first")
        .send()
        .await
        .expect("POST");
    let url = location(&server, &reserved);
    assert_eq!(patch(&ada, &url, 0, bytes(1, 1), None).await.status(), StatusCode::NO_CONTENT);
    let over = create(&server, &ada, &case_id, "more.log", "text/plain", 1025).await;
    assert_eq!(over.status(), StatusCode::PAYLOAD_TOO_LARGE, "an unfinished upload reserves its length");
    let body: serde_json::Value = over.json().await.expect("json");
    common::assert_error_shape(&body, "storage_quota_exceeded");
    assert!(body["error"]["message"].as_str().is_some_and(|m| m.contains("3 KiB")), "names the quota: {body}");
    assert_eq!(server.uploads_with_bytes().await, 1, "nothing stored for the refused upload");
    created(&server, &ada, &case_id, "fits.log", 1024).await;

    assert_eq!(patch(&ada, &url, 1, bytes(2048, 1)[1..].to_vec(), None).await.status(), StatusCode::NO_CONTENT);
    let over = create(&server, &ada, &case_id, "one.log", "text/plain", 1).await;
    assert_eq!(over.status(), StatusCode::PAYLOAD_TOO_LARGE, "attachments count as they did while uploading");
    // A retry of a create that already counted replays it rather than counting it twice.
    let replay = ada
        .post(server.url("/api/v1/uploads"))
        .header(TUS.0, TUS.1)
        .header("Upload-Length", "2048")
        .header("Upload-Metadata", format!("filename {},case_id {}", b64(b"big.log"), b64(case_id.as_bytes())))
        .header("Idempotency-Key", "quota-first")
        .send()
        .await
        .expect("POST");
    assert_eq!(location(&server, &replay), url);

    let bob = server.signed_in(common::BOB).await;
    let (_, page) =
        common::get_json(&bob, server.url("/api/v1/accounts/acc_globex/cases?status=in_progress&limit=1")).await;
    let bobs_case = page["data"][0]["id"].as_str().expect("a case of Bob's");
    created(&server, &bob, bobs_case, "globex.log", 3 * 1024).await;
}

#[tokio::test]
async fn the_default_quota_is_20_gib_and_advertised() {
    let server = common::start().await;
    let ada = server.signed_in(ADA).await;
    let (_, config) = common::get_json(&ada, server.url("/api/v1/config")).await;
    assert_eq!(config["storage_quota_bytes"], 21_474_836_480u64);
}

/// Alex proposes a resolution, Ada confirms it: the case is resolved.
async fn resolve(server: &Server, ada: &Client, case_id: &str) {
    let alex = server.signed_in(common::ALEX).await;
    let propose = server.url(&format!("/api/v1/cases/{case_id}/resolution/propose"));
    let res = alex.post(propose).json(&serde_json::json!({"summary": "The pool is warm again."})).send().await;
    assert_eq!(res.expect("propose").status(), StatusCode::OK);
    let confirm = server.url(&format!("/api/v1/cases/{case_id}/resolution/confirm"));
    let res = ada.post(confirm).json(&serde_json::json!({})).send().await.expect("confirm");
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn an_upload_started_before_the_case_was_resolved_cannot_be_completed_after() {
    let server = common::start().await;
    let ada = server.signed_in(ADA).await;
    let case_id = ada_case(&server, &ada).await;
    let url = created(&server, &ada, &case_id, "late.log", 10).await;
    assert_eq!(patch(&ada, &url, 0, b"hello".to_vec(), None).await.status(), StatusCode::NO_CONTENT);
    resolve(&server, &ada, &case_id).await;

    let res = patch(&ada, &url, 5, b"world".to_vec(), None).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    common::assert_error_shape(&res.json().await.expect("json"), "case_closed_for_uploads");
    assert_eq!(offset(&ada, &url).await.0, StatusCode::NOT_FOUND, "the upload is ended");
    assert_eq!(server.uploads_with_bytes().await, 0, "and its bytes deleted");
    let (_, detail) = common::get_json(&ada, server.url(&format!("/api/v1/cases/{case_id}"))).await;
    assert_eq!(detail["status"], "resolved");
    assert!(!detail["attachments"].to_string().contains("late.log"), "{}", detail["attachments"]);
    let res = create(&server, &ada, &case_id, "new.log", "text/plain", 3).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    common::assert_error_shape(&res.json().await.expect("json"), "case_closed_for_uploads");
}

#[tokio::test]
async fn an_upload_for_a_request_answered_meanwhile_cannot_be_completed() {
    let server = common::start().await;
    let ada = server.signed_in(ADA).await;
    let alex = server.signed_in(common::ALEX).await;
    let case_id = ada_case(&server, &ada).await;
    let raised = alex
        .post(server.url(&format!("/api/v1/cases/{case_id}/information-requests")))
        .json(&serde_json::json!({"title": "Bounce logs", "description": "Last hour", "files_expected": true}))
        .send()
        .await
        .expect("raise");
    assert_eq!(raised.status(), StatusCode::CREATED);
    let request_id = raised.json::<serde_json::Value>().await.expect("json")["id"].as_str().expect("id").to_owned();
    let meta = format!(
        "filename {},case_id {},information_request_id {}",
        b64(b"bounces.log"),
        b64(case_id.as_bytes()),
        b64(request_id.as_bytes())
    );
    let res = ada
        .post(server.url("/api/v1/uploads"))
        .header(TUS.0, TUS.1)
        .header("Upload-Length", "4")
        .header("Upload-Metadata", meta)
        .send()
        .await
        .expect("POST");
    let url = location(&server, &res);
    let answer = server.url(&format!("/api/v1/cases/{case_id}/information-requests/{request_id}/answer"));
    let res =
        ada.post(answer).json(&serde_json::json!({"text": "No bounces at all.", "attachment_ids": []})).send().await;
    assert_eq!(res.expect("answer").status(), StatusCode::OK);

    let res = patch(&ada, &url, 0, b"late".to_vec(), None).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    common::assert_error_shape(&res.json().await.expect("json"), "information_request_not_open");
    assert_eq!(offset(&ada, &url).await.0, StatusCode::NOT_FOUND);
    assert_eq!(server.uploads_with_bytes().await, 0);
}

#[tokio::test]
async fn a_create_retried_after_its_upload_was_terminated_is_gone_and_a_new_key_starts_anew() {
    let server = common::start().await;
    let ada = server.signed_in(ADA).await;
    let case_id = ada_case(&server, &ada).await;
    let meta = format!("filename {},case_id {}", b64(b"a.log"), b64(case_id.as_bytes()));
    let post = |key: &'static str| {
        ada.post(server.url("/api/v1/uploads"))
            .header(TUS.0, TUS.1)
            .header("Upload-Length", "5")
            .header("Upload-Metadata", &meta)
            .header("Idempotency-Key", key)
            .send()
    };
    let first = location(&server, &post("ended-once").await.expect("POST"));
    assert_eq!(ada.delete(&first).header(TUS.0, TUS.1).send().await.expect("DELETE").status(), StatusCode::NO_CONTENT);

    let retry = post("ended-once").await.expect("POST");
    assert_eq!(retry.status(), StatusCode::GONE);
    assert_eq!(retry.headers()["tus-resumable"], "1.0.0");
    common::assert_error_shape(&retry.json().await.expect("json"), "upload_terminated");
    assert_eq!(server.uploads_with_bytes().await, 0, "the retry created nothing");

    let fresh = location(&server, &post("started-again").await.expect("POST"));
    assert_ne!(fresh, first);
    assert_eq!(patch(&ada, &fresh, 0, b"hello".to_vec(), None).await.status(), StatusCode::NO_CONTENT);
}
