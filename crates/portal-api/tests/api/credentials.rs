//! Credentials keep to their kind and their lifetime, and over HTTPS the session cookie is a
//! `__Host-` cookie with `Strict-Transport-Security` beside it; over real HTTP.

use crate::common;

use common::*;
use portal_api::ServerConfig;
use serde_json::{Value, json};

/// A signed-in cookie session: its client (cookie jar, CSRF header) and the cookie's value.
async fn session(server: &Server, email: &str) -> (reqwest::Client, String) {
    let client = server.anonymous();
    let res = client
        .post(server.url("/api/v1/session"))
        .json(&json!({"email": email, "password": PASSWORD}))
        .send()
        .await
        .expect("sign in");
    assert_eq!(res.status(), 200);
    let value = set_cookie(&res)
        .split(';')
        .next()
        .and_then(|pair| pair.split_once('='))
        .map(|(_, value)| value.to_owned())
        .expect("a session cookie");
    (client, value)
}

fn set_cookie(res: &reqwest::Response) -> String {
    res.headers().get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
}

fn hsts(res: &reqwest::Response) -> Option<String> {
    res.headers().get("strict-transport-security").and_then(|v| v.to_str().ok()).map(str::to_owned)
}

async fn mint(server: &Server, session: &reqwest::Client) -> String {
    let res = session.post(server.url("/api/v1/tokens")).send().await.expect("mint");
    assert_eq!(res.status(), 201);
    let grant: Value = res.json().await.expect("grant");
    grant["token"].as_str().expect("token").to_owned()
}

/// `GET /session` with exactly these headers and no cookie jar.
async fn session_status(server: &Server, name: &str, value: &str) -> u16 {
    let res = reqwest::Client::new().get(server.url("/api/v1/session")).header(name, value).send().await.expect("get");
    res.status().as_u16()
}

#[tokio::test]
async fn a_bearer_token_cannot_mint_another() {
    let server = start().await;
    let (ada, _) = session(&server, ADA).await;
    let token = mint(&server, &ada).await;
    let res = reqwest::Client::new()
        .post(server.url("/api/v1/tokens"))
        .bearer_auth(&token)
        .send()
        .await
        .expect("mint from a token");
    assert_eq!(res.status(), 403);
    assert_error_shape(&res.json().await.expect("json"), "cookie_session_required");
}

#[tokio::test]
async fn a_token_ends_when_the_session_that_minted_it_signs_out() {
    let server = start().await;
    let (first, _) = session(&server, ADA).await;
    let (second, _) = session(&server, ADA).await;
    let (from_first, from_second) = (mint(&server, &first).await, mint(&server, &second).await);
    assert_eq!(session_status(&server, "Authorization", &format!("Bearer {from_first}")).await, 200);
    let res = first.delete(server.url("/api/v1/session")).send().await.expect("sign out");
    assert_eq!(res.status(), 204);
    assert_eq!(session_status(&server, "Authorization", &format!("Bearer {from_first}")).await, 401);
    assert_eq!(
        session_status(&server, "Authorization", &format!("Bearer {from_second}")).await,
        200,
        "a token of Ada's other session lives on"
    );
}

#[tokio::test]
async fn a_cookie_value_is_not_a_bearer_token() {
    let server = start().await;
    let (_, cookie) = session(&server, ADA).await;
    assert_eq!(session_status(&server, "Cookie", &format!("portal_session={cookie}")).await, 200);
    assert_eq!(session_status(&server, "Authorization", &format!("Bearer {cookie}")).await, 401);
    // As a bearer it would skip the CSRF header rule on writes.
    let res = reqwest::Client::new()
        .post(server.url("/api/v1/tokens"))
        .bearer_auth(&cookie)
        .send()
        .await
        .expect("mint without the CSRF header");
    assert_eq!(res.status(), 401);
}

#[tokio::test]
async fn a_bearer_token_is_not_a_cookie() {
    let server = start().await;
    let (ada, _) = session(&server, ADA).await;
    let token = mint(&server, &ada).await;
    assert_eq!(session_status(&server, "Authorization", &format!("Bearer {token}")).await, 200);
    assert_eq!(session_status(&server, "Cookie", &format!("portal_session={token}")).await, 401);
}

