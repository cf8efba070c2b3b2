//! Every endpoint × every caller: the owner's customer, another account's customer, the TAM,
//! the agent, and nobody. Nobody gets a 401; another account's customer gets a 404 with nothing
//! of Acme in it; the others get an answer the role rules allow — never another account's data.

mod common;

use common::*;
use serde_json::{Value, json};

struct Endpoint {
    method: &'static str,
    path: String,
    body: Value,
    /// Only the account's own people may see it (another account's customer: 404).
    scoped: bool,
}

fn endpoints(case: &str, request: &str, attachment: &str) -> Vec<Endpoint> {
    let e = |method, path: String, body: Value, scoped| Endpoint { method, path, body, scoped };
    vec![
        e("GET", "/api/v1/session".into(), Value::Null, false),
        e("POST", "/api/v1/tokens".into(), Value::Null, false),
        e("GET", "/api/v1/config".into(), Value::Null, false),
        e("GET", "/api/v1/accounts".into(), Value::Null, false),
        e("GET", "/api/v1/accounts/acc_acme".into(), Value::Null, true),
        e("GET", "/api/v1/accounts/acc_acme/tam".into(), Value::Null, true),
        e("GET", "/api/v1/accounts/acc_acme/cases".into(), Value::Null, true),
        e(
            "POST",
            "/api/v1/accounts/acc_acme/cases".into(),
            json!({"kind": "problem", "severity": "low", "subject": "m", "description": "d"}),
            true,
        ),
        e("GET", format!("/api/v1/cases/{case}"), Value::Null, true),
        e("POST", format!("/api/v1/cases/{case}/messages"), json!({"body": "hello"}), true),
        e("POST", format!("/api/v1/cases/{case}/updates"), json!({"body": "update"}), true),
        e("POST", format!("/api/v1/cases/{case}/resolution/propose"), json!({"summary": "s"}), true),
        e("POST", format!("/api/v1/cases/{case}/resolution/confirm"), json!({}), true),
        e("POST", format!("/api/v1/cases/{case}/resolution/decline"), json!({"reason": "r"}), true),
        e("POST", format!("/api/v1/cases/{case}/reopen"), json!({"reason": "r"}), true),
        e("POST", format!("/api/v1/cases/{case}/satisfaction"), json!({"rating": 3}), true),
        e("POST", format!("/api/v1/cases/{case}/escalation"), json!({"reason": "r"}), true),
        e("GET", "/api/v1/accounts/acc_acme/information-requests".into(), Value::Null, true),
        e(
            "POST",
            format!("/api/v1/cases/{case}/information-requests"),
            json!({"title": "Logs", "description": "d", "files_expected": false}),
            true,
        ),
        e("POST", format!("/api/v1/cases/{case}/information-requests/{request}/answer"), json!({"text": "t"}), true),
        e("GET", format!("/api/v1/attachments/{attachment}"), Value::Null, true),
        e("TUS", format!("/api/v1/uploads#{case}"), Value::Null, true),
        e(
            "PUT",
            "/api/v1/tams/tam_tess/hours".into(),
            json!({"time_zone": "Europe/Rome", "business_hours": [], "overrides": []}),
            false,
        ),
    ]
}

async fn call(client: &reqwest::Client, server: &Server, e: &Endpoint) -> (u16, String) {
    let url = server.url(&e.path);
    let req = match e.method {
        "GET" => client.get(url),
        "TUS" => {
            use base64::Engine as _;
            let case = e.path.rsplit('#').next().unwrap_or("");
            let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
            client
                .post(server.url("/api/v1/uploads"))
                .header("Tus-Resumable", "1.0.0")
                .header("Upload-Length", "3")
                .header("Upload-Metadata", format!("filename {},case_id {}", b64("a.log"), b64(case)))
        }
        "PUT" => client.put(url).json(&e.body),
        _ if e.body.is_null() => client.post(url),
        _ => client.post(url).json(&e.body),
    };
    let res = req.send().await.expect("request");
    (res.status().as_u16(), res.text().await.unwrap_or_default())
}

#[tokio::test]
async fn every_endpoint_answers_every_caller_within_its_rights() {
    let server = start().await;
    let ada = server.signed_in(ADA).await;
    let (_, page) = get_json(&ada, server.url("/api/v1/accounts/acc_acme/cases?status=in_progress&limit=1")).await;
    let case = page["data"][0]["id"].as_str().expect("an Acme case").to_owned();
    let acme_subject = page["data"][0]["subject"].as_str().expect("subject").to_owned();
    let alex = server.signed_in(ALEX).await;
    let raised = alex
        .post(server.url(&format!("/api/v1/cases/{case}/information-requests")))
        .json(&json!({"title": "Bounce logs", "description": "Please.", "files_expected": true}))
        .send()
        .await
        .expect("raise");
    let request = raised.json::<Value>().await.expect("request")["id"].as_str().expect("id").to_owned();
    let attachment = upload(&server, &ada, &case, None, b"log").await;
    let callers = [
        ("ada (owner)", server.signed_in(ADA).await, true),
        ("tess (TAM)", server.signed_in(TESS).await, true),
        ("alex (agent)", server.signed_in(ALEX).await, true),
        ("bob (other account)", server.signed_in(BOB).await, false),
    ];
    let nobody = server.anonymous();
    let mut checked = 0;
    for e in endpoints(&case, &request, &attachment) {
        let (status, body) = call(&nobody, &server, &e).await;
        assert_eq!(status, 401, "nobody {} {}: {body}", e.method, e.path);
        assert!(!body.contains(&acme_subject));
        for (who, client, own) in &callers {
            let (status, body) = call(client, &server, &e).await;
            if e.scoped && !own {
                assert_eq!(status, 404, "{who} {} {}: {body}", e.method, e.path);
                assert!(
                    !body.contains("Acme") && !body.contains(&acme_subject),
                    "{who} {} {} leaks: {body}",
                    e.method,
                    e.path
                );
            } else {
                assert!(![401, 404, 500].contains(&status), "{who} {} {} → {status}: {body}", e.method, e.path);
            }
            if !own {
                assert!(!body.contains(&acme_subject), "{who} {} {} leaks a subject", e.method, e.path);
            }
            checked += 1;
        }
    }
    assert_eq!(checked, endpoints(&case, &request, &attachment).len() * 4);
}
