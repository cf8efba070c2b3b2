//! Colleagues who follow a case (`/cases/{case_id}/participants`): who may add and remove
//! them, the timeline that says who added whom, the emails they get like the requester (and
//! stop getting when they unfollow from one, or leave the account), and `mine=true`.

use crate::common::*;
use portal_api::params;
use portal_api::sql::Connection;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::time::{Duration, Instant};

const GRACE_ID: &str = "usr_grace";

/// One notification row: to whom, of which kind, about which case, and the file its email is.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Sent {
    recipient: String,
    kind: String,
    case_id: Option<String>,
    message_id: String,
    done: bool,
}

fn database(server: &Server) -> Connection {
    server.database()
}

fn notifications(server: &Server) -> Vec<Sent> {
    let conn = database(server);
    let mut stmt = conn
        .prepare(
            "SELECT recipient_id, kind, case_id, message_id, sent_at IS NOT NULL OR failed_at IS NOT NULL \
             FROM notifications ORDER BY rowid",
        )
        .expect("query");
    stmt.query_map([], |r| {
        Ok(Sent { recipient: r.get(0)?, kind: r.get(1)?, case_id: r.get(2)?, message_id: r.get(3)?, done: r.get(4)? })
    })
    .expect("rows")
    .collect::<Result<_, _>>()
    .expect("rows")
}

/// The notifications once the sender has written every one into the outbox folder.
async fn settled(server: &Server) -> Vec<Sent> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let rows = notifications(server);
        if rows.iter().all(|r| r.done) {
            return rows;
        }
        assert!(Instant::now() < deadline, "the outbox did not settle: {rows:#?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Who is emailed of `kind` about `case`, in the order the rows were written.
fn recipients(rows: &[Sent], case: &str, kind: &str) -> Vec<String> {
    rows.iter().filter(|r| r.kind == kind && r.case_id.as_deref() == Some(case)).map(|r| r.recipient.clone()).collect()
}

/// The email (from the outbox folder) of the last notification of `kind` about `case` to
/// `recipient`.
fn email(server: &Server, rows: &[Sent], recipient: &str, case: &str, kind: &str) -> Vec<u8> {
    let row = rows
        .iter()
        .rev()
        .find(|r| r.recipient == recipient && r.kind == kind && r.case_id.as_deref() == Some(case))
        .unwrap_or_else(|| panic!("no {kind} email to {recipient}: {rows:#?}"));
    std::fs::read(server.dir.path().join(format!("data/outbox/{}.eml", row.message_id))).expect("the email's file")
}

/// The path under the server of an email's `List-Unsubscribe` link.
fn unsubscribe_path(bytes: &[u8]) -> String {
    let message = mail_parser::MessageParser::default().parse(bytes).expect("an email");
    let link = message.header_raw("List-Unsubscribe").expect("List-Unsubscribe").trim();
    let at = link.find("/api/v1/unsubscribe/").expect("a link to the unsubscribe endpoint");
    link[at..].trim_end_matches('>').to_owned()
}

fn text_of(bytes: &[u8]) -> String {
    let message = mail_parser::MessageParser::default().parse(bytes).expect("an email");
    message.body_text(0).expect("a text part").into_owned()
}

async fn add(server: &Server, who: &reqwest::Client, case: &str, user_id: &str) -> (u16, Value) {
    post_json(who, server.url(&format!("/api/v1/cases/{case}/participants")), json!({"user_id": user_id})).await
}

async fn remove(server: &Server, who: &reqwest::Client, case: &str, user_id: &str) -> (u16, Value) {
    let res = who.delete(server.url(&format!("/api/v1/cases/{case}/participants/{user_id}"))).send().await;
    let res = res.expect("DELETE");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn detail(server: &Server, who: &reqwest::Client, case: &str) -> Value {
    let (status, body) = get_json(who, server.url(&format!("/api/v1/cases/{case}"))).await;
    assert_eq!(status, 200, "{body}");
    body
}

fn participant_ids(detail: &Value) -> Vec<String> {
    detail["participants"]
        .as_array()
        .expect("participants")
        .iter()
        .map(|p| p["id"].as_str().expect("id").into())
        .collect()
}

fn events_of<'a>(detail: &'a Value, kind: &str) -> Vec<&'a Value> {
    detail["timeline"].as_array().expect("timeline").iter().filter(|e| e["kind"] == kind).collect()
}

