//! Opening cases is limited per person, counted in the database, over real HTTP: past the
//! limit a 429 in the error shape with `Retry-After`, while retries of cases already opened
//! still get their first answer and other people are not slowed.

use crate::common;

use common::{ADA, BOB, Server};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

async fn open_case(server: &Server, client: &Client, account: &str, key: Option<&str>) -> reqwest::Response {
    let mut request = client.post(server.url(&format!("/api/v1/accounts/{account}/cases"))).json(&json!({
        "kind": "problem", "severity": "normal", "subject": "Deferrals from one pool", "description": "Since 9:00."
    }));
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    request.send().await.expect("POST cases")
}

#[tokio::test]
async fn past_the_limit_a_person_gets_429_with_retry_after_and_retries_still_replay() {
    let server = common::start_with(|c| c.cases_per_hour = 3).await;
    let ada = server.signed_in(ADA).await;
    let first = open_case(&server, &ada, "acc_acme", Some("first-case")).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: Value = first.json().await.expect("json");
    for _ in 0..2 {
        assert_eq!(open_case(&server, &ada, "acc_acme", None).await.status(), StatusCode::CREATED);
    }

    let refused = open_case(&server, &ada, "acc_acme", None).await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = refused.headers()["retry-after"].to_str().expect("ascii").parse().expect("seconds");
    assert!((1..=3600).contains(&retry_after), "{retry_after}");
    common::assert_error_shape(&refused.json().await.expect("json"), "case_rate_limited");
    assert_eq!(common::all_case_ids(&server, &ada, "acc_acme", "&q=Deferrals%20from%20one%20pool").await.len(), 3);

    let replayed = open_case(&server, &ada, "acc_acme", Some("first-case")).await;
    assert_eq!(
        replayed.status(),
        StatusCode::CREATED,
        "a retry of a case already opened is answered as the first time"
    );
    assert_eq!(replayed.json::<Value>().await.expect("json")["id"], first["id"]);

    let bob = server.signed_in(BOB).await;
    assert_eq!(open_case(&server, &bob, "acc_globex", None).await.status(), StatusCode::CREATED, "per person");
}

#[tokio::test]
async fn the_default_limit_is_thirty_cases_an_hour() {
    let server = common::start_with(|c| c.cases_per_hour = portal_api::state::DEFAULT_CASES_PER_HOUR).await;
    let ada = server.signed_in(ADA).await;
    for n in 1..=30 {
        assert_eq!(open_case(&server, &ada, "acc_acme", None).await.status(), StatusCode::CREATED, "case {n}");
    }
    assert_eq!(open_case(&server, &ada, "acc_acme", None).await.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn the_count_lives_in_the_database_and_outlasts_a_restart() {
    let server = common::start_with(|c| c.cases_per_hour = 2).await;
    let ada = server.signed_in(ADA).await;
    for _ in 0..2 {
        assert_eq!(open_case(&server, &ada, "acc_acme", None).await.status(), StatusCode::CREATED);
    }
    let other = common::another_instance(&server, |c| c.cases_per_hour = 2).await;
    let ada_there = other.signed_in(ADA).await;
    assert_eq!(open_case(&other, &ada_there, "acc_acme", None).await.status(), StatusCode::TOO_MANY_REQUESTS);
}
