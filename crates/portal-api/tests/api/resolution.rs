//! Resolution by mutual agreement, reopening, rating and escalation, over HTTP.

use crate::common;

use common::*;
use portal_contract::rules::{self, CaseAction, CaseState, Refusal, Side};
use portal_contract::{CaseStatus, EventKind, Role};
use serde_json::{Value, json};

struct Actors {
    ada: reqwest::Client,
    alex: reqwest::Client,
    tess: reqwest::Client,
}

async fn actors(server: &Server) -> Actors {
    Actors { ada: server.signed_in(ADA).await, alex: server.signed_in(ALEX).await, tess: server.signed_in(TESS).await }
}

/// A new Acme case brought to `status` (proposals made by `proposer`).
async fn case_in(server: &Server, a: &Actors, status: CaseStatus, proposer: Option<Side>) -> String {
    let (code, case) = post_json(
        &a.ada,
        server.url("/api/v1/accounts/acc_acme/cases"),
        json!({"kind": "problem", "severity": "normal", "subject": "table", "description": "d"}),
    )
    .await;
    assert_eq!(code, 201);
    let id = case["id"].as_str().expect("id").to_owned();
    if status == CaseStatus::New {
        return id;
    }
    post_json(&a.alex, server.url(&format!("/api/v1/cases/{id}/updates")), json!({"body": "on it"})).await;
    if status == CaseStatus::WaitingOnCustomer {
        // Information requests arrive with their own issue; until then the test sets the status.
        let db = server.database();
        db.execute("UPDATE cases SET status = 'waiting_on_customer' WHERE id = ?1", portal_api::params![id])
            .expect("update");
        return id;
    }
    if status == CaseStatus::InProgress {
        return id;
    }
    let by = if proposer == Some(Side::Customer) { &a.ada } else { &a.alex };
    let (code, _) =
        post_json(by, server.url(&format!("/api/v1/cases/{id}/resolution/propose")), json!({"summary": "fixed"})).await;
    assert_eq!(code, 200);
    if status == CaseStatus::Resolved {
        let other = if proposer == Some(Side::Customer) { &a.alex } else { &a.ada };
        let (code, _) =
            post_json(other, server.url(&format!("/api/v1/cases/{id}/resolution/confirm")), json!({})).await;
        assert_eq!(code, 200);
    }
    id
}

fn path_and_body(action: CaseAction) -> (&'static str, Value) {
    match action {
        CaseAction::ProposeResolution => ("resolution/propose", json!({"summary": "It works again."})),
        CaseAction::ConfirmResolution => ("resolution/confirm", json!({})),
        CaseAction::DeclineResolution => ("resolution/decline", json!({"reason": "Still bouncing."})),
        CaseAction::Reopen => ("reopen", json!({"reason": "It came back."})),
        CaseAction::Rate => ("satisfaction", json!({"rating": 4})),
        CaseAction::AcknowledgeEscalation => ("escalation/acknowledge", json!({})),
        CaseAction::Escalate | CaseAction::Unknown => ("escalation", json!({"reason": "Urgent for us."})),
    }
}

#[tokio::test]
async fn every_status_role_and_action_is_answered_by_the_rules() {
    let server = start().await;
    let a = actors(&server).await;
    let mut checked = 0;
    for status in CaseStatus::ALL.iter().copied() {
        let proposers: &[Option<Side>] = match status {
            CaseStatus::ResolutionProposed | CaseStatus::Resolved => &[Some(Side::Bird), Some(Side::Customer)],
            _ => &[None],
        };
        for proposer in proposers.iter().copied() {
            for (role, client) in [(Role::Customer, &a.ada), (Role::Agent, &a.alex), (Role::Tam, &a.tess)] {
                for action in CaseAction::ALL.iter().copied() {
                    let id = case_in(&server, &a, status, proposer).await;
                    let state = CaseState {
                        status,
                        proposed_by: if status == CaseStatus::ResolutionProposed { proposer } else { None },
                        escalated: false,
                        acknowledged: false,
                        rated: false,
                        reopen_window_open: true,
                    };
                    let expected = match rules::check(action, role, state) {
                        Ok(()) => 200,
                        Err(Refusal::NotYourRole) => 403,
                        Err(Refusal::NotNow) => 409,
                    };
                    let (path, body) = path_and_body(action);
                    let (code, answer) =
                        post_json(client, server.url(&format!("/api/v1/cases/{id}/{path}")), body).await;
                    assert_eq!(
                        code, expected,
                        "{action:?} by {role:?} on {status:?} proposed by {proposer:?}: {answer}"
                    );
                    match code {
                        200 => assert_eq!(answer["status"], rules::next_status(action, status).as_str()),
                        403 => assert_error_shape(&answer, "action_not_allowed"),
                        _ => assert_error_shape(&answer, "case_state_changed"),
                    }
                    checked += 1;
                }
            }
        }
    }
    assert_eq!(checked, (3 + 2 * 2) * 3 * CaseAction::ALL.len());
}

