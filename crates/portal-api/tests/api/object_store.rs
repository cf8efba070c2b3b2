//! Files in a real S3 server (moto), over real HTTP: a tus upload whose parts land in the bucket
//! and download byte-identical, the store going down (503 with `Retry-After`, nothing lost) and
//! coming back, and two servers sharing one bucket and one database continuing each other's
//! uploads. `cargo xtask test` starts the S3 server and names its bucket in
//! `PORTAL_TEST_OBJECT_STORE`; by hand: `cargo xtask with-s3 cargo test -p portal-api --test api
//! object_store`.

use crate::common;

use crate::relay::Relay;
use common::{ADA, Server, TUS, ada_case, create};
use portal_api::ServerConfig;
use reqwest::{Client, StatusCode};
use serde_json::Value;
use sha2::Digest;
use std::net::SocketAddr;

const MIB: usize = 1024 * 1024;

/// The bucket of the S3 server the test command started.
fn bucket() -> String {
    match std::env::var("PORTAL_TEST_OBJECT_STORE") {
        Ok(url) if !url.is_empty() => url,
        _ => panic!(
            "PORTAL_TEST_OBJECT_STORE is not set: these tests need a real S3 server. Run them with \
             `cargo xtask test`, or `cargo xtask with-s3 cargo test -p portal-api --test api object_store`"
        ),
    }
}

/// A server keeping its files in the bucket (a folder of its own).
async fn in_the_bucket(change: impl FnOnce(&mut ServerConfig)) -> Server {
    bucket();
    let server = common::start_with(change).await;
    assert!(server.object_store.is_some(), "the server keeps its files in the bucket");
    server
}

/// `url` with its endpoint replaced.
fn with_endpoint(url: &str, endpoint: &str) -> String {
    let mut parsed = url::Url::parse(url).expect("an object-store URL");
    let pairs: Vec<(String, String)> = parsed
        .query_pairs()
        .map(|(k, v)| (k.to_string(), if k == "endpoint" { endpoint.to_owned() } else { v.into_owned() }))
        .collect();
    parsed.query_pairs_mut().clear().extend_pairs(pairs);
    parsed.to_string()
}

fn endpoint_of(url: &str) -> SocketAddr {
    let parsed = url::Url::parse(url).expect("an object-store URL");
    let endpoint = parsed.query_pairs().find(|(k, _)| k == "endpoint").expect("an endpoint").1.into_owned();
    let endpoint = url::Url::parse(&endpoint).expect("an endpoint URL");
    format!("{}:{}", endpoint.host_str().expect("host"), endpoint.port().expect("port")).parse().expect("address")
}

fn bytes(n: usize, seed: u8) -> Vec<u8> {
    (0..n).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed) ^ (i >> 12) as u8).collect()
}