async fn opened_by(server: &Server, who: &reqwest::Client, subject: &str) -> String {
    let (status, case) = post_json(who, server.url("/api/v1/accounts/acc_acme/cases"), new_case(subject)).await;
    assert_eq!(status, 201, "{case}");
    case["id"].as_str().expect("id").to_owned()
}

async fn reply(server: &Server, alex: &reqwest::Client, case: &str, body: &str) {
    let (status, answer) =
        post_json(alex, server.url(&format!("/api/v1/cases/{case}/messages")), json!({"body": body})).await;
    assert_eq!(status, 201, "{answer}");
}

#[tokio::test]
async fn a_colleague_ada_adds_gets_the_case_emails_until_she_unfollows_from_one() {
    let server = start().await;
    let (ada, grace, alex) = (server.signed_in(ADA).await, server.signed_in(GRACE).await, server.signed_in(ALEX).await);
    let case = opened_by(&server, &ada, "Bounces from the EU relay").await;

    let (status, added) = add(&server, &ada, &case, GRACE_ID).await;
    assert_eq!(status, 201, "{added}");
    assert_eq!((added["id"].as_str(), added["name"].as_str()), (Some(GRACE_ID), Some("Grace Hopper")));
    assert_eq!(added["added_by"]["id"], "usr_ada");
    let seen = detail(&server, &grace, &case).await;
    assert_eq!(participant_ids(&seen), [GRACE_ID], "Grace sees herself on the case");
    let events = events_of(&seen, "participant_added");
    assert_eq!(events.len(), 1, "{}", seen["timeline"]);
    assert_eq!((&events[0]["author"]["id"], &events[0]["participant"]["id"]), (&json!("usr_ada"), &json!(GRACE_ID)));
    assert_eq!(events[0]["participant"]["name"], "Grace Hopper");
    assert_eq!(seen["updated_at"], events[0]["created_at"], "the case moved, as with every event");

    let rows = settled(&server).await;
    assert_eq!(recipients(&rows, &case, "participant_added"), [GRACE_ID], "only Grace is told, not Ada who did it");
    let told = email(&server, &rows, GRACE_ID, &case, "participant_added");
    let number = seen["number"].as_str().expect("number");
    let text = text_of(&told);
    assert!(text.contains(&format!("Ada Lovelace added you to {number} of Acme Mail")), "{text}");
    assert!(text.contains(&format!("Stop following {number}")), "{text}");

    reply(&server, &alex, &case, "We found a stale MX record.").await;
    let rows = settled(&server).await;
    assert_eq!(recipients(&rows, &case, "reply"), ["usr_ada", GRACE_ID], "the requester and the participant");
    let adas = unsubscribe_path(&email(&server, &rows, "usr_ada", &case, "reply"));
    assert!(adas.starts_with("/api/v1/unsubscribe/usr_ada.reply."), "the requester's link stays per kind: {adas}");
    let graces = unsubscribe_path(&email(&server, &rows, GRACE_ID, &case, "reply"));
    assert!(graces.starts_with("/api/v1/unsubscribe/unfollow."), "a participant's link unfollows: {graces}");

    let page = reqwest::get(server.url(&graces)).await.expect("GET");
    assert_eq!(page.status(), 200);
    let page = page.text().await.expect("page");
    assert!(page.contains(&format!("Stop following {number}?")) && page.contains("<form method=\"post\">"), "{page}");
    assert_eq!(participant_ids(&detail(&server, &ada, &case).await), [GRACE_ID], "opening the link changes nothing");
    let (signed, mac) = graces.rsplit_once('.').expect("a signed token");
    let forged = format!("{signed}.{}", mac.chars().rev().collect::<String>());
    let res = reqwest::Client::new().post(server.url(&forged)).body("List-Unsubscribe=One-Click").send().await;
    assert_eq!(res.expect("POST").status(), 404, "a link the server did not sign");
    let for_ada = graces.replacen(GRACE_ID, "usr_ada", 1);
    let res = reqwest::Client::new().post(server.url(&for_ada)).body("List-Unsubscribe=One-Click").send().await;
    assert_eq!(res.expect("POST").status(), 404, "nor one moved to another person");
    assert_eq!(participant_ids(&detail(&server, &ada, &case).await), [GRACE_ID]);

    let one_click = || {
        reqwest::Client::new()
            .post(server.url(&graces))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body("List-Unsubscribe=One-Click")
            .send()
    };
    let res = one_click().await.expect("POST");
    assert_eq!(res.status(), 200);
    assert!(res.text().await.expect("page").contains(&format!("you no longer follow {number}")));
    let seen = detail(&server, &ada, &case).await;
    assert!(participant_ids(&seen).is_empty(), "{}", seen["participants"]);
    let removed = events_of(&seen, "participant_removed");
    assert_eq!(removed.len(), 1);
    assert_eq!((&removed[0]["author"]["id"], &removed[0]["participant"]["id"]), (&json!(GRACE_ID), &json!(GRACE_ID)));
    assert_eq!(one_click().await.expect("POST").status(), 200, "twice is the same");
    assert_eq!(events_of(&detail(&server, &ada, &case).await, "participant_removed").len(), 1, "and writes nothing");
    let (status, settings) = get_json(&grace, server.url("/api/v1/me/notification-settings")).await;
    assert_eq!((status, &settings["events"]["reply"]), (200, &json!(true)), "her other emails stay as they were");

    reply(&server, &alex, &case, "The record is fixed.").await;
    let rows = settled(&server).await;
    assert_eq!(recipients(&rows, &case, "reply"), ["usr_ada", GRACE_ID, "usr_ada"], "the next reply reaches Ada only");
}

