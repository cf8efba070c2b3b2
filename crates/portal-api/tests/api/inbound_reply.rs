//! Replies to notifications through the relay webhook: the signed `reply+<token>` address is
//! what makes a message that person's, on that case. The tokens are real: signed with the
//! server's key from the SQLite file, for notifications the server wrote when an agent acted.

use crate::common;

use common::*;
use portal_api::mail::token::MailKey;
use reqwest::Client;
use serde_json::{Value, json};

const REPLY_DOMAIN: &str = "reply.bird.example";
const MARKER: &str = "##- Please type your reply above this line -##";

fn database(server: &Server) -> portal_api::sql::Connection {
    server.database()
}

/// The reply key of the latest notification of `kind` to Ada about `case_id`.
fn reply_key(server: &Server, case_id: &str, kind: &str) -> String {
    reply_key_to(server, "usr_ada", case_id, kind)
}

fn reply_key_to(server: &Server, recipient: &str, case_id: &str, kind: &str) -> String {
    database(server)
        .query_row(
            "SELECT reply_key FROM notifications WHERE case_id = ?1 AND kind = ?2 AND recipient_id = ?3 \
             ORDER BY created_at DESC, id DESC LIMIT 1",
            portal_api::params![case_id, kind, recipient],
            |r| r.get(0),
        )
        .expect("a notification")
}

fn sign(server: &Server, reply_key: &str) -> String {
    MailKey::load_or_create(&database(server)).expect("the server's key").reply_token(reply_key)
}

/// The `Reply-To` of Ada's latest notification of `kind` about `case_id`.
fn reply_address(server: &Server, case_id: &str, kind: &str) -> String {
    format!("reply+{}@{REPLY_DOMAIN}", sign(server, &reply_key(server, case_id, kind)))
}

/// One relay event: delivered to `rcpt_to`, sent by `sender` (envelope and `From:` alike).
fn relayed(rcpt_to: &str, sender: &str, raw: &str) -> Value {
    json!({"msys": {"relay_message": {
        "msg_from": sender, "rcpt_to": rcpt_to,
        "content": {"subject": "", "text": "", "email_rfc822": raw}
    }}})
}

