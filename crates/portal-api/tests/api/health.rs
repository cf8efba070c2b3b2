//! `GET /health`, what a load balancer asks: open to anyone, 200 while both backends answer,
//! 503 with `Retry-After` as soon as one does not.

use crate::common;

use common::*;

#[tokio::test]
async fn a_healthy_instance_answers_200_without_credentials() {
    let server = start().await;
    let (status, body) = get_json(&reqwest::Client::new(), server.url("/api/v1/health")).await;
    assert_eq!(status, 200);
    assert_eq!(body, serde_json::json!({"database": "ok", "object_store": "ok"}));
}

#[tokio::test]
async fn an_instance_that_cannot_keep_files_answers_503_and_recovers() {
    // The data dir's folders, whatever store the other tests use (S3's outage is in object_store.rs).
    let server = start_with(|c| c.object_store = None).await;
    let uploads = server.dir.path().join("data/uploads");
    // A file where the folder was: no write can go in, whoever the tests run as (root included).
    std::fs::remove_dir_all(&uploads).expect("remove the uploads folder");
    std::fs::write(&uploads, b"not a folder").expect("a file in its place");

    let res = reqwest::get(server.url("/api/v1/health")).await.expect("health");
    assert_eq!(res.status(), 503);
    assert_eq!(res.headers().get("retry-after").and_then(|v| v.to_str().ok()), Some("5"));
    let body: serde_json::Value = res.json().await.expect("json");
    assert_eq!(body, serde_json::json!({"database": "ok", "object_store": "unreachable"}));

    std::fs::remove_file(&uploads).expect("remove the file");
    std::fs::create_dir(&uploads).expect("the folder again");
    let (status, _) = get_json(&reqwest::Client::new(), server.url("/api/v1/health")).await;
    assert_eq!(status, 200, "healthy again once files can be kept");
}