#[tokio::test]
async fn only_a_colleague_of_the_account_is_added_once_and_nothing_else_is_written() {
    let server = start().await;
    let (ada, grace) = (server.signed_in(ADA).await, server.signed_in(GRACE).await);
    let case = opened_by(&server, &ada, "Quota warnings").await;
    let before = (detail(&server, &ada, &case).await["timeline"].clone(), notifications(&server).len());

    // Another account's person, Bird's people, someone who does not exist and the requester
    // herself all get the same answer, which tells nothing of who exists.
    for stranger in ["usr_bob", "usr_tess", "usr_alex", "usr_nobody", "", "usr_ada"] {
        let (status, body) = add(&server, &ada, &case, stranger).await;
        assert_eq!(status, 422, "{stranger}: {body}");
        assert_error_shape(&body, "validation_failed");
        assert_eq!(body["error"]["details"][0]["param"], "user_id", "{body}");
        assert_eq!(body["error"]["details"][0]["code"], "not_a_colleague", "{body}");
    }
    let after = detail(&server, &ada, &case).await;
    assert!(participant_ids(&after).is_empty());
    assert_eq!((after["timeline"].clone(), notifications(&server).len()), before, "nothing written");

    let (status, first) = add(&server, &ada, &case, GRACE_ID).await;
    assert_eq!(status, 201, "{first}");
    let (status, again) = add(&server, &grace, &case, GRACE_ID).await;
    assert_eq!((status, &again), (200, &first), "already a participant: the same one, as first added");
    assert_eq!(events_of(&detail(&server, &ada, &case).await, "participant_added").len(), 1);

    let (status, body) = remove(&server, &ada, &case, "usr_bob").await;
    assert_eq!(status, 404, "{body}");
    assert_error_shape(&body, "participant_not_found");
    assert_eq!(remove(&server, &ada, &case, GRACE_ID).await.0, 204, "anyone of the account removes any participant");
    assert_eq!(remove(&server, &ada, &case, GRACE_ID).await.0, 404, "once");
    let seen = detail(&server, &grace, &case).await;
    let removed = events_of(&seen, "participant_removed");
    assert_eq!((&removed[0]["author"]["id"], &removed[0]["participant"]["id"]), (&json!("usr_ada"), &json!(GRACE_ID)));
    let rows = settled(&server).await;
    assert_eq!(recipients(&rows, &case, "participant_added"), [GRACE_ID], "removing tells nobody");
}

