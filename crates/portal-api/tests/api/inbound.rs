//! The email channel: relay webhook batches in the SparkPost shape.

use crate::common;

use common::*;
use serde_json::{Value, json};

/// One relay event: the envelope sender as the relay reports it, and the message as sent.
fn event(envelope: &str, raw: &str) -> Value {
    json!({"msys": {"relay_message": {
        "msg_from": envelope,
        "rcpt_to": "support@bird.example",
        "content": {"subject": "ignored when the MIME has one", "text": "", "email_rfc822": raw}
    }}})
}

fn batch(envelope: &str, raw: &str) -> Value {
    json!([event(envelope, raw)])
}

fn email(from: &str, subject: &str, body: &str, message_id: &str) -> String {
    format!(
        "From: {from}\r\nTo: support@bird.example\r\nSubject: {subject}\r\nMessage-ID: <{message_id}>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    )
}

/// A message from Ada as the receiving system saw it, with its `Authentication-Results`.
fn authenticated(results: &str, message_id: &str) -> String {
    format!("Authentication-Results: mx.bird.example; {results}\r\n{}", email(ADA, "Signed", "x", message_id))
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
    let (status, body) = post(&server, "demo-relay-token", &batch(ADA, &raw)).await;
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
    let (_, again) = post(&server, "demo-relay-token", &batch(ADA, &raw)).await;
    assert_eq!(again["results"][0]["case_id"], case_id.as_str());

    let reply = email(
        "ada@acme.example",
        &format!("Re: [{number}] Bounces from Gmail"),
        "Here are the headers.",
        "m2@acme.example",
    );
    let (status, body) = post(&server, "demo-relay-token", &batch(ADA, &reply)).await;
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
    let (_, body) = post(&server, "demo-relay-token", &batch(ADA, &raw)).await;
    assert_eq!(body["results"][0]["status"], "created");
    assert_ne!(body["results"][0]["number"], globex_number.as_str());
}

#[tokio::test]
async fn unknown_senders_and_malformed_messages_are_rejected_by_name() {
    let server = start().await;
    let stranger = email("mallory@evil.example", "Let me in", "Hi", "m4@evil.example");
    let (status, body) = post(&server, "demo-relay-token", &batch("mallory@evil.example", &stranger)).await;
    assert_eq!(status, 422);
    assert_error_shape(&body, "validation_failed");
    assert_eq!(body["error"]["details"][0]["code"], "unknown_sender");

    for raw in ["", "this is not an email at all", "Subject: no sender\r\n\r\nbody"] {
        let (status, body) = post(&server, "demo-relay-token", &batch(ADA, raw)).await;
        assert_eq!(status, 422, "{raw:?}");
        assert_eq!(body["error"]["details"][0]["code"], "malformed_message", "{raw:?}");
    }
    // A TAM's address is not a customer's: only customer users open cases by email.
    let tam = email("tess@bird.example", "From Bird", "x", "m5@bird.example");
    let (status, _) = post(&server, "demo-relay-token", &batch(TESS, &tam)).await;
    assert_eq!(status, 422);
}

#[tokio::test]
async fn a_mixed_batch_reports_each_message() {
    let server = start().await;
    let events = json!([
        event(BOB, &email(BOB, "Webhook question", "?", "m6@globex.example")),
        event("nobody@nowhere.example", &email("nobody@nowhere.example", "x", "y", "m7@nowhere.example")),
    ]);
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
        let (status, body) = post(&server, token, &batch(ADA, &raw)).await;
        assert_eq!(status, 403, "{token:?}");
        assert_error_shape(&body, "invalid_webhook_token");
    }
    assert_eq!(all_case_ids(&server, &ada, "acc_acme", "").await.len(), before);
}

/// Rows of everything a message could leave behind: cases, timeline events, attachments and
/// stored answers (the dedup keys).
fn stored(server: &Server) -> [i64; 4] {
    let db = server.database();
    ["cases", "events", "attachments", "idempotency_keys"]
        .map(|table| db.query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |r| r.get(0)).expect("count"))
}

