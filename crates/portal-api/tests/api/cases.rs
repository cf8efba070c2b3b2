//! Cases over HTTP: bodies and validation, who sees what, idempotent creation, the list, its
//! index and pages, and the timeline.

use crate::common;

use common::*;
use serde_json::{Value, json};

#[tokio::test]
async fn malformed_bodies_get_the_error_shape_and_name_the_field() {
    let server = start().await;
    let ada = server.signed_in(ADA).await;
    let url = server.url("/api/v1/accounts/acc_acme/cases");
    let res = ada.post(&url).header("content-type", "application/json").body("{\"kind\": ").send().await.expect("post");
    assert_eq!(res.status(), 400);
    assert_error_shape(&res.json().await.expect("json"), "malformed_json");

    let wrong_type = json!({"kind": "problem", "severity": "high", "subject": 42, "description": "d"});
    let res = ada.post(&url).json(&wrong_type).send().await.expect("post");
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.expect("json");
    assert_error_shape(&body, "validation_failed");
    assert_eq!(body["error"]["details"][0]["param"], "subject");

    let missing = json!({"kind": "problem", "severity": "high", "subject": "s"});
    let body: Value = ada.post(&url).json(&missing).send().await.expect("post").json().await.expect("json");
    assert_eq!(body["error"]["details"][0]["param"], "description");

    let res = ada.post(&url).header("content-type", "text/plain").body("hello").send().await.expect("post");
    assert_eq!(res.status(), 415);
    assert_error_shape(&res.json().await.expect("json"), "unsupported_media_type");

    let huge = "x".repeat(2 * 1024 * 1024);
    let res = ada
        .post(&url)
        .json(&json!({"kind": "problem", "severity": "high", "subject": "s", "description": huge}))
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), 413);
}

#[tokio::test]
async fn validation_names_every_bad_field() {
    let server = start().await;
    let ada = server.signed_in(ADA).await;
    let bad = json!({"kind": "tea", "severity": "high", "subject": "   ", "description": "d".repeat(20_001)});
    let res = ada.post(server.url("/api/v1/accounts/acc_acme/cases")).json(&bad).send().await.expect("post");
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await.expect("json");
    let details: Vec<(String, String)> = body["error"]["details"]
        .as_array()
        .expect("details")
        .iter()
        .map(|d| (d["param"].as_str().unwrap_or("").to_owned(), d["code"].as_str().unwrap_or("").to_owned()))
        .collect();
    assert_eq!(
        details,
        vec![
            ("kind".into(), "invalid_choice".into()),
            ("subject".into(), "required".into()),
            ("description".into(), "too_long".into())
        ]
    );
}

#[tokio::test]
async fn another_accounts_data_is_invisible() {
    let server = start().await;
    let bob = server.signed_in(BOB).await;
    let (_, page) = get_json(&bob, server.url("/api/v1/accounts/acc_globex/cases?limit=1")).await;
    let globex_case = page["data"][0]["id"].as_str().expect("a Globex case").to_owned();
    let globex_subject = page["data"][0]["subject"].as_str().expect("subject").to_owned();

    let ada = server.signed_in(ADA).await;
    for path in [
        format!("/api/v1/cases/{globex_case}"),
        "/api/v1/accounts/acc_globex/cases".to_owned(),
        "/api/v1/accounts/acc_globex/case-index".to_owned(),
        "/api/v1/accounts/acc_globex".to_owned(),
        "/api/v1/accounts/acc_globex/tam".to_owned(),
    ] {
        let res = ada.get(server.url(&path)).send().await.expect("get");
        assert_eq!(res.status(), 404, "{path}");
        let text = res.text().await.expect("text");
        assert!(!text.contains("Globex") && !text.contains(&globex_subject), "{path} leaks: {text}");
    }
    let res = ada
        .post(server.url(&format!("/api/v1/cases/{globex_case}/messages")))
        .json(&json!({"body": "hi"}))
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), 404);
    let (_, accounts) = get_json(&ada, server.url("/api/v1/accounts")).await;
    assert_eq!(accounts["data"].as_array().map(Vec::len), Some(1));
    let missing = ada.get(server.url("/api/v1/cases/case_does_not_exist")).send().await.expect("get");
    assert_eq!(missing.status(), 404);
}