#[tokio::test]
async fn an_idempotency_key_replays_the_first_answer() {
    let server = start().await;
    let ada = server.signed_in(ADA).await;
    let case = opened_by(&server, &ada, "Retries").await;
    let post = || {
        ada.post(server.url(&format!("/api/v1/cases/{case}/participants")))
            .header("Idempotency-Key", "add-grace-1")
            .json(&json!({"user_id": GRACE_ID}))
            .send()
    };
    let first = post().await.expect("POST");
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.expect("participant");
    let retry = post().await.expect("POST");
    assert_eq!(retry.status(), 201, "the first answer, again");
    assert_eq!(retry.json::<Value>().await.expect("participant"), first);
    let other = ada
        .post(server.url(&format!("/api/v1/cases/{case}/participants")))
        .header("Idempotency-Key", "add-grace-1")
        .json(&json!({"user_id": "usr_ada"}))
        .send()
        .await
        .expect("POST");
    assert_eq!(other.status(), 422, "the same key for another request");
    assert_eq!(events_of(&detail(&server, &ada, &case).await, "participant_added").len(), 1);
}

#[tokio::test]
async fn following_a_resolved_case_is_allowed_and_a_participant_unfollows_in_the_portal_too() {
    let server = start().await;
    let (ada, grace) = (server.signed_in(ADA).await, server.signed_in(GRACE).await);
    let resolved = all_case_ids(&server, &ada, "acc_acme", "&status=resolved").await;
    let case = resolved.first().expect("the demo has resolved cases");
    assert_eq!(add(&server, &grace, case, GRACE_ID).await.0, 201, "Grace follows a colleague's resolved case");
    assert_eq!(remove(&server, &grace, case, GRACE_ID).await.0, 204, "and stops following it");
    let removed_by = events_of(&detail(&server, &ada, case).await, "participant_removed")[0]["author"]["id"].clone();
    assert_eq!(removed_by, GRACE_ID);
}

#[tokio::test]
async fn mine_lists_exactly_the_cases_grace_opened_or_follows() {
    let server = start().await;
    let (ada, grace) = (server.signed_in(ADA).await, server.signed_in(GRACE).await);
    let own = opened_by(&server, &grace, "Grace's own").await;
    let followed = opened_by(&server, &ada, "Ada's, followed by Grace").await;
    let left = opened_by(&server, &ada, "Ada's, followed and left").await;
    for case in [&followed, &left] {
        assert_eq!(add(&server, &ada, case, GRACE_ID).await.0, 201);
    }
    assert_eq!(remove(&server, &grace, &left, GRACE_ID).await.0, 204);

    let (_, everything) = get_json(&ada, server.url("/api/v1/accounts/acc_acme/cases?limit=100")).await;
    let all = everything["data"].as_array().expect("cases");
    assert!(everything["total"].as_u64() < Some(100), "one page holds them all");
    let opened_by_grace: BTreeSet<String> = all
        .iter()
        .filter(|c| c["requester"]["id"] == GRACE_ID)
        .map(|c| c["id"].as_str().expect("id").to_owned())
        .collect();
    let mut expected = opened_by_grace.clone();
    expected.insert(followed.clone());
    assert!(expected.contains(&own));

    let mine: BTreeSet<String> = all_case_ids(&server, &grace, "acc_acme", "&mine=true").await.into_iter().collect();
    assert_eq!(mine, expected);
    let (_, page) = get_json(&grace, server.url("/api/v1/accounts/acc_acme/cases?mine=true&limit=1")).await;
    assert_eq!(page["total"].as_u64(), Some(expected.len() as u64), "the count is of hers too");
    let (status, index) = get_json(&grace, server.url("/api/v1/accounts/acc_acme/case-index?mine=true")).await;
    assert_eq!(status, 200, "{index}");
    let indexed: BTreeSet<String> =
        index["data"].as_array().expect("data").iter().map(|c| c["id"].as_str().expect("id").to_owned()).collect();
    assert_eq!(indexed, expected, "the index the portal filters as she types says the same");

    let all_ids: BTreeSet<String> = all_case_ids(&server, &grace, "acc_acme", "").await.into_iter().collect();
    assert_eq!(all_ids.len(), all.len(), "without mine, every case of the account");
    let (_, index) = get_json(&grace, server.url("/api/v1/accounts/acc_acme/case-index?mine=false")).await;
    assert_eq!(index["data"].as_array().map(Vec::len), Some(all.len()));
    let adas: BTreeSet<String> = all_case_ids(&server, &ada, "acc_acme", "&mine=true").await.into_iter().collect();
    assert!(adas.contains(&followed) && adas.contains(&left) && !adas.contains(&own), "mine is the caller's");
    let (status, body) = get_json(&grace, server.url("/api/v1/accounts/acc_acme/case-index?mine=perhaps")).await;
    assert_eq!(status, 422, "{body}");
}

