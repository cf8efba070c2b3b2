//! Sign-in throttling over real HTTP: what one client does never locks out another, and only a
//! trusted proxy may say who the client is.

use crate::common;

use common::*;
use portal_api::ServerConfig;
use serde_json::{Value, json};

const A: &str = "203.0.113.1";
const B: &str = "198.51.100.2";

fn trusting_loopback(config: &mut ServerConfig) {
    config.trusted_proxies = vec!["127.0.0.1/32".parse().expect("range")];
}

/// A sign-in as the proxy on loopback would pass it on for `client`.
async fn sign_in(server: &Server, email: &str, password: &str, client: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(server.url("/api/v1/session"))
        .header("X-Forwarded-For", client)
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
        .expect("sign in")
}

/// Wrong passwords until the answers are all 429; the statuses in order.
async fn fail_repeatedly(server: &Server, emails: impl Iterator<Item = String>, client: &str) -> Vec<u16> {
    let mut statuses = Vec::new();
    for email in emails {
        statuses.push(sign_in(server, &email, "not the password", client).await.status().as_u16());
    }
    statuses
}

/// The answer is the throttled one: 429 in the error shape, with a sensible `Retry-After`.
async fn assert_throttled(res: reqwest::Response) -> u64 {
    assert_eq!(res.status(), 429);
    let retry_after = res
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .expect("Retry-After in whole seconds");
    assert!((1..=15 * 60).contains(&retry_after), "Retry-After {retry_after}");
    let body: Value = res.json().await.expect("json");
    assert_error_shape(&body, "too_many_attempts");
    retry_after
}

#[tokio::test]
async fn twenty_five_failures_from_one_address_leave_another_address_free() {
    let server = start_with(trusting_loopback).await;
    let statuses = fail_repeatedly(&server, (0..25).map(|i| format!("nobody{i}@acme.example")), A).await;
    assert!(statuses[..20].iter().all(|s| *s == 401), "{statuses:?}");
    assert!(statuses[20..].iter().all(|s| *s == 429), "the address guessing is held back: {statuses:?}");
    assert_eq!(sign_in(&server, ADA, PASSWORD, B).await.status(), 200, "Ada from another address");
    assert_eq!(sign_in(&server, BOB, PASSWORD, B).await.status(), 200, "Bob from another address");
    assert_throttled(sign_in(&server, BOB, PASSWORD, A).await).await;
}

#[tokio::test]
async fn ten_failures_for_ada_from_one_address_leave_her_free_from_another() {
    let server = start_with(trusting_loopback).await;
    let statuses = fail_repeatedly(&server, (0..10).map(|_| ADA.to_owned()), A).await;
    assert!(statuses[..5].iter().all(|s| *s == 401), "{statuses:?}");
    assert!(statuses[5..].iter().all(|s| *s == 429), "guessing Ada from A is held back: {statuses:?}");
    assert_throttled(sign_in(&server, ADA, PASSWORD, A).await).await;
    let res = sign_in(&server, ADA, PASSWORD, B).await;
    assert_eq!(res.status(), 200, "Ada signs in from B");
    assert_eq!(sign_in(&server, BOB, PASSWORD, A).await.status(), 200, "A is held back for Ada only");
}

#[tokio::test]
async fn guessing_one_account_from_many_addresses_makes_each_guesser_wait_but_not_its_owner() {
    let server = start_with(trusting_loopback).await;
    for i in 0..15 {
        let status = sign_in(&server, ADA, "not the password", &format!("203.0.113.{}", 10 + i)).await.status();
        assert_eq!(status, 401, "a first guess from each address is only wrong");
    }
    // One failure of its own, far below the per-address budgets: held back by the account's
    // failures from everywhere (after 15 of them, half a minute).
    let wait = assert_throttled(sign_in(&server, ADA, "not the password", "203.0.113.10").await).await;
    assert!(wait > 1, "the wait grew: {wait}");
    assert_eq!(sign_in(&server, ADA, PASSWORD, B).await.status(), 200, "Ada, who has not been failing");
}

