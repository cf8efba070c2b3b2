//! "Needs your action" mounted in headless Chromium: what the customer is asked, and each
//! item's action where it is listed.
#![cfg(target_arch = "wasm32")]

use bird_portal::core::i18n::{Locale, provide_i18n};
use bird_portal::core::session::provide_session;
use bird_portal::features::cases::NeedsActionRegion;
use bird_portal::features::uploads::provide_upload_queue;
use leptos::prelude::*;
use leptos::task::tick;
use leptos_router::components::Router;
use portal_contract::NeedsAction;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

mod support;

use support::container;

wasm_bindgen_test_configure!(run_in_browser);

/// One open request on CASE-7 and a resolution Bird proposed on CASE-8, as the API lists them.
fn waiting() -> NeedsAction {
    let person = |id: &str, role: &str| serde_json::json!({ "id": id, "name": "Alex Moreau", "role": role });
    let case = |id: &str, number: &str, status: &str| {
        serde_json::json!({
            "id": id, "number": number, "account_id": "acc_acme", "kind": "problem", "severity": "high",
            "subject": "<b>Bounces</b>", "description": "d", "channel": "portal",
            "requester": person("usr_ada", "customer"), "status": status,
            "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z",
        })
    };
    serde_json::from_value(serde_json::json!({
        "information_requests": [{
            "case_number": "CASE-7", "case_subject": "<b>Bounces</b>",
            "request": {
                "id": "ir_1", "case_id": "case_7", "title": "Message headers",
                "description": "The full headers of one bounced message.", "files_expected": true,
                "status": "open", "raised_by": person("usr_alex", "agent"), "created_at": "2026-01-01T00:00:00Z",
            },
        }],
        "resolutions": [{
            "case": case("case_8", "CASE-8", "resolution_proposed"),
            "resolution": {
                "summary": "Yahoo lifted the deferral.", "proposed_by": person("usr_alex", "agent"),
                "proposed_at": "2026-01-02T00:00:00Z",
            },
        }],
    }))
    .expect("a valid list")
}

fn mount(needs: RwSignal<NeedsAction>) -> web_sys::HtmlElement {
    let root = container();
    let handle = leptos::mount::mount_to(root.clone(), move || {
        provide_i18n(Locale::En);
        let (_, api) = provide_session("");
        provide_upload_queue(api);
        view! { <Router><NeedsActionRegion needs on_changed=|_| () on_stale=|_| () linked=true /></Router> }
    });
    handle.forget();
    root
}

fn texts(root: &web_sys::HtmlElement, selector: &str) -> Vec<String> {
    let list = root.query_selector_all(selector).expect("a node list");
    (0..list.length()).filter_map(|i| list.item(i)).filter_map(|n| n.text_content()).collect()
}

#[wasm_bindgen_test]
async fn each_item_says_what_is_asked_with_its_case_and_its_action() {
    let needs = RwSignal::new(waiting());
    let root = mount(needs);
    tick().await;
    assert_eq!(texts(&root, "h2"), ["Needs your action"]);
    let links = texts(&root, "a");
    assert_eq!(links, ["CASE-7 <b>Bounces</b>", "CASE-8 <b>Bounces</b>"], "subjects are text");
    assert!(root.query_selector("b").ok().flatten().is_none(), "no element was injected");
    let text = root.text_content().unwrap_or_default();
    assert!(text.contains("The full headers of one bounced message."), "{text}");
    assert!(text.contains("Yahoo lifted the deferral."), "{text}");
    assert_eq!(texts(&root, "button"), ["Answer", "Confirm resolution", "Not resolved"]);

    // "Answer" opens the files and text of the answer in place.
    let answer: web_sys::HtmlElement =
        root.query_selector("button[aria-expanded]").ok().flatten().expect("Answer").unchecked_into();
    assert_eq!(answer.get_attribute("aria-expanded").as_deref(), Some("false"));
    answer.click();
    tick().await;
    assert_eq!(answer.get_attribute("aria-expanded").as_deref(), Some("true"));
    assert!(root.query_selector("textarea").ok().flatten().is_some(), "the answer's text");
    assert!(root.query_selector("input[type=file]").ok().flatten().is_some(), "the answer's files");
    assert!(texts(&root, "button").contains(&"Send answer".to_owned()));
    root.remove();
}

#[wasm_bindgen_test]
async fn the_region_is_there_only_while_something_waits() {
    let needs = RwSignal::new(waiting());
    let root = mount(needs);
    tick().await;
    assert!(root.query_selector("section[aria-labelledby=needs-action-title]").ok().flatten().is_some());
    needs.set(NeedsAction::default());
    tick().await;
    assert!(root.query_selector("section").ok().flatten().is_none(), "hidden when empty");
    assert!(texts(&root, "h2").is_empty());
    root.remove();
}
