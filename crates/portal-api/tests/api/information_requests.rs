//! Information requests over HTTP: who may raise and answer them, how they move the case, and
//! what the account and the case show.

use crate::common;

use common::{ADA, ALEX, BOB, Server, TESS, get_json, upload};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

async fn open_case(server: &Server, ada: &Client, subject: &str) -> String {
    let res = ada
        .post(server.url("/api/v1/accounts/acc_acme/cases"))
        .json(&json!({"kind": "problem", "severity": "high", "subject": subject, "description": "Bounces."}))
        .send()
        .await
        .expect("open");
    assert_eq!(res.status(), StatusCode::CREATED);
    res.json::<Value>().await.expect("case")["id"].as_str().expect("id").to_owned()
}

async fn raise(server: &Server, who: &Client, case_id: &str, title: &str) -> (StatusCode, Value) {
    let res = who
        .post(server.url(&format!("/api/v1/cases/{case_id}/information-requests")))
        .json(&json!({"title": title, "description": format!("Please send the {title}."), "files_expected": true}))
        .send()
        .await
        .expect("raise");
    (res.status(), res.json().await.unwrap_or(Value::Null))
}

async fn answer(server: &Server, who: &Client, case_id: &str, request_id: &str, body: Value) -> (StatusCode, Value) {
    let res = who
        .post(server.url(&format!("/api/v1/cases/{case_id}/information-requests/{request_id}/answer")))
        .json(&body)
        .send()
        .await
        .expect("answer");
    (res.status(), res.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn two_requests_wait_on_the_customer_until_both_are_answered() {
    let server = common::start().await;
    let (ada, alex) = (server.signed_in(ADA).await, server.signed_in(ALEX).await);
    let case_id = open_case(&server, &ada, "Requests journey").await;
    let (status, logs) = raise(&server, &alex, &case_id, "Bounce logs").await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(logs["status"], "open");
    let (_, headers) = raise(&server, &alex, &case_id, "Message headers").await;
    let (logs_id, headers_id) = (logs["id"].as_str().expect("id"), headers["id"].as_str().expect("id"));

    let (_, detail) = get_json(&ada, server.url(&format!("/api/v1/cases/{case_id}"))).await;
    assert_eq!(detail["status"], "waiting_on_customer");
    assert!(detail["first_response_at"].is_string(), "asking is Bird's first answer");
    let (_, waiting) = get_json(&ada, server.url("/api/v1/accounts/acc_acme/information-requests")).await;
    let mine: Vec<&Value> =
        waiting["data"].as_array().expect("list").iter().filter(|w| w["request"]["case_id"] == case_id).collect();
    assert_eq!(mine.len(), 2);
    assert_eq!(mine[0]["case_subject"], "Requests journey");
    let (_, account) = get_json(&ada, server.url("/api/v1/accounts/acc_acme")).await;
    assert!(account["counts"]["open_information_requests"].as_u64().expect("count") >= 2);

    let file = upload(&server, &ada, &case_id, Some(logs_id), b"Received: from mx.acme.example").await;
    let (status, detail) = answer(&server, &ada, &case_id, logs_id, json!({"attachment_ids": [file]})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(detail["status"], "waiting_on_customer", "one request is still open");
    let (status, detail) = answer(
        &server,
        &ada,
        &case_id,
        headers_id,
        json!({"text": "Sent at 09:14 UTC from mx1.", "attachment_ids": []}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(detail["status"], "in_progress");
    let requests = detail["information_requests"].as_array().expect("requests");
    assert!(requests.iter().all(|r| r["status"] == "answered"));
    let answered_logs = requests.iter().find(|r| r["id"] == logs_id).expect("logs");
    assert_eq!(answered_logs["answer"]["attachments"][0]["id"], file.as_str());
    assert_eq!(answered_logs["answer"]["answered_by"]["name"], "Ada Lovelace");
    let answered_headers = requests.iter().find(|r| r["id"] == headers_id).expect("headers");
    assert_eq!(answered_headers["answer"]["text"], "Sent at 09:14 UTC from mx1.");
    let timeline = detail["timeline"].as_array().expect("timeline");
    let answers: Vec<&Value> = timeline.iter().filter(|e| e["kind"] == "information_request_answered").collect();
    assert_eq!(answers.len(), 2);
    assert_eq!(answers[0]["attachments"][0]["id"], file.as_str());
    assert_eq!(answers[1]["body"], "Sent at 09:14 UTC from mx1.");

    // Once, not twice.
    let (status, again) = answer(&server, &ada, &case_id, headers_id, json!({"text": "again"})).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(again["error"]["code"], "case_state_changed");
    let (_, waiting) = get_json(&ada, server.url("/api/v1/accounts/acc_acme/information-requests")).await;
    assert!(waiting["data"].as_array().expect("list").iter().all(|w| w["request"]["case_id"] != case_id));
}

#[tokio::test]
async fn only_agents_ask_and_only_customers_answer() {
    let server = common::start().await;
    let (ada, alex, tess) = (server.signed_in(ADA).await, server.signed_in(ALEX).await, server.signed_in(TESS).await);
    let case_id = open_case(&server, &ada, "Roles").await;
    assert_eq!(raise(&server, &ada, &case_id, "Logs").await.0, StatusCode::FORBIDDEN);
    assert_eq!(raise(&server, &tess, &case_id, "Logs").await.0, StatusCode::FORBIDDEN);
    let (_, request) = raise(&server, &alex, &case_id, "Logs").await;
    let id = request["id"].as_str().expect("id");
    assert_eq!(answer(&server, &alex, &case_id, id, json!({"text": "self"})).await.0, StatusCode::FORBIDDEN);
    assert_eq!(answer(&server, &tess, &case_id, id, json!({"text": "tam"})).await.0, StatusCode::FORBIDDEN);
    let bob = server.signed_in(BOB).await;
    let (status, body) = answer(&server, &bob, &case_id, id, json!({"text": "not mine"})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!body.to_string().contains("Logs"));
    assert_eq!(raise(&server, &bob, &case_id, "x").await.0, StatusCode::NOT_FOUND);
    let (status, _) = get_json(&bob, server.url("/api/v1/accounts/acc_acme/information-requests")).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn an_answer_needs_content_and_only_this_cases_files() {
    let server = common::start().await;
    let (ada, alex) = (server.signed_in(ADA).await, server.signed_in(ALEX).await);
    let case_id = open_case(&server, &ada, "Validation").await;
    let other_case = open_case(&server, &ada, "Other").await;
    let (_, request) = raise(&server, &alex, &case_id, "Logs").await;
    let id = request["id"].as_str().expect("id");
    let (status, body) = answer(&server, &ada, &case_id, id, json!({"text": "  ", "attachment_ids": []})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["details"][0]["param"], "text");
    let foreign = upload(&server, &ada, &other_case, None, b"elsewhere").await;
    let (status, body) = answer(&server, &ada, &case_id, id, json!({"attachment_ids": [foreign]})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["details"][0]["param"], "attachment_ids");
    let (status, body) = raise(&server, &alex, &case_id, "").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["details"][0]["param"], "title");
    let (_, detail) = get_json(&ada, server.url(&format!("/api/v1/cases/{case_id}"))).await;
    assert_eq!(detail["information_requests"][0]["status"], "open", "refused answers changed nothing");
}

#[tokio::test]
async fn a_resolved_case_takes_no_new_request() {
    let server = common::start().await;
    let ada = server.signed_in(ADA).await;
    let alex = server.signed_in(ALEX).await;
    let (_, page) = get_json(&ada, server.url("/api/v1/accounts/acc_acme/cases?status=resolved&limit=1")).await;
    let resolved = page["data"][0]["id"].as_str().expect("a resolved demo case");
    let (status, body) = raise(&server, &alex, resolved, "Too late").await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["error"]["code"], "case_state_changed");
}

/// How many times the case shows a file: in its list of files, and in timeline events.
fn shown(detail: &Value, file: &str) -> (usize, Vec<String>) {
    let listed = detail["attachments"].as_array().expect("files").iter().filter(|a| a["id"] == file).count();
    let events = detail["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .filter(|e| e["attachments"].as_array().is_some_and(|a| a.iter().any(|a| a["id"] == file)))
        .map(|e| e["kind"].as_str().expect("kind").to_owned())
        .collect();
    (listed, events)
}

#[tokio::test]
async fn a_file_for_a_request_joins_the_case_only_when_the_answer_is_sent() {
    let server = common::start().await;
    let (ada, alex) = (server.signed_in(ADA).await, server.signed_in(ALEX).await);
    let case_id = open_case(&server, &ada, "Held files").await;
    let (_, request) = raise(&server, &alex, &case_id, "Bounce logs").await;
    let request_id = request["id"].as_str().expect("id");
    let picked = upload(&server, &ada, &case_id, Some(request_id), b"Received: from mx.acme.example").await;
    let plain = upload(&server, &ada, &case_id, None, b"a file for the case itself").await;

    for who in [&ada, &alex] {
        let (_, detail) = get_json(who, server.url(&format!("/api/v1/cases/{case_id}"))).await;
        assert_eq!(shown(&detail, &picked), (0, vec![]), "not the case's before the answer is sent");
        assert_eq!(shown(&detail, &plain), (1, vec!["attachment_added".to_owned()]), "a file for the case is at once");
    }

    let (status, detail) = answer(&server, &ada, &case_id, request_id, json!({"attachment_ids": [picked]})).await;
    assert_eq!(status, StatusCode::OK, "{detail}");
    assert_eq!(shown(&detail, &picked), (1, vec!["information_request_answered".to_owned()]), "once, in the answer");
    let answered =
        detail["information_requests"].as_array().expect("requests").iter().find(|r| r["id"] == request_id).cloned();
    assert_eq!(answered.expect("request")["answer"]["attachments"][0]["id"], picked.as_str());

    // A file held for one request does not go with another's answer.
    let (_, other) = raise(&server, &alex, &case_id, "Headers").await;
    let other_id = other["id"].as_str().expect("id");
    let (_, third) = raise(&server, &alex, &case_id, "Screenshots").await;
    let held = upload(&server, &ada, &case_id, Some(other_id), b"held for Headers").await;
    let (status, body) =
        answer(&server, &ada, &case_id, third["id"].as_str().expect("id"), json!({"attachment_ids": [held]})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["details"][0]["param"], "attachment_ids");
}
