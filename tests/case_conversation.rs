//! The case page's parts mounted in headless Chromium: the timeline as a conversation, the
//! escalation as each side sees it, no empty cards for the TAM, and the first-response time.
#![cfg(target_arch = "wasm32")]

use bird_portal::core::i18n::{Locale, provide_i18n};
use bird_portal::core::session::provide_session;
use bird_portal::features::cases::{EscalationPanel, FirstResponseDue, ResolutionPanel, Timeline, use_case_actions};
use chrono::{DateTime, Duration, Utc};
use leptos::prelude::*;
use leptos::task::tick;
use leptos_router::components::Router;
use portal_contract::{Case, CaseDetail, CaseStatus, EventKind, Person, Role, TimelineEvent};
use wasm_bindgen_test::*;

mod support;

use support::container;

wasm_bindgen_test_configure!(run_in_browser);

fn person(name: &str, role: Role) -> Person {
    Person { id: format!("usr_{name}").into(), name: name.into(), role }
}

fn at(second: i64) -> DateTime<Utc> {
    DateTime::<Utc>::default() + Duration::seconds(second)
}

fn event(id: &str, kind: EventKind, author: Person, second: i64) -> TimelineEvent {
    TimelineEvent {
        id: id.into(),
        kind,
        author,
        body: None,
        status: None,
        attachments: vec![],
        information_request_id: None,
        participant: None,
        created_at: at(second),
    }
}

fn detail(status: CaseStatus) -> CaseDetail {
    CaseDetail {
        case: Case { subject: "Deferrals".into(), ..support::case(status, person("Ada Lovelace", Role::Customer)) },
        timeline: vec![],
        resolution: None,
        satisfaction: None,
        reopen_until: None,
        information_requests: vec![],
        attachments: vec![],
        participants: vec![],
    }
}

fn texts(root: &web_sys::HtmlElement, selector: &str) -> Vec<String> {
    let list = root.query_selector_all(selector).expect("a node list");
    (0..list.length()).filter_map(|i| list.item(i)).filter_map(|n| n.text_content()).collect()
}

#[wasm_bindgen_test]
async fn the_timeline_tells_the_sides_apart_and_credits_status_changes_to_what_caused_them() {
    let root = container();
    let ada = person("Ada Lovelace", Role::Customer);
    let alex = person("Alex Moreau", Role::Agent);
    let bird = person("Bird", Role::System);
    let events = vec![
        TimelineEvent { body: Some("Mail is deferred.".into()), ..event("e1", EventKind::Message, ada.clone(), 0) },
        TimelineEvent { body: Some("Looking into it.".into()), ..event("e2", EventKind::ProgressUpdate, alex, 60) },
        TimelineEvent {
            status: Some(CaseStatus::InProgress),
            ..event("e3", EventKind::StatusChanged, bird.clone(), 60)
        },
        TimelineEvent { status: Some(CaseStatus::Resolved), ..event("e4", EventKind::StatusChanged, bird, 9_000) },
    ];
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        provide_i18n(Locale::En);
        let events = RwSignal::new(events.clone());
        view! { <Timeline events /> }
    });
    tick().await;
    assert_eq!(texts(&root, "ol.timeline > li").len(), 3, "the change caused by the update joined it");
    assert_eq!(texts(&root, "h3"), vec!["Message", "Progress update"]);
    let customer = root.query_selector("li.side-customer").ok().flatten().expect("the customer's side");
    assert!(customer.text_content().unwrap_or_default().contains("Ada Lovelace Customer"));
    let bird_side = root.query_selector("li.side-bird").ok().flatten().expect("Bird's side");
    let update = bird_side.text_content().unwrap_or_default();
    assert!(update.contains("Alex Moreau Support agent"), "{update}");
    let initials = bird_side.query_selector(".initials").ok().flatten().expect("initials");
    assert_eq!(initials.text_content().as_deref(), Some("AM"));
    assert_eq!(initials.get_attribute("aria-hidden").as_deref(), Some("true"), "the name says it already");
    assert!(update.contains("Status changed to In progress"), "{update}");
    let article = bird_side.query_selector("article").ok().flatten().expect("a labelled article");
    let labelled_by = article.get_attribute("aria-labelledby").unwrap_or_default();
    assert_eq!(labelled_by.split(' ').count(), 2, "named by its heading and its by-line");
    let line = texts(&root, "li.entry-line");
    assert_eq!(line.len(), 1);
    assert!(line[0].starts_with("Status changed to Resolved · "), "no person credited: {}", line[0]);
}

