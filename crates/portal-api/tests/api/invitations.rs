//! Invitations over HTTP: an admin's invitation arrives by email with a link that works once
//! and for 7 days; following it someone new becomes a person of the account, and a person who
//! already has a user adds the account with their password; either way they are signed in. A
//! used, revoked or expired link is 410 and a forged one 404, and neither creates anything.

use crate::common;

use common::*;
use portal_api::util::sha256_hex;
use serde_json::{Value, json};
use std::time::Duration;

const NEW_PASSWORD: &str = "a longer passphrase";

pub fn database(server: &Server) -> portal_api::sql::Connection {
    server.database()
}

pub fn count(server: &Server, sql: &str) -> i64 {
    database(server).query_row(sql, [], |r| r.get(0)).expect("count")
}

/// Every email to `to` in the data dir's outbox (the server without `--smtp-url` writes each
/// there), parsed.
fn emails_to(server: &Server, to: &str) -> Vec<mail_parser::Message<'static>> {
    let outbox = server.dir.path().join("data/outbox");
    let mut found = Vec::new();
    for entry in std::fs::read_dir(&outbox).into_iter().flatten().flatten() {
        let Ok(bytes) = std::fs::read(entry.path()) else { continue };
        let Some(message) = mail_parser::MessageParser::default().parse(&bytes) else { continue };
        let address = message.to().and_then(|a| a.first()).and_then(|a| a.address()).map(str::to_lowercase);
        if address.as_deref() == Some(&to.to_lowercase()) {
            found.push(message.into_owned());
        }
    }
    found
}

