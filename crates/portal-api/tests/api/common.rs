//! A demo server on a free loopback port with its own SQLite file in a temporary directory,
//! and clients signed in as the demo users.
#![allow(dead_code)]

use portal_api::objects::Objects;
use portal_api::{ServerConfig, build};
use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use tempfile::TempDir;

pub const PASSWORD: &str = "portal-demo";
pub const ADA: &str = "ada@acme.example";
pub const BOB: &str = "bob@globex.example";
pub const TESS: &str = "tess@bird.example";
pub const ALEX: &str = "alex@bird.example";
pub const GRACE: &str = "grace@acme.example";

pub struct Server {
    pub base: String,
    pub dir: TempDir,
    /// Where this server keeps its files (the data dir, or the bucket of
    /// `PORTAL_TEST_OBJECT_STORE`), to look at them as the server would.
    pub objects: Option<Objects>,
}

impl Server {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A client with a cookie jar that sends the CSRF header, not signed in.
    pub fn anonymous(&self) -> reqwest::Client {
        let mut headers = HeaderMap::new();
        headers.insert("X-Requested-With", HeaderValue::from_static("tests"));
        reqwest::Client::builder().cookie_store(true).default_headers(headers).build().expect("client")
    }

    /// How many uploads have bytes kept (parts), wherever this server keeps files.
    pub async fn uploads_with_bytes(&self) -> usize {
        let objects = self.objects.as_ref().expect("a server started by start_with");
        let parts = objects.list("uploads/").await.expect("list the upload parts");
        parts.iter().filter_map(|p| portal_api::uploads::parts::upload_of(&p.key)).collect::<BTreeSet<_>>().len()
    }

    /// How many attachment objects are kept, wherever this server keeps files.
    pub async fn attachment_objects(&self) -> usize {
        let objects = self.objects.as_ref().expect("a server started by start_with");
        objects.list("attachments/").await.expect("list the attachments").len()
    }

    pub async fn signed_in(&self, email: &str) -> reqwest::Client {
        let client = self.anonymous();
        let res = client
            .post(self.url("/api/v1/session"))
            .json(&json!({"email": email, "password": PASSWORD}))
            .send()
            .await
            .expect("sign in");
        assert_eq!(res.status(), 200, "{email} signs in");
        client
    }
}