async fn post(server: &Server, batch: &Value) -> (u16, Value) {
    let res = Client::new()
        .post(server.url("/api/v1/inbound/relay-webhook"))
        .header("X-MessageSystems-Webhook-Token", "demo-relay-token")
        .json(batch)
        .send()
        .await
        .expect("post");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// A Gmail reply: `multipart/alternative`, the attribution wrapped, the notification quoted.
fn gmail(from: &str, to: &str, message_id: &str, words: &str) -> String {
    format!(
        "From: {from}\r\nTo: {to}\r\nSubject: Re: [CASE-1] Information requested\r\nMessage-ID: <{message_id}>\r\n\
         MIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"g\"\r\n\r\n\
         --g\r\nContent-Type: text/plain; charset=\"UTF-8\"\r\n\r\n{words}\r\n\r\n\
         On Mon, 2 Dec 2026 at 10:00, Bird Premium Support <\r\n{to}> wrote:\r\n\r\n> {MARKER}\r\n>\r\n\
         > Alex asked for information: please send the headers.\r\n\r\n\
         --g\r\nContent-Type: text/html; charset=\"UTF-8\"\r\n\r\n<div dir=\"ltr\">{words}</div><br>\
         <div class=\"gmail_quote\"><div class=\"gmail_attr\">On Mon, 2 Dec 2026 at 10:00, Bird Premium Support \
         &lt;{to}&gt; wrote:<br></div><blockquote class=\"gmail_quote\">{MARKER}<br>Alex asked.</blockquote></div>\r\n\
         --g--\r\n"
    )
}

/// An Outlook reply with one file: text and HTML with the "From: / Sent:" block, and the file.
fn outlook_with_file(to: &str, message_id: &str, words: &str, file_name: &str, base64: &str) -> String {
    format!(
        "From: Ada Lovelace <{ADA}>\r\nTo: {to}\r\nSubject: RE: [CASE-1] Bounces\r\nMessage-ID: <{message_id}>\r\n\
         MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"m\"\r\n\r\n\
         --m\r\nContent-Type: multipart/alternative; boundary=\"a\"\r\n\r\n\
         --a\r\nContent-Type: text/plain; charset=\"utf-8\"\r\n\r\n{words}\r\n\r\n\
         ________________________________\r\nFrom: Bird Premium Support <support@bird.example>\r\n\
         Sent: Monday, December 2, 2026 10:00 AM\r\nTo: Ada Lovelace <{ADA}>\r\nSubject: [CASE-1] Bounces\r\n\r\n\
         {MARKER}\r\n\r\n--a\r\nContent-Type: text/html; charset=\"utf-8\"\r\n\r\n<html><body><div>{words}</div>\
         <div id=\"appendonsend\"></div><hr><div id=\"divRplyFwdMsg\"><b>From:</b> Bird Premium Support<br>\
         <b>Sent:</b> Monday<br><b>Subject:</b> [CASE-1] Bounces</div><div>{MARKER}</div></body></html>\r\n\
         --a--\r\n\r\n--m\r\nContent-Type: application/octet-stream; name=\"{file_name}\"\r\n\
         Content-Disposition: attachment; filename=\"{file_name}\"\r\nContent-Transfer-Encoding: base64\r\n\r\n\
         {base64}\r\n--m--\r\n"
    )
}

async fn open_case(server: &Server, ada: &Client) -> (String, String) {
    let (status, case) =
        post_json(ada, server.url("/api/v1/accounts/acc_acme/cases"), new_case("Bounces from Gmail")).await;
    assert_eq!(status, 201, "{case}");
    (case["id"].as_str().expect("id").to_owned(), case["number"].as_str().expect("number").to_owned())
}

async fn raise_request(server: &Server, alex: &Client, case_id: &str) -> String {
    let body = json!({"title": "Bounce headers", "description": "The full headers, please.", "files_expected": true});
    let (status, request) =
        post_json(alex, server.url(&format!("/api/v1/cases/{case_id}/information-requests")), body).await;
    assert_eq!(status, 201, "{request}");
    request["id"].as_str().expect("request id").to_owned()
}

async fn case_page(server: &Server, ada: &Client, case_id: &str) -> Value {
    let (status, page) = get_json(ada, server.url(&format!("/api/v1/cases/{case_id}"))).await;
    assert_eq!(status, 200, "{page}");
    page
}

fn events_of_kind<'a>(page: &'a Value, kind: &str) -> Vec<&'a Value> {
    page["timeline"].as_array().expect("timeline").iter().filter(|e| e["kind"] == kind).collect()
}

/// Rows of everything a reply could leave behind.
fn stored(server: &Server) -> [i64; 4] {
    let db = database(server);
    ["events", "attachments", "idempotency_keys", "information_requests WHERE status = 'answered'"]
        .map(|rows| db.query_row(&format!("SELECT COUNT(*) FROM {rows}"), [], |r| r.get(0)).expect("count"))
}