/// The token of an invitation email to `to` whose token is not in `seen`, read from the link
/// in its text: the sender delivers within moments, hence the wait.
pub async fn emailed_token(server: &Server, to: &str, seen: &[String]) -> (String, mail_parser::Message<'static>) {
    for _ in 0..200 {
        for message in emails_to(server, to) {
            let text = message.body_text(0).unwrap_or_default().into_owned();
            let token = text
                .split("http://127.0.0.1:8080/invitations/")
                .nth(1)
                .and_then(|rest| rest.split_whitespace().next())
                .map(str::to_owned);
            if let Some(token) = token.filter(|t| !seen.contains(t)) {
                return (token, message);
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no new invitation email to {to}");
}

pub async fn invite(server: &Server, admin: &reqwest::Client, email: &str, role: &str) -> (u16, Value) {
    post_json(admin, server.url("/api/v1/accounts/acc_acme/invitations"), json!({"email": email, "role": role})).await
}

/// Ada invites `email` and the email arrives; answers the invitation and the emailed token.
pub async fn invited(server: &Server, ada: &reqwest::Client, email: &str, seen: &[String]) -> (Value, String) {
    let (status, invitation) = invite(server, ada, email, "member").await;
    assert_eq!(status, 201, "{invitation}");
    let (token, _) = emailed_token(server, email, seen).await;
    (invitation, token)
}

async fn preview(server: &Server, token: &str) -> (u16, Value) {
    get_json(&server.anonymous(), server.url(&format!("/api/v1/invitations/{token}"))).await
}

pub async fn accept(server: &Server, client: &reqwest::Client, token: &str, body: Value) -> (u16, Value) {
    post_json(client, server.url(&format!("/api/v1/invitations/{token}/accept")), body).await
}

fn newcomer() -> Value {
    json!({"name": "Hedy Lamarr", "password": NEW_PASSWORD})
}

async fn members_of_acme(server: &Server, client: &reqwest::Client) -> Value {
    let (status, members) = get_json(client, server.url("/api/v1/accounts/acc_acme/members")).await;
    assert_eq!(status, 200, "{members}");
    members
}

#[tokio::test]
async fn an_invitation_arrives_by_email_and_someone_new_accepts_it_signed_in() {
    let server = start().await;
    let ada = server.signed_in(ADA).await;
    let (status, invitation) = invite(&server, &ada, "hedy@acme.example", "member").await;
    assert_eq!(status, 201, "{invitation}");
    assert_eq!((&invitation["email"], &invitation["role"]), (&json!("hedy@acme.example"), &json!("member")));
    assert_eq!(invitation["invited_by"]["id"], "usr_ada");
    let at = |field: &str| chrono::DateTime::parse_from_rfc3339(invitation[field].as_str().expect(field)).expect(field);
    assert_eq!(at("expires_at") - at("created_at"), chrono::Duration::days(7));

    let (token, email) = emailed_token(&server, "hedy@acme.example", &[]).await;
    assert_eq!(email.subject(), Some("Ada Lovelace invited you to Acme Mail on Bird Premium Support"));
    let stored: String = database(&server)
        .query_row(
            "SELECT token_hash FROM invitations WHERE id = ?1",
            portal_api::params![invitation["id"].as_str()],
            |r| r.get(0),
        )
        .expect("stored");
    assert_eq!(stored, sha256_hex(token.as_bytes()), "only the token's SHA-256 is kept");
    // The sender clears the token from its row once the email is handed over, a moment after
    // the file the test read was written.
    let kept = format!("SELECT COUNT(*) FROM notifications WHERE secret = '{token}'");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while count(&server, &kept) > 0 && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(count(&server, &kept), 0, "the token is not kept once sent");
    let pending = &members_of_acme(&server, &ada).await["invitations"];
    assert_eq!(pending[0]["id"], invitation["id"], "Ada sees it open: {pending}");

    let (status, shown) = preview(&server, &token).await;
    assert_eq!(status, 200, "{shown}");
    assert_eq!(shown["account"]["id"], "acc_acme");
    assert_eq!(shown["account"]["name"], "Acme Mail");
    assert_eq!((&shown["invited_by"], &shown["existing_user"]), (&json!("Ada Lovelace"), &json!(false)));

    let browser = server.anonymous();
    let res = browser
        .post(server.url(&format!("/api/v1/invitations/{token}/accept")))
        .json(&newcomer())
        .send()
        .await
        .expect("accept");
    assert_eq!(res.status(), 200);
    let cookie = res.headers().get("set-cookie").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert!(cookie.starts_with("portal_session=") && cookie.contains("HttpOnly"), "{cookie}");
    let info: Value = res.json().await.expect("session info");
    assert_eq!((&info["user"]["name"], &info["user"]["role"]), (&json!("Hedy Lamarr"), &json!("customer")));
    assert_eq!(info["accounts"], json!([{"id": "acc_acme", "name": "Acme Mail", "role": "member"}]));
    let (status, session) = get_json(&browser, server.url("/api/v1/session")).await;
    assert_eq!(status, 200, "the cookie signs her in");
    assert_eq!(session["accounts"], info["accounts"]);
    assert_eq!(get_json(&browser, server.url("/api/v1/accounts/acc_acme/cases")).await.0, 200);
    let (status, _) = post_json(
        &server.anonymous(),
        server.url("/api/v1/session"),
        json!({"email": "hedy@acme.example", "password": NEW_PASSWORD}),
    )
    .await;
    assert_eq!(status, 200, "and her password signs her in later");

    let members = members_of_acme(&server, &ada).await;
    let hedy = members["data"].as_array().expect("data").iter().find(|m| m["name"] == "Hedy Lamarr").cloned();
    assert_eq!(hedy.as_ref().map(|m| &m["role"]), Some(&json!("member")), "{members}");
    assert_eq!(members["invitations"], json!([]), "accepted, no longer open");
}

#[tokio::test]
async fn a_link_works_once_and_a_second_acceptance_creates_nothing() {
    let server = start().await;
    let ada = server.signed_in(ADA).await;
    let (_, token) = invited(&server, &ada, "hedy@acme.example", &[]).await;
    assert_eq!(accept(&server, &server.anonymous(), &token, newcomer()).await.0, 200);
    let users = count(&server, "SELECT COUNT(*) FROM users");
    let memberships = count(&server, "SELECT COUNT(*) FROM memberships");
    let sessions = count(&server, "SELECT COUNT(*) FROM sessions");
    let other = json!({"name": "Someone Else", "password": "another passphrase"});
    let (status, body) = accept(&server, &server.anonymous(), &token, other).await;
    assert_eq!(status, 410, "{body}");
    assert_error_shape(&body, "invitation_used");
    let (status, body) = preview(&server, &token).await;
    assert_eq!(status, 410);
    assert_error_shape(&body, "invitation_used");
    assert_eq!(count(&server, "SELECT COUNT(*) FROM users"), users);
    assert_eq!(count(&server, "SELECT COUNT(*) FROM memberships"), memberships);
    assert_eq!(count(&server, "SELECT COUNT(*) FROM sessions"), sessions, "nobody signed in");
}

#[tokio::test]
async fn two_acceptances_at_once_make_one_person() {
    let server = start().await;
    let ada = server.signed_in(ADA).await;
    let (_, token) = invited(&server, &ada, "hedy@acme.example", &[]).await;
    let (first, second) = (server.anonymous(), server.anonymous());
    let (a, b) =
        tokio::join!(accept(&server, &first, &token, newcomer()), accept(&server, &second, &token, newcomer()));
    let mut statuses = [a.0, b.0];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 410], "{a:?} {b:?}");
    assert_eq!(count(&server, "SELECT COUNT(*) FROM users WHERE email = 'hedy@acme.example'"), 1);
}

#[tokio::test]
async fn an_expired_link_is_gone_and_creates_nothing() {
    let server = start_with(|c| c.test_clock = true).await;
    let ada = server.signed_in(ADA).await;
    let (_, token) = invited(&server, &ada, "hedy@acme.example", &[]).await;
    let week = 7 * 24 * 60 * 60 + 1;
    let (status, moved) = post_json(&ada, server.url("/api/v1/test-clock"), json!({"advance_seconds": week})).await;
    assert_eq!(status, 200, "{moved}");
    let (status, body) = preview(&server, &token).await;
    assert_eq!(status, 410);
    assert_error_shape(&body, "invitation_expired");
    let (status, body) = accept(&server, &server.anonymous(), &token, newcomer()).await;
    assert_eq!(status, 410);
    assert_error_shape(&body, "invitation_expired");
    assert_eq!(count(&server, "SELECT COUNT(*) FROM users WHERE email = 'hedy@acme.example'"), 0);
    assert_eq!(members_of_acme(&server, &ada).await["invitations"], json!([]), "no longer listed as open");
}

#[tokio::test]
async fn a_forged_link_is_unknown_and_creates_nothing() {
    let server = start().await;
    let ada = server.signed_in(ADA).await;
    invited(&server, &ada, "hedy@acme.example", &[]).await;
    let users = count(&server, "SELECT COUNT(*) FROM users");
    for forged in ["forged-token", &"A".repeat(43)] {
        let (status, body) = preview(&server, forged).await;
        assert_eq!(status, 404);
        assert_error_shape(&body, "invitation_not_found");
        let (status, body) = accept(&server, &server.anonymous(), forged, newcomer()).await;
        assert_eq!(status, 404);
        assert_error_shape(&body, "invitation_not_found");
    }
    assert_eq!(count(&server, "SELECT COUNT(*) FROM users"), users);
    assert_eq!(count(&server, "SELECT COUNT(*) FROM invitations WHERE accepted_at IS NOT NULL"), 0);
}

#[tokio::test]
async fn a_revoked_or_replaced_invitation_no_longer_works() {
    let server = start().await;
    let ada = server.signed_in(ADA).await;
    let (_, first_token) = invited(&server, &ada, "hedy@acme.example", &[]).await;
    let (second, second_token) = invited(&server, &ada, "Hedy@acme.example", std::slice::from_ref(&first_token)).await;
    let (status, body) = accept(&server, &server.anonymous(), &first_token, newcomer()).await;
    assert_eq!(status, 410, "the newer invitation replaced it: {body}");
    assert_error_shape(&body, "invitation_revoked");
    let open = members_of_acme(&server, &ada).await["invitations"].clone();
    assert_eq!(open.as_array().map(Vec::len), Some(1), "{open}");
    assert_eq!(open[0]["id"], second["id"]);

    let revoke = |client: &reqwest::Client, id: &Value| {
        client.delete(server.url(&format!("/api/v1/accounts/acc_acme/invitations/{}", id.as_str().expect("id")))).send()
    };
    let grace = server.signed_in(GRACE).await;
    assert_eq!(revoke(&grace, &second["id"]).await.expect("revoke").status(), 403, "a member does not revoke");
    let bob = server.signed_in(BOB).await;
    assert_eq!(revoke(&bob, &second["id"]).await.expect("revoke").status(), 404, "another account's admin");
    assert_eq!(revoke(&ada, &second["id"]).await.expect("revoke").status(), 204);
    assert_eq!(revoke(&ada, &second["id"]).await.expect("revoke").status(), 204, "again, nothing changes");
    assert_eq!(revoke(&ada, &json!("inv_unknown")).await.expect("revoke").status(), 404);
    let (status, body) = accept(&server, &server.anonymous(), &second_token, newcomer()).await;
    assert_eq!(status, 410);
    assert_error_shape(&body, "invitation_revoked");
    assert_eq!(members_of_acme(&server, &ada).await["invitations"], json!([]));
    assert_eq!(count(&server, "SELECT COUNT(*) FROM users WHERE email = 'hedy@acme.example'"), 0);
}

#[tokio::test]
async fn an_accepted_invitation_cannot_be_revoked() {
    let server = start().await;
    let ada = server.signed_in(ADA).await;
    let (invitation, token) = invited(&server, &ada, "hedy@acme.example", &[]).await;
    assert_eq!(accept(&server, &server.anonymous(), &token, newcomer()).await.0, 200);
    let url = server.url(&format!("/api/v1/accounts/acc_acme/invitations/{}", invitation["id"].as_str().expect("id")));
    let res = ada.delete(url).send().await.expect("revoke");
    assert_eq!(res.status(), 409);
    assert_error_shape(&res.json().await.expect("json"), "invitation_used");
}

#[tokio::test]
async fn a_person_with_a_user_adds_the_account_with_their_own_password() {
    let server = start().await;
    let ada = server.signed_in(ADA).await;
    let bob = server.signed_in(BOB).await;
    let (_, token) = invited(&server, &ada, BOB, &[]).await;
    let (_, email) = emailed_token(&server, BOB, &[]).await;
    let text = email.body_text(0).unwrap_or_default().into_owned();
    assert!(text.contains("sign in with your password to add Acme Mail"), "{text}");
    let (status, shown) = preview(&server, &token).await;
    assert_eq!((status, &shown["existing_user"]), (200, &json!(true)), "{shown}");

    let (status, body) = accept(&server, &server.anonymous(), &token, json!({"password": "not his password"})).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["details"][0]["param"], "password");
    assert_eq!(body["error"]["details"][0]["code"], "wrong_password");
    assert_eq!(count(&server, "SELECT COUNT(*) FROM memberships WHERE user_id = 'usr_bob'"), 1, "nothing added");
    assert_eq!(get_json(&bob, server.url("/api/v1/accounts/acc_acme")).await.0, 404);

    let browser = server.anonymous();
    let (status, info) = accept(&server, &browser, &token, json!({"password": PASSWORD})).await;
    assert_eq!(status, 200, "{info}");
    assert_eq!(info["user"]["id"], "usr_bob");
    assert_eq!(info["user"]["name"], "Bob Martin", "his name stays his");
    assert_eq!(
        info["accounts"],
        json!([
            {"id": "acc_acme", "name": "Acme Mail", "role": "member"},
            {"id": "acc_globex", "name": "Globex Retail", "role": "admin"}
        ])
    );
    assert_eq!(get_json(&browser, server.url("/api/v1/session")).await.1["accounts"], info["accounts"]);
    let (status, accounts) = get_json(&bob, server.url("/api/v1/accounts")).await;
    assert_eq!(status, 200);
    assert_eq!(accounts["data"].as_array().map(Vec::len), Some(2), "his own session sees both: {accounts}");
    assert_eq!(get_json(&bob, server.url("/api/v1/accounts/acc_acme/cases")).await.0, 200);
}