/// A client signed in as `email` to a server at `base` that may still be starting (a child
/// process the test launched): retried for up to 30 s.
pub async fn signed_in_when_up(base: &str, email: &str) -> reqwest::Client {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let client = reqwest::Client::builder().cookie_store(true).build().expect("client");
        let res = client
            .post(format!("{base}/api/v1/session"))
            .json(&json!({"email": email, "password": PASSWORD}))
            .send()
            .await;
        if res.is_ok_and(|r| r.status() == 200) {
            return client;
        }
        assert!(std::time::Instant::now() < deadline, "the server did not come up");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

pub async fn start() -> Server {
    start_with(|_| {}).await
}

/// A demo server with some configuration changed.
pub async fn start_with(change: impl FnOnce(&mut ServerConfig)) -> Server {
    let dir = tempfile::tempdir().expect("temp dir");
    let static_dir = dir.path().join("static");
    std::fs::create_dir_all(&static_dir).expect("static dir");
    std::fs::write(static_dir.join("index.html"), "<!doctype html><title>portal shell</title>").expect("index");
    let mut config = ServerConfig::new(dir.path().join("data"), static_dir, true);
    // Suites open far more cases as one person than anyone would by hand; the per-person limit
    // has its own tests (case_rate_limit.rs), which set it back.
    config.cases_per_hour = 100_000;
    config.object_store = test_object_store(&dir);
    change(&mut config);
    let objects = Objects::open(config.object_store.as_deref(), &config.data_dir).expect("the server's files");
    let limits = config.connections.clone();
    let app = build(config).await.expect("server builds");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    // The production accept loop, so connection limits and client addresses are what they are
    // when deployed.
    tokio::spawn(async move { portal_api::serve(listener, app, &limits).await });
    Server { base: format!("http://{addr}"), dir, objects: Some(objects) }
}

/// `PORTAL_TEST_OBJECT_STORE` (set by `cargo xtask test` while an S3 server runs), with a
/// folder of this server's own in the bucket, so servers of tests running at once never see
/// each other's files.
pub fn test_object_store(dir: &TempDir) -> Option<String> {
    let mut url = url::Url::parse(&std::env::var("PORTAL_TEST_OBJECT_STORE").ok()?).expect("PORTAL_TEST_OBJECT_STORE");
    let own = dir.path().file_name().and_then(|n| n.to_str()).unwrap_or("server").trim_start_matches('.');
    url.set_path(&format!("/test-{own}"));
    Some(url.to_string())
}

pub async fn get_json(client: &reqwest::Client, url: String) -> (u16, Value) {
    let res = client.get(url).send().await.expect("GET");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

pub async fn post_json(client: &reqwest::Client, url: String, body: Value) -> (u16, Value) {
    let res = client.post(url).json(&body).send().await.expect("POST");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// The ids of every case on every page of a list.
pub async fn all_case_ids(server: &Server, client: &reqwest::Client, account: &str, query: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut url = server.url(&format!("/api/v1/accounts/{account}/cases?limit=5{query}"));
        if let Some(c) = &cursor {
            url.push_str(&format!("&cursor={c}"));
        }
        let (status, page) = get_json(client, url).await;
        assert_eq!(status, 200, "{page}");
        ids.extend(page["data"].as_array().expect("data").iter().map(|c| c["id"].as_str().expect("id").to_owned()));
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return ids,
        }
    }
}

pub fn assert_error_shape(body: &Value, code: &str) {
    let error = &body["error"];
    assert_eq!(error["code"], code, "{body}");
    assert!(error["type"].is_string(), "{body}");
    assert!(error["message"].is_string(), "{body}");
    assert!(error["request_id"].as_str().is_some_and(|r| r.starts_with("req_")), "{body}");
}

/// A finished one-chunk upload for a request; answers the attachment id.
pub async fn upload(
    server: &Server,
    client: &reqwest::Client,
    case_id: &str,
    request_id: Option<&str>,
    bytes: &[u8],
) -> String {
    use base64::Engine as _;
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let mut meta =
        format!("filename {},filetype {},case_id {}", b64("headers.eml"), b64("message/rfc822"), b64(case_id));
    if let Some(r) = request_id {
        meta.push_str(&format!(",information_request_id {}", b64(r)));
    }
    let res = client
        .post(server.url("/api/v1/uploads"))
        .header("Tus-Resumable", "1.0.0")
        .header("Upload-Length", bytes.len().to_string())
        .header("Upload-Metadata", meta)
        .send()
        .await
        .expect("create");
    assert_eq!(res.status(), reqwest::StatusCode::CREATED);
    let url = server.url(res.headers()["location"].to_str().expect("location"));
    let res = client
        .patch(&url)
        .header("Tus-Resumable", "1.0.0")
        .header("Upload-Offset", "0")
        .header("Content-Type", "application/offset+octet-stream")
        .body(bytes.to_vec())
        .send()
        .await
        .expect("patch");
    assert_eq!(res.status(), reqwest::StatusCode::NO_CONTENT);
    get_json(client, url).await.1["attachment"]["id"].as_str().expect("attachment").to_owned()
}

/// The tus version header every upload request carries.
pub const TUS: (&str, &str) = ("Tus-Resumable", "1.0.0");

pub fn b64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// An open case of Ada's.
pub async fn ada_case(server: &Server, ada: &reqwest::Client) -> String {
    let (_, page) = get_json(ada, server.url("/api/v1/accounts/acc_acme/cases?status=in_progress&limit=1")).await;
    page["data"][0]["id"].as_str().expect("an open case").to_owned()
}

/// `POST /uploads` for a file of `name`, declared as `declared`, on a case.
pub async fn create(
    server: &Server,
    client: &reqwest::Client,
    case_id: &str,
    name: &str,
    declared: &str,
    length: impl ToString,
) -> reqwest::Response {
    let meta = format!(
        "filename {},filetype {},case_id {}",
        b64(name.as_bytes()),
        b64(declared.as_bytes()),
        b64(case_id.as_bytes())
    );
    client
        .post(server.url("/api/v1/uploads"))
        .header(TUS.0, TUS.1)
        .header("Upload-Length", length.to_string())
        .header("Upload-Metadata", meta)
        .send()
        .await
        .expect("POST /uploads")
}

/// A valid new case with `subject`.
pub fn new_case(subject: &str) -> Value {
    json!({"kind": "problem", "severity": "high", "subject": subject, "description": "Bounces since 09:00 UTC."})
}
