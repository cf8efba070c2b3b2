//! Components mounted in headless Chromium (wasm-bindgen-test): what a person sees and can do.
#![cfg(target_arch = "wasm32")]

use bird_portal::core::api::{ApiClient, ApiError};
use bird_portal::core::i18n::{Key, Locale, provide_i18n, use_i18n};
use bird_portal::core::session::provide_session;
use bird_portal::features::cases::{CaseCards, ResolutionPanel, Timeline, use_case_actions};
use bird_portal::features::uploads::{Target, UploadList, provide_upload_queue};
use bird_portal::ui::ErrorView;
use bird_portal::ui::draft::SendKey;
use bird_portal::ui::form::{
    FormField, SubmitButton, SubmitForm, TextArea, TextField, UseSubmitOptions, UseSubmitReturn, checked, use_submit,
    use_submit_with_options,
};
use leptos::prelude::*;
use leptos::task::tick;
use leptos_router::components::Router;
use portal_contract::{Case, CaseDetail, CaseStatus, Channel, NewMessage, Person, Resolution, Role};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

mod support;

use support::container;

wasm_bindgen_test_configure!(run_in_browser);

fn hostile_case() -> Case {
    Case {
        subject: "<img src=x onerror=alert(1)>".into(),
        channel: Channel::Email,
        ..support::case(CaseStatus::Unknown, support::customer("Ada"))
    }
}

#[wasm_bindgen_test]
async fn error_view_says_what_happened_and_retries() {
    let root = container();
    let retried = RwSignal::new(0);
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        provide_i18n(Locale::En);
        let error = ApiError::Server { status: 500, request_id: Some("req_test".into()) };
        view! { <Router><ErrorView error on_retry=Callback::new(move |_| retried.update(|n| *n += 1)) /></Router> }
    });
    tick().await;
    let text = root.text_content().unwrap_or_default();
    assert!(text.contains(Key::ErrorServer.en()), "message shown: {text}");
    assert!(text.contains("req_test"), "request id shown: {text}");
    let button: web_sys::HtmlElement =
        root.query_selector("button").ok().flatten().expect("a retry button").unchecked_into();
    assert_eq!(button.text_content().unwrap_or_default(), "Try again");
    button.click();
    tick().await;
    assert_eq!(retried.get_untracked(), 1);
}

#[wasm_bindgen_test]
async fn a_not_found_error_offers_home_and_no_retry() {
    let root = container();
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        provide_i18n(Locale::It);
        let error = ApiError::NotFound { request_id: None };
        view! { <Router><ErrorView error on_retry=Callback::new(|_| ()) /></Router> }
    });
    tick().await;
    assert!(root.query_selector("button").ok().flatten().is_none(), "nothing to retry");
    let link = root.query_selector("a").ok().flatten().expect("a way home");
    assert_eq!(link.text_content().unwrap_or_default(), Key::ErrorGoHome.it());
}

#[wasm_bindgen_test]
async fn a_field_with_a_problem_is_marked_and_described() {
    let root = container();
    let value = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        provide_i18n(Locale::En);
        let field = FormField { value: value.into(), set: Callback::new(move |v| value.set(v)), error: error.into() };
        view! { <TextField id="t-email" label=Key::LoginEmail field /> }
    });
    tick().await;
    let input = root.query_selector("input").ok().flatten().expect("an input");
    assert_eq!(input.get_attribute("aria-invalid"), None);
    error.set(Some("Fill in this field.".into()));
    tick().await;
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(input.get_attribute("aria-describedby").as_deref(), Some("t-email-error"));
    let described = root.query_selector("#t-email-error").ok().flatten().expect("the message");
    assert_eq!(described.text_content().unwrap_or_default(), "Fill in this field.");
    let label = root.query_selector("label").ok().flatten().expect("a label");
    assert_eq!(label.get_attribute("for").as_deref(), Some("t-email"));
}