#[tokio::test]
async fn wrong_passwords_on_an_invitation_count_like_failed_sign_ins() {
    let server = start().await;
    let ada = server.signed_in(ADA).await;
    let (_, token) = invited(&server, &ada, BOB, &[]).await;
    for _ in 0..5 {
        assert_eq!(accept(&server, &server.anonymous(), &token, json!({"password": "a wrong guess"})).await.0, 422);
    }
    let (status, body) = accept(&server, &server.anonymous(), &token, json!({"password": PASSWORD})).await;
    assert_eq!(status, 429, "{body}");
    assert_error_shape(&body, "too_many_attempts");
    let (status, _) =
        post_json(&server.anonymous(), server.url("/api/v1/session"), json!({"email": BOB, "password": PASSWORD}))
            .await;
    assert_eq!(status, 429, "the same count as signing in");
}

#[tokio::test]
async fn members_and_birds_people_cannot_be_invited_and_bird_cannot_accept() {
    let server = start().await;
    let ada = server.signed_in(ADA).await;
    for (email, code) in [(GRACE, "already_member"), ("ADA@acme.example", "already_member"), (TESS, "bird_user")] {
        let (status, body) = invite(&server, &ada, email, "member").await;
        assert_eq!(status, 409, "{email}: {body}");
        assert_error_shape(&body, code);
    }
    assert_eq!(count(&server, "SELECT COUNT(*) FROM invitations"), 0);
    // An invitation to a Bird address written past the API (as an older server might have).
    let token = "a-token-for-tess";
    database(&server)
        .execute(
            "INSERT INTO invitations (id, account_id, email, role, token_hash, invited_by, created_at, expires_at) \
             VALUES ('inv_tess', 'acc_acme', ?1, 'admin', ?2, 'usr_ada', '2026-01-01T00:00:00.000000Z', '2999-01-01T00:00:00.000000Z')",
            portal_api::params![TESS, sha256_hex(token.as_bytes())],
        )
        .expect("insert");
    let (status, body) = preview(&server, token).await;
    assert_eq!(status, 409);
    assert_error_shape(&body, "bird_user");
    let (status, body) = accept(&server, &server.anonymous(), token, json!({"password": PASSWORD})).await;
    assert_eq!(status, 409);
    assert_error_shape(&body, "bird_user");
    assert_eq!(count(&server, "SELECT COUNT(*) FROM memberships WHERE user_id = 'usr_tess'"), 0);
}

