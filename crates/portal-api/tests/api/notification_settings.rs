//! Which emails reach a person (`/me/notification-settings`), and the one-click unsubscribe
//! link every case email carries (`/unsubscribe/{token}`, RFC 8058).

use crate::common;

use common::*;
use portal_api::mail::MailConfig;
use portal_api::mail::compose::compose;
use portal_api::mail::outbox;
use portal_api::mail::token::MailKey;
use portal_api::params;
use portal_api::sql::Connection;
use serde_json::{Value, json};

/// The server's database, for what only it holds (the notification rows, the signing key).
fn read_only(server: &Server) -> Connection {
    server.database()
}

/// The key the server signs links with (created by its first start, so this only reads it).
pub fn mail_key(server: &Server) -> MailKey {
    MailKey::load_or_create(&server.database()).expect("the signing key")
}

fn all_on(language: &str) -> Value {
    let kinds = [
        "case_opened",
        "reply",
        "information_request",
        "progress_update",
        "resolution_proposed",
        "case_resolved",
        "reopen_window_closing",
        "escalation",
        "escalation_acknowledged",
        "participant_added",
    ];
    let events: serde_json::Map<String, Value> = kinds.iter().map(|k| (k.to_string(), Value::Bool(true))).collect();
    json!({"language": language, "events": events})
}

async fn settings_of(server: &Server, client: &reqwest::Client) -> Value {
    let (status, body) = get_json(client, server.url("/api/v1/me/notification-settings")).await;
    assert_eq!(status, 200, "{body}");
    body
}