#[tokio::test]
async fn right_passwords_are_limited_per_address_too() {
    let server = start_with(trusting_loopback).await;
    for attempt in 0..30 {
        assert_eq!(sign_in(&server, ADA, PASSWORD, A).await.status(), 200, "sign-in {attempt}");
    }
    assert_throttled(sign_in(&server, ADA, PASSWORD, A).await).await;
    assert_eq!(sign_in(&server, ADA, PASSWORD, B).await.status(), 200);
}

#[tokio::test]
async fn the_budget_of_sign_ins_a_minute_is_configuration() {
    let server = start_with(|c| {
        trusting_loopback(c);
        c.sign_ins_per_minute = 3;
    })
    .await;
    for attempt in 0..3 {
        assert_eq!(sign_in(&server, ADA, PASSWORD, A).await.status(), 200, "sign-in {attempt}");
    }
    assert_throttled(sign_in(&server, ADA, PASSWORD, A).await).await;
}

#[tokio::test]
async fn without_a_trusted_proxy_x_forwarded_for_changes_nothing() {
    let server = start().await;
    let elsewhere = (0..20).map(|i| format!("198.51.100.{i}"));
    for (i, client) in elsewhere.enumerate() {
        let status = sign_in(&server, &format!("nobody{i}@acme.example"), "not the password", &client).await.status();
        assert_eq!(status, 401);
    }
    // Every failure counted against the loopback peer, whatever the header claimed.
    assert_throttled(sign_in(&server, ADA, PASSWORD, B).await).await;
}

#[tokio::test]
async fn a_peer_outside_the_trusted_ranges_cannot_name_its_client() {
    let server = start_with(|c| c.trusted_proxies = vec!["10.0.0.0/8".parse().expect("range")]).await;
    let statuses = fail_repeatedly(&server, (0..6).map(|_| ADA.to_owned()), A).await;
    assert_eq!(statuses, [401, 401, 401, 401, 401, 429]);
    assert_throttled(sign_in(&server, ADA, PASSWORD, B).await).await;
}

#[tokio::test]
async fn the_client_is_the_right_most_address_the_proxy_did_not_write_itself() {
    let server = start_with(trusting_loopback).await;
    for i in 0..5 {
        // The client prepends a fresh address each time; the proxy appends the real one.
        let status = sign_in(&server, ADA, "not the password", &format!("192.0.2.{i}, {A}")).await.status();
        assert_eq!(status, 401);
    }
    assert_throttled(sign_in(&server, ADA, PASSWORD, &format!("192.0.2.99, {A}, 127.0.0.1")).await).await;
    assert_eq!(sign_in(&server, ADA, PASSWORD, &format!("{A}, {B}")).await.status(), 200);
}

/// The server as `portal-api` runs it (`portal_api::serve`, which `common::start_with` uses):
/// it must hand each request its peer's address, or every client is one and the same.
#[tokio::test]
async fn the_shipped_server_knows_each_client_by_its_address() {
    let server = common::start_with(trusting_loopback).await;
    let statuses = fail_repeatedly(&server, (0..21).map(|i| format!("nobody{i}@acme.example")), A).await;
    assert_eq!(statuses.last(), Some(&429), "{statuses:?}");
    assert_eq!(sign_in(&server, ADA, PASSWORD, B).await.status(), 200);
}

/// Two instances on one database (as behind a load balancer) count the same guesses: five wrong
/// passwords for Ada spread over both, and the sixth try is refused by either, while a restart
/// (a third instance) still remembers them.
#[tokio::test]
async fn guesses_spread_over_instances_are_counted_together() {
    let first = start_with(trusting_loopback).await;
    let second = another_instance(&first, trusting_loopback).await;
    for i in 0..5 {
        let instance = if i % 2 == 0 { &first } else { &second };
        assert_eq!(sign_in(instance, ADA, "not the password", A).await.status(), 401, "guess {i}");
    }
    assert_throttled(sign_in(&first, ADA, PASSWORD, A).await).await;
    assert_throttled(sign_in(&second, ADA, PASSWORD, A).await).await;
    let third = another_instance(&first, trusting_loopback).await;
    assert_throttled(sign_in(&third, ADA, PASSWORD, A).await).await;
    assert_eq!(sign_in(&third, ADA, PASSWORD, B).await.status(), 200, "Ada from her own address");
}