#[tokio::test]
async fn invitations_and_acceptances_refuse_invalid_fields() {
    let server = start().await;
    let ada = server.signed_in(ADA).await;
    for (body, param) in [
        (json!({"email": "not an address", "role": "member"}), "email"),
        (json!({"email": "hedy@acme.example", "role": "owner"}), "role"),
        (json!({"email": "hedy@acme.example", "role": "member", "language": "xx"}), "language"),
    ] {
        let (status, answer) = post_json(&ada, server.url("/api/v1/accounts/acc_acme/invitations"), body).await;
        assert_eq!(status, 422, "{answer}");
        assert_eq!(answer["error"]["details"][0]["param"], param, "{answer}");
    }
    let (_, token) = invited(&server, &ada, "hedy@acme.example", &[]).await;
    for (body, param, code) in [
        (json!({"name": "Hedy", "password": "short"}), "password", "too_short"),
        (json!({"name": "  ", "password": NEW_PASSWORD}), "name", "required"),
        (json!({"password": NEW_PASSWORD}), "name", "required"),
    ] {
        let (status, answer) = accept(&server, &server.anonymous(), &token, body).await;
        assert_eq!(status, 422, "{answer}");
        assert_eq!(answer["error"]["details"][0]["param"], param, "{answer}");
        assert_eq!(answer["error"]["details"][0]["code"], code, "{answer}");
    }
    assert_eq!(count(&server, "SELECT COUNT(*) FROM users WHERE email = 'hedy@acme.example'"), 0);
    assert_eq!(preview(&server, &token).await.0, 200, "still open");
}