async fn put_settings(server: &Server, client: &reqwest::Client, body: &Value) -> (u16, Value) {
    let res = client.put(server.url("/api/v1/me/notification-settings")).json(body).send().await.expect("PUT");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// How many notifications of `kind` about `case` wait for `recipient`.
fn notifications(server: &Server, recipient: &str, case: &str, kind: &str) -> i64 {
    read_only(server)
        .query_row(
            "SELECT COUNT(*) FROM notifications WHERE recipient_id = ?1 AND case_id = ?2 AND kind = ?3",
            params![recipient, case, kind],
            |r| r.get(0),
        )
        .expect("count")
}

#[tokio::test]
async fn settings_start_with_every_kind_in_english_and_read_back_as_saved() {
    let server = start().await;
    let ada = server.signed_in(ADA).await;
    assert_eq!(settings_of(&server, &ada).await, all_on("en"));

    let mut chosen = all_on("it");
    chosen["events"]["reply"] = json!(false);
    chosen["events"]["escalation"] = json!(false);
    let (status, saved) = put_settings(&server, &ada, &chosen).await;
    assert_eq!((status, &saved), (200, &chosen));
    assert_eq!(settings_of(&server, &ada).await, chosen);

    let tess = server.signed_in(TESS).await;
    assert_eq!(settings_of(&server, &tess).await, all_on("en"), "each person has their own");
}

#[tokio::test]
async fn an_unknown_language_or_a_missing_kind_is_refused_naming_the_field_and_saves_nothing() {
    let server = start().await;
    let ada = server.signed_in(ADA).await;
    let (status, body) = put_settings(&server, &ada, &all_on("fr")).await;
    assert_eq!(status, 422, "{body}");
    assert_error_shape(&body, "validation_failed");
    assert_eq!(body["error"]["details"][0]["param"], "language", "{body}");

    let mut missing = all_on("it");
    missing["events"].as_object_mut().expect("events").remove("reply");
    let (status, body) = put_settings(&server, &ada, &missing).await;
    assert_eq!(status, 422, "{body}");
    assert!(body["error"]["details"][0]["param"].as_str().is_some_and(|p| p.contains("reply")), "{body}");

    let mut unknown = all_on("it");
    unknown["events"]["sms"] = json!(true);
    assert_eq!(put_settings(&server, &ada, &unknown).await.0, 422);
    assert_eq!(settings_of(&server, &ada).await, all_on("en"), "nothing was saved");
}

#[tokio::test]
async fn a_kind_turned_off_writes_no_notification_of_it_and_the_others_still_go() {
    let server = start().await;
    let ada = server.signed_in(ADA).await;
    let alex = server.signed_in(ALEX).await;
    let case = ada_case(&server, &ada).await;
    let mut chosen = all_on("en");
    chosen["events"]["reply"] = json!(false);
    assert_eq!(put_settings(&server, &ada, &chosen).await.0, 200);

    let replies_before = notifications(&server, "usr_ada", &case, "reply");
    let (status, _) =
        post_json(&alex, server.url(&format!("/api/v1/cases/{case}/messages")), json!({"body": "Any news?"})).await;
    assert_eq!(status, 201);
    assert_eq!(notifications(&server, "usr_ada", &case, "reply"), replies_before, "Ada turned replies off");

    let request = json!({"title": "Logs", "description": "The bounce logs.", "files_expected": true});
    let (status, _) =
        post_json(&alex, server.url(&format!("/api/v1/cases/{case}/information-requests")), request).await;
    assert_eq!(status, 201);
    assert_eq!(notifications(&server, "usr_ada", &case, "information_request"), 1, "requests still reach her");
}

/// The `List-Unsubscribe` link of the email Ada is sent about a progress update on her case.
async fn unsubscribe_link_of_an_email(server: &Server) -> String {
    let ada = server.signed_in(ADA).await;
    let alex = server.signed_in(ALEX).await;
    let case = ada_case(server, &ada).await;
    let (status, _) =
        post_json(&alex, server.url(&format!("/api/v1/cases/{case}/updates")), json!({"body": "Rolling out."})).await;
    assert_eq!(status, 201);
    let conn = read_only(server);
    let id: String = conn
        .query_row(
            "SELECT id FROM notifications WHERE recipient_id = 'usr_ada' AND case_id = ?1 AND kind = 'progress_update'",
            params![case],
            |r| r.get(0),
        )
        .expect("the notification of the update");
    let queued = outbox::get(&conn, &id).expect("read").expect("queued");
    let config = MailConfig { public_url: server.base.clone(), ..MailConfig::default() };
    let email = compose(&conn, &config, &mail_key(server), &queued).expect("composes").expect("an email");
    let message = mail_parser::MessageParser::default().parse(&email.bytes).expect("parses");
    let link = message.header_raw("List-Unsubscribe").expect("List-Unsubscribe").trim().to_owned();
    assert_eq!(message.header_raw("List-Unsubscribe-Post").map(str::trim), Some("List-Unsubscribe=One-Click"));
    link.trim_start_matches('<').trim_end_matches('>').to_owned()
}

/// A mail client's one-click POST: no cookie, no CSRF header, the RFC 8058 body.
async fn one_click(url: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(url)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .expect("POST")
}

#[tokio::test]
async fn one_click_on_the_link_of_an_email_turns_exactly_that_kind_off() {
    let server = start().await;
    let ada = server.signed_in(ADA).await;
    let link = unsubscribe_link_of_an_email(&server).await;
    assert!(link.starts_with(&server.url("/api/v1/unsubscribe/usr_ada.progress_update.")), "{link}");

    let opened = reqwest::Client::new().get(&link).send().await.expect("GET");
    assert_eq!(opened.status(), 200);
    let policy = opened.headers()["content-security-policy"].to_str().expect("policy").to_owned();
    assert!(policy.starts_with("default-src 'none'") && !policy.contains("script-src"), "{policy}");
    let page = opened.text().await.expect("page");
    assert!(page.contains("<form method=\"post\">") && page.contains("Stop these emails"), "{page}");
    assert!(!page.contains("<script"), "{page}");
    assert_eq!(settings_of(&server, &ada).await, all_on("en"), "opening the link changes nothing");

    let res = one_click(&link).await;
    assert_eq!(res.status(), 200);
    assert!(res.text().await.expect("page").contains("you will get no more emails about progress updates"));
    let mut expected = all_on("en");
    expected["events"]["progress_update"] = json!(false);
    assert_eq!(settings_of(&server, &ada).await, expected);
    assert_eq!(one_click(&link).await.status(), 200, "twice is the same");
    assert_eq!(settings_of(&server, &ada).await, expected);
}

#[tokio::test]
async fn the_page_of_the_link_is_in_the_persons_language() {
    let server = start().await;
    let ada = server.signed_in(ADA).await;
    assert_eq!(put_settings(&server, &ada, &all_on("it")).await.0, 200);
    let token = mail_key(&server).unsubscribe_token("usr_ada", portal_contract::NotificationKind::Reply);
    let page = reqwest::get(server.url(&format!("/api/v1/unsubscribe/{token}"))).await.expect("GET");
    let page = page.text().await.expect("page");
    assert!(page.contains("<html lang=\"it\">") && page.contains("Interrompi queste email"), "{page}");
}

#[tokio::test]
async fn a_forged_or_moved_token_is_404_and_changes_nothing() {
    let server = start().await;
    let ada = server.signed_in(ADA).await;
    let bob = server.signed_in(BOB).await;
    let valid = mail_key(&server).unsubscribe_token("usr_ada", portal_contract::NotificationKind::Reply);
    let (message, mac) = valid.rsplit_once('.').expect("a signed token");
    let forged = [
        format!("{message}.{}", "0".repeat(mac.len())),
        valid.replacen("usr_ada", "usr_bob", 1),
        valid.replacen(".reply.", ".escalation.", 1),
        "usr_ada.reply".to_owned(),
        "nonsense".to_owned(),
    ];
    for token in &forged {
        let url = server.url(&format!("/api/v1/unsubscribe/{token}"));
        let res = one_click(&url).await;
        assert_eq!(res.status(), 404, "{token}");
        assert_error_shape(&res.json().await.expect("an error"), "unsubscribe_link_not_found");
        assert_eq!(reqwest::get(&url).await.expect("GET").status(), 404, "{token}");
    }
    assert_eq!(settings_of(&server, &ada).await, all_on("en"));
    assert_eq!(settings_of(&server, &bob).await, all_on("en"));
}
