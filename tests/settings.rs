//! The notification settings form and the new-password field mounted in headless Chromium:
//! the kinds of email that concern the person, each with what it is, the language of emails,
//! a failed save with "Try again", and the password rule checked as the person types.
#![cfg(target_arch = "wasm32")]

use bird_portal::core::i18n::{Locale, provide_i18n};
use bird_portal::core::session::provide_session;
use bird_portal::features::passwords::NewPasswordField;
use bird_portal::features::settings::NotificationsForm;
use bird_portal::ui::form::FormField;
use leptos::prelude::*;
use leptos::task::tick;
use leptos_router::components::Router;
use portal_contract::{Language, NotificationEvents, NotificationSettings, Role};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

mod support;

use support::container;

wasm_bindgen_test_configure!(run_in_browser);

fn mount(role: Role) -> web_sys::HtmlElement {
    let root = container();
    let handle = leptos::mount::mount_to(root.clone(), move || {
        provide_i18n(Locale::En);
        // Nothing listens on port 9: saving fails as it does when the network is down.
        provide_session("http://127.0.0.1:9");
        let settings = NotificationSettings { language: Language::It, events: NotificationEvents::ALL_ON };
        view! { <Router><NotificationsForm settings role /></Router> }
    });
    handle.forget();
    root
}

fn texts(root: &web_sys::HtmlElement, selector: &str) -> Vec<String> {
    let list = root.query_selector_all(selector).expect("a node list");
    (0..list.length()).filter_map(|i| list.item(i)).filter_map(|n| n.text_content()).collect()
}

fn element<T: JsCast>(root: &web_sys::HtmlElement, selector: &str) -> T {
    root.query_selector(selector).ok().flatten().unwrap_or_else(|| panic!("no {selector}")).unchecked_into()
}

fn checkboxes(root: &web_sys::HtmlElement) -> Vec<web_sys::HtmlInputElement> {
    let list = root.query_selector_all("input[type=checkbox]").expect("a node list");
    (0..list.length()).filter_map(|i| list.item(i)).map(|n| n.unchecked_into()).collect()
}

#[wasm_bindgen_test]
async fn a_customer_chooses_among_the_notices_about_cases_each_said_in_one_line() {
    let root = mount(Role::Customer);
    tick().await;
    assert_eq!(texts(&root, "legend"), ["Emails about your cases"]);
    assert_eq!(
        texts(&root, ".check-field label"),
        [
            "New case received",
            "New reply",
            "Information requested",
            "Progress update",
            "Resolution proposed",
            "Case resolved",
            "Reopening ends soon",
            "Escalation acknowledged",
            "Added to a case"
        ]
    );
    for checkbox in checkboxes(&root) {
        assert!(checkbox.checked(), "{} starts as loaded", checkbox.id());
        let about = checkbox.get_attribute("aria-describedby").expect("described");
        let line = root.query_selector(&format!("#{about}")).ok().flatten().and_then(|p| p.text_content());
        assert!(line.is_some_and(|l| l.len() > 20), "{} says what it is", checkbox.id());
    }
    let language: web_sys::Element = element(&root, "select#email-language");
    let value = js_sys::Reflect::get(&language, &"value".into()).ok().and_then(|v| v.as_string());
    assert_eq!(value.as_deref(), Some("it"), "the language as loaded");
    assert_eq!(texts(&root, "select#email-language option"), ["English", "Italiano"]);
    assert_eq!(texts(&root, "label[for=email-language]"), ["Language of emails"]);
    root.remove();
}

#[wasm_bindgen_test]
async fn a_tam_is_offered_the_escalation_email_only() {
    let root = mount(Role::Tam);
    tick().await;
    assert_eq!(texts(&root, "legend"), ["Emails about your accounts"]);
    assert_eq!(texts(&root, ".check-field label"), ["Escalation"]);
    root.remove();
}

#[wasm_bindgen_test]
async fn a_save_that_fails_says_so_keeps_the_choice_and_offers_to_try_again() {
    let root = mount(Role::Customer);
    tick().await;
    let reply: web_sys::HtmlInputElement = element(&root, "#notify-reply");
    reply.click();
    tick().await;
    assert!(!reply.checked());
    let save: web_sys::HtmlElement = element(&root, "button[type=submit]");
    assert_eq!(save.text_content().as_deref(), Some("Save settings"));
    save.click();
    let mut failure = None;
    for _ in 0..100 {
        bird_portal::ui::sleep(20).await;
        failure = root.query_selector("[role=alert]").ok().flatten().and_then(|n| n.text_content());
        if failure.is_some() {
            break;
        }
    }
    let failure = failure.expect("the failure is shown");
    assert!(failure.contains("Try again"), "{failure}");
    assert!(!texts(&root, "[role=status]").iter().any(|s| s.contains("saved")), "nothing claims it was saved");
    assert!(!element::<web_sys::HtmlInputElement>(&root, "#notify-reply").checked(), "the choice is kept");
    root.remove();
}

#[wasm_bindgen_test]
async fn the_password_rule_is_shown_before_typing_and_checked_as_the_person_types() {
    let root = container();
    let password = RwSignal::new(String::new());
    let handle = leptos::mount::mount_to(root.clone(), move || {
        provide_i18n(Locale::En);
        let field = FormField::unchecked(password, Callback::new(move |text| password.set(text)));
        view! { <NewPasswordField id="pw" field /> }
    });
    handle.forget();
    tick().await;
    let input: web_sys::HtmlInputElement = element(&root, "input#pw");
    assert_eq!(input.type_(), "password");
    assert_eq!(input.get_attribute("aria-describedby").as_deref(), Some("pw-rule"));
    assert_eq!(texts(&root, "#pw-rule"), ["At least 10 characters."]);
    password.set("nine-char".into());
    tick().await;
    assert_eq!(texts(&root, "#pw-rule"), ["At least 10 characters."]);
    password.set("ten-chars!".into());
    tick().await;
    assert_eq!(texts(&root, "#pw-rule"), ["At least 10 characters. Long enough."]);
    let class = element::<web_sys::Element>(&root, "#pw-rule").get_attribute("class").unwrap_or_default();
    assert!(class.contains("password-rule-met"), "{class}");
    root.remove();
}
