//! The first response over HTTP: when it is due by the severity's target, overdue by the
//! server's clock (moved by `POST /test-clock` under `--test-clock`), and who gives it.

use crate::common;

use chrono::{DateTime, Duration, Utc};
use common::*;
use serde_json::{Value, json};

fn instant(value: &Value) -> DateTime<Utc> {
    value.as_str().and_then(|s| DateTime::parse_from_rfc3339(s).ok()).expect("an RFC 3339 instant").with_timezone(&Utc)
}

async fn open(server: &Server, ada: &reqwest::Client, severity: &str, subject: &str) -> Value {
    let body = json!({"kind": "problem", "severity": severity, "subject": subject, "description": "Bounces."});
    let (status, case) = post_json(ada, server.url("/api/v1/accounts/acc_acme/cases"), body).await;
    assert_eq!(status, 201, "{case}");
    case
}

async fn advance(server: &Server, who: &reqwest::Client, seconds: i64) -> (u16, Value) {
    post_json(who, server.url("/api/v1/test-clock"), json!({"advance_seconds": seconds})).await
}

async fn case(server: &Server, who: &reqwest::Client, id: &str) -> Value {
    let (status, detail) = get_json(who, server.url(&format!("/api/v1/cases/{id}"))).await;
    assert_eq!(status, 200, "{detail}");
    detail
}

/// The case as the account's list shows it.
async fn listed(server: &Server, who: &reqwest::Client, number: &str) -> Value {
    let (_, page) = get_json(who, server.url(&format!("/api/v1/accounts/acc_acme/cases?q={number}"))).await;
    page["data"].as_array().and_then(|d| d.iter().find(|c| c["number"] == number)).cloned().expect("listed")
}

/// The case as the case index (the list's filter as you type) has it.
async fn indexed(server: &Server, who: &reqwest::Client, number: &str) -> Value {
    let (_, index) = get_json(who, server.url("/api/v1/accounts/acc_acme/case-index")).await;
    index["data"].as_array().and_then(|d| d.iter().find(|c| c["number"] == number)).cloned().expect("indexed")
}

#[tokio::test]
async fn without_the_flag_the_test_clock_is_not_there() {
    let server = start().await;
    let ada = server.signed_in(ADA).await;
    let (status, body) = advance(&server, &ada, 3600).await;
    assert_eq!(status, 404);
    assert_error_shape(&body, "route_not_found");
    let (status, _) = advance(&server, &server.anonymous(), 3600).await;
    assert_eq!(status, 401, "nobody learns anything, whatever the flag");
}

#[tokio::test]
async fn a_case_falls_overdue_when_its_target_passes_by_the_server_clock() {
    let server = start_with(|c| c.test_clock = true).await;
    let (ada, alex) = (server.signed_in(ADA).await, server.signed_in(ALEX).await);
    let opened = open(&server, &ada, "high", "Overdue by the clock").await;
    let id = opened["id"].as_str().expect("id");
    let number = opened["number"].as_str().expect("number");
    let due = instant(&opened["first_response_due_at"]);
    assert_eq!(due, instant(&opened["created_at"]) + Duration::hours(4), "high: four hours");
    assert_eq!(opened["overdue"], false);

    let (status, moved) = advance(&server, &ada, 4 * 3600 - 120).await;
    assert_eq!(status, 200, "{moved}");
    assert!(instant(&moved["now"]) < due);
    assert_eq!(case(&server, &ada, id).await["overdue"], false, "two minutes left");
    assert_eq!(listed(&server, &ada, number).await["overdue"], false);
    assert_eq!(indexed(&server, &ada, number).await["overdue"], false);

    let (_, moved) = advance(&server, &alex, 180).await;
    assert!(instant(&moved["now"]) > due);
    let detail = case(&server, &ada, id).await;
    assert_eq!(detail["overdue"], true);
    assert_eq!(instant(&detail["first_response_due_at"]), due, "the clock moves, the promise does not");
    assert_eq!(listed(&server, &ada, number).await["overdue"], true, "the list says so too");
    assert_eq!(indexed(&server, &ada, number).await["overdue"], true, "and the index the list filters");

    let (status, body) = advance(&server, &ada, -60).await;
    assert_eq!(status, 422, "the clock only goes forward");
    assert_eq!(body["error"]["details"][0]["param"], "advance_seconds");

    let (status, _) =
        post_json(&alex, server.url(&format!("/api/v1/cases/{id}/messages")), json!({"body": "On it."})).await;
    assert_eq!(status, 201);
    let answered = case(&server, &ada, id).await;
    assert!(answered["first_response_due_at"].is_null(), "{answered}");
    assert_eq!(answered["overdue"], false);
    assert!(instant(&answered["first_response_at"]) > due, "stamped by the same clock");
}

