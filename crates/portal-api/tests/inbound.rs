//! The email channel: relay webhook batches in the SparkPost shape.

mod common;

use common::*;
use serde_json::{Value, json};

fn batch(raw: &str) -> Value {
    json!([{"msys": {"relay_message": {
        "msg_from": "someone@example.com",
        "rcpt_to": "support@bird.example",
        "content": {"subject": "ignored when the MIME has one", "text": "", "email_rfc822": raw}
    }}}])
}

fn email(from: &str, subject: &str, body: &str, message_id: &str) -> String {
    format!(
        "From: {from}\r\nTo: support@bird.example\r\nSubject: {subject}\r\nMessage-ID: <{message_id}>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    )
}

async fn post(server: &Server, token: &str, body: &Value) -> (u16, Value) {
    let res = reqwest::Client::new()
        .post(server.url("/api/v1/inbound/relay-webhook"))
        .header("X-MessageSystems-Webhook-Token", token)
        .json(body)
        .send()
        .await
        .expect("post");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn an_email_from_a_customer_opens_a_case_and_a_reply_by_number_joins_it() {
    let server = start().await;
    let raw = email(
        "Ada Lovelace <ada@acme.example>",
        "Bounces from <b>Gmail</b>",
        "Every message bounces since 09:00.",
        "m1@acme.example",
    );
    let (status, body) = post(&server, "demo-relay-token", &batch(&raw)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["results"][0]["status"], "created");
    let case_id = body["results"][0]["case_id"].as_str().expect("case id").to_owned();
    let number = body["results"][0]["number"].as_str().expect("number").to_owned();

    let ada = server.signed_in(ADA).await;
    let (_, case) = get_json(&ada, server.url(&format!("/api/v1/cases/{case_id}"))).await;
    assert_eq!(case["channel"], "email");
    assert_eq!(case["subject"], "Bounces from <b>Gmail</b>");
    assert_eq!(case["description"], "Every message bounces since 09:00.");
    assert_eq!(case["requester"]["id"], "usr_ada");

    // The relay redelivers the same message: nothing new is created.
    let (_, again) = post(&server, "demo-relay-token", &batch(&raw)).await;
    assert_eq!(again["results"][0]["case_id"], case_id.as_str());

    let reply = email(
        "ada@acme.example",
        &format!("Re: [{number}] Bounces from Gmail"),
        "Here are the headers.",
        "m2@acme.example",
    );
    let (status, body) = post(&server, "demo-relay-token", &batch(&reply)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["results"][0]["status"], "appended");
    assert_eq!(body["results"][0]["case_id"], case_id.as_str());
    let (_, case) = get_json(&ada, server.url(&format!("/api/v1/cases/{case_id}"))).await;
    assert_eq!(case["timeline"][0]["body"], "Here are the headers.");
    assert_eq!(case["timeline"][0]["kind"], "message");
}

#[tokio::test]
async fn a_case_number_of_another_account_opens_a_new_case_instead() {
    let server = start().await;
    let bob = server.signed_in(BOB).await;
    let (_, page) = get_json(&bob, server.url("/api/v1/accounts/acc_globex/cases?limit=1")).await;
    let globex_number = page["data"][0]["number"].as_str().expect("number").to_owned();
    let raw = email("ada@acme.example", &format!("About {globex_number}"), "Hello", "m3@acme.example");
    let (_, body) = post(&server, "demo-relay-token", &batch(&raw)).await;
    assert_eq!(body["results"][0]["status"], "created");
    assert_ne!(body["results"][0]["number"], globex_number.as_str());
}

#[tokio::test]
async fn unknown_senders_and_malformed_messages_are_rejected_by_name() {
    let server = start().await;
    let stranger = email("mallory@evil.example", "Let me in", "Hi", "m4@evil.example");
    let (status, body) = post(&server, "demo-relay-token", &batch(&stranger)).await;
    assert_eq!(status, 422);
    assert_error_shape(&body, "validation_failed");
    assert_eq!(body["error"]["details"][0]["code"], "unknown_sender");

    for raw in ["", "this is not an email at all", "Subject: no sender\r\n\r\nbody"] {
        let (status, body) = post(&server, "demo-relay-token", &batch(raw)).await;
        assert_eq!(status, 422, "{raw:?}");
        assert_eq!(body["error"]["details"][0]["code"], "malformed_message", "{raw:?}");
    }
    // A TAM's address is not a customer's: only customer users open cases by email.
    let tam = email("tess@bird.example", "From Bird", "x", "m5@bird.example");
    let (status, _) = post(&server, "demo-relay-token", &batch(&tam)).await;
    assert_eq!(status, 422);
}

#[tokio::test]
async fn a_mixed_batch_reports_each_message() {
    let server = start().await;
    let mut events = batch(&email("bob@globex.example", "Webhook question", "?", "m6@globex.example"));
    let bad = batch(&email("nobody@nowhere.example", "x", "y", "m7@nowhere.example"));
    if let (Some(list), Some(more)) = (events.as_array_mut(), bad.as_array()) {
        list.extend(more.iter().cloned());
    }
    let (status, body) = post(&server, "demo-relay-token", &events).await;
    assert_eq!(status, 200);
    assert_eq!(body["results"][0]["status"], "created");
    assert_eq!(body["results"][1]["status"], "rejected");
    assert_eq!(body["results"][1]["code"], "unknown_sender");
}

#[tokio::test]
async fn a_wrong_or_missing_secret_is_refused_and_nothing_is_created() {
    let server = start().await;
    let ada = server.signed_in(ADA).await;
    let before = all_case_ids(&server, &ada, "acc_acme", "").await.len();
    let raw = email("ada@acme.example", "Sneaky", "x", "m8@acme.example");
    for token in ["", "wrong-token", "demo-relay-tokeN"] {
        let (status, body) = post(&server, token, &batch(&raw)).await;
        assert_eq!(status, 403, "{token:?}");
        assert_error_shape(&body, "invalid_webhook_token");
    }
    assert_eq!(all_case_ids(&server, &ada, "acc_acme", "").await.len(), before);
}
