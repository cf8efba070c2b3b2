//! What the component tests share: a place to mount into and a case to show.

// Each test file is its own crate and uses part of this.
#![allow(dead_code)]

use chrono::{DateTime, Utc};
use portal_contract::{Case, CaseKind, CaseStatus, Channel, Person, Role, Severity};
use wasm_bindgen::JsCast;

/// A fresh `<div>` in the test page's body.
pub fn container() -> web_sys::HtmlElement {
    let document = web_sys::window().and_then(|w| w.document()).expect("a browser document");
    let div = document.create_element("div").expect("can create a div");
    document.body().expect("a body").append_child(&div).expect("can append");
    div.unchecked_into()
}

/// CASE-1 of Acme, opened by `requester` at the epoch, in `status`; tests change what they need.
pub fn case(status: CaseStatus, requester: Person) -> Case {
    let at = DateTime::<Utc>::default();
    Case {
        id: "case_x".into(),
        number: "CASE-1".into(),
        account_id: "acc_acme".into(),
        kind: CaseKind::Problem,
        topic: None,
        severity: Severity::High,
        subject: "Deferrals".into(),
        description: "d".into(),
        channel: Channel::Portal,
        requester,
        agent: None,
        status,
        created_at: at,
        updated_at: at,
        first_response_at: None,
        escalated_at: None,
        escalation_acknowledged_at: None,
        escalation_acknowledged_by: None,
        first_response_due_at: None,
        overdue: false,
        follow_up_of: None,
    }
}

pub fn customer(name: &str) -> Person {
    Person { id: format!("usr_{name}").into(), name: name.into(), role: Role::Customer }
}
