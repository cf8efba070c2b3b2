//! An account's people over HTTP: who sees them, who changes roles and takes people off, that
//! an account keeps an admin, and that a person taken off loses the account but not what they
//! wrote on it.

use crate::common;
use crate::invitations::{count, database};

use common::*;
use serde_json::{Value, json};

fn members_url(server: &Server) -> String {
    server.url("/api/v1/accounts/acc_acme/members")
}

fn member_url(server: &Server, user: &str) -> String {
    server.url(&format!("/api/v1/accounts/acc_acme/members/{user}"))
}

async fn set_role(server: &Server, client: &reqwest::Client, user: &str, role: &str) -> (u16, Value) {
    let res = client.patch(member_url(server, user)).json(&json!({"role": role})).send().await.expect("PATCH");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn remove(server: &Server, client: &reqwest::Client, user: &str) -> (u16, Value) {
    let res = client.delete(member_url(server, user)).send().await.expect("DELETE");
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn everyone_who_sees_the_account_lists_its_people_admins_first() {
    let server = start().await;
    let ada = server.signed_in(ADA).await;
    let (status, _) = post_json(
        &ada,
        server.url("/api/v1/accounts/acc_acme/invitations"),
        json!({"email": "hedy@acme.example", "role": "member"}),
    )
    .await;
    assert_eq!(status, 201);
    for (who, sees_invitations) in [(ADA, true), (GRACE, false), (TESS, false), (ALEX, false)] {
        let client = server.signed_in(who).await;
        let (status, members) = get_json(&client, members_url(&server)).await;
        assert_eq!(status, 200, "{who}: {members}");
        let people: Vec<(&str, &str, &str)> = members["data"]
            .as_array()
            .expect("data")
            .iter()
            .map(|m| {
                (m["id"].as_str().unwrap_or(""), m["email"].as_str().unwrap_or(""), m["role"].as_str().unwrap_or(""))
            })
            .collect();
        assert_eq!(people, [("usr_ada", ADA, "admin"), ("usr_grace", GRACE, "member")], "{who}");
        assert!(members["data"][1]["joined_at"].is_string() && members["data"][1]["name"] == "Grace Hopper");
        assert_eq!(members["next_cursor"], Value::Null);
        let invitations = members["invitations"].as_array().map(Vec::len);
        assert_eq!(invitations, Some(usize::from(sees_invitations)), "{who} and the open invitations: {members}");
    }
    let bob = server.signed_in(BOB).await;
    let (status, body) = get_json(&bob, members_url(&server)).await;
    assert_eq!(status, 404, "another account's admin sees nothing of it");
    assert_error_shape(&body, "account_not_found");
    assert!(!body.to_string().contains("Grace"), "{body}");
    assert_eq!(get_json(&server.anonymous(), members_url(&server)).await.0, 401);
}

#[tokio::test]
async fn an_account_keeps_its_last_admin() {
    let server = start().await;
    let ada = server.signed_in(ADA).await;
    let (status, body) = remove(&server, &ada, "usr_ada").await;
    assert_eq!(status, 409, "the only admin may not leave");
    assert_error_shape(&body, "last_admin");
    let (status, body) = set_role(&server, &ada, "usr_ada", "member").await;
    assert_eq!(status, 409, "nor stop being admin");
    assert_error_shape(&body, "last_admin");
    assert_eq!(set_role(&server, &ada, "usr_ada", "admin").await.0, 200, "staying admin is fine");

    let (status, grace) = set_role(&server, &ada, "usr_grace", "admin").await;
    assert_eq!(status, 200, "{grace}");
    assert_eq!((&grace["id"], &grace["role"]), (&json!("usr_grace"), &json!("admin")));
    let (status, ada_now) = set_role(&server, &ada, "usr_ada", "member").await;
    assert_eq!((status, &ada_now["role"]), (200, &json!("member")), "with Grace admin, Ada may step down");
    let (_, session) = get_json(&ada, server.url("/api/v1/session")).await;
    assert_eq!(session["accounts"][0]["role"], "member", "her session says so");
    assert_eq!(set_role(&server, &ada, "usr_grace", "member").await.0, 403, "a member no longer changes roles");

    let grace = server.signed_in(GRACE).await;
    let (status, body) = remove(&server, &grace, "usr_grace").await;
    assert_eq!(status, 409, "Grace is now the last admin");
    assert_error_shape(&body, "last_admin");
    assert_eq!(remove(&server, &ada, "usr_ada").await.0, 204, "a member leaves");
    assert_eq!(count(&server, "SELECT COUNT(*) FROM memberships WHERE account_id = 'acc_acme' AND role = 'admin'"), 1);
}

#[tokio::test]
async fn members_and_birds_people_may_not_manage_colleagues_and_others_see_a_404() {
    let server = start().await;
    let grace = server.signed_in(GRACE).await;
    for (who, expected) in [(GRACE, 403), (TESS, 403), (ALEX, 403), (BOB, 404)] {
        let client = if who == GRACE { grace.clone() } else { server.signed_in(who).await };
        let (status, body) = remove(&server, &client, "usr_ada").await;
        assert_eq!(status, expected, "{who} removes Ada: {body}");
        let (status, body) = set_role(&server, &client, "usr_grace", "admin").await;
        assert_eq!(status, expected, "{who} makes Grace admin: {body}");
        let code = if expected == 403 { "admins_only" } else { "account_not_found" };
        assert_error_shape(&body, code);
    }
    let ada = server.signed_in(ADA).await;
    assert_eq!(remove(&server, &ada, "usr_bob").await.0, 404, "Bob is nobody of Acme");
    assert_eq!(set_role(&server, &ada, "usr_nobody", "admin").await.0, 404);
    let (status, body) = set_role(&server, &ada, "usr_grace", "owner").await;
    assert_eq!((status, &body["error"]["details"][0]["param"]), (422, &json!("role")), "{body}");
    assert_eq!(count(&server, "SELECT COUNT(*) FROM memberships WHERE account_id = 'acc_acme'"), 2, "nothing changed");
}

#[tokio::test]
async fn a_member_may_leave_and_with_no_account_left_is_signed_out() {
    let server = start().await;
    let grace = server.signed_in(GRACE).await;
    let elsewhere = server.signed_in(GRACE).await;
    assert_eq!(remove(&server, &grace, "usr_grace").await.0, 204);
    assert_eq!(get_json(&grace, server.url("/api/v1/session")).await.0, 401, "this session ended");
    assert_eq!(get_json(&elsewhere, server.url("/api/v1/session")).await.0, 401, "and every other");
    let ada = server.signed_in(ADA).await;
    let (_, members) = get_json(&ada, members_url(&server)).await;
    assert_eq!(members["data"].as_array().map(Vec::len), Some(1), "{members}");
}

#[tokio::test]
async fn a_colleague_taken_off_loses_the_account_but_their_cases_stay_with_their_name() {
    let server = start().await;
    let grace = server.signed_in(GRACE).await;
    let (status, case) =
        post_json(&grace, server.url("/api/v1/accounts/acc_acme/cases"), new_case("Grace's bounce question")).await;
    assert_eq!(status, 201, "{case}");
    let case_id = case["id"].as_str().expect("id").to_owned();
    let message = json!({"body": "It happens again this morning."});
    let (status, _) = post_json(&grace, server.url(&format!("/api/v1/cases/{case_id}/messages")), message).await;
    assert_eq!(status, 201);
    let ada = server.signed_in(ADA).await;
    let other_case = ada_case(&server, &ada).await;
    {
        let db = database(&server);
        // Grace follows one of Ada's cases, and belongs to Globex too, so she stays signed in.
        db.execute(
            "INSERT INTO case_participants (case_id, user_id, added_by, added_at) \
             VALUES (?1, 'usr_grace', 'usr_ada', '2026-01-01T00:00:00.000000Z')",
            portal_api::params![other_case],
        )
        .expect("participant");
        db.execute(
            "INSERT INTO memberships (user_id, account_id, role, joined_at) \
             VALUES ('usr_grace', 'acc_globex', 'member', '2026-01-01T00:00:00.000000Z')",
            [],
        )
        .expect("membership");
    }
    assert_eq!(remove(&server, &ada, "usr_grace").await.0, 204);

    let (status, body) = get_json(&grace, server.url(&format!("/api/v1/cases/{case_id}"))).await;
    assert_eq!(status, 404, "her own case is Acme's: {body}");
    assert_error_shape(&body, "case_not_found");
    assert_eq!(get_json(&grace, server.url(&format!("/api/v1/cases/{other_case}"))).await.0, 404);
    assert_eq!(get_json(&grace, server.url("/api/v1/accounts/acc_acme/cases")).await.0, 404);
    assert_eq!(get_json(&grace, members_url(&server)).await.0, 404);
    let (status, session) = get_json(&grace, server.url("/api/v1/session")).await;
    assert_eq!(status, 200, "still signed in, to Globex");
    assert_eq!(session["accounts"], json!([{"id": "acc_globex", "name": "Globex Retail", "role": "member"}]));

    let (status, detail) = get_json(&ada, server.url(&format!("/api/v1/cases/{case_id}"))).await;
    assert_eq!(status, 200, "the case stays Acme's");
    assert_eq!(detail["requester"]["name"], "Grace Hopper", "with her name");
    let hers = detail["timeline"].as_array().expect("timeline").iter().find(|e| e["kind"] == "message").cloned();
    assert_eq!(hers.map(|e| e["author"]["name"].clone()), Some(json!("Grace Hopper")), "her message stays hers");
    assert_eq!(count(&server, "SELECT COUNT(*) FROM case_participants WHERE user_id = 'usr_grace'"), 0);
    let (_, members) = get_json(&ada, members_url(&server)).await;
    assert!(!members.to_string().contains("usr_grace"), "{members}");
}