async fn mounted(role: Role, case: CaseDetail, panel: fn(Role, RwSignal<Option<CaseDetail>>) -> AnyView) -> String {
    let root = container();
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        provide_i18n(Locale::En);
        provide_session("");
        let detail = RwSignal::new(Some(case.clone()));
        view! { <Router>{panel(role, detail)}</Router> }
    });
    tick().await;
    let shown = root.inner_text();
    root.remove();
    shown
}

fn escalation(role: Role, detail: RwSignal<Option<CaseDetail>>) -> AnyView {
    let actions = use_case_actions(Callback::new(|_| ()), Callback::new(|_| ()));
    view! { <EscalationPanel case_id="case_x".into() detail role actions /> }.into_any()
}

fn resolution(role: Role, detail: RwSignal<Option<CaseDetail>>) -> AnyView {
    let actions = use_case_actions(Callback::new(|_| ()), Callback::new(|_| ()));
    view! { <ResolutionPanel case_id="case_x".into() detail role actions /> }.into_any()
}

fn escalated(acknowledged: bool) -> CaseDetail {
    let mut case = detail(CaseStatus::InProgress);
    case.case.escalated_at = Some(at(100));
    if acknowledged {
        case.case.escalation_acknowledged_at = Some(at(200));
        case.case.escalation_acknowledged_by = Some(person("Tess Rinaldi", Role::Tam));
    }
    case
}

#[wasm_bindgen_test]
async fn the_tam_acknowledges_an_escalation_and_the_customer_sees_who_did() {
    let tam = mounted(Role::Tam, escalated(false), escalation).await;
    assert!(tam.contains("Acknowledge escalation"), "{tam}");
    assert!(!tam.contains("Escalate to your TAM"), "not the customer's card: {tam}");

    let done = mounted(Role::Tam, escalated(true), escalation).await;
    assert!(!done.contains("Acknowledge escalation"), "{done}");
    assert!(done.contains("Tess Rinaldi acknowledged the escalation at "), "{done}");

    let customer = mounted(Role::Customer, escalated(true), escalation).await;
    assert!(customer.contains("Tess Rinaldi acknowledged the escalation at "), "{customer}");
    assert!(!customer.contains("Acknowledge escalation"), "{customer}");

    let not_escalated = mounted(Role::Tam, detail(CaseStatus::InProgress), escalation).await;
    assert!(not_escalated.trim().is_empty(), "nothing for the TAM to see: {not_escalated}");
}

#[wasm_bindgen_test]
async fn the_tam_gets_no_empty_resolution_card() {
    let tam = mounted(Role::Tam, detail(CaseStatus::InProgress), resolution).await;
    assert!(tam.trim().is_empty(), "{tam}");
    let customer = mounted(Role::Customer, detail(CaseStatus::InProgress), resolution).await;
    assert!(customer.contains("Propose resolution"), "{customer}");
}

async fn due_text(due_at: DateTime<Utc>, overdue: bool) -> String {
    let root = container();
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        provide_i18n(Locale::It);
        view! { <FirstResponseDue due_at overdue /> }
    });
    tick().await;
    let shown = root.text_content().unwrap_or_default();
    root.remove();
    shown
}

#[wasm_bindgen_test]
async fn the_first_response_says_how_long_is_left_until_it_is_overdue() {
    let soon = Utc::now() + Duration::minutes(3 * 60 + 58) + Duration::seconds(30);
    let shown = due_text(soon, false).await;
    assert!(shown.starts_with("Prima risposta entro "), "{shown}");
    assert!(shown.ends_with("tra 3 h 58 min"), "{shown}");
    let late = due_text(Utc::now() - Duration::minutes(5), true).await;
    assert!(late.ends_with("In ritardo"), "{late}");
    assert!(!late.contains("tra "), "{late}");
}

#[wasm_bindgen_test]
async fn bird_reads_whom_a_case_waits_on_where_the_customer_reads_you() {
    let asked = vec![TimelineEvent {
        status: Some(CaseStatus::WaitingOnCustomer),
        ..event("e1", EventKind::StatusChanged, person("Bird", Role::System), 0)
    }];
    for (viewer, expected) in [(Role::Tam, "Waiting for the customer"), (Role::Customer, "Waiting for you")] {
        let root = container();
        let events = asked.clone();
        let _handle = leptos::mount::mount_to(root.clone(), move || {
            provide_i18n(Locale::En);
            let events = RwSignal::new(events.clone());
            view! { <Timeline events viewer /> }
        });
        tick().await;
        let line = root.text_content().unwrap_or_default();
        assert!(line.starts_with(&format!("Status changed to {expected} · ")), "{viewer:?}: {line}");
        root.remove();
    }
}
