//! The TAM: who sees what, and Bird changing the hours (API and command line).

use crate::common;

use common::*;
use serde_json::{Value, json};

fn hours(zone: &str) -> Value {
    json!({
        "time_zone": zone,
        "business_hours": [{"weekday": "mon", "spans": [{"start": "08:00:00", "end": "12:00:00"}]}],
        "overrides": [{"date": "2099-01-02", "spans": [], "note": "Holiday"}]
    })
}

#[tokio::test]
async fn a_tam_of_other_accounts_sees_nothing_of_acme_and_tess_can_update_acme() {
    let server = start().await;
    {
        let db = server.database();
        db.execute_batch(
            "INSERT INTO users (id, email, name, role, password_hash) SELECT 'usr_theo', 'theo@bird.example', 'Theo Kuhn', 'tam', password_hash FROM users WHERE id = 'usr_tess';
             INSERT INTO tams (id, user_id, phone, time_zone, weekly_hours, overrides) VALUES ('tam_theo', 'usr_theo', '+49 30 1234', 'Europe/Berlin', '[]', '[]');
             INSERT INTO accounts (id, name, plan, tam_id) VALUES ('acc_initech', 'Initech', 'Premium Email', 'tam_theo');",
        )
        .expect("second TAM");
    }
    let tess = server.signed_in(TESS).await;
    let (_, page) = get_json(&tess, server.url("/api/v1/accounts/acc_acme/cases?limit=1")).await;
    let case = page["data"][0]["id"].as_str().expect("case").to_owned();

    let theo = server.signed_in("theo@bird.example").await;
    let (_, accounts) = get_json(&theo, server.url("/api/v1/accounts")).await;
    assert_eq!(accounts["data"].as_array().map(Vec::len), Some(1));
    for path in [
        "/api/v1/accounts/acc_acme".to_owned(),
        "/api/v1/accounts/acc_acme/tam".to_owned(),
        "/api/v1/accounts/acc_acme/cases".to_owned(),
        format!("/api/v1/cases/{case}"),
    ] {
        let res = theo.get(server.url(&path)).send().await.expect("get");
        assert_eq!(res.status(), 404, "{path}");
        assert!(!res.text().await.expect("text").contains("Acme"), "{path}");
    }
    let res = theo
        .post(server.url(&format!("/api/v1/cases/{case}/updates")))
        .json(&json!({"body": "not mine"}))
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), 404);
    let res = tess
        .post(server.url(&format!("/api/v1/cases/{case}/updates")))
        .json(&json!({"body": "On it."}))
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), 201);
}

#[tokio::test]
async fn bird_changes_a_tams_hours_and_the_tam_page_shows_them() {
    let server = start().await;
    let alex = server.signed_in(ALEX).await;
    let ada = server.signed_in(ADA).await;
    let url = server.url("/api/v1/tams/tam_tess/hours");

    let res = ada.put(&url).json(&hours("Europe/Rome")).send().await.expect("put");
    assert_eq!(res.status(), 403);
    let res = alex.put(&url).json(&hours("Mars/Olympus")).send().await.expect("put");
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["error"]["details"][0]["param"], "time_zone");
    let res =
        alex.put(server.url("/api/v1/tams/tam_nobody/hours")).json(&hours("Europe/Rome")).send().await.expect("put");
    assert_eq!(res.status(), 404);

    let res = alex.put(&url).json(&hours("America/New_York")).send().await.expect("put");
    assert_eq!(res.status(), 204);
    let (_, tam) = get_json(&ada, server.url("/api/v1/accounts/acc_acme/tam")).await;
    assert_eq!(tam["time_zone"], "America/New_York");
    assert_eq!(tam["business_hours"], json!([{"weekday": "mon", "spans": [{"start": "08:00:00", "end": "12:00:00"}]}]));
    assert_eq!(tam["overrides"][0]["date"], "2099-01-02");
    let upcoming = tam["upcoming_hours"].as_array().expect("upcoming");
    assert_eq!(upcoming.len(), 1, "one Monday morning in the coming week");
}

#[tokio::test]
async fn the_command_line_changes_hours_too() {
    let server = start().await;
    let file = server.dir.path().join("hours.json");
    std::fs::write(&file, hours("Asia/Tokyo").to_string()).expect("write");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_portal-api"))
        .args(["set-tam-hours", "--tam", "tam_tess", "--data-dir"])
        .arg(server.dir.path().join("data"))
        .arg(&file)
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let ada = server.signed_in(ADA).await;
    let (_, tam) = get_json(&ada, server.url("/api/v1/accounts/acc_acme/tam")).await;
    assert_eq!(tam["time_zone"], "Asia/Tokyo");

    std::fs::write(&file, hours("Nowhere/City").to_string()).expect("write");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_portal-api"))
        .args(["set-tam-hours", "--tam", "tam_tess", "--data-dir"])
        .arg(server.dir.path().join("data"))
        .arg(&file)
        .output()
        .expect("runs");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("time_zone"));
}