#[tokio::test]
async fn only_a_support_agents_answer_is_the_first_response() {
    let server = start().await;
    let (ada, tess, alex) = (server.signed_in(ADA).await, server.signed_in(TESS).await, server.signed_in(ALEX).await);
    let id = open(&server, &ada, "critical", "Who answers first").await["id"].as_str().expect("id").to_owned();
    let (status, _) =
        post_json(&tess, server.url(&format!("/api/v1/cases/{id}/updates")), json!({"body": "Looking."})).await;
    assert_eq!(status, 201);
    let after_tam = case(&server, &ada, &id).await;
    assert!(after_tam["first_response_at"].is_null(), "a TAM's update is not the first response: {after_tam}");
    assert!(after_tam["first_response_due_at"].is_string());
    assert_eq!(after_tam["status"], "new");

    post_json(&alex, server.url(&format!("/api/v1/cases/{id}/updates")), json!({"body": "Found it."})).await;
    let after_agent = case(&server, &ada, &id).await;
    assert!(after_agent["first_response_at"].is_string());
    assert!(after_agent["first_response_due_at"].is_null());
    assert_eq!(after_agent["status"], "in_progress");
    assert_eq!(after_agent["agent"]["id"], "usr_alex");

    // The demo's CASE-1009: Tess wrote, no agent yet, and its four hours are past.
    let demo = listed(&server, &ada, "CASE-1009").await;
    assert!(demo["first_response_at"].is_null(), "{demo}");
    assert_eq!(demo["overdue"], true);
    let timeline = case(&server, &ada, demo["id"].as_str().expect("id")).await["timeline"].clone();
    assert!(
        timeline
            .as_array()
            .expect("timeline")
            .iter()
            .any(|e| e["kind"] == "progress_update" && e["author"]["id"] == "usr_tess")
    );
}

#[tokio::test]
async fn answered_and_resolved_cases_wait_for_nothing() {
    let server = start().await;
    let ada = server.signed_in(ADA).await;
    let (_, page) = get_json(&ada, server.url("/api/v1/accounts/acc_acme/cases?limit=100")).await;
    let cases = page["data"].as_array().expect("cases");
    for case in cases {
        let waiting = case["first_response_at"].is_null() && case["status"] != "resolved";
        assert_eq!(case["first_response_due_at"].is_string(), waiting, "{case}");
        assert!(case["overdue"].is_boolean() && (waiting || case["overdue"] == false), "{case}");
    }
    assert!(cases.iter().any(|c| c["overdue"] == true), "the demo has an overdue case");
    let soon = listed(&server, &ada, "CASE-1032").await;
    assert_eq!(soon["overdue"], false, "and one due soon: {soon}");
    assert!(instant(&soon["first_response_due_at"]) < Utc::now() + Duration::hours(2));
}

#[tokio::test]
async fn the_config_publishes_the_targets_due_times_are_counted_from() {
    let server = start().await;
    let ada = server.signed_in(ADA).await;
    let (_, config) = get_json(&ada, server.url("/api/v1/config")).await;
    for policy in config["severities"].as_array().expect("severities") {
        let severity = policy["severity"].as_str().expect("severity");
        let minutes = policy["first_response_minutes"].as_i64().expect("minutes");
        let opened = open(&server, &ada, severity, "Target check").await;
        let due = instant(&opened["first_response_due_at"]) - instant(&opened["created_at"]);
        assert_eq!(due, Duration::minutes(minutes), "{severity}");
    }
}
