//! What one client may hold of the server: slow or silent clients are dropped, the number of
//! connections is bounded, and the server keeps answering everyone else. Also how the portal's
//! files are cached.

#[path = "api/common.rs"]
mod common;

use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A request head that never ends: the last header line is never terminated.
const HALF_A_REQUEST: &[u8] = b"GET /api/v1/config HTTP/1.1\r\nHost: portal\r\nX-Slow: ";

fn address(server: &common::Server) -> String {
    server.base.trim_start_matches("http://").to_owned()
}

/// Reads until the server closes the connection, or gives up after `patience`; answers what
/// was read, or `None` if the connection was still open.
async fn closed_within(stream: &mut TcpStream, patience: Duration) -> Option<Vec<u8>> {
    let mut received = Vec::new();
    let read = tokio::time::timeout(patience, stream.read_to_end(&mut received)).await;
    match read {
        Ok(_) => Some(received),
        Err(_) => None,
    }
}

async fn half_sent(addr: &str) -> TcpStream {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    stream.write_all(HALF_A_REQUEST).await.expect("write half a request");
    stream
}

#[tokio::test]
async fn a_request_head_that_never_ends_is_dropped() {
    let server = common::start_with(|c| c.connections.header_read_timeout = Duration::from_secs(1)).await;
    let mut stream = half_sent(&address(&server)).await;
    let answer = closed_within(&mut stream, Duration::from_secs(15)).await;
    let answer = answer.expect("the server closes a connection whose request head never ends");
    // hyper may say 408 before closing; it must never have served the request.
    assert!(answer.is_empty() || answer.starts_with(b"HTTP/1.1 408"), "{}", String::from_utf8_lossy(&answer));
}

#[tokio::test]
async fn three_hundred_half_sent_requests_leave_the_server_answering_and_are_dropped() {
    let server = common::start_with(|c| c.connections.header_read_timeout = Duration::from_secs(2)).await;
    let addr = address(&server);
    let mut slow = Vec::new();
    for _ in 0..300 {
        slow.push(half_sent(&addr).await);
    }
    let client = reqwest::Client::builder().timeout(Duration::from_secs(20)).build().expect("client");
    let answer = client.get(server.url("/")).send().await.expect("a normal request is answered");
    assert_eq!(answer.status(), 200);
    for (i, stream) in slow.iter_mut().enumerate() {
        assert!(
            closed_within(stream, Duration::from_secs(30)).await.is_some(),
            "half-sent connection {i} is still open"
        );
    }
}

#[tokio::test]
async fn connections_past_the_cap_wait_until_one_ends() {
    let server = common::start_with(|c| {
        c.connections.max_connections = 2;
        c.connections.header_read_timeout = Duration::from_secs(60);
    })
    .await;
    let addr = address(&server);
    let first = half_sent(&addr).await;
    let _second = half_sent(&addr).await;
    let url = server.url("/");
    let waiting = tokio::spawn(async move { reqwest::get(url).await.map(|r| r.status().as_u16()) });
    // Absence of an answer is what is checked here: a slower machine only makes it more certain.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert!(!waiting.is_finished(), "a third connection was served while two were open with a cap of 2");
    drop(first);
    let status = tokio::time::timeout(Duration::from_secs(20), waiting)
        .await
        .expect("served once a connection ended")
        .expect("task")
        .expect("answer");
    assert_eq!(status, 200);
}

#[tokio::test]
async fn a_body_that_stops_arriving_is_abandoned_with_a_clear_error() {
    let server = common::start_with(|c| c.connections.body_idle_timeout = Duration::from_secs(1)).await;
    let mut stream = TcpStream::connect(address(&server)).await.expect("connect");
    let head = "POST /api/v1/session HTTP/1.1\r\nHost: portal\r\nContent-Type: application/json\r\n\
                Content-Length: 100\r\nX-Requested-With: tests\r\n\r\n{\"email\":";
    stream.write_all(head.as_bytes()).await.expect("write");
    let answer = closed_within(&mut stream, Duration::from_secs(20)).await.expect("the server gives up on the body");
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert!(answer.contains("\"code\":\"body_incomplete\""), "{answer}");
}

#[tokio::test]
async fn only_files_that_exist_under_hashed_names_are_cached_for_good() {
    let server = common::start().await;
    std::fs::write(server.dir.path().join("static/bird-portal-3f9a.js"), "export {}").expect("asset");
    let client = reqwest::Client::new();
    let cache = |path: &'static str| {
        let request = client.get(server.url(path));
        async move {
            let answer = request.send().await.expect("GET");
            assert_eq!(answer.status(), 200, "{path}");
            answer.headers()["cache-control"].to_str().expect("header").to_owned()
        }
    };
    assert_eq!(cache("/bird-portal-3f9a.js").await, "public, max-age=31536000, immutable");
    // A route of the portal that looks like a hashed file is the SPA's page, revalidated.
    assert_eq!(cache("/cases/case-1.x").await, "no-cache");
    assert_eq!(cache("/missing-asset.0123.wasm").await, "no-cache");
    assert_eq!(cache("/accounts").await, "no-cache");
}