#[tokio::test]
async fn the_tam_sees_both_accounts_and_roles_are_enforced() {
    let server = start().await;
    let tess = server.signed_in(TESS).await;
    let (_, accounts) = get_json(&tess, server.url("/api/v1/accounts")).await;
    let names: Vec<&str> =
        accounts["data"].as_array().expect("data").iter().filter_map(|a| a["name"].as_str()).collect();
    assert_eq!(names, vec!["Acme Mail", "Globex Retail"]);
    assert_eq!(accounts["data"][0]["tam"]["name"], "Tess Rinaldi");

    let alex = server.signed_in(ALEX).await;
    let res = alex
        .post(server.url("/api/v1/accounts/acc_acme/cases"))
        .json(&new_case("agent tries"))
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), 403);
    assert_error_shape(&res.json().await.expect("json"), "customers_only");
    let res = tess
        .post(server.url("/api/v1/accounts/acc_acme/cases"))
        .json(&new_case("tam tries"))
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), 403);

    let ada = server.signed_in(ADA).await;
    let (_, page) = get_json(&ada, server.url("/api/v1/accounts/acc_acme/cases?limit=1")).await;
    let case = page["data"][0]["id"].as_str().expect("case").to_owned();
    let res = ada
        .post(server.url(&format!("/api/v1/cases/{case}/updates")))
        .json(&json!({"body": "x"}))
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), 403);
    assert_error_shape(&res.json().await.expect("json"), "bird_only");
}

#[tokio::test]
async fn the_same_idempotency_key_creates_one_case() {
    let server = start().await;
    let ada = server.signed_in(ADA).await;
    let before = all_case_ids(&server, &ada, "acc_acme", "").await.len();
    let url = server.url("/api/v1/accounts/acc_acme/cases");
    let first =
        ada.post(&url).header("Idempotency-Key", "k-123").json(&new_case("Once only")).send().await.expect("post");
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.expect("json");
    let again =
        ada.post(&url).header("Idempotency-Key", "k-123").json(&new_case("Once only")).send().await.expect("post");
    assert_eq!(again.status(), 201);
    let again: Value = again.json().await.expect("json");
    assert_eq!(first["id"], again["id"]);
    assert_eq!(first["number"], again["number"]);
    assert_eq!(all_case_ids(&server, &ada, "acc_acme", "").await.len(), before + 1);

    let other = ada
        .post(&url)
        .header("Idempotency-Key", "k-123")
        .json(&new_case("A different case"))
        .send()
        .await
        .expect("post");
    assert_eq!(other.status(), 422);
    assert_error_shape(&other.json().await.expect("json"), "idempotency_key_reused");
    assert_eq!(all_case_ids(&server, &ada, "acc_acme", "").await.len(), before + 1);
}

