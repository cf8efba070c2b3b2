//! Forgotten and changed passwords over HTTP: a reset answers alike for every address, keeps
//! only the link's hash, works once and for an hour, ends every session of the person and signs
//! them in; a change needs the current password and ends every other session.

use crate::common;

use common::*;
use portal_api::ServerConfig;
use portal_api::util::sha256_hex;
use serde_json::{Value, json};
use std::time::Duration;

const NEW_PASSWORD: &str = "a longer passphrase";

fn database(server: &Server) -> portal_api::sql::Connection {
    server.database()
}

async fn ask_reset(client: &reqwest::Client, server: &Server, email: &str) -> reqwest::Response {
    client.post(server.url("/api/v1/password-resets")).json(&json!({"email": email})).send().await.expect("ask")
}

/// The token of the newest reset email to `email`, read from the link in the email itself (the
/// server without `--smtp-url` writes each email into the data dir's `outbox/`). The link is
/// written after the answer (so its cost cannot be timed), hence the wait.
async fn emailed_token(server: &Server, email: &str) -> String {
    let outbox = server.dir.path().join("data/outbox");
    for _ in 0..200 {
        let mut newest: Option<(std::time::SystemTime, String)> = None;
        for entry in std::fs::read_dir(&outbox).into_iter().flatten().flatten() {
            let Ok(bytes) = std::fs::read(entry.path()) else { continue };
            let Some(message) = mail_parser::MessageParser::default().parse(&bytes) else { continue };
            let to_them = message.to().and_then(|a| a.first()).and_then(|a| a.address()) == Some(email);
            let text = message.body_text(0).unwrap_or_default().into_owned();
            let token = text.split("/reset-password/").nth(1).and_then(|rest| rest.split_whitespace().next());
            let modified = entry.metadata().and_then(|m| m.modified()).ok();
            if let (true, Some(token), Some(modified)) = (to_them, token, modified)
                && newest.as_ref().is_none_or(|(at, _)| modified >= *at)
            {
                newest = Some((modified, token.to_owned()));
            }
        }
        if let Some((_, token)) = newest {
            return token;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no reset email to {email}");
}

async fn reset_with(server: &Server, client: &reqwest::Client, token: &str, password: &str) -> (u16, Value) {
    post_json(client, server.url(&format!("/api/v1/password-resets/{token}")), json!({"password": password})).await
}

async fn sign_in(server: &Server, email: &str, password: &str) -> u16 {
    let (status, _) =
        post_json(&server.anonymous(), server.url("/api/v1/session"), json!({"email": email, "password": password}))
            .await;
    status
}

async fn session_status(server: &Server, client: &reqwest::Client) -> u16 {
    client.get(server.url("/api/v1/session")).send().await.expect("session").status().as_u16()
}

async fn mint(server: &Server, session: &reqwest::Client) -> String {
    let (status, grant) = post_json(session, server.url("/api/v1/tokens"), json!({})).await;
    assert_eq!(status, 201, "{grant}");
    grant["token"].as_str().expect("token").to_owned()
}

async fn bearer_status(server: &Server, token: &str) -> u16 {
    let res = reqwest::Client::new().get(server.url("/api/v1/session")).bearer_auth(token).send().await;
    res.expect("session").status().as_u16()
}

#[tokio::test]
async fn known_and_unknown_addresses_are_answered_alike_and_only_a_hash_is_kept() {
    let server = start().await;
    let client = server.anonymous();
    let mut answers = Vec::new();
    for email in [ADA, "nobody@acme.example", "system@bird.invalid"] {
        let res = ask_reset(&client, &server, email).await;
        answers.push((res.status().as_u16(), res.text().await.expect("body")));
    }
    assert!(answers.iter().all(|a| *a == answers[0]), "{answers:?}");
    assert_eq!(answers[0].0, 202);
    let token = emailed_token(&server, ADA).await;
    // The other two are written apart from their answers too; give them the time Ada's took.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let db = database(&server);
    let rows: Vec<(String, String, String, String)> = db
        .prepare("SELECT r.token_hash, u.email, r.created_at, r.expires_at FROM password_resets r JOIN users u ON u.id = r.user_id")
        .expect("select")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("read");
    assert_eq!(rows.len(), 1, "a link for Ada only, none for Bird's system user: {rows:?}");
    let (hash, email, created, expires) = &rows[0];
    assert_eq!(email, ADA);
    assert_eq!(hash, &sha256_hex(token.as_bytes()), "the SHA-256 of the emailed token");
    assert_ne!(hash, &token);
    let hour = chrono::DateTime::parse_from_rfc3339(expires).expect("expires")
        - chrono::DateTime::parse_from_rfc3339(created).expect("created");
    assert_eq!(hour, chrono::Duration::hours(1));
    let kinds: Vec<String> = db
        .prepare("SELECT kind FROM notifications")
        .expect("select")
        .query_map([], |r| r.get(0))
        .expect("rows")
        .collect::<Result<_, _>>()
        .expect("read");
    assert_eq!(kinds, ["password_reset"]);
}

#[tokio::test]
async fn a_link_sets_the_password_once_ends_every_session_and_signs_the_person_in() {
    let server = start().await;
    let ada = server.signed_in(ADA).await;
    let token_of_ada = mint(&server, &ada).await;
    assert_eq!(ask_reset(&server.anonymous(), &server, ADA).await.status(), 202);
    let link = emailed_token(&server, ADA).await;
    let browser = server.anonymous();
    let res = browser
        .post(server.url(&format!("/api/v1/password-resets/{link}")))
        .json(&json!({"password": NEW_PASSWORD}))
        .send()
        .await
        .expect("reset");
    assert_eq!(res.status(), 200);
    let cookie = res.headers().get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert!(cookie.starts_with("portal_session=") && cookie.contains("HttpOnly"), "{cookie}");
    let info: Value = res.json().await.expect("session info");
    assert_eq!(info["user"]["email"], ADA);
    assert_eq!(info["accounts"][0]["id"], "acc_acme");
    assert_eq!(session_status(&server, &browser).await, 200, "signed in by the link");
    assert_eq!(session_status(&server, &ada).await, 401, "her old session ended");
    assert_eq!(bearer_status(&server, &token_of_ada).await, 401, "and her token");
    assert_eq!(sign_in(&server, ADA, PASSWORD).await, 401, "the old password no longer signs in");
    assert_eq!(sign_in(&server, ADA, NEW_PASSWORD).await, 200, "the new one does");
    let (status, body) = reset_with(&server, &server.anonymous(), &link, "yet another passphrase").await;
    assert_eq!(status, 410, "a link works once");
    assert_error_shape(&body, "reset_link_expired");
    assert_eq!(sign_in(&server, ADA, NEW_PASSWORD).await, 200, "and changed nothing the second time");
}

#[tokio::test]
async fn a_newer_password_retires_the_other_links_of_the_person() {
    let server = start().await;
    let client = server.anonymous();
    ask_reset(&client, &server, ADA).await;
    let first = emailed_token(&server, ADA).await;
    ask_reset(&client, &server, ADA).await;
    let mut second = emailed_token(&server, ADA).await;
    while second == first {
        tokio::time::sleep(Duration::from_millis(50)).await;
        second = emailed_token(&server, ADA).await;
    }
    assert_eq!(reset_with(&server, &client, &second, NEW_PASSWORD).await.0, 200);
    assert_eq!(reset_with(&server, &client, &first, "yet another passphrase").await.0, 410);
}

#[tokio::test]
async fn a_link_expires_after_an_hour_and_a_forged_one_is_unknown() {
    let server = start_with(|c| c.test_clock = true).await;
    let client = server.anonymous();
    ask_reset(&client, &server, ADA).await;
    let link = emailed_token(&server, ADA).await;
    let (status, body) = reset_with(&server, &client, &link, "too short").await;
    assert_eq!((status, &body["error"]["details"][0]["code"]), (422, &json!("too_short")), "{body}");
    let (status, body) = reset_with(&server, &client, "forged-token", NEW_PASSWORD).await;
    assert_eq!(status, 404);
    assert_error_shape(&body, "reset_link_not_found");
    let bob = server.signed_in(BOB).await;
    let (status, moved) = post_json(&bob, server.url("/api/v1/test-clock"), json!({"advance_seconds": 3601})).await;
    assert_eq!(status, 200, "{moved}");
    let (status, body) = reset_with(&server, &client, &link, NEW_PASSWORD).await;
    assert_eq!(status, 410, "an hour later");
    assert_error_shape(&body, "reset_link_expired");
    assert_eq!(sign_in(&server, ADA, PASSWORD).await, 200, "nothing changed");
}

fn trusting_loopback(config: &mut ServerConfig) {
    config.trusted_proxies = vec!["127.0.0.1/32".parse().expect("range")];
}

async fn ask_from(server: &Server, email: &str, address: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(server.url("/api/v1/password-resets"))
        .header("X-Forwarded-For", address)
        .json(&json!({"email": email}))
        .send()
        .await
        .expect("ask")
}

async fn assert_throttled(res: reqwest::Response) {
    assert_eq!(res.status(), 429);
    let wait = res.headers().get("retry-after").and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    assert!(wait.is_some_and(|s| (1..=3600).contains(&s)), "Retry-After in seconds: {wait:?}");
    assert_error_shape(&res.json().await.expect("json"), "too_many_reset_requests");
}

#[tokio::test]
async fn reset_emails_are_limited_per_address_asked_about_alike_for_known_and_unknown() {
    let server = start_with(trusting_loopback).await;
    for email in [ADA, "nobody@acme.example"] {
        for i in 0..5 {
            let status = ask_from(&server, email, &format!("203.0.113.{i}")).await.status();
            assert_eq!(status, 202, "{email}, request {i}");
        }
        assert_throttled(ask_from(&server, email, "203.0.113.99").await).await;
    }
    assert_eq!(ask_from(&server, BOB, "203.0.113.99").await.status(), 202, "another address");
}

#[tokio::test]
async fn reset_emails_are_limited_per_client() {
    let server = start_with(trusting_loopback).await;
    for i in 0..20 {
        assert_eq!(ask_from(&server, &format!("someone{i}@acme.example"), "203.0.113.1").await.status(), 202);
    }
    assert_throttled(ask_from(&server, ADA, "203.0.113.1").await).await;
    assert_eq!(ask_from(&server, ADA, "198.51.100.2").await.status(), 202, "another client");
}

async fn change(client: &reqwest::Client, server: &Server, current: &str, password: &str) -> (u16, Value) {
    let body = json!({"current_password": current, "password": password});
    let res = client.put(server.url("/api/v1/me/password")).json(&body).send().await.expect("change");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn changing_the_password_needs_the_current_one_and_ends_every_other_session() {
    let server = start().await;
    let here = server.signed_in(ADA).await;
    let elsewhere = server.signed_in(ADA).await;
    let token_from_here = mint(&server, &here).await;
    let (status, body) = change(&here, &server, "not my password", NEW_PASSWORD).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["details"][0]["param"], "current_password", "{body}");
    assert_eq!(session_status(&server, &elsewhere).await, 200, "a wrong password ends nothing");
    let (status, body) = change(&here, &server, PASSWORD, NEW_PASSWORD).await;
    assert_eq!(status, 204, "{body}");
    assert_eq!(session_status(&server, &here).await, 200, "this session stays");
    assert_eq!(session_status(&server, &elsewhere).await, 401, "the other ended");
    assert_eq!(bearer_status(&server, &token_from_here).await, 401, "and every token");
    assert_eq!(sign_in(&server, ADA, PASSWORD).await, 401);
    assert_eq!(sign_in(&server, ADA, NEW_PASSWORD).await, 200);
}

#[tokio::test]
async fn a_token_cannot_change_the_password_and_wrong_guesses_are_throttled() {
    let server = start().await;
    let ada = server.signed_in(ADA).await;
    let token = mint(&server, &ada).await;
    let res = reqwest::Client::new()
        .put(server.url("/api/v1/me/password"))
        .bearer_auth(&token)
        .json(&json!({"current_password": PASSWORD, "password": NEW_PASSWORD}))
        .send()
        .await
        .expect("change");
    assert_eq!(res.status(), 403);
    assert_error_shape(&res.json().await.expect("json"), "cookie_session_required");
    for _ in 0..5 {
        assert_eq!(change(&ada, &server, "a wrong guess", NEW_PASSWORD).await.0, 422);
    }
    let (status, body) = change(&ada, &server, PASSWORD, NEW_PASSWORD).await;
    assert_eq!(status, 429, "guessing the current password counts like signing in: {body}");
    assert_error_shape(&body, "too_many_attempts");
}
