//! What waits on whom, over HTTP: a customer's "Needs your action", the TAM's worklist of
//! escalations and cases at risk (with the server's clock moved by `--test-clock`), and the
//! acknowledgement of an escalation the customer sees.

use crate::common;

use common::*;
use serde_json::{Value, json};

fn numbers(cases: &Value) -> Vec<String> {
    cases.as_array().expect("cases").iter().map(|c| c["number"].as_str().expect("number").to_owned()).collect()
}

async fn worklist(server: &Server, who: &reqwest::Client) -> Value {
    let (status, list) = get_json(who, server.url("/api/v1/me/worklist")).await;
    assert_eq!(status, 200, "{list}");
    list
}

fn in_order_by(cases: &Value, field: &str, newest_first: bool) -> bool {
    let stamps: Vec<&str> = cases.as_array().expect("cases").iter().map(|c| c[field].as_str().expect(field)).collect();
    stamps.windows(2).all(|w| if newest_first { w[0] >= w[1] } else { w[0] <= w[1] })
}

/// A new Acme case an agent answered; answers its id.
async fn answered_case(server: &Server, ada: &reqwest::Client, alex: &reqwest::Client, subject: &str) -> String {
    let (_, case) = post_json(ada, server.url("/api/v1/accounts/acc_acme/cases"), new_case(subject)).await;
    let id = case["id"].as_str().expect("id").to_owned();
    post_json(alex, server.url(&format!("/api/v1/cases/{id}/messages")), json!({"body": "Looking."})).await;
    id
}

#[tokio::test]
async fn the_tam_acknowledges_an_escalation_and_the_customer_sees_it() {
    let server = start().await;
    let (ada, tess, alex) = (server.signed_in(ADA).await, server.signed_in(TESS).await, server.signed_in(ALEX).await);
    let id = answered_case(&server, &ada, &alex, "Escalated today").await;
    let (status, _) =
        post_json(&ada, server.url(&format!("/api/v1/cases/{id}/escalation")), json!({"reason": "Urgent."})).await;
    assert_eq!(status, 200);

    let list = worklist(&server, &tess).await;
    let escalations = numbers(&list["escalations"]);
    assert_eq!(list["escalations"][0]["id"], id.as_str(), "newest escalation first");
    assert!(in_order_by(&list["escalations"], "escalated_at", true));
    for demo in ["CASE-1001", "CASE-1012", "CASE-1028"] {
        assert!(escalations.iter().any(|n| n == demo), "{demo} waits for Tess: {escalations:?}");
    }
    assert!(!escalations.iter().any(|n| n == "CASE-1031"), "the demo's acknowledged escalation is not");

    let url = server.url(&format!("/api/v1/cases/{id}/escalation/acknowledge"));
    for (who, name) in [(&ada, "the customer"), (&alex, "an agent")] {
        let (status, body) = post_json(who, url.clone(), json!({})).await;
        assert_eq!(status, 403, "{name}");
        assert_error_shape(&body, "action_not_allowed");
    }
    let (status, detail) = post_json(&tess, url.clone(), json!({})).await;
    assert_eq!(status, 200, "{detail}");
    assert_eq!(detail["escalation_acknowledged_by"]["name"], "Tess Rinaldi");
    assert!(detail["escalation_acknowledged_at"].is_string());
    let (status, body) = post_json(&tess, url, json!({})).await;
    assert_eq!(status, 409, "once");
    assert_error_shape(&body, "case_state_changed");

    let (_, seen) = get_json(&ada, server.url(&format!("/api/v1/cases/{id}"))).await;
    assert_eq!(seen["escalation_acknowledged_by"]["role"], "tam");
    assert_eq!(seen["escalation_acknowledged_at"], detail["escalation_acknowledged_at"]);
    let event = seen["timeline"]
        .as_array()
        .expect("timeline")
        .iter()
        .find(|e| e["kind"] == "escalation_acknowledged")
        .cloned()
        .expect("the customer sees the acknowledgement on the timeline");
    assert_eq!(event["author"]["name"], "Tess Rinaldi");
    assert_eq!(event["created_at"], seen["escalation_acknowledged_at"]);

    for who in [&tess, &alex] {
        let escalations = worklist(&server, who).await["escalations"].clone();
        assert!(escalations.as_array().expect("list").iter().all(|c| c["id"] != id.as_str()), "acknowledged");
    }
}