#[tokio::test]
async fn an_invitation_in_italian_makes_an_italian_reader() {
    let server = start().await;
    let ada = server.signed_in(ADA).await;
    let body = json!({"email": "hedy@acme.example", "role": "admin", "language": "it"});
    let (status, _) = post_json(&ada, server.url("/api/v1/accounts/acc_acme/invitations"), body).await;
    assert_eq!(status, 201);
    let (token, email) = emailed_token(&server, "hedy@acme.example", &[]).await;
    assert_eq!(email.subject(), Some("Ada Lovelace ti ha invitato in Acme Mail su Bird Premium Support"));
    let browser = server.anonymous();
    let (status, info) = accept(&server, &browser, &token, newcomer()).await;
    assert_eq!(status, 200, "{info}");
    assert_eq!(info["accounts"][0]["role"], "admin");
    let (_, settings) = get_json(&browser, server.url("/api/v1/me/notification-settings")).await;
    assert_eq!(settings["language"], "it", "{settings}");
}

fn assert_throttled(status: u16, body: &Value, retry_after: Option<u64>, most: u64) {
    assert_eq!(status, 429, "{body}");
    assert_error_shape(body, "too_many_invitations");
    assert!(retry_after.is_some_and(|s| (1..=most).contains(&s)), "Retry-After in seconds: {retry_after:?}");
}

