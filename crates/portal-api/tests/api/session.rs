//! Signing in and out, the session cookie, bearer tokens and the CSRF header, over HTTP.

use crate::common;

use common::*;
use serde_json::{Value, json};

#[tokio::test]
async fn sign_in_read_the_session_and_sign_out() {
    let server = start().await;
    let ada = server.signed_in(ADA).await;
    let (status, session) = get_json(&ada, server.url("/api/v1/session")).await;
    assert_eq!(status, 200);
    assert_eq!(session["user"]["role"], "customer");
    assert_eq!(session["accounts"], json!([{"id": "acc_acme", "name": "Acme Mail", "role": "admin"}]));
    let res = ada.delete(server.url("/api/v1/session")).send().await.expect("sign out");
    assert_eq!(res.status(), 204);
    let (status, body) = get_json(&ada, server.url("/api/v1/session")).await;
    assert_eq!(status, 401);
    assert_error_shape(&body, "not_signed_in");
}

#[tokio::test]
async fn the_session_cookie_is_http_only_and_same_site() {
    let server = start().await;
    let res = server
        .anonymous()
        .post(server.url("/api/v1/session"))
        .json(&json!({"email": ADA, "password": PASSWORD}))
        .send()
        .await
        .expect("post");
    let cookie = res.headers().get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert!(cookie.starts_with("portal_session="), "{cookie}");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain HTTP on loopback: {cookie}");
}

#[tokio::test]
async fn the_session_cookie_is_secure_when_served_over_https() {
    async fn cookie(server: &common::Server, forwarded: Option<&str>) -> String {
        let mut req =
            server.anonymous().post(server.url("/api/v1/session")).json(&json!({"email": ADA, "password": PASSWORD}));
        if let Some(proto) = forwarded {
            req = req.header("X-Forwarded-Proto", proto);
        }
        let res = req.send().await.expect("post");
        res.headers().get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
    }
    let behind_proxy = common::start_with(|c| c.trusted_proxies = vec!["127.0.0.1/32".parse().expect("range")]).await;
    assert!(cookie(&behind_proxy, Some("https")).await.ends_with("; Secure"));
    assert!(!cookie(&behind_proxy, Some("http")).await.contains("Secure"));
    let configured = common::start_with(|c| c.secure_cookies = true).await;
    assert!(cookie(&configured, None).await.contains("HttpOnly; SameSite=Lax; Path=/; Max-Age=43200; Secure"));
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_email_answer_alike() {
    let server = start().await;
    let client = server.anonymous();
    let mut bodies = Vec::new();
    for email in [ADA, "nobody@acme.example"] {
        let res = client
            .post(server.url("/api/v1/session"))
            .json(&json!({"email": email, "password": "wrong"}))
            .send()
            .await
            .expect("post");
        assert_eq!(res.status(), 401);
        let mut body: Value = res.json().await.expect("json");
        assert_error_shape(&body, "invalid_credentials");
        body["error"]["request_id"] = Value::Null;
        bodies.push(body);
    }
    assert_eq!(bodies[0], bodies[1]);
}

#[tokio::test]
async fn repeated_wrong_passwords_are_rate_limited_with_a_clear_429() {
    let server = start().await;
    let client = server.anonymous();
    let attempt = |email: &'static str, password: &'static str| {
        client.post(server.url("/api/v1/session")).json(&json!({"email": email, "password": password})).send()
    };
    for _ in 0..portal_api::rate_limit::PER_PAIR {
        assert_eq!(attempt(ADA, "wrong").await.expect("post").status(), 401);
    }
    let res = attempt(ADA, PASSWORD).await.expect("post");
    assert_eq!(res.status(), 429, "locked even with the right password");
    let retry_after: u64 =
        res.headers().get("retry-after").and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok()).unwrap_or(0);
    assert!(retry_after > 0 && retry_after <= 15 * 60);
    assert_error_shape(&res.json().await.expect("json"), "too_many_attempts");
    assert_eq!(attempt(BOB, PASSWORD).await.expect("post").status(), 200, "another account is not affected");
}

#[tokio::test]
async fn cookie_writes_need_the_csrf_header_and_bearer_tokens_work_alone() {
    let server = start().await;
    let ada = server.signed_in(ADA).await;
    let res = ada.post(server.url("/api/v1/tokens")).send().await.expect("token");
    assert_eq!(res.status(), 201);
    let grant: Value = res.json().await.expect("json");
    let token = grant["token"].as_str().expect("token").to_owned();

    let plain = reqwest::Client::builder().cookie_store(true).build().expect("client");
    plain
        .post(server.url("/api/v1/session"))
        .json(&json!({"email": ADA, "password": PASSWORD}))
        .send()
        .await
        .expect("sign in");
    let res = plain
        .post(server.url("/api/v1/accounts/acc_acme/cases"))
        .json(&new_case("no header"))
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), 403);
    assert_error_shape(&res.json().await.expect("json"), "csrf_header_missing");

    let bare = reqwest::Client::new();
    let res = bare
        .post(server.url("/api/v1/accounts/acc_acme/cases"))
        .bearer_auth(&token)
        .json(&new_case("via bearer"))
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), 201);
    let res = bare.get(server.url("/api/v1/accounts/acc_acme")).bearer_auth("not-a-token").send().await.expect("get");
    assert_eq!(res.status(), 401);
}