#[tokio::test]
async fn cases_at_risk_come_soonest_due_first_by_the_server_clock() {
    let server = start_with(|c| c.test_clock = true).await;
    let (ada, tess, alex) = (server.signed_in(ADA).await, server.signed_in(TESS).await, server.signed_in(ALEX).await);
    let (_, case) = post_json(
        &ada,
        server.url("/api/v1/accounts/acc_acme/cases"),
        json!({"kind": "problem", "severity": "low", "subject": "Low and slow", "description": "d"}),
    )
    .await;
    let id = case["id"].as_str().expect("id").to_owned();
    let holds = |list: &Value| list["at_risk"].as_array().expect("at risk").iter().any(|c| c["id"] == id.as_str());

    let list = worklist(&server, &tess).await;
    assert!(!holds(&list), "sixteen hours to go");
    let at_risk = numbers(&list["at_risk"]);
    assert!(at_risk.contains(&"CASE-1032".to_owned()), "due soon: {at_risk:?}");
    assert!(at_risk.contains(&"CASE-1009".to_owned()), "overdue: {at_risk:?}");
    assert!(in_order_by(&list["at_risk"], "first_response_due_at", false));

    advance(&server, &tess, 15 * 3600).await;
    let list = worklist(&server, &tess).await;
    assert!(holds(&list), "an hour to go, within the two hours");
    assert!(
        list["at_risk"]
            .as_array()
            .expect("list")
            .iter()
            .find(|c| c["id"] == id.as_str())
            .is_some_and(|c| c["overdue"] == false)
    );
    advance(&server, &tess, 2 * 3600).await;
    let list = worklist(&server, &alex).await;
    assert!(
        list["at_risk"]
            .as_array()
            .expect("list")
            .iter()
            .find(|c| c["id"] == id.as_str())
            .is_some_and(|c| c["overdue"] == true),
        "an agent's worklist too"
    );

    post_json(&alex, server.url(&format!("/api/v1/cases/{id}/messages")), json!({"body": "Answered."})).await;
    assert!(!holds(&worklist(&server, &tess).await), "answered");
}

async fn advance(server: &Server, who: &reqwest::Client, seconds: i64) {
    let (status, body) = post_json(who, server.url("/api/v1/test-clock"), json!({"advance_seconds": seconds})).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn customers_have_no_worklist() {
    let server = start().await;
    for email in [ADA, BOB] {
        let (status, body) = get_json(&server.signed_in(email).await, server.url("/api/v1/me/worklist")).await;
        assert_eq!(status, 403, "{email}");
        assert_error_shape(&body, "bird_only");
    }
    let (status, _) = get_json(&server.anonymous(), server.url("/api/v1/me/worklist")).await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn needs_action_lists_what_waits_on_the_customer_oldest_first() {
    let server = start().await;
    let (ada, alex, tess) = (server.signed_in(ADA).await, server.signed_in(ALEX).await, server.signed_in(TESS).await);
    let url = server.url("/api/v1/accounts/acc_acme/needs-action");
    let (status, needs) = get_json(&ada, url.clone()).await;
    assert_eq!(status, 200, "{needs}");
    let proposed: Vec<String> = needs["resolutions"]
        .as_array()
        .expect("resolutions")
        .iter()
        .map(|p| p["case"]["number"].as_str().expect("number").to_owned())
        .collect();
    let mut sorted = proposed.clone();
    sorted.sort();
    assert_eq!(sorted, ["CASE-1005", "CASE-1014", "CASE-1021"], "Bird's proposals in the demo");
    let resolutions = needs["resolutions"].as_array().expect("resolutions");
    assert!(resolutions.iter().all(|p| p["resolution"]["proposed_by"]["role"] == "agent"
        && p["case"]["status"] == "resolution_proposed"
        && p["resolution"]["summary"].is_string()));
    let proposed_at: Vec<&str> =
        resolutions.iter().map(|p| p["resolution"]["proposed_at"].as_str().expect("at")).collect();
    assert!(proposed_at.windows(2).all(|w| w[0] <= w[1]), "oldest first: {proposed_at:?}");
    let requests = needs["information_requests"].as_array().expect("requests");
    assert_eq!(requests.len(), 4, "the demo's four cases waiting on Ada");
    assert!(requests.iter().all(|w| w["request"]["status"] == "open" && w["case_number"].is_string()));
    let asked: Vec<&str> = requests.iter().map(|w| w["request"]["created_at"].as_str().expect("at")).collect();
    assert!(asked.windows(2).all(|w| w[0] <= w[1]), "oldest first: {asked:?}");

    // Her own proposal waits on Bird, not on her; Alex's newest one waits on her, last.
    let mine = answered_case(&server, &ada, &alex, "Ada proposes").await;
    let theirs = answered_case(&server, &ada, &alex, "Alex proposes").await;
    for (who, id) in [(&ada, &mine), (&alex, &theirs)] {
        let (status, _) =
            post_json(who, server.url(&format!("/api/v1/cases/{id}/resolution/propose")), json!({"summary": "Fixed."}))
                .await;
        assert_eq!(status, 200);
    }
    let (_, needs) = get_json(&ada, url.clone()).await;
    let ids: Vec<&str> =
        needs["resolutions"].as_array().expect("list").iter().map(|p| p["case"]["id"].as_str().expect("id")).collect();
    assert_eq!(ids.last(), Some(&theirs.as_str()));
    assert!(!ids.contains(&mine.as_str()));

    let (status, empty) = get_json(&tess, url.clone()).await;
    assert_eq!(status, 200, "the TAM may read the account");
    assert_eq!(empty, json!({"information_requests": [], "resolutions": []}), "nothing on it waits on Bird's side");
    let bob = server.signed_in(BOB).await;
    let (status, body) = get_json(&bob, url).await;
    assert_eq!(status, 404);
    assert!(!body.to_string().contains("Acme"));
    let (_, globex) = get_json(&bob, server.url("/api/v1/accounts/acc_globex/needs-action")).await;
    assert_eq!(
        numbers(&json!(
            globex["resolutions"].as_array().expect("list").iter().map(|p| p["case"].clone()).collect::<Vec<_>>()
        )),
        ["CASE-1029"]
    );
    assert_eq!(globex["information_requests"][0]["case_number"], "CASE-1028");
}