#[tokio::test]
async fn a_gmail_reply_answers_the_information_request_once() {
    let server = start().await;
    let (ada, alex) = (server.signed_in(ADA).await, server.signed_in(ALEX).await);
    let (case_id, number) = open_case(&server, &ada).await;
    let request_id = raise_request(&server, &alex, &case_id).await;
    let to = reply_address(&server, &case_id, "information_request");

    let words = "Here are the headers.\r\nReceived: from mx.acme.example by mx.google.com";
    let batch = json!([relayed(&to, ADA, &gmail(ADA, &to, "r1@mail.gmail.com", words))]);
    let (status, body) = post(&server, &batch).await;
    assert_eq!(status, 200, "{body}");
    let outcome = &body["results"][0];
    assert_eq!(
        (&outcome["status"], &outcome["case_id"], &outcome["number"]),
        (&json!("answered"), &json!(case_id), &json!(number))
    );

    let page = case_page(&server, &ada, &case_id).await;
    let request = &page["information_requests"][0];
    assert_eq!((&request["id"], &request["status"]), (&json!(request_id), &json!("answered")), "{page}");
    let answer = "Here are the headers.\nReceived: from mx.acme.example by mx.google.com";
    assert_eq!(request["answer"]["text"], answer);
    assert_eq!(request["answer"]["answered_by"]["id"], "usr_ada");
    let answered = events_of_kind(&page, "information_request_answered");
    assert_eq!(answered.len(), 1);
    assert_eq!((&answered[0]["body"], &answered[0]["author"]["id"]), (&json!(answer), &json!("usr_ada")));
    assert!(!page.to_string().contains("wrote:") && !page.to_string().contains(MARKER), "no quoted history");
    assert_eq!(page["status"], "in_progress", "nothing is asked any more: back to Bird");

    // The relay retries the batch: the same answer, nothing twice.
    let before = stored(&server);
    let (status, again) = post(&server, &batch).await;
    assert_eq!((status, &again["results"]), (200, &body["results"]));
    assert_eq!(stored(&server), before);

    // Another reply to the same email, now that the request is answered: a message on the case.
    let later = json!([relayed(&to, ADA, &gmail(ADA, &to, "r2@mail.gmail.com", "One more header."))]);
    let (_, body) = post(&server, &later).await;
    assert_eq!(body["results"][0]["status"], "appended", "{body}");
    let page = case_page(&server, &ada, &case_id).await;
    let messages = events_of_kind(&page, "message");
    assert_eq!(messages.last().map(|m| &m["body"]), Some(&json!("One more header.")));
}

#[tokio::test]
async fn an_outlook_reply_with_a_file_adds_it_to_the_case() {
    let server = start().await;
    let (ada, alex) = (server.signed_in(ADA).await, server.signed_in(ALEX).await);
    let (case_id, _) = open_case(&server, &ada).await;
    let (status, _) =
        post_json(&alex, server.url(&format!("/api/v1/cases/{case_id}/messages")), json!({"body": "Send logs?"})).await;
    assert_eq!(status, 201);
    let to = reply_address(&server, &case_id, "reply");
    let log = b"Dec  2 09:58:01 mx postfix/smtp[811]: 550 5.7.1 rejected\n".repeat(3);
    let raw = outlook_with_file(&to, "o1@acme.example", "Logs attached.", "postfix.log", &b64(&log));

    let (status, body) = post(&server, &json!([relayed(&to, ADA, &raw)])).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["results"][0]["status"], "appended", "{body}");
    let page = case_page(&server, &ada, &case_id).await;
    let file = page["attachments"].as_array().and_then(|a| a.last()).expect("the file");
    assert_eq!((&file["file_name"], &file["media_type"]), (&json!("postfix.log"), &json!("text/plain")));
    assert_eq!((&file["size"], &file["uploaded_by"]["id"]), (&json!(log.len()), &json!("usr_ada")));
    let message = events_of_kind(&page, "message").last().copied().cloned().expect("the reply");
    assert_eq!(message["body"], "Logs attached.");
    assert_eq!(message["author"]["id"], "usr_ada");
    assert_eq!(message["attachments"][0]["id"], file["id"], "the message carries its file");

    let res = ada.get(server.url(&format!("/api/v1/attachments/{}", file["id"].as_str().expect("id")))).send().await;
    let bytes = res.expect("download").bytes().await.expect("bytes");
    assert_eq!(bytes.as_ref(), log.as_slice());
}

#[tokio::test]
async fn a_refused_file_refuses_the_whole_reply() {
    let server = start().await;
    let (ada, alex) = (server.signed_in(ADA).await, server.signed_in(ALEX).await);
    let (case_id, _) = open_case(&server, &ada).await;
    raise_request(&server, &alex, &case_id).await;
    let to = reply_address(&server, &case_id, "information_request");
    let (before, files_before) = (stored(&server), server.attachment_objects().await);
    let batch = json!([
        relayed(&to, ADA, &outlook_with_file(&to, "x1@acme.example", "Here.", "fix.exe", &b64(b"MZ\x90\x00"))),
        relayed(&to, ADA, &outlook_with_file(&to, "x2@acme.example", "Here.", "shot.png", &b64(b"GIF89a not a png"))),
    ]);
    let (status, body) = post(&server, &batch).await;
    assert_eq!(status, 422, "{body}");
    let details = &body["error"]["details"];
    assert_eq!(
        (&details[0]["code"], &details[1]["code"]),
        (&json!("attachment_not_accepted"), &json!("attachment_content_mismatch"))
    );
    assert!(details[0]["message"].as_str().is_some_and(|m| m.starts_with("fix.exe: ")), "{body}");
    assert_eq!(
        (stored(&server), server.attachment_objects().await),
        (before, files_before),
        "neither words nor files kept"
    );
}

