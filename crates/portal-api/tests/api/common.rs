//! A demo server on a free loopback port with its own database (a SQLite file in a temporary
//! directory, or a fresh PostgreSQL database when `PORTAL_TEST_DATABASE_URL` names a server),
//! and clients signed in as the demo users.
#![allow(dead_code)]

use portal_api::objects::Objects;
use portal_api::{ServerConfig, build};
use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::sync::Arc;
use tempfile::TempDir;

pub const PASSWORD: &str = "portal-demo";
pub const ADA: &str = "ada@acme.example";
pub const BOB: &str = "bob@globex.example";
pub const TESS: &str = "tess@bird.example";
pub const ALEX: &str = "alex@bird.example";
pub const GRACE: &str = "grace@acme.example";

/// The PostgreSQL the test command started for its PostgreSQL phase: a superuser's URL
/// through which each server gets a database of its own. Unset: every server is on SQLite.
pub const DATABASE_URL_VAR: &str = "PORTAL_TEST_DATABASE_URL";

pub fn postgres_admin_url() -> Option<String> {
    std::env::var(DATABASE_URL_VAR).ok().filter(|u| !u.is_empty())
}

/// Runs `work` on a thread of its own: the database's blocking calls never wait inside the
/// test's runtime.
fn on_plain_thread<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|s| s.spawn(work).join().expect("the database thread"))
}

fn admin_batch(admin_url: &str, sql: &str) -> portal_api::sql::Result<()> {
    on_plain_thread(|| portal_api::sql::Connection::open(admin_url)?.execute_batch(sql))
}

/// A fresh database in the test PostgreSQL, dropped (with any connection still open) when the
/// last server on it is.
pub struct Database {
    admin_url: String,
    name: String,
    pub url: String,
}

impl Database {
    /// A new database when the suite runs on PostgreSQL, else None (SQLite in the data dir).
    pub fn for_this_run() -> Option<Database> {
        postgres_admin_url().map(|admin| Database::create(&admin))
    }

    pub fn create(admin_url: &str) -> Database {
        let name = format!("portal_test_{:016x}", rand::random::<u64>());
        admin_batch(admin_url, &format!("CREATE DATABASE {name}")).expect("CREATE DATABASE in the test PostgreSQL");
        let mut url = url::Url::parse(admin_url).expect("PORTAL_TEST_DATABASE_URL is a URL");
        url.set_path(&name);
        Database { admin_url: admin_url.to_owned(), name, url: url.to_string() }
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        let (admin_url, name) = (&self.admin_url, &self.name);
        // Best effort: the test command deletes the whole cluster afterwards anyway.
        let _ = admin_batch(admin_url, &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
    }
}

pub struct Server {
    pub base: String,
    pub dir: TempDir,
    /// The server's PostgreSQL database when the suite runs on PostgreSQL (dropped with the
    /// last instance on it); `None` when it runs on its SQLite file.
    pub postgres: Option<Arc<Database>>,
    /// Its `--object-store`: `None` when it keeps files in its data dir.
    pub object_store: Option<String>,
    /// Where it keeps its files, to look at them as the server would.
    pub objects: Objects,
}

impl Server {
    /// A configuration for another instance on this server's data: its data dir and, on
    /// PostgreSQL, its database.
    pub fn same_data(&self) -> ServerConfig {
        let mut config = ServerConfig::new(self.dir.path().join("data"), self.dir.path().join("static"), true);
        config.database_url = self.database_url();
        config.object_store = self.object_store.clone();
        config.cases_per_hour = 100_000;
        config
    }

    pub fn database_url(&self) -> Option<String> {
        self.postgres.as_ref().map(|d| d.url.clone())
    }

    /// A connection to the server's database, to look at or arrange what the API cannot.
    pub fn database(&self) -> portal_api::sql::Connection {
        let target = match self.database_url() {
            Some(url) => url,
            None => self.dir.path().join("data/portal.sqlite3").to_string_lossy().into_owned(),
        };
        on_plain_thread(move || portal_api::sql::Connection::open(&target)).expect("the server's database")
    }

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
        let parts = self.objects.list("uploads/").await.expect("list the upload parts");
        parts.iter().filter_map(|p| portal_api::uploads::parts::upload_of(&p.key)).collect::<BTreeSet<_>>().len()
    }

    /// How many attachment objects are kept, wherever this server keeps files.
    pub async fn attachment_objects(&self) -> usize {
        self.objects.list("attachments/").await.expect("list the attachments").len()
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
    let database = Database::for_this_run().map(Arc::new);
    let mut config = ServerConfig::new(dir.path().join("data"), static_dir, true);
    config.database_url = database.as_ref().map(|d| d.url.clone());
    // Suites open far more cases as one person than anyone would by hand; the per-person limit
    // has its own tests (case_rate_limit.rs), which set it back.
    config.cases_per_hour = 100_000;
    config.object_store = test_object_store(&dir);
    change(&mut config);
    serve_on(config, dir, database).await
}

/// Another instance on `server`'s data (see `Server::same_data`), with its own temporary dir.
pub async fn another_instance(server: &Server, change: impl FnOnce(&mut ServerConfig)) -> Server {
    let mut config = server.same_data();
    change(&mut config);
    serve_on(config, tempfile::tempdir().expect("temp dir"), server.postgres.clone()).await
}

async fn serve_on(config: ServerConfig, dir: TempDir, database: Option<Arc<Database>>) -> Server {
    let object_store = config.object_store.clone();
    let objects = Objects::open(object_store.as_deref(), &config.data_dir).expect("the server's files");
    let limits = config.connections.clone();
    let app = build(config).await.expect("server builds");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    // The production accept loop, so connection limits and client addresses are what they are
    // when deployed.
    tokio::spawn(async move { portal_api::serve(listener, app, &limits).await });
    Server { base: format!("http://{addr}"), dir, postgres: database, object_store, objects }
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

/// The arguments that put a `portal-api` process on the suite's backend: none on SQLite (the
/// data dir holds it), `--database-url` on PostgreSQL.
pub fn backend_args(database: Option<&Database>) -> Vec<String> {
    database.map(|d| vec!["--database-url".to_owned(), d.url.clone()]).unwrap_or_default()
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
