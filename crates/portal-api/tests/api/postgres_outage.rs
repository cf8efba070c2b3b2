//! PostgreSQL out of reach, then back: every request answers 503 with `Retry-After` in the error
//! shape (the health check names the database), nothing half-written is kept, and the server
//! serves again by itself once the database answers. Runs in the PostgreSQL phase only.

use crate::common;
use crate::relay::Relay;

use common::*;
use serde_json::{Value, json};
use std::net::SocketAddr;

/// Where a `postgres://user@host:port/db` URL points.
fn address_of(url: &str) -> SocketAddr {
    let url = url::Url::parse(url).expect("a database URL");
    format!("{}:{}", url.host_str().expect("host"), url.port().unwrap_or(5432)).parse().expect("host:port")
}

async fn assert_unavailable(res: reqwest::Response) {
    assert_eq!(res.status(), 503);
    assert_eq!(res.headers().get("retry-after").and_then(|v| v.to_str().ok()), Some("5"));
    let body: Value = res.json().await.expect("json");
    assert_error_shape(&body, "backend_unavailable");
}

#[tokio::test]
async fn a_lost_database_is_a_503_with_retry_after_and_the_server_recovers_by_itself() {
    assert!(
        postgres_admin_url().is_some(),
        "{DATABASE_URL_VAR} is not set: this test runs in the PostgreSQL phase of `cargo xtask test`"
    );
    let mut relay = None;
    let server = start_with(|config| {
        let url = config.database_url.clone().expect("a PostgreSQL database");
        let target = address_of(&url);
        let cut = Relay::on_its_own_thread(target);
        let mut through = url::Url::parse(&url).expect("URL");
        through.set_port(Some(cut.port)).expect("port");
        config.database_url = Some(through.to_string());
        relay = Some(cut);
    })
    .await;
    let relay = relay.expect("relay");
    let ada = server.signed_in(ADA).await;
    let case = ada_case(&server, &ada).await;
    let before =
        post_json(&ada, server.url(&format!("/api/v1/cases/{case}/messages")), json!({"body": "before"})).await;
    assert_eq!(before.0, 201, "{}", before.1);

    relay.cut();
    assert_unavailable(ada.get(server.url(&format!("/api/v1/cases/{case}"))).send().await.expect("GET")).await;
    let during = ada
        .post(server.url(&format!("/api/v1/cases/{case}/messages")))
        .json(&json!({"body": "while the database is away"}))
        .send()
        .await
        .expect("POST");
    assert_unavailable(during).await;
    let health = server.anonymous().get(server.url("/api/v1/health")).send().await.expect("health");
    assert_eq!(health.status(), 503);
    assert_eq!(health.headers().get("retry-after").and_then(|v| v.to_str().ok()), Some("5"));
    let health: Value = health.json().await.expect("json");
    assert_eq!(health["database"], "unreachable", "{health}");

    relay.restore();
    let (status, detail) = get_json(&ada, server.url(&format!("/api/v1/cases/{case}"))).await;
    assert_eq!(status, 200, "served again once the database answers: {detail}");
    let bodies: Vec<&str> =
        detail["timeline"].as_array().expect("timeline").iter().filter_map(|e| e["body"].as_str()).collect();
    assert!(bodies.contains(&"before"), "{bodies:?}");
    assert!(!bodies.contains(&"while the database is away"), "a refused write is not kept: {bodies:?}");
}