#[tokio::test]
async fn forged_moved_and_foreign_tokens_store_nothing() {
    let server = start().await;
    let (ada, alex) = (server.signed_in(ADA).await, server.signed_in(ALEX).await);
    let (case_id, _) = open_case(&server, &ada).await;
    raise_request(&server, &alex, &case_id).await;
    let genuine = sign(&server, &reply_key(&server, &case_id, "information_request"));
    let receipt_key = reply_key(&server, &case_id, "case_opened");
    // The MAC of the request's email put on the key of another of Ada's emails.
    let moved = format!("{receipt_key}{}", &genuine[receipt_key.len()..]);
    let unknown = sign(&server, "00112233445566778899");
    let before = stored(&server);

    let mut batch: Vec<Value> = ["0123456789abcdef0123456789abcdef01234567", moved.as_str(), unknown.as_str(), "zz"]
        .iter()
        .enumerate()
        .map(|(i, token)| {
            let to = format!("reply+{token}@{REPLY_DOMAIN}");
            relayed(&to, ADA, &gmail(ADA, &to, &format!("f{i}@acme.example"), "Close the case"))
        })
        .collect();
    // A valid token at another domain is no reply address: the mail is judged by its sender.
    let elsewhere = format!("reply+{genuine}@evil.example");
    batch.push(relayed(
        &elsewhere,
        "mallory@evil.example",
        &gmail("mallory@evil.example", &elsewhere, "f9@evil.example", "x"),
    ));
    let (status, body) = post(&server, &json!(batch)).await;
    assert_eq!(status, 422, "{body}");
    let codes: Vec<&Value> = (0..5).map(|i| &body["error"]["details"][i]["code"]).collect();
    let invalid = json!("invalid_reply_token");
    assert_eq!(codes, [&invalid, &invalid, &invalid, &invalid, &json!("unknown_sender")], "{body}");
    assert_eq!(body["error"]["details"][0]["param"], "[0].msys.relay_message.rcpt_to");
    assert_eq!(stored(&server), before);
    let page = case_page(&server, &ada, &case_id).await;
    assert_eq!(page["information_requests"][0]["status"], "open");
}

#[tokio::test]
async fn the_token_decides_whose_message_it_is_not_the_from_line() {
    let server = start().await;
    let (ada, alex) = (server.signed_in(ADA).await, server.signed_in(ALEX).await);
    let (case_id, _) = open_case(&server, &ada).await;
    post_json(&alex, server.url(&format!("/api/v1/cases/{case_id}/messages")), json!({"body": "Any news?"})).await;
    let to = reply_address(&server, &case_id, "reply");
    // From her phone's other address, with no rcpt_to from the relay: the To: header holds it.
    let home = "Ada at home <ada.lovelace@gmail.example>";
    let raw = gmail(home, &to, "h1@mail.gmail.com", "Still bouncing, sent from my phone.");
    let event = json!({"msys": {"relay_message": {"msg_from": "ada.lovelace@gmail.example",
        "content": {"email_rfc822": raw}}}});
    let (status, body) = post(&server, &json!([event])).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["results"][0]["status"], "appended");
    let page = case_page(&server, &ada, &case_id).await;
    let message = events_of_kind(&page, "message").last().copied().cloned().expect("the reply");
    assert_eq!(
        (&message["body"], &message["author"]["id"]),
        (&json!("Still bouncing, sent from my phone."), &json!("usr_ada"))
    );
}