#[tokio::test]
async fn a_colleague_removed_from_the_account_gets_none_of_its_emails() {
    let server = start().await;
    let (ada, alex) = (server.signed_in(ADA).await, server.signed_in(ALEX).await);
    let case = opened_by(&server, &ada, "Leaving colleague").await;
    assert_eq!(add(&server, &ada, &case, GRACE_ID).await.0, 201);
    reply(&server, &alex, &case, "First answer.").await;
    assert_eq!(recipients(&settled(&server).await, &case, "reply"), ["usr_ada", GRACE_ID]);

    // As removing her through the members endpoint would: her membership ends, the case's
    // participants list keeps her name.
    let conn = database(&server);
    let ended = conn
        .execute("DELETE FROM memberships WHERE user_id = ?1 AND account_id = 'acc_acme'", params![GRACE_ID])
        .expect("delete");
    assert_eq!(ended, 1);
    reply(&server, &alex, &case, "Second answer.").await;
    let rows = settled(&server).await;
    assert_eq!(recipients(&rows, &case, "reply"), ["usr_ada", GRACE_ID, "usr_ada"], "the second reaches Ada only");
    let other = opened_by(&server, &ada, "After she left").await;
    assert_eq!(add(&server, &ada, &other, GRACE_ID).await.0, 422, "no longer a colleague to add");
}

#[tokio::test]
async fn who_turned_the_kind_off_is_added_without_an_email_and_older_clients_keep_it_on() {
    let server = start().await;
    let (ada, grace) = (server.signed_in(ADA).await, server.signed_in(GRACE).await);
    // A client that knows nothing of colleagues sends the kinds it knows: the new one stays on.
    let older = json!({"language": "en", "events": {"case_opened": true, "reply": true,
        "information_request": true, "progress_update": true, "resolution_proposed": true, "case_resolved": true,
        "reopen_window_closing": true, "escalation": true, "escalation_acknowledged": true}});
    let res = grace.put(server.url("/api/v1/me/notification-settings")).json(&older).send().await.expect("PUT");
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.expect("settings")["events"]["participant_added"], true);

    let mut off = older.clone();
    off["events"]["participant_added"] = json!(false);
    let res = grace.put(server.url("/api/v1/me/notification-settings")).json(&off).send().await.expect("PUT");
    assert_eq!(res.status(), 200);
    let case = opened_by(&server, &ada, "Quiet addition").await;
    assert_eq!(add(&server, &ada, &case, GRACE_ID).await.0, 201);
    assert!(recipients(&settled(&server).await, &case, "participant_added").is_empty());
}