#[tokio::test]
async fn filters_search_and_sort() {
    let server = start().await;
    let ada = server.signed_in(ADA).await;
    let base = "/api/v1/accounts/acc_acme/cases?limit=100";
    let (_, all) = get_json(&ada, server.url(base)).await;
    let all = all["data"].as_array().expect("data").clone();
    assert!(all.len() >= 20);

    let (_, waiting) = get_json(&ada, server.url(&format!("{base}&status=waiting_on_customer"))).await;
    let waiting = waiting["data"].as_array().expect("data");
    assert!(!waiting.is_empty() && waiting.iter().all(|c| c["status"] == "waiting_on_customer"));
    let (_, two) = get_json(&ada, server.url(&format!("{base}&status=new,resolved"))).await;
    assert!(two["data"].as_array().expect("data").iter().all(|c| c["status"] == "new" || c["status"] == "resolved"));
    let (_, config) = get_json(&ada, server.url(&format!("{base}&kind=configuration_request&severity=high"))).await;
    assert!(
        config["data"]
            .as_array()
            .expect("data")
            .iter()
            .all(|c| c["kind"] == "configuration_request" && c["severity"] == "high")
    );

    let (_, escalated) = get_json(&ada, server.url(&format!("{base}&escalated=true"))).await;
    let escalated = escalated["data"].as_array().expect("data");
    assert!(!escalated.is_empty() && escalated.iter().all(|c| c["escalated_at"].is_string()));
    let (_, found) = get_json(&ada, server.url(&format!("{base}&q=GMAIL"))).await;
    assert_eq!(found["data"][0]["subject"], "Gmail is deferring all messages from our pool");
    let number = all[3]["number"].as_str().expect("number").to_owned();
    let (_, by_number) = get_json(&ada, server.url(&format!("{base}&q={}", number.to_lowercase()))).await;
    assert!(by_number["data"].as_array().expect("data").iter().any(|c| c["number"] == number.as_str()));
    let (_, none) = get_json(&ada, server.url(&format!("{base}&q=100%25_"))).await;
    assert_eq!(none["data"].as_array().map(Vec::len), Some(0), "wildcards are literal");

    let (_, by_severity) = get_json(&ada, server.url(&format!("{base}&sort=severity"))).await;
    let ranks: Vec<u8> = by_severity["data"]
        .as_array()
        .expect("data")
        .iter()
        .map(|c| match c["severity"].as_str() {
            Some("critical") => 0,
            Some("high") => 1,
            Some("normal") => 2,
            _ => 3,
        })
        .collect();
    assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "{ranks:?}");
    let (_, by_created) = get_json(&ada, server.url(&format!("{base}&sort=created_desc"))).await;
    let created: Vec<&str> =
        by_created["data"].as_array().expect("data").iter().filter_map(|c| c["created_at"].as_str()).collect();
    assert!(created.windows(2).all(|w| w[0] >= w[1]));
    let updated: Vec<&str> = all.iter().filter_map(|c| c["updated_at"].as_str()).collect();
    assert!(updated.windows(2).all(|w| w[0] >= w[1]));
}

#[tokio::test]
async fn the_case_index_holds_every_case_of_the_account_as_the_list_shows_it() {
    let server = start().await;
    let ada = server.signed_in(ADA).await;
    let created = ada
        .post(server.url("/api/v1/accounts/acc_acme/cases"))
        .json(&new_case("Indexed <b>subject</b>"))
        .send()
        .await
        .expect("post");
    assert_eq!(created.status(), 201);
    let all = all_case_ids(&server, &ada, "acc_acme", "").await;
    let (status, index) = get_json(&ada, server.url("/api/v1/accounts/acc_acme/case-index")).await;
    assert_eq!(status, 200);
    assert_eq!(index["complete"], true);
    let data = index["data"].as_array().expect("data");
    let ids: Vec<String> = data.iter().map(|c| c["id"].as_str().unwrap_or("").to_owned()).collect();
    assert_eq!(ids, all, "every case, in the list's default order");

    let (_, page) = get_json(&ada, server.url("/api/v1/accounts/acc_acme/cases?limit=100")).await;
    for (summary, case) in data.iter().zip(page["data"].as_array().expect("data")) {
        for field in ["id", "number", "kind", "severity", "subject", "channel", "status", "created_at", "updated_at"] {
            assert_eq!(summary[field], case[field], "{field}");
        }
        assert_eq!(summary["agent"], case["agent"]["name"]);
        assert_eq!(summary["escalated"], case["escalated_at"].is_string());
        assert!(summary.get("description").is_none(), "the index leaves descriptions to the server search");
    }
    assert_eq!(data[0]["subject"], "Indexed <b>subject</b>");
    assert!(data.iter().any(|c| c["escalated"] == true));

    let tess = server.signed_in(TESS).await;
    let (status, _) = get_json(&tess, server.url("/api/v1/accounts/acc_globex/case-index")).await;
    assert_eq!(status, 200, "the TAM reads the accounts it looks after");
    let anonymous = reqwest::Client::new();
    let res = anonymous.get(server.url("/api/v1/accounts/acc_acme/case-index")).send().await.expect("get");
    assert_eq!(res.status(), 401);
}