#[tokio::test]
async fn a_from_line_that_is_not_the_envelope_sender_is_refused_and_stored_nowhere() {
    let server = start().await;
    let ada = server.signed_in(ADA).await;
    let cases_before = all_case_ids(&server, &ada, "acc_acme", "").await;
    let (_, page) = get_json(&ada, server.url("/api/v1/accounts/acc_acme/cases?limit=1")).await;
    let her_case = page["data"][0]["id"].as_str().expect("a case of Ada's").to_owned();
    let her_number = page["data"][0]["number"].as_str().expect("number").to_owned();
    let (_, case) = get_json(&ada, server.url(&format!("/api/v1/cases/{her_case}"))).await;
    let timeline_before = case["timeline"].as_array().expect("timeline").len();
    let rows_before = stored(&server);

    // Mallory writes Ada's address on the From: line: a new case, and a reply into her case.
    let new_case =
        email("Ada Lovelace <ada@acme.example>", "Please wire the refund", "to my new IBAN", "s1@evil.example");
    let reply = email(ADA, &format!("Re: [{her_number}] Bounces"), "Close this case, all fixed", "s2@evil.example");
    for raw in [&new_case, &reply] {
        let (status, body) = post(&server, "demo-relay-token", &batch("mallory@evil.example", raw)).await;
        assert_eq!(status, 422, "{body}");
        assert_error_shape(&body, "validation_failed");
        assert_eq!(body["error"]["details"][0]["code"], "sender_mismatch", "{body}");
        assert_eq!(body["error"]["details"][0]["param"], "[0].msys.relay_message.msg_from", "{body}");
    }
    // No envelope sender at all is no better.
    let no_envelope = json!([{"msys": {"relay_message": {"content": {"email_rfc822": new_case}}}}]);
    let (status, body) = post(&server, "demo-relay-token", &no_envelope).await;
    assert_eq!((status, &body["error"]["details"][0]["code"]), (422, &json!("sender_mismatch")), "{body}");

    assert_eq!(all_case_ids(&server, &ada, "acc_acme", "").await, cases_before);
    let (_, case) = get_json(&ada, server.url(&format!("/api/v1/cases/{her_case}"))).await;
    assert_eq!(case["timeline"].as_array().expect("timeline").len(), timeline_before);
    assert_eq!(stored(&server), rows_before);

    // Display names and letter case do not matter: the same address on both sides is Ada.
    let genuine = email("\"Mallory\" <ADA@Acme.Example>", "Real question", "x", "s3@acme.example");
    let (status, body) = post(&server, "demo-relay-token", &batch("<ada@ACME.example>", &genuine)).await;
    assert_eq!((status, &body["results"][0]["status"]), (200, &json!("created")), "{body}");
}

#[tokio::test]
async fn a_message_with_several_from_addresses_is_refused() {
    let server = start().await;
    let rows_before = stored(&server);
    let body = "\r\nSubject: Two of us\r\nMessage-ID: <f@acme.example>\r\n\r\nhello\r\n";
    let several = [
        format!("From: ada@acme.example, mallory@evil.example{body}"),
        format!("From: Friends: ada@acme.example, mallory@evil.example;{body}"),
        format!("From: mallory@evil.example\r\nFrom: ada@acme.example{body}"),
        format!("From: ada@acme.example\r\nFrom: mallory@evil.example{body}"),
    ];
    let events: Vec<Value> = several.iter().map(|raw| event(ADA, raw)).collect();
    let (status, answer) = post(&server, "demo-relay-token", &json!(events)).await;
    assert_eq!(status, 422, "{answer}");
    let codes: Vec<&Value> = (0..4).map(|i| &answer["error"]["details"][i]["code"]).collect();
    assert_eq!(codes, [&json!("several_senders"); 4], "{answer}");
    assert_eq!(stored(&server), rows_before);
}

#[tokio::test]
async fn dmarc_pass_is_accepted_and_dmarc_fail_refused() {
    let server = start().await;
    let rows_before = stored(&server);
    let events = json!([
        event(
            ADA,
            &authenticated(
                "dkim=none; spf=pass smtp.mailfrom=acme.example; dmarc=fail header.from=acme.example",
                "a1@acme.example"
            )
        ),
        event(ADA, &authenticated("dkim=none; dmarc=pass header.from=acme.example", "a2@acme.example")),
        // A sender's own forged header sits below the receiving system's, and is not believed.
        event(
            ADA,
            &format!(
                "Authentication-Results: mx.bird.example; dmarc=fail\r\n{}",
                authenticated("dmarc=pass", "a3@acme.example")
            )
        ),
    ]);
    let (status, body) = post(&server, "demo-relay-token", &events).await;
    assert_eq!(status, 200, "{body}");
    let outcomes: Vec<(&Value, &Value, &Value)> = (0..3)
        .map(|i| (&body["results"][i]["index"], &body["results"][i]["status"], &body["results"][i]["code"]))
        .collect();
    assert_eq!(
        outcomes,
        [
            (&json!(0), &json!("rejected"), &json!("not_authenticated")),
            (&json!(1), &json!("created"), &Value::Null),
            (&json!(2), &json!("rejected"), &json!("not_authenticated")),
        ],
        "{body}"
    );
    assert!(body["results"][0]["reason"].as_str().is_some_and(|r| r.contains("dmarc=pass")), "{body}");
    let [cases, _, _, keys] = stored(&server);
    assert_eq!((cases, keys), (rows_before[0] + 1, rows_before[3] + 1), "only the one accepted message is stored");
}