/// The HTTP status a `rules` verdict becomes: `done` when allowed.
fn status_of(verdict: Result<(), Refusal>, done: u16) -> u16 {
    match verdict {
        Ok(()) => done,
        Err(Refusal::NotYourRole) => 403,
        Err(Refusal::NotNow) => 409,
    }
}

async fn tus_create(server: &Server, client: &reqwest::Client, case: &str) -> u16 {
    use base64::Engine as _;
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let res = client
        .post(server.url("/api/v1/uploads"))
        .header("Tus-Resumable", "1.0.0")
        .header("Upload-Length", "3")
        .header("Upload-Metadata", format!("filename {},case_id {}", b64("a.log"), b64(case)))
        .send()
        .await
        .expect("create upload");
    res.status().as_u16()
}

/// Opening, posting, attaching and planning a TAM's hours answer what `rules` says, for every
/// role and (where the status matters) every status.
#[tokio::test]
async fn who_opens_posts_attaches_and_plans_hours_is_answered_by_the_rules() {
    let server = start().await;
    let a = actors(&server).await;
    let new_case = json!({"kind": "problem", "severity": "normal", "subject": "s", "description": "d"});
    let hours = json!({
        "time_zone": "Europe/Berlin",
        "business_hours": [{"weekday": "mon", "spans": [{"start": "08:00:00", "end": "12:00:00"}]}],
        "overrides": []
    });
    let roles = [(Role::Customer, &a.ada), (Role::Agent, &a.alex), (Role::Tam, &a.tess)];
    for (role, client) in roles {
        let (code, _) = post_json(client, server.url("/api/v1/accounts/acc_acme/cases"), new_case.clone()).await;
        assert_eq!(code, status_of(rules::may_open_case(role), 201), "{role:?} opens a case");
        let res = client.put(server.url("/api/v1/tams/tam_tess/hours")).json(&hours).send().await.expect("put");
        assert_eq!(res.status(), status_of(rules::may_set_tam_hours(role), 204), "{role:?} sets hours");
    }
    for status in CaseStatus::ALL.iter().copied() {
        let id = case_in(&server, &a, status, Some(Side::Bird)).await;
        for (role, client) in roles {
            for (path, kind) in [("messages", EventKind::Message), ("updates", EventKind::ProgressUpdate)] {
                let url = server.url(&format!("/api/v1/cases/{id}/{path}"));
                let (code, answer) = post_json(client, url, json!({"body": "hello"})).await;
                assert_eq!(
                    code,
                    status_of(rules::may_post(role, kind), 201),
                    "{kind:?} by {role:?} on {status:?}: {answer}"
                );
            }
            let code = tus_create(&server, client, &id).await;
            assert_eq!(code, status_of(rules::may_attach(role, status), 201), "a file by {role:?} on {status:?}");
        }
    }
}

#[tokio::test]
async fn decline_then_confirm_rate_once_and_reopen() {
    let server = start().await;
    let a = actors(&server).await;
    let id = case_in(&server, &a, CaseStatus::ResolutionProposed, Some(Side::Bird)).await;
    let url = |p: &str| server.url(&format!("/api/v1/cases/{id}/{p}"));

    let (code, body) = post_json(&a.ada, url("resolution/decline"), json!({"reason": "  "})).await;
    assert_eq!(code, 422);
    assert_eq!(body["error"]["details"][0]["param"], "reason");
    let (code, body) = post_json(&a.ada, url("resolution/decline"), json!({"reason": "Yahoo still defers."})).await;
    assert_eq!(code, 200);
    assert_eq!(body["status"], "in_progress");
    assert!(body["resolution"].is_null());
    assert!(
        body["timeline"]
            .as_array()
            .expect("timeline")
            .iter()
            .any(|e| e["kind"] == "resolution_declined" && e["body"] == "Yahoo still defers.")
    );

    post_json(&a.alex, url("resolution/propose"), json!({"summary": "Yahoo lifted the deferral."})).await;
    let (code, body) = post_json(&a.ada, url("resolution/confirm"), json!({})).await;
    assert_eq!(code, 200);
    assert_eq!(body["status"], "resolved");
    assert_eq!(body["resolution"]["proposed_by"]["name"], "Alex Moreau");
    assert_eq!(body["resolution"]["confirmed_by"]["name"], "Ada Lovelace");
    assert!(body["resolution"]["confirmed_at"].is_string());
    assert!(body["reopen_until"].is_string());

    let (code, body) =
        post_json(&a.ada, url("satisfaction"), json!({"rating": 5, "comment": "Quick and clear."})).await;
    assert_eq!(code, 200);
    assert_eq!(body["satisfaction"]["rating"], 5);
    let (code, _) = post_json(&a.ada, url("satisfaction"), json!({"rating": 1})).await;
    assert_eq!(code, 409, "rated once");
    let (code, body) = post_json(&a.ada, url("satisfaction"), json!({"rating": 9})).await;
    assert_eq!(code, 422);
    assert_eq!(body["error"]["details"][0]["param"], "rating");

    let (code, body) = post_json(&a.ada, url("reopen"), json!({"reason": "It is back."})).await;
    assert_eq!(code, 200);
    assert_eq!(body["status"], "in_progress");
    assert!(body["resolution"].is_null() && body["satisfaction"].is_null());
}