#[tokio::test]
async fn bad_list_parameters_are_named() {
    let server = start().await;
    let ada = server.signed_in(ADA).await;
    for (query, param) in
        [("limit=0", "limit"), ("limit=101", "limit"), ("cursor=garbage", "cursor"), ("status=on_hold", "status")]
    {
        let (status, body) = get_json(&ada, server.url(&format!("/api/v1/accounts/acc_acme/cases?{query}"))).await;
        assert_eq!(status, 422, "{query}");
        assert_eq!(body["error"]["details"][0]["param"], param, "{query}: {body}");
    }
}

#[tokio::test]
async fn pages_show_every_case_once_while_new_cases_arrive() {
    let server = start().await;
    let ada = server.signed_in(ADA).await;
    for sort in ["", "&sort=created_desc", "&sort=severity"] {
        let before = all_case_ids(&server, &ada, "acc_acme", sort).await;
        let mut seen = Vec::new();
        let mut cursor: Option<String> = None;
        let mut page_no = 0;
        loop {
            let mut url = server.url(&format!("/api/v1/accounts/acc_acme/cases?limit=5{sort}"));
            if let Some(c) = &cursor {
                url.push_str(&format!("&cursor={c}"));
            }
            let (_, page) = get_json(&ada, url).await;
            seen.extend(
                page["data"].as_array().expect("data").iter().map(|c| c["id"].as_str().unwrap_or("").to_owned()),
            );
            // A new case arrives between page fetches.
            page_no += 1;
            let res = ada
                .post(server.url("/api/v1/accounts/acc_acme/cases"))
                .json(&new_case(&format!("arrives {sort} {page_no}")))
                .send()
                .await
                .expect("post");
            assert_eq!(res.status(), 201);
            match page["next_cursor"].as_str() {
                Some(next) => cursor = Some(next.to_owned()),
                None => break,
            }
        }
        let mut unique = seen.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), seen.len(), "no case twice ({sort})");
        assert!(before.iter().all(|id| seen.contains(id)), "none missing ({sort})");
    }
}

#[tokio::test]
async fn bird_answers_move_a_new_case_forward_and_the_timeline_is_in_order() {
    let server = start().await;
    let ada = server.signed_in(ADA).await;
    let created: Value = ada
        .post(server.url("/api/v1/accounts/acc_acme/cases"))
        .json(&new_case("Needs an answer"))
        .send()
        .await
        .expect("post")
        .json()
        .await
        .expect("json");
    let id = created["id"].as_str().expect("id");
    assert_eq!(created["status"], "new");
    assert!(created["first_response_at"].is_null());

    let reply = ada
        .post(server.url(&format!("/api/v1/cases/{id}/messages")))
        .json(&json!({"body": "More detail: <b>not html</b>"}))
        .send()
        .await
        .expect("post");
    assert_eq!(reply.status(), 201);
    let (_, still_new) = get_json(&ada, server.url(&format!("/api/v1/cases/{id}"))).await;
    assert_eq!(still_new["status"], "new", "a customer message is not a first response");

    let alex = server.signed_in(ALEX).await;
    let update = alex
        .post(server.url(&format!("/api/v1/cases/{id}/updates")))
        .json(&json!({"body": "Investigating with the delivery team."}))
        .send()
        .await
        .expect("post");
    assert_eq!(update.status(), 201);
    let (_, detail) = get_json(&ada, server.url(&format!("/api/v1/cases/{id}"))).await;
    assert_eq!(detail["status"], "in_progress");
    assert!(detail["first_response_at"].is_string());
    assert_eq!(detail["agent"]["name"], "Alex Moreau");
    let kinds: Vec<&str> =
        detail["timeline"].as_array().expect("timeline").iter().filter_map(|e| e["kind"].as_str()).collect();
    assert_eq!(kinds, vec!["message", "progress_update", "status_changed"]);
    assert_eq!(detail["timeline"][0]["body"], "More detail: <b>not html</b>");
    assert_eq!(detail["timeline"][1]["author"]["role"], "agent");

    let empty = ada
        .post(server.url(&format!("/api/v1/cases/{id}/messages")))
        .json(&json!({"body": "  "}))
        .send()
        .await
        .expect("post");
    assert_eq!(empty.status(), 422);
}