#[wasm_bindgen_test]
async fn untrusted_subjects_render_as_text_and_unknown_status_as_unknown() {
    let root = container();
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        provide_i18n(Locale::En);
        view! { <Router><CaseCards cases=vec![hostile_case()] empty=Key::AccountOpenEmpty /></Router> }
    });
    tick().await;
    assert!(root.query_selector("img").ok().flatten().is_none(), "no element was injected");
    let text = root.text_content().unwrap_or_default();
    assert!(text.contains("<img src=x onerror=alert(1)>"), "shown literally: {text}");
    assert!(text.contains("Unknown"), "an unknown status reads Unknown: {text}");
}

fn proposed_by_bird() -> CaseDetail {
    let mut case = hostile_case();
    case.status = CaseStatus::ResolutionProposed;
    let alex = Person { id: "usr_alex".into(), name: "Alex".into(), role: Role::Agent };
    CaseDetail {
        resolution: Some(Resolution {
            summary: "Fixed".into(),
            proposed_by: alex,
            proposed_at: case.updated_at,
            confirmed_by: None,
            confirmed_at: None,
        }),
        case,
        timeline: vec![],
        satisfaction: None,
        reopen_until: None,
        information_requests: vec![],
        attachments: vec![],
        participants: vec![],
    }
}

fn buttons(root: &web_sys::HtmlElement) -> Vec<String> {
    let list = root.query_selector_all("button").expect("a node list");
    (0..list.length()).filter_map(|i| list.item(i)).filter_map(|n| n.text_content()).collect()
}

async fn panel_buttons(role: Role) -> Vec<String> {
    let root = container();
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        provide_i18n(Locale::En);
        provide_session("");
        let actions = use_case_actions(Callback::new(|_| ()), Callback::new(|_| ()));
        let detail = RwSignal::new(Some(proposed_by_bird()));
        view! { <Router><ResolutionPanel case_id="case_x".into() detail role actions /></Router> }
    });
    tick().await;
    let found = buttons(&root);
    root.remove();
    found
}

#[wasm_bindgen_test]
async fn the_resolution_panel_offers_only_what_the_rules_allow() {
    assert!(panel_buttons(Role::Customer).await.is_empty(), "the customer answers in Needs your action");
    assert!(panel_buttons(Role::Agent).await.is_empty(), "the proposer's side cannot answer its own proposal");
    assert!(panel_buttons(Role::Tam).await.is_empty(), "the TAM is not a party to the agreement");
}

#[wasm_bindgen_test]
fn a_retry_of_the_same_content_reuses_its_idempotency_key() {
    let mut key = SendKey::default();
    let first = key.for_content("hello");
    assert_eq!(key.for_content("hello"), first);
    let edited = key.for_content("hello, edited");
    assert_ne!(edited, first);
    assert!(!edited.is_empty());
}

#[wasm_bindgen_test]
async fn a_file_whose_upload_cannot_start_offers_retry_and_remove() {
    let root = container();
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        provide_i18n(Locale::En);
        // Nothing listens on port 9: the limits cannot be fetched, so the file fails visibly.
        let queue = provide_upload_queue(ApiClient::new("http://127.0.0.1:9", || {}));
        let target = Target { case_id: "case_x".into(), request_id: None };
        let bits = js_sys::Array::of1(&"log line".into());
        let file = web_sys::File::new_with_str_sequence(&bits, "<b>mail</b>.log").expect("a file");
        queue.add(vec![send_wrapper::SendWrapper::new(file)], target.clone(), 0);
        let uploads = Signal::derive(move || queue.for_target(&target));
        view! { <UploadList uploads /> }
    });
    let mut text = String::new();
    for _ in 0..100 {
        bird_portal::ui::sleep(20).await;
        text = root.text_content().unwrap_or_default();
        if text.contains("Upload failed") {
            break;
        }
    }
    assert!(text.contains("Upload failed"), "{text}");
    assert!(text.contains("<b>mail</b>.log"), "the name is shown as text: {text}");
    assert!(root.query_selector("b").ok().flatten().is_none(), "no element was injected");
    let buttons: Vec<String> = (0..root.query_selector_all("button").map(|l| l.length()).unwrap_or(0))
        .filter_map(|i| root.query_selector_all("button").ok()?.item(i)?.text_content())
        .collect();
    assert_eq!(buttons, vec!["Retry".to_owned(), "Remove".to_owned()]);
    let group = root.query_selector("[role=group]").ok().flatten().expect("a group per file");
    assert_eq!(group.get_attribute("aria-label").as_deref(), Some("<b>mail</b>.log"));
}

