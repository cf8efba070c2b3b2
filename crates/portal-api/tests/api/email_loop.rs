//! The whole email loop through a real SMTP server: an agent asks Ada for information, the email
//! reaches the catcher in her language with its headers, both parts and the link to the answer
//! form; her mail client's reply to it comes back through the relay webhook and answers the
//! request on the case.

use crate::common::*;
use crate::smtp::Catcher;
use reqwest::Client;
use serde_json::{Value, json};
use std::time::Duration;

const REPLY_DOMAIN: &str = "reply.bird.example";
const PUBLIC_URL: &str = "https://support.bird.example";

#[tokio::test]
async fn an_information_request_by_email_is_answered_by_replying() {
    let catcher = Catcher::start();
    let url = catcher.url();
    let server = start_with(move |config| {
        config.mail.smtp_url = Some(url);
        config.mail.public_url = PUBLIC_URL.to_owned();
    })
    .await;
    let ada = server.signed_in(ADA).await;
    let alex = server.signed_in(ALEX).await;
    let settings = json!({"language": "it", "events": {
        "case_opened": false, "reply": true, "information_request": true, "progress_update": true,
        "resolution_proposed": true, "case_resolved": true, "reopen_window_closing": true,
        "escalation": true, "escalation_acknowledged": true}});
    let res = ada.put(server.url("/api/v1/me/notification-settings")).json(&settings).send().await.expect("put");
    assert_eq!(res.status(), 200, "Ada chooses Italian and no receipts");

    let (status, case) = post_json(&ada, server.url("/api/v1/accounts/acc_acme/cases"), new_case("Rimbalzi")).await;
    assert_eq!(status, 201, "{case}");
    let case_id = case["id"].as_str().expect("id");
    let number = case["number"].as_str().expect("number");
    let body = json!({"title": "Intestazioni <b>complete</b>", "description": "Le intestazioni del rimbalzo.", "files_expected": false});
    let (status, request) =
        post_json(&alex, server.url(&format!("/api/v1/cases/{case_id}/information-requests")), body).await;
    assert_eq!(status, 201, "{request}");
    let request_id = request["id"].as_str().expect("request id");

    let caught = catcher.wait_for(1, Duration::from_secs(20)).await;
    assert_eq!(caught.len(), 1, "one email: the receipt was turned off, Alex is told nothing of his own act");
    let email = &caught[0];
    assert_eq!(email.rcpt_tos, [ADA]);
    let subject = email.subject();
    assert!(subject.starts_with(&format!("[{number}] ")), "{subject}");
    assert!(subject.contains("Rimbalzi"), "{subject}");
    let parsed = mail_parser::MessageParser::default().parse(&email.bytes).expect("a message");
    let text = parsed.body_text(0).expect("a text part").into_owned();
    let html = parsed.body_html(0).expect("an HTML part").into_owned();
    let answer_link = format!("{PUBLIC_URL}/cases/{case_id}?answer={request_id}");
    assert!(text.contains(&answer_link) && html.contains(&answer_link), "the link to the answer form:\n{text}");
    assert!(text.contains("Scrivi la tua risposta sopra questa riga"), "Italian:\n{text}");
    assert!(html.contains("Intestazioni &lt;b&gt;complete&lt;/b&gt;") && !html.contains("<b>complete"), "{html}");
    let reply_to = email.header("Reply-To").expect("Reply-To");
    let reply_to = reply_to.rsplit('<').next().unwrap_or_default().trim_end_matches('>').trim();
    assert!(reply_to.starts_with("reply+") && reply_to.ends_with(&format!("@{REPLY_DOMAIN}")), "{reply_to}");
    assert!(email.header("List-Unsubscribe").is_some_and(|h| h.contains("/api/v1/unsubscribe/")));
    assert_eq!(email.header("List-Unsubscribe-Post").as_deref(), Some("List-Unsubscribe=One-Click"));

    let message_id = email.message_id();
    let raw = format!(
        "From: Ada Lovelace <{ADA}>\r\nTo: {reply_to}\r\nSubject: Re: {subject}\r\nMessage-ID: <loop-1@acme.example>\r\n\
         In-Reply-To: {message_id}\r\nReferences: {message_id}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
         Received: from mx.gmail.com; 550 5.7.1 rejected\r\n\r\nIl giorno lun 2 dic 2026 alle ore 10:00 Bird \
         <support@bird.example> ha scritto:\r\n> {text_quote}\r\n",
        text_quote = text.lines().next().unwrap_or_default()
    );
    let batch = json!([{"msys": {"relay_message": {"msg_from": ADA, "rcpt_to": reply_to,
        "content": {"subject": "", "text": "", "email_rfc822": raw}}}}]);
    let res = Client::new()
        .post(server.url("/api/v1/inbound/relay-webhook"))
        .header("X-MessageSystems-Webhook-Token", "demo-relay-token")
        .json(&batch)
        .send()
        .await
        .expect("relay");
    assert_eq!(res.status(), 200);
    let outcome: Value = res.json().await.expect("results");
    assert_eq!(outcome["results"][0]["status"], "answered", "{outcome}");

    let (status, page) = get_json(&ada, server.url(&format!("/api/v1/cases/{case_id}"))).await;
    assert_eq!(status, 200);
    let request = &page["information_requests"][0];
    assert_eq!(request["status"], "answered", "{request}");
    assert_eq!(request["answer"]["text"], "Received: from mx.gmail.com; 550 5.7.1 rejected", "the quote is left out");
}