async fn invite_with_wait(server: &Server, ada: &reqwest::Client, email: &str) -> (u16, Value, Option<u64>) {
    let res = ada
        .post(server.url("/api/v1/accounts/acc_acme/invitations"))
        .json(&json!({"email": email, "role": "member"}))
        .send()
        .await
        .expect("invite");
    let wait = res.headers().get("retry-after").and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok());
    (res.status().as_u16(), res.json().await.unwrap_or(Value::Null), wait)
}

#[tokio::test]
async fn one_address_gets_at_most_five_invitations_a_day() {
    let server = start().await;
    let ada = server.signed_in(ADA).await;
    for i in 0..5 {
        assert_eq!(invite(&server, &ada, "hedy@acme.example", "member").await.0, 201, "invitation {i}");
    }
    let (status, body, wait) = invite_with_wait(&server, &ada, "HEDY@acme.example").await;
    assert_throttled(status, &body, wait, 24 * 60 * 60);
    assert_eq!(invite(&server, &ada, "ida@acme.example", "member").await.0, 201, "another address");
}

#[tokio::test]
async fn one_account_sends_at_most_twenty_invitations_an_hour_and_a_retry_is_not_another() {
    let server = start().await;
    let ada = server.signed_in(ADA).await;
    let keyed = |key: &'static str| {
        ada.post(server.url("/api/v1/accounts/acc_acme/invitations"))
            .header("Idempotency-Key", key)
            .json(&json!({"email": "colleague0@acme.example", "role": "member"}))
            .send()
    };
    let first: Value = keyed("invite-0").await.expect("invite").json().await.expect("json");
    let again = keyed("invite-0").await.expect("invite");
    assert_eq!(again.status(), 201);
    assert_eq!(again.json::<Value>().await.expect("json")["id"], first["id"], "the retry replays the first");
    for i in 1..20 {
        let (status, body) = invite(&server, &ada, &format!("colleague{i}@acme.example"), "member").await;
        assert_eq!(status, 201, "invitation {i}: {body}");
    }
    let (status, body, wait) = invite_with_wait(&server, &ada, "one-too-many@acme.example").await;
    assert_throttled(status, &body, wait, 60 * 60);
    assert_eq!(count(&server, "SELECT COUNT(*) FROM invitations"), 20);
    let bob = server.signed_in(BOB).await;
    let (status, _) = post_json(
        &bob,
        server.url("/api/v1/accounts/acc_globex/invitations"),
        json!({"email": "someone@globex.example", "role": "member"}),
    )
    .await;
    assert_eq!(status, 201, "another account's budget is its own");
}