#[wasm_bindgen_test]
async fn a_long_timeline_shows_its_newest_events_and_the_rest_on_request() {
    let root = container();
    let events: Vec<portal_contract::TimelineEvent> = (1..=150)
        .map(|i| portal_contract::TimelineEvent {
            id: format!("evt_{i}").into(),
            kind: portal_contract::EventKind::Message,
            author: Person { id: "usr_alex".into(), name: "Alex".into(), role: Role::Agent },
            body: Some(format!("Event {i}")),
            status: None,
            created_at: chrono::DateTime::<chrono::Utc>::default(),
            attachments: vec![],
            information_request_id: None,
            participant: None,
        })
        .collect();
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        provide_i18n(Locale::En);
        let events = RwSignal::new(events.clone());
        view! { <Timeline events /> }
    });
    let items = || root.query_selector_all("ol.timeline > li").map(|l| l.length()).unwrap_or(0);
    assert_eq!(items(), 100, "the first render already draws only the newest 100");
    tick().await;
    assert_eq!(items(), 100);
    let text = root.text_content().unwrap_or_default();
    assert!(text.contains("Event 150") && !text.contains("Event 50 "), "{text}");
    let button: web_sys::HtmlElement =
        root.query_selector("button").ok().flatten().expect("a button for the earlier events").unchecked_into();
    assert_eq!(button.text_content().as_deref(), Some("Show earlier events (50)"));
    button.click();
    tick().await;
    assert_eq!(items(), 150);
    assert!(root.query_selector("button").ok().flatten().is_none(), "nothing left to show");
}

fn click(root: &web_sys::HtmlElement, selector: &str) {
    let element: web_sys::HtmlElement =
        root.query_selector(selector).ok().flatten().expect("the element to click").unchecked_into();
    element.click();
}

#[wasm_bindgen_test]
async fn a_refused_field_takes_focus_and_its_problem_goes_as_soon_as_it_is_filled() {
    let root = container();
    let sent = RwSignal::new(0);
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        provide_i18n(Locale::En);
        let i18n = use_i18n();
        let text = RwSignal::new(String::new());
        let submit = use_submit(
            move || checked(i18n, NewMessage { body: text.get().trim().to_owned() }),
            |_message, _key| async { Ok::<(), ApiError>(()) },
            move |()| sent.update(|n| *n += 1),
        );
        view! {
            <SubmitForm submit>
                <TextArea id="t-body" label=Key::ReplyLabel field=submit.field("body", text) />
                <SubmitButton submit label=Key::ReplySend />
            </SubmitForm>
        }
    });
    tick().await;
    click(&root, "button");
    bird_portal::ui::sleep(50).await;
    let textarea: web_sys::HtmlTextAreaElement =
        root.query_selector("textarea").ok().flatten().expect("the field").unchecked_into();
    assert_eq!(textarea.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert!(root.text_content().unwrap_or_default().contains("Fill in this field."));
    let focused = web_sys::window().and_then(|w| w.document()).and_then(|d| d.active_element());
    assert_eq!(focused.map(|e| e.id()).as_deref(), Some("t-body"), "the refused field has focus");
    assert_eq!(sent.get_untracked(), 0, "nothing was sent");

    textarea.set_value("The headers are attached.");
    textarea.dispatch_event(&web_sys::Event::new("input").expect("an input event")).expect("dispatched");
    tick().await;
    assert_eq!(textarea.get_attribute("aria-invalid"), None, "valid again, no longer marked");
    assert!(!root.text_content().unwrap_or_default().contains("Fill in this field."));
    click(&root, "button");
    bird_portal::ui::sleep(20).await;
    assert_eq!(sent.get_untracked(), 1);
}