#[tokio::test]
async fn confirm_and_decline_racing_have_one_winner_and_a_consistent_timeline() {
    let server = start().await;
    let a = actors(&server).await;
    for _ in 0..5 {
        let id = case_in(&server, &a, CaseStatus::ResolutionProposed, Some(Side::Bird)).await;
        let confirm = a.ada.post(server.url(&format!("/api/v1/cases/{id}/resolution/confirm"))).json(&json!({})).send();
        let decline = a
            .ada
            .post(server.url(&format!("/api/v1/cases/{id}/resolution/decline")))
            .json(&json!({"reason": "no"}))
            .send();
        let (c, d) = tokio::join!(confirm, decline);
        let mut codes = [c.expect("confirm").status().as_u16(), d.expect("decline").status().as_u16()];
        codes.sort_unstable();
        assert_eq!(codes, [200, 409]);
        let (_, detail) = get_json(&a.ada, server.url(&format!("/api/v1/cases/{id}"))).await;
        let answers = detail["timeline"]
            .as_array()
            .expect("timeline")
            .iter()
            .filter(|e| e["kind"] == "resolution_confirmed" || e["kind"] == "resolution_declined")
            .count();
        assert_eq!(answers, 1);
        let last_status = detail["timeline"]
            .as_array()
            .and_then(|t| t.iter().rev().find(|e| e["kind"] == "status_changed"))
            .map(|e| e["status"].clone());
        assert_eq!(last_status, Some(detail["status"].clone()));
    }
}

#[tokio::test]
async fn reopening_after_the_window_is_refused() {
    let server = start_with(|c| c.reopen_window_days = 0).await;
    let a = actors(&server).await;
    let id = case_in(&server, &a, CaseStatus::Resolved, Some(Side::Bird)).await;
    let (code, body) =
        post_json(&a.ada, server.url(&format!("/api/v1/cases/{id}/reopen")), json!({"reason": "late"})).await;
    assert_eq!(code, 409);
    assert_error_shape(&body, "case_state_changed");
}

#[tokio::test]
async fn a_case_is_escalated_once_while_open() {
    let server = start().await;
    let a = actors(&server).await;
    let id = case_in(&server, &a, CaseStatus::InProgress, None).await;
    let url = server.url(&format!("/api/v1/cases/{id}/escalation"));
    let (code, body) = post_json(&a.ada, url.clone(), json!({"reason": ""})).await;
    assert_eq!(code, 422);
    assert_eq!(body["error"]["details"][0]["param"], "reason");
    let (code, body) = post_json(&a.ada, url.clone(), json!({"reason": "Production is down."})).await;
    assert_eq!(code, 200);
    assert!(body["escalated_at"].is_string());
    let (code, _) = post_json(&a.ada, url, json!({"reason": "again"})).await;
    assert_eq!(code, 409);
    let (_, overview) = get_json(&a.tess, server.url("/api/v1/accounts/acc_acme")).await;
    assert!(overview["counts"]["escalated"].as_u64().unwrap_or(0) >= 1);
}

/// Every `status_changed` of a case is Bird's system's, whoever's action caused it.
fn assert_status_changes_are_birds(detail: &Value) {
    let timeline = detail["timeline"].as_array().expect("timeline");
    for event in timeline.iter().filter(|e| e["kind"] == "status_changed") {
        assert_eq!(event["author"], json!({"id": "usr_system", "name": "Bird", "role": "system"}), "{event}");
    }
}

#[tokio::test]
async fn status_changes_are_birds_records_never_the_customers() {
    let server = start().await;
    let a = actors(&server).await;
    let id = case_in(&server, &a, CaseStatus::Resolved, Some(Side::Bird)).await;
    let (_, detail) = get_json(&a.ada, server.url(&format!("/api/v1/cases/{id}"))).await;
    let timeline = detail["timeline"].as_array().expect("timeline");
    let kinds: Vec<&str> = timeline.iter().map(|e| e["kind"].as_str().expect("kind")).collect();
    let confirmed = kinds.iter().position(|k| *k == "resolution_confirmed").expect("confirmed");
    assert_eq!(timeline[confirmed]["author"]["id"], "usr_ada", "what Ada did is hers");
    assert_eq!(timeline[confirmed + 1]["status"], "resolved", "the status change follows it");
    assert!(kinds.iter().filter(|k| **k == "status_changed").count() >= 3);
    assert_status_changes_are_birds(&detail);
    let (_, reopened) =
        post_json(&a.ada, server.url(&format!("/api/v1/cases/{id}/reopen")), json!({"reason": "Back."})).await;
    assert_status_changes_are_birds(&reopened);

    // The demo's too.
    for case in all_case_ids(&server, &a.ada, "acc_acme", "").await {
        let (_, detail) = get_json(&a.ada, server.url(&format!("/api/v1/cases/{case}"))).await;
        assert_status_changes_are_birds(&detail);
    }
}