#[tokio::test]
async fn a_follow_up_names_the_case_it_follows_which_must_be_of_the_same_account() {
    let server = start().await;
    let (ada, bob) = (server.signed_in(ADA).await, server.signed_in(BOB).await);
    let (_, resolved) = get_json(&ada, server.url("/api/v1/accounts/acc_acme/cases?status=resolved&limit=1")).await;
    let earlier = &resolved["data"][0];
    let mut body = new_case("It came back");
    body["follow_up_of"] = earlier["id"].clone();
    let (status, case) = post_json(&ada, server.url("/api/v1/accounts/acc_acme/cases"), body).await;
    assert_eq!(status, 201, "{case}");
    let named = json!({"id": earlier["id"], "number": earlier["number"]});
    assert_eq!(case["follow_up_of"], named);
    let (_, detail) = get_json(&ada, server.url(&format!("/api/v1/cases/{}", case["id"].as_str().expect("id")))).await;
    assert_eq!(detail["follow_up_of"], named);
    let (_, listed) = get_json(&ada, server.url("/api/v1/accounts/acc_acme/cases?q=It%20came%20back")).await;
    assert_eq!(listed["data"][0]["follow_up_of"], named);
    assert!(earlier["follow_up_of"].is_null());

    let (_, globex) = get_json(&bob, server.url("/api/v1/accounts/acc_globex/cases?limit=1")).await;
    let (_, acme) = get_json(&ada, server.url("/api/v1/accounts/acc_acme/cases?limit=1")).await;
    for (who, account, other) in [
        (&ada, "acc_acme", globex["data"][0]["id"].clone()),
        (&bob, "acc_globex", acme["data"][0]["id"].clone()),
        (&ada, "acc_acme", json!("case_nowhere")),
    ] {
        let mut body = new_case("Follows another account's case");
        body["follow_up_of"] = other.clone();
        let (status, refused) = post_json(who, server.url(&format!("/api/v1/accounts/{account}/cases")), body).await;
        assert_eq!(status, 422, "{other}: {refused}");
        assert_error_shape(&refused, "validation_failed");
        assert_eq!(refused["error"]["details"][0]["param"], "follow_up_of");
        assert!(!refused.to_string().contains(acme["data"][0]["subject"].as_str().expect("subject")));
    }

    let (_, demo) = get_json(&ada, server.url("/api/v1/accounts/acc_acme/cases?q=CASE-1032")).await;
    assert_eq!(demo["data"][0]["follow_up_of"]["number"], "CASE-1011", "the demo has a follow-up");
}

#[tokio::test]
async fn the_case_list_counts_every_case_its_filters_match() {
    let server = start().await;
    let ada = server.signed_in(ADA).await;
    let all = all_case_ids(&server, &ada, "acc_acme", "").await.len() as u64;
    let (_, page) = get_json(&ada, server.url("/api/v1/accounts/acc_acme/cases?limit=3")).await;
    assert_eq!(page["total"], all);
    let resolved = all_case_ids(&server, &ada, "acc_acme", "&status=resolved").await.len() as u64;
    assert!(resolved > 2 && resolved < all);
    let (_, first) = get_json(&ada, server.url("/api/v1/accounts/acc_acme/cases?status=resolved&limit=2")).await;
    assert_eq!(first["data"].as_array().map(Vec::len), Some(2));
    assert_eq!(first["total"], resolved, "all pages, not this one");
    let cursor = first["next_cursor"].as_str().expect("a next page");
    let (_, next) =
        get_json(&ada, server.url(&format!("/api/v1/accounts/acc_acme/cases?status=resolved&limit=2&cursor={cursor}")))
            .await;
    assert_eq!(next["total"], resolved, "the same on every page");
    let (_, high_open) = get_json(
        &ada,
        server.url("/api/v1/accounts/acc_acme/cases?status=new,in_progress&severity=high&escalated=false"),
    )
    .await;
    let expected =
        all_case_ids(&server, &ada, "acc_acme", "&status=new,in_progress&severity=high&escalated=false").await;
    assert_eq!(high_open["total"], expected.len() as u64);
    let (_, none) = get_json(&ada, server.url("/api/v1/accounts/acc_acme/cases?q=no%20such%20words%20anywhere")).await;
    assert_eq!(none["total"], 0);
}
