//! What the server serves besides the API resources: the portal, config, the embedding
//! policy, the demo host and data, and the OpenAPI document.

use crate::common;

use common::*;
use serde_json::json;

#[tokio::test]
async fn the_portal_is_served_and_unknown_api_paths_are_json_404s() {
    let server = start().await;
    let client = reqwest::Client::new();
    let res = client.get(server.url("/accounts/acc_acme/cases")).send().await.expect("get");
    assert_eq!(res.status(), 200);
    let headers = res.headers().clone();
    assert!(res.text().await.expect("text").contains("portal shell"));
    assert_eq!(headers.get("x-content-type-options").and_then(|v| v.to_str().ok()), Some("nosniff"));
    assert!(
        headers
            .get("content-security-policy")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|c| c.contains("script-src 'self' 'wasm-unsafe-eval'") && !c.contains("unsafe-inline"))
    );
    assert!(headers.get("x-request-id").is_some());

    for path in ["/api/v1/nope", "/api/v2/cases", "/api"] {
        let res = client.get(server.url(path)).send().await.expect("get");
        assert_eq!(res.status(), 404, "{path}");
        assert!(res.headers().get("x-request-id").is_some());
        assert_error_shape(&res.json().await.expect("json"), "route_not_found");
    }
}

#[tokio::test]
async fn the_tam_and_config_are_served_to_members() {
    let server = start().await;
    let ada = server.signed_in(ADA).await;
    let (status, tam) = get_json(&ada, server.url("/api/v1/accounts/acc_acme/tam")).await;
    assert_eq!(status, 200);
    assert_eq!(tam["name"], "Tess Rinaldi");
    assert_eq!(tam["time_zone"], "Europe/Rome");
    assert_eq!(tam["business_hours"].as_array().map(Vec::len), Some(5));
    assert_eq!(tam["overrides"].as_array().map(Vec::len), Some(1));
    assert!(tam["available_now"].is_boolean());
    assert!(tam["available_until"].is_string() || tam["next_available_at"].is_string());
    assert_eq!(tam["services"], json!(["migration_planning", "tier1_mediation"]));
    let (_, config) = get_json(&ada, server.url("/api/v1/config")).await;
    assert_eq!(config["severities"][0], json!({"severity": "critical", "first_response_minutes": 60}));
}

#[tokio::test]
async fn the_embedding_policy_is_public_and_matches_the_frame_policy() {
    let server = start_with(|c| {
        c.set_frame_ancestors(&["'self'".into(), "https://dashboard.bird.example".into(), "x; script-src *".into()])
    })
    .await;
    let anonymous = server.anonymous();
    let (status, policy) = get_json(&anonymous, server.url("/api/v1/embedding")).await;
    assert_eq!(status, 200);
    assert_eq!(policy, json!({"frame_ancestors": ["'self'", "https://dashboard.bird.example"]}));
    let page = anonymous.get(server.url("/")).send().await.expect("page");
    let csp =
        page.headers().get("content-security-policy").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    assert!(csp.contains("frame-ancestors 'self' https://dashboard.bird.example;"), "{csp}");
}

#[tokio::test]
async fn the_demo_host_is_served_under_its_path_only_in_demo_mode() {
    for demo in [true, false] {
        let server = start_with(|c| c.demo = demo).await;
        let host = server.dir.path().join("static/demo-host");
        std::fs::create_dir_all(&host).expect("host dir");
        std::fs::write(host.join("index.html"), "<!doctype html><title>mock dashboard</title>").expect("host page");
        let res = server.anonymous().get(server.url("/demo-host/mounted/cases/case_1")).send().await.expect("get");
        assert_eq!(res.status(), 200);
        let csp = res.headers().get("content-security-policy").and_then(|v| v.to_str().ok()).unwrap_or_default();
        // Only the mock dashboard may frame other origins; the portal's pages may frame none.
        assert_eq!(csp.contains("frame-src 'self' http: https:"), demo, "{csp}");
        let text = res.text().await.expect("text");
        assert_eq!(text.contains("mock dashboard"), demo, "demo={demo}: {text}");
    }
}

#[tokio::test]
async fn demo_seeding_is_idempotent_on_restart() {
    let server = start().await;
    let ada = server.signed_in(ADA).await;
    let before = all_case_ids(&server, &ada, "acc_acme", "").await.len();
    // A second server on the same data directory, as after a restart with --demo.
    let _again = portal_api::build(server.same_data()).await.expect("restarts");
    assert_eq!(all_case_ids(&server, &ada, "acc_acme", "").await.len(), before);
}

#[tokio::test]
async fn openapi_document_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("openapi.json");
    let generated = portal_api::openapi::pretty();
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::write(&path, &generated).expect("write openapi.json");
    }
    let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        checked_in == generated,
        "crates/portal-api/openapi.json is stale: run `UPDATE_OPENAPI=1 cargo test -p portal-api openapi` and commit it"
    );
}

#[tokio::test]
async fn the_config_names_the_support_address_the_server_was_given() {
    let server = start().await;
    let (_, config) = get_json(&server.signed_in(ADA).await, server.url("/api/v1/config")).await;
    assert_eq!(config["support_address"], portal_api::state::DEFAULT_SUPPORT_ADDRESS);
    let server = start_with(|c| c.support_address = "help@support.acme-partner.example".into()).await;
    let (_, config) = get_json(&server.signed_in(BOB).await, server.url("/api/v1/config")).await;
    assert_eq!(config["support_address"], "help@support.acme-partner.example");
}