fn sha256_hex(bytes: &[u8]) -> String {
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

async fn created(server: &Server, client: &Client, case_id: &str, name: &str, length: usize) -> String {
    let res = create(server, client, case_id, name, "", length).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    server.url(res.headers()["location"].to_str().expect("location"))
}

async fn patch(client: &Client, url: &str, offset: usize, body: &[u8], checksum: bool) -> reqwest::Response {
    let mut req = client
        .patch(url)
        .header(TUS.0, TUS.1)
        .header("Upload-Offset", offset.to_string())
        .header("Content-Type", "application/offset+octet-stream");
    if checksum {
        req = req.header("Upload-Checksum", format!("sha256 {}", common::b64(&sha2::Sha256::digest(body))));
    }
    req.body(body.to_vec()).send().await.expect("PATCH")
}

async fn download(server: &Server, client: &Client, attachment_id: &str) -> reqwest::Response {
    client.get(server.url(&format!("/api/v1/attachments/{attachment_id}"))).send().await.expect("download")
}

/// Keys and sizes of what the bucket holds under `folder` for this server.
async fn stored(server: &Server, folder: &str) -> Vec<(String, u64)> {
    let mut found: Vec<_> =
        server.objects.list(folder).await.expect("list").into_iter().map(|o| (o.key, o.size)).collect();
    found.sort();
    found
}

#[tokio::test]
async fn an_upload_in_several_patches_lands_in_the_bucket_and_downloads_identical() {
    let server = in_the_bucket(|_| {}).await;
    let ada = server.signed_in(ADA).await;
    let case_id = ada_case(&server, &ada).await;
    // Larger than a multipart piece (8 MiB), so the middle part goes up as a multipart upload.
    let data = bytes(20 * MIB + 123, 7);
    let url = created(&server, &ada, &case_id, "capture.log", data.len()).await;
    let upload_id = url.rsplit('/').next().expect("id").to_owned();

    assert_eq!(patch(&ada, &url, 0, &data[..3 * MIB], false).await.status(), StatusCode::NO_CONTENT);
    let first = format!("uploads/{upload_id}/{:020}", 0);
    assert_eq!(stored(&server, "uploads/").await, [(first.clone(), 3 * MIB as u64)], "the part is in the bucket");
    let res = patch(&ada, &url, 3 * MIB, &data[3 * MIB..15 * MIB], true).await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let second = format!("uploads/{upload_id}/{:020}", 3 * MIB);
    assert_eq!(stored(&server, "uploads/").await, [(first, 3 * MIB as u64), (second, 12 * MIB as u64)]);
    assert_eq!(patch(&ada, &url, 15 * MIB, &data[15 * MIB..], false).await.status(), StatusCode::NO_CONTENT);

    let (_, state) = common::get_json(&ada, url).await;
    let attachment = &state["attachment"];
    assert_eq!(attachment["size"], data.len());
    assert_eq!(attachment["sha256"], sha256_hex(&data).as_str());
    let id = attachment["id"].as_str().expect("id");
    assert!(stored(&server, "uploads/").await.is_empty(), "the parts are gone once assembled");
    assert_eq!(stored(&server, "attachments/").await, [(format!("attachments/{id}"), data.len() as u64)]);
    assert!(!server.dir.path().join("data/attachments").exists(), "nothing of it in the data dir");

    let res = download(&server, &ada, id).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-length"], data.len().to_string().as_str());
    assert!(res.bytes().await.expect("body") == data, "the download is byte-identical");
}

#[tokio::test]
async fn the_store_going_down_is_a_503_with_retry_after_and_nothing_acknowledged_is_lost() {
    let relay = Relay::to(endpoint_of(&bucket())).await;
    let endpoint = format!("http://127.0.0.1:{}", relay.port);
    let server =
        in_the_bucket(|c| c.object_store = c.object_store.as_deref().map(|u| with_endpoint(u, &endpoint))).await;
    let ada = server.signed_in(ADA).await;
    let case_id = ada_case(&server, &ada).await;
    let before = common::upload(&server, &ada, &case_id, None, b"From: a\r\n\r\nkept").await;
    let url = created(&server, &ada, &case_id, "during.log", 10).await;
    assert_eq!(patch(&ada, &url, 0, b"hello", false).await.status(), StatusCode::NO_CONTENT);

    relay.cut();
    let res = patch(&ada, &url, 5, b"world", false).await;
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(res.headers()["retry-after"], "5");
    common::assert_error_shape(&res.json().await.expect("json"), "backend_unavailable");
    let head = ada.head(&url).header(TUS.0, TUS.1).send().await.expect("HEAD");
    assert_eq!(head.headers()["upload-offset"], "5", "the acknowledged bytes stay acknowledged");
    let res = download(&server, &ada, &before).await;
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(res.headers()["retry-after"], "5");
    common::assert_error_shape(&res.json().await.expect("json"), "backend_unavailable");
    let res = reqwest::get(server.url("/api/v1/health")).await.expect("health");
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(res.headers()["retry-after"], "5");
    let body: Value = res.json().await.expect("json");
    assert_eq!(body, serde_json::json!({"database": "ok", "object_store": "unreachable"}));

    relay.restore();
    assert_eq!(patch(&ada, &url, 5, b"world", false).await.status(), StatusCode::NO_CONTENT);
    let (_, state) = common::get_json(&ada, url).await;
    assert_eq!(state["attachment"]["sha256"], sha256_hex(b"helloworld").as_str());
    let res = download(&server, &ada, &before).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.bytes().await.expect("body"), &b"From: a\r\n\r\nkept"[..]);
    assert_eq!(common::get_json(&Client::new(), server.url("/api/v1/health")).await.0, 200);
}