/// A form mounted by a test, driven from outside: its submit and its one text.
type MountedForm = (UseSubmitReturn, RwSignal<String>);

#[wasm_bindgen_test]
async fn a_retry_sends_the_same_idempotency_key_once_at_a_time_and_new_content_gets_a_new_one() {
    let keys: Rc<RefCell<Vec<String>>> = Rc::default();
    let slot: Rc<Cell<Option<MountedForm>>> = Rc::default();
    let storage_key = format!("bird-portal.test.{}.key", js_sys::Math::random());
    let (sent_keys, filled) = (keys.clone(), slot.clone());
    let _handle = leptos::mount::mount_to(container(), move || {
        provide_i18n(Locale::En);
        let i18n = use_i18n();
        let text = RwSignal::new("Hello".to_owned());
        let attempts = Rc::new(Cell::new(0));
        let submit = use_submit_with_options(
            move || checked(i18n, NewMessage { body: text.get() }),
            move |_message, key| {
                sent_keys.borrow_mut().push(key.unwrap_or_default());
                let attempt = attempts.get() + 1;
                attempts.set(attempt);
                async move {
                    bird_portal::ui::sleep(30).await;
                    if attempt == 1 { Err(ApiError::Network) } else { Ok(()) }
                }
            },
            |()| {},
            UseSubmitOptions::default().key_in(storage_key),
        );
        filled.set(Some((submit, text)));
    });
    let (submit, text) = slot.get().expect("the form was mounted");
    submit.submit.run(());
    submit.submit.run(());
    bird_portal::ui::sleep(80).await;
    assert_eq!(keys.borrow().len(), 1, "a second submit while the first is out is ignored");
    assert_eq!(submit.failure.get_untracked(), Some(ApiError::Network));
    submit.submit.run(());
    bird_portal::ui::sleep(80).await;
    assert!(submit.sent.get_untracked() && submit.failure.get_untracked().is_none());
    submit.submit.run(());
    bird_portal::ui::sleep(80).await;
    text.set("Hello again".to_owned());
    submit.submit.run(());
    bird_portal::ui::sleep(80).await;
    let keys = keys.borrow();
    assert_eq!(keys.len(), 4);
    assert_eq!(keys[0], keys[1], "the retry of a failed send sends its key again");
    assert_ne!(keys[2], keys[1], "once recorded, the same words sent again are a new request");
    assert_ne!(keys[3], keys[2], "new content, new key");
}

#[wasm_bindgen_test]
fn dates_and_times_read_as_each_language_writes_them() {
    use bird_portal::ui::size::file_size;
    use bird_portal::ui::time::{clock, date_time, day};
    let at = |h, m| chrono::NaiveTime::from_hms_opt(h, m, 0).expect("a time");
    assert_eq!(clock(at(14, 5), Locale::It), "14:05");
    assert_eq!(clock(at(8, 0), Locale::It), "08:00", "Italian: 24-hour clock, no AM");
    let english = clock(at(14, 5), Locale::En);
    assert!(english.starts_with("2:05") && english.ends_with("PM"), "{english}");
    let wednesday = chrono::NaiveDate::from_ymd_opt(2026, 12, 9).expect("a date");
    assert_eq!(day(wednesday, Locale::It), "mercoledì 9 dicembre");
    assert_eq!(day(wednesday, Locale::En), "Wednesday, December 9");
    let instant = chrono::DateTime::<chrono::Utc>::default();
    assert!(!date_time(instant, Locale::It, Some("UTC")).contains("AM"));
    assert_eq!(file_size(103, Locale::En), "103 bytes");
    assert_eq!(file_size(1, Locale::En), "1 byte");
    assert_eq!(file_size(103, Locale::It), "103 byte");
}