#[tokio::test]
async fn the_same_message_id_is_one_message() {
    let server = start().await;
    let (ada, alex) = (server.signed_in(ADA).await, server.signed_in(ALEX).await);
    let (case_id, _) = open_case(&server, &ada).await;
    post_json(&alex, server.url(&format!("/api/v1/cases/{case_id}/messages")), json!({"body": "Logs?"})).await;
    let to = reply_address(&server, &case_id, "reply");
    let files_before = server.attachment_objects().await;
    let raw = outlook_with_file(&to, "d1@acme.example", "Twice?", "a.log", &b64(b"one line\n"));
    let event = relayed(&to, ADA, &raw);
    let (status, body) = post(&server, &json!([event.clone(), event.clone()])).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["results"][0]["case_id"], body["results"][1]["case_id"]);
    let (_, retry) = post(&server, &json!([event])).await;
    assert_eq!(retry["results"][0]["status"], "appended");
    let page = case_page(&server, &ada, &case_id).await;
    assert_eq!(events_of_kind(&page, "message").iter().filter(|m| m["body"] == "Twice?").count(), 1);
    assert_eq!(page["attachments"].as_array().map(Vec::len), Some(1));
    assert_eq!(server.attachment_objects().await, files_before + 1, "the copies written for the repeats are gone");

    let changed = outlook_with_file(&to, "d1@acme.example", "Something else", "a.log", &b64(b"one line\n"));
    let (_, body) = post(&server, &json!([relayed(&to, ADA, &changed)])).await;
    assert_eq!(body["error"]["details"][0]["code"], "message_id_reused", "{body}");
}

#[tokio::test]
async fn a_reply_to_a_resolved_case_follows_the_rules_of_messages() {
    let server = start().await;
    let (ada, alex) = (server.signed_in(ADA).await, server.signed_in(ALEX).await);
    let (case_id, number) = open_case(&server, &ada).await;
    let url = |path: &str| server.url(&format!("/api/v1/cases/{case_id}/{path}"));
    let (status, _) = post_json(&alex, url("resolution/propose"), json!({"summary": "Fixed the SPF record"})).await;
    assert_eq!(status, 200);
    let to = reply_address(&server, &case_id, "resolution_proposed");
    let (status, _) = post_json(&ada, url("resolution/confirm"), json!({})).await;
    assert_eq!(status, 200);

    // The portal takes a message on a resolved case; so does email.
    let (status, _) = post_json(&ada, url("messages"), json!({"body": "Thanks!"})).await;
    assert_eq!(status, 201);
    let (_, body) =
        post(&server, &json!([relayed(&to, ADA, &gmail(ADA, &to, "z1@acme.example", "Thanks again."))])).await;
    assert_eq!(body["results"][0]["status"], "appended", "{body}");
    let page = case_page(&server, &ada, &case_id).await;
    assert_eq!(page["status"], "resolved", "a message does not reopen the case");

    // Files need the case reopened, by email as in the portal.
    let before = (stored(&server), server.attachment_objects().await);
    let raw = outlook_with_file(&to, "z2@acme.example", "One more log.", "late.log", &b64(b"late\n"));
    let (status, body) = post(&server, &json!([relayed(&to, ADA, &raw)])).await;
    assert_eq!(status, 422, "{body}");
    let detail = &body["error"]["details"][0];
    assert_eq!(detail["code"], "case_resolved");
    assert!(detail["message"].as_str().is_some_and(|m| m.contains(&number) && m.contains("reopen it from the portal")));
    assert_eq!((stored(&server), server.attachment_objects().await), before);
}

#[tokio::test]
async fn a_reply_with_nothing_above_the_quote_is_refused() {
    let server = start().await;
    let (ada, alex) = (server.signed_in(ADA).await, server.signed_in(ALEX).await);
    let (case_id, _) = open_case(&server, &ada).await;
    raise_request(&server, &alex, &case_id).await;
    let to = reply_address(&server, &case_id, "information_request");
    let before = stored(&server);
    let (status, body) =
        post(&server, &json!([relayed(&to, ADA, &gmail(ADA, &to, "e1@acme.example", "Sent from my iPhone"))])).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["details"][0]["code"], "empty_reply");
    assert_eq!(stored(&server), before);
}