#[tokio::test]
async fn two_servers_on_one_bucket_continue_and_finish_each_others_uploads() {
    let a = in_the_bucket(|_| {}).await;
    let b = common::another_instance(&a, |_| {}).await;
    let (ada_a, ada_b) = (a.signed_in(ADA).await, b.signed_in(ADA).await);
    let case_id = ada_case(&a, &ada_a).await;

    // A PNG whose first bytes arrive on two instances: B judges them with the bytes A kept.
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend(bytes(9 * MIB, 3));
    let on_a = created(&a, &ada_a, &case_id, "screen.png", png.len()).await;
    let on_b = on_a.replacen(&a.base, &b.base, 1);
    assert_eq!(patch(&ada_a, &on_a, 0, &png[..3], false).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(patch(&ada_b, &on_b, 3, &png[3..4 * MIB], true).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(patch(&ada_a, &on_a, 4 * MIB, &png[4 * MIB..], false).await.status(), StatusCode::NO_CONTENT);
    let (_, state) = common::get_json(&ada_b, on_b).await;
    assert_eq!(state["attachment"]["sha256"], sha256_hex(&png).as_str(), "hashed from parts of both");
    let id = state["attachment"]["id"].as_str().expect("id");
    let res = download(&b, &ada_b, id).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.bytes().await.expect("body") == png, "downloaded from the other instance, byte-identical");

    // A file that is not what its name says is refused on whichever instance sees it.
    let fake = b"\x89PNG\r\nXXXXXXXXXXXXXXXX";
    let on_a = created(&a, &ada_a, &case_id, "fake.png", fake.len()).await;
    assert_eq!(patch(&ada_a, &on_a, 0, &fake[..4], false).await.status(), StatusCode::NO_CONTENT);
    let res = patch(&ada_b, &on_a.replacen(&a.base, &b.base, 1), 4, &fake[4..], false).await;
    assert_eq!(res.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(stored(&a, "uploads/").await.is_empty(), "its bytes are deleted from the bucket");
}

/// A `PATCH` whose body arrives when the test sends it, piece by piece; the request ends when
/// the sender is dropped.
fn streaming_patch(
    client: &Client,
    url: &str,
    offset: usize,
    length: usize,
) -> (tokio::sync::mpsc::Sender<Vec<u8>>, tokio::task::JoinHandle<reqwest::Response>) {
    let (tx, rx) = tokio::sync::mpsc::channel::<Vec<u8>>(1);
    let body = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|piece| (Ok::<_, std::io::Error>(piece), rx))
    });
    let request = client
        .patch(url)
        .header(TUS.0, TUS.1)
        .header("Upload-Offset", offset.to_string())
        .header("Content-Type", "application/offset+octet-stream")
        .header("Content-Length", length.to_string())
        .body(reqwest::Body::wrap_stream(body));
    (tx, tokio::spawn(async move { request.send().await.expect("streaming PATCH") }))
}

/// How many leases the upload has in the database the servers share (0 or 1).
fn lease_holders(server: &Server, upload_id: &str) -> i64 {
    server
        .database()
        .query_row("SELECT COUNT(*) FROM upload_leases WHERE upload_id = ?1", portal_api::params![upload_id], |r| {
            r.get(0)
        })
        .expect("the upload's leases")
}

#[tokio::test]
async fn a_patch_writing_on_one_server_makes_the_other_answer_423_until_it_is_done() {
    let a = in_the_bucket(|_| {}).await;
    let b = common::another_instance(&a, |_| {}).await;
    let (ada_a, ada_b) = (a.signed_in(ADA).await, b.signed_in(ADA).await);
    let case_id = ada_case(&a, &ada_a).await;
    let data = bytes(3 * MIB, 5);
    let on_a = created(&a, &ada_a, &case_id, "slow.log", data.len()).await;
    let on_b = on_a.replacen(&a.base, &b.base, 1);

    let (pieces, slow) = streaming_patch(&ada_a, &on_a, 0, MIB);
    pieces.send(data[..MIB / 2].to_vec()).await.expect("first half");
    // The slow request reaches A and takes the upload's lease, then waits for the rest.
    let upload_id = on_a.rsplit('/').next().expect("id").to_owned();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while lease_holders(&a, &upload_id) == 0 {
        assert!(std::time::Instant::now() < deadline, "A never took the upload's lease");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let busy = patch(&ada_b, &on_b, 0, &data[..MIB], false).await;
    assert_eq!(busy.status(), StatusCode::LOCKED, "B waits while A writes");
    common::assert_error_shape(&busy.json().await.expect("json"), "upload_busy");
    let res = ada_b.delete(&on_b).header(TUS.0, TUS.1).send().await.expect("DELETE on B");
    assert_eq!(res.status(), StatusCode::LOCKED, "nor can B end the upload A is writing to");

    pieces.send(data[MIB / 2..MIB].to_vec()).await.expect("second half");
    drop(pieces);
    let res = slow.await.expect("join");
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(res.headers()["upload-offset"], MIB.to_string().as_str());
    // Released before A answered: B continues at once, and finishes.
    assert_eq!(patch(&ada_b, &on_b, MIB, &data[MIB..], true).await.status(), StatusCode::NO_CONTENT);
    let (_, state) = common::get_json(&ada_b, on_b).await;
    assert_eq!(state["attachment"]["sha256"], sha256_hex(&data).as_str());
    assert_eq!(lease_holders(&a, &upload_id), 0, "no lease outlives its request");
}