#[tokio::test]
async fn a_dkim_pass_counts_only_for_the_from_domain() {
    let server = start().await;
    let events = json!([
        event(ADA, &authenticated("dkim=pass header.d=acme.example header.s=s1; dmarc=none", "k1@acme.example")),
        event(ADA, &authenticated("dkim=pass header.d=evil.example header.s=s1; dmarc=none", "k2@acme.example")),
        event(ADA, &authenticated("dkim=pass header.i=@mail.acme.example; dmarc=none", "k3@acme.example")),
    ]);
    let (status, body) = post(&server, "demo-relay-token", &events).await;
    assert_eq!(status, 200, "{body}");
    let outcomes: Vec<&Value> = (0..3).map(|i| &body["results"][i]["status"]).collect();
    assert_eq!(outcomes, [&json!("created"), &json!("rejected"), &json!("created")], "{body}");
    assert_eq!(body["results"][1]["code"], "not_authenticated", "{body}");
}

#[tokio::test]
async fn one_bad_item_does_not_break_its_batch() {
    let server = start().await;
    let ada = server.signed_in(ADA).await;
    let before = all_case_ids(&server, &ada, "acc_acme", "").await.len();
    let events = json!([
        {"msys": 5},
        {"msys": {"relay_message": {"msg_from": ADA}}},
        event("nobody@nowhere.example", &email("nobody@nowhere.example", "x", "y", "b1@nowhere.example")),
        event(ADA, "this is not an email at all"),
        {"msys": {"relay_message": {"msg_from": ADA, "content": {"subject": "no rfc822", "text": "only text"}}}},
        event(ADA, &email(ADA, "The good one", "Bounces again", "b2@acme.example")),
    ]);
    let (status, body) = post(&server, "demo-relay-token", &events).await;
    assert_eq!(status, 200, "{body}");
    let outcomes: Vec<(&Value, &Value, &Value)> = (0..6)
        .map(|i| (&body["results"][i]["index"], &body["results"][i]["status"], &body["results"][i]["code"]))
        .collect();
    assert_eq!(
        outcomes,
        [
            (&json!(0), &json!("rejected"), &json!("malformed_event")),
            (&json!(1), &json!("rejected"), &json!("malformed_event")),
            (&json!(2), &json!("rejected"), &json!("unknown_sender")),
            (&json!(3), &json!("rejected"), &json!("malformed_message")),
            (&json!(4), &json!("rejected"), &json!("malformed_message")),
            (&json!(5), &json!("created"), &Value::Null),
        ],
        "{body}"
    );
    assert!(body["results"][1]["reason"].as_str().is_some_and(|r| r.contains("content")), "{body}");
    assert_eq!(all_case_ids(&server, &ada, "acc_acme", "").await.len(), before + 1);

    // The same Message-ID with other content is refused on its own too.
    let events = json!([
        event(ADA, &email(ADA, "The good one", "Something else entirely", "b2@acme.example")),
        event(ADA, &email(ADA, "Another", "fine", "b3@acme.example")),
    ]);
    let (status, body) = post(&server, "demo-relay-token", &events).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["results"][0]["code"], "message_id_reused", "{body}");
    assert_eq!(body["results"][1]["status"], "created", "{body}");
}

#[tokio::test]
async fn a_batch_without_message_ids_sent_twice_opens_each_case_once() {
    let server = start().await;
    let ada = server.signed_in(ADA).await;
    let before = all_case_ids(&server, &ada, "acc_acme", "").await.len();
    let without_id = |subject: &str| {
        format!(
            "From: ada@acme.example\r\nTo: support@bird.example\r\nSubject: {subject}\r\n\r\nNo Message-ID here\r\n"
        )
    };
    let events = json!([event(ADA, &without_id("First")), event(ADA, &without_id("Second"))]);
    let (status, first) = post(&server, "demo-relay-token", &events).await;
    assert_eq!(status, 200, "{first}");
    let (status, retry) = post(&server, "demo-relay-token", &events).await;
    assert_eq!(status, 200, "{retry}");
    assert_eq!(retry["results"], first["results"]);
    assert_ne!(first["results"][0]["case_id"], first["results"][1]["case_id"]);
    assert_eq!(all_case_ids(&server, &ada, "acc_acme", "").await.len(), before + 2);
}