#[tokio::test]
async fn a_batch_larger_than_other_bodies_is_taken_from_the_relay() {
    let server = start().await;
    let (ada, alex) = (server.signed_in(ADA).await, server.signed_in(ALEX).await);
    let (case_id, _) = open_case(&server, &ada).await;
    raise_request(&server, &alex, &case_id).await;
    let to = reply_address(&server, &case_id, "information_request");
    let capture =
        b"\x0A\x0D\x0D\x0A".iter().copied().chain(std::iter::repeat_n(7u8, 3 * 1024 * 1024)).collect::<Vec<u8>>();
    let raw = outlook_with_file(&to, "big@acme.example", "The capture.", "trace.pcapng", &b64(&capture));
    let (status, body) = post(&server, &json!([relayed(&to, ADA, &raw)])).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["results"][0]["status"], "answered");
    let page = case_page(&server, &ada, &case_id).await;
    let answer = &page["information_requests"][0]["answer"];
    assert_eq!((&answer["text"], &answer["attachments"][0]["size"]), (&json!("The capture."), &json!(capture.len())));
}

#[tokio::test]
async fn the_reply_is_the_notified_persons_even_a_tams() {
    let server = start().await;
    let (ada, tess) = (server.signed_in(ADA).await, server.signed_in(TESS).await);
    let (case_id, _) = open_case(&server, &ada).await;
    let url = server.url(&format!("/api/v1/cases/{case_id}/escalation"));
    let (status, _) = post_json(&ada, url, json!({"reason": "Our CEO cannot send mail."})).await;
    assert_eq!(status, 200);
    let to =
        format!("reply+{}@{REPLY_DOMAIN}", sign(&server, &reply_key_to(&server, "usr_tess", &case_id, "escalation")));
    let raw = gmail(TESS, &to, "t1@bird.example", "Calling you in five minutes.");
    let (_, body) = post(&server, &json!([relayed(&to, TESS, &raw)])).await;
    assert_eq!(body["results"][0]["status"], "appended", "{body}");
    let page = case_page(&server, &tess, &case_id).await;
    let message = events_of_kind(&page, "message").last().copied().cloned().expect("the reply");
    assert_eq!((&message["author"]["id"], &message["author"]["role"]), (&json!("usr_tess"), &json!("tam")));
}

#[tokio::test]
async fn a_reply_address_of_no_case_or_of_someone_who_left_is_refused() {
    use portal_api::mail::{kind::MailKind, outbox};
    let server = start().await;
    let (ada, alex) = (server.signed_in(ADA).await, server.signed_in(ALEX).await);
    let (case_id, _) = open_case(&server, &ada).await;
    raise_request(&server, &alex, &case_id).await;
    let about_the_case = reply_address(&server, &case_id, "information_request");
    let reset = outbox::NewNotification {
        recipient_id: "usr_ada",
        kind: MailKind::PasswordReset,
        case_id: None,
        event_id: None,
        secret: None,
        at: chrono::Utc::now(),
    };
    let db = database(&server);
    let id = outbox::enqueue(&db, &reset).expect("a reset email");
    let key = outbox::get(&db, &id).expect("read").expect("the row").reply_key;
    let about_nothing = format!("reply+{}@{REPLY_DOMAIN}", sign(&server, &key));
    let before = stored(&server);
    let (_, body) =
        post(&server, &json!([relayed(&about_nothing, ADA, &gmail(ADA, &about_nothing, "n1@acme.example", "Hi"))]))
            .await;
    assert_eq!(body["error"]["details"][0]["code"], "no_case_to_reply_to", "{body}");

    db.execute("DELETE FROM memberships WHERE user_id = 'usr_ada'", []).expect("Ada leaves Acme");
    let raw = gmail(ADA, &about_the_case, "n2@acme.example", "Here are the headers.");
    let (_, body) = post(&server, &json!([relayed(&about_the_case, ADA, &raw)])).await;
    assert_eq!(body["error"]["details"][0]["code"], "reply_not_allowed", "{body}");
    assert_eq!(stored(&server), before);
}