/// Sign-in, the session read back by its cookie, and sign-out, as a browser over HTTPS would:
/// answers the `Set-Cookie` of sign-in and of sign-out and the HSTS header of each answer.
async fn https_round_trip(server: &Server, proto: Option<&str>) -> (String, String, Vec<Option<String>>) {
    let with_proto = |req: reqwest::RequestBuilder| match proto {
        Some(p) => req.header("X-Forwarded-Proto", p),
        None => req,
    };
    let client = server.anonymous();
    let credentials = json!({"email": ADA, "password": PASSWORD});
    let signed_in = with_proto(client.post(server.url("/api/v1/session")).json(&credentials)).send().await.expect("in");
    assert_eq!(signed_in.status(), 200);
    let read = with_proto(client.get(server.url("/api/v1/session"))).send().await.expect("read");
    assert_eq!(read.status(), 200, "the cookie is read back under the name it was set with");
    let page = with_proto(client.get(server.url("/"))).send().await.expect("page");
    let signed_out = with_proto(client.delete(server.url("/api/v1/session"))).send().await.expect("out");
    assert_eq!(signed_out.status(), 204);
    let headers = [&signed_in, &read, &page, &signed_out].map(hsts).to_vec();
    (set_cookie(&signed_in), set_cookie(&signed_out), headers)
}

fn assert_host_cookie(set: &str, cleared: &str, hsts: &[Option<String>]) {
    assert!(set.starts_with("__Host-portal_session="), "{set}");
    assert!(set.contains("; Path=/;") && set.ends_with("; Secure") && !set.contains("Domain"), "{set}");
    assert!(cleared.starts_with("__Host-portal_session=;") && cleared.contains("Max-Age=0"), "{cleared}");
    assert!(hsts.iter().all(|h| h.as_deref() == Some("max-age=31536000")), "{hsts:?}");
}

fn assert_plain_cookie(set: &str, cleared: &str, hsts: &[Option<String>]) {
    assert!(set.starts_with("portal_session=") && !set.contains("Secure"), "{set}");
    assert!(cleared.starts_with("portal_session=;"), "{cleared}");
    assert!(hsts.iter().all(Option::is_none), "{hsts:?}");
}

#[tokio::test]
async fn with_secure_cookies_the_session_is_a_host_cookie_beside_hsts() {
    let server = start_with(|c| c.secure_cookies = true).await;
    let (set, cleared, hsts) = https_round_trip(&server, None).await;
    assert_host_cookie(&set, &cleared, &hsts);
    let (_, value) = session(&server, ADA).await;
    assert_eq!(session_status(&server, "Cookie", &format!("__Host-portal_session={value}")).await, 200);
    assert_eq!(
        session_status(&server, "Cookie", &format!("portal_session={value}")).await,
        401,
        "the name without the prefix could have been planted by a sibling host or plain HTTP"
    );
}

fn trusting_loopback(config: &mut ServerConfig) {
    config.trusted_proxies = vec!["127.0.0.1/32".parse().expect("range")];
}

#[tokio::test]
async fn https_said_by_a_trusted_proxy_makes_the_same_cookie_and_hsts() {
    let server = start_with(trusting_loopback).await;
    let (set, cleared, hsts) = https_round_trip(&server, Some("https")).await;
    assert_host_cookie(&set, &cleared, &hsts);
    let (set, cleared, hsts) = https_round_trip(&server, Some("http")).await;
    assert_plain_cookie(&set, &cleared, &hsts);
}

#[tokio::test]
async fn https_said_by_anyone_else_changes_nothing() {
    let server = start().await;
    let (set, cleared, hsts) = https_round_trip(&server, Some("https")).await;
    assert_plain_cookie(&set, &cleared, &hsts);
    let (set, cleared, hsts) = https_round_trip(&server, None).await;
    assert_plain_cookie(&set, &cleared, &hsts);
}
