//! The people of an account mounted in headless Chromium (#20): who sees which controls on the
//! colleagues page, the step before removing someone or leaving, an account that keeps its
//! last admin, the invitation form a new person and an existing user see, the "Participants"
//! region of a case, the timeline's words for it, "All cases" / "My cases", and the header's
//! account switcher.
#![cfg(target_arch = "wasm32")]

use bird_portal::core::i18n::{Locale, provide_i18n};
use bird_portal::core::session::provide_session;
use bird_portal::features::cases::{MineToggle, Participants, Timeline};
use bird_portal::features::colleagues::{AcceptInvitation, ListedAccount, People, Viewer};
use bird_portal::features::layout::{AccountSwitch, CurrentAccount};
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos::task::tick;
use leptos_router::components::Router;
use portal_contract::{
    AccountRole, CaseDetail, CaseStatus, EventKind, InvitationPreview, Member, Participant, Person, Role,
    SessionAccount, SessionInfo, SessionUser, TimelineEvent,
};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

mod support;

use support::container;

wasm_bindgen_test_configure!(run_in_browser);

fn member(name: &str, role: AccountRole) -> Member {
    let first = name.split(' ').next().unwrap_or(name).to_lowercase();
    Member {
        id: format!("usr_{first}").into(),
        name: name.into(),
        email: format!("{first}@acme.example"),
        role,
        joined_at: DateTime::<Utc>::default(),
    }
}

fn acme() -> Vec<Member> {
    vec![member("Ada Lovelace", AccountRole::Admin), member("Grace Hopper", AccountRole::Member)]
}

fn account(role: Option<AccountRole>, id: &str, name: &str) -> SessionAccount {
    SessionAccount { id: id.into(), name: name.into(), role }
}

fn signed_in(name: &str, role: Role, accounts: Vec<SessionAccount>) -> SessionInfo {
    let first = name.split(' ').next().unwrap_or(name).to_lowercase();
    SessionInfo {
        user: SessionUser {
            id: format!("usr_{first}").into(),
            name: name.into(),
            email: format!("{first}@x.example"),
            role,
        },
        accounts,
    }
}

fn texts(root: &web_sys::HtmlElement, selector: &str) -> Vec<String> {
    let list = root.query_selector_all(selector).expect("a node list");
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.text_content())
        .map(|t| t.trim().to_owned())
        .collect()
}

fn find<T: JsCast>(root: &web_sys::HtmlElement, selector: &str) -> T {
    root.query_selector(selector).ok().flatten().unwrap_or_else(|| panic!("no {selector}")).unchecked_into()
}

/// The button whose text (its accessible name here: the words and the hidden name) is `name`.
fn button(root: &web_sys::HtmlElement, name: &str) -> web_sys::HtmlElement {
    let list = root.query_selector_all("button").expect("a node list");
    (0..list.length())
        .filter_map(|i| list.item(i))
        .find(|b| b.text_content().is_some_and(|t| t.trim() == name))
        .unwrap_or_else(|| panic!("no button {name:?} among {:?}", texts(root, "button")))
        .unchecked_into()
}

async fn people(viewer: Viewer) -> web_sys::HtmlElement {
    let root = container();
    let handle = leptos::mount::mount_to(root.clone(), move || {
        provide_i18n(Locale::En);
        // Nothing listens on port 9: a write fails as it does when the network is down.
        provide_session("http://127.0.0.1:9");
        let listed = ListedAccount { id: "acc_acme".into(), name: "Acme Mail".into() };
        let said = RwSignal::new(None);
        view! { <Router><People members=acme() viewer account=listed reload=Callback::new(|()| ()) said /></Router> }
    });
    handle.forget();
    tick().await;
    root
}

#[wasm_bindgen_test]
async fn an_admin_changes_and_removes_colleagues_and_as_the_last_admin_cannot_leave() {
    let ada = Viewer { id: "usr_ada".into(), role: Role::Customer, account_role: Some(AccountRole::Admin) };
    let root = people(ada).await;
    assert_eq!(texts(&root, ".person-name"), ["Ada Lovelace (you)", "Grace Hopper"]);
    assert_eq!(texts(&root, ".person-email"), ["ada@acme.example", "grace@acme.example"]);
    assert_eq!(texts(&root, ".person-facts dt"), ["Role", "Joined", "Role", "Joined"]);
    assert_eq!(texts(&root, "button"), ["Leave account", "Make admin Grace Hopper", "Remove Grace Hopper"]);

    let remove = button(&root, "Remove Grace Hopper");
    assert_eq!(remove.get_attribute("aria-expanded").as_deref(), Some("false"));
    remove.click();
    tick().await;
    assert_eq!(remove.get_attribute("aria-expanded").as_deref(), Some("true"));
    let group: web_sys::Element = find(&root, "[role=group]");
    let question = group.query_selector(".confirm-question").ok().flatten().and_then(|q| q.text_content());
    assert_eq!(question.as_deref(), Some("Remove Grace Hopper from Acme Mail?"));
    assert!(group.text_content().unwrap_or_default().contains("stay, with their name"), "what stays is said");
    button(&root, "Yes, remove");
    button(&root, "Cancel").click();
    tick().await;
    assert!(root.query_selector("[role=group]").ok().flatten().is_none(), "cancelled");

    button(&root, "Leave account").click();
    tick().await;
    assert!(texts(&root, ".confirm-question").is_empty(), "nothing to confirm");
    let alert = texts(&root, "[role=alert]");
    assert_eq!(alert, ["Acme Mail must keep at least one admin. Make a colleague an admin first."]);
    assert!(!texts(&root, "button").iter().any(|b| b == "Yes, leave"), "leaving is not offered");
    root.remove();
}

#[wasm_bindgen_test]
async fn a_member_sees_the_people_and_may_only_leave() {
    let grace = Viewer { id: "usr_grace".into(), role: Role::Customer, account_role: Some(AccountRole::Member) };
    let root = people(grace).await;
    assert_eq!(texts(&root, ".person-facts dd:not(:has(time))"), ["Admin", "Member"]);
    assert_eq!(texts(&root, "button"), ["Leave account"]);
    button(&root, "Leave account").click();
    tick().await;
    assert_eq!(texts(&root, ".confirm-question"), ["Leave Acme Mail?"]);
    button(&root, "Yes, leave");
    root.remove();
}

#[wasm_bindgen_test]
async fn bird_side_sees_the_people_without_controls() {
    for role in [Role::Tam, Role::Agent] {
        let root = people(Viewer { id: "usr_tess".into(), role, account_role: None }).await;
        assert_eq!(texts(&root, ".person-name"), ["Ada Lovelace", "Grace Hopper"], "{role:?}");
        assert!(texts(&root, "button").is_empty(), "{role:?}: {:?}", texts(&root, "button"));
        root.remove();
    }
}

fn preview(existing_user: bool) -> InvitationPreview {
    InvitationPreview {
        account: account(None, "acc_acme", "Acme Mail"),
        email: "grace@acme.example".into(),
        role: AccountRole::Member,
        invited_by: "Ada Lovelace".into(),
        existing_user,
        expires_at: DateTime::<Utc>::default(),
    }
}

async fn invitation(existing_user: bool, locale: Locale) -> web_sys::HtmlElement {
    let root = container();
    let handle = leptos::mount::mount_to(root.clone(), move || {
        provide_i18n(locale);
        provide_session("http://127.0.0.1:9");
        let spent = RwSignal::new(false);
        view! { <Router><AcceptInvitation preview=preview(existing_user) token="tok".into() spent stale=Callback::new(|()| ()) /></Router> }
    });
    handle.forget();
    tick().await;
    root
}

#[wasm_bindgen_test]
async fn a_new_person_chooses_a_name_and_a_password_to_join() {
    let root = invitation(false, Locale::En).await;
    assert_eq!(texts(&root, "h1"), ["Join Acme Mail"]);
    assert_eq!(texts(&root, ".lead"), ["Ada Lovelace invited you to Acme Mail as a member."]);
    assert_eq!(texts(&root, "label"), ["Your name", "New password"]);
    assert_eq!(texts(&root, "button"), ["Join account"]);
    assert!(texts(&root, ".password-rule")[0].starts_with("At least 10 characters"));
    button(&root, "Join account").click();
    tick().await;
    let name: web_sys::Element = find(&root, "#invitation-name");
    let password: web_sys::Element = find(&root, "#invitation-password");
    assert_eq!(name.get_attribute("aria-invalid").as_deref(), Some("true"), "nothing is sent without a name");
    assert_eq!(password.get_attribute("aria-invalid").as_deref(), Some("true"));
    root.remove();
}

#[wasm_bindgen_test]
async fn someone_with_a_user_joins_with_their_password_in_italian_too() {
    let root = invitation(true, Locale::It).await;
    assert_eq!(texts(&root, "h1"), ["Entra in Acme Mail"]);
    assert_eq!(texts(&root, "label"), ["Password"]);
    assert_eq!(texts(&root, "button"), ["Entra nell'account"]);
    let password: web_sys::Element = find(&root, "#invitation-password");
    assert_eq!(password.get_attribute("autocomplete").as_deref(), Some("current-password"));
    root.remove();
}

/// A bubbling DOM event of `class` (`KeyboardEvent`, `FocusEvent`) with `fields` set.
fn event(class: &str, kind: &str, fields: &[(&str, wasm_bindgen::JsValue)]) -> web_sys::Event {
    let init = js_sys::Object::new();
    js_sys::Reflect::set(&init, &"bubbles".into(), &true.into()).expect("bubbling");
    for (name, value) in fields {
        js_sys::Reflect::set(&init, &(*name).into(), value).expect("a field");
    }
    let constructor: js_sys::Function =
        js_sys::Reflect::get(&js_sys::global(), &class.into()).expect("the event class").unchecked_into();
    js_sys::Reflect::construct(&constructor, &js_sys::Array::of2(&kind.into(), &init))
        .expect("an event")
        .unchecked_into()
}

fn person(name: &str, role: Role) -> Person {
    let first = name.split(' ').next().unwrap_or(name).to_lowercase();
    Person { id: format!("usr_{first}").into(), name: name.into(), role }
}

fn followed_case() -> CaseDetail {
    let ada = person("Ada Lovelace", Role::Customer);
    CaseDetail {
        case: support::case(CaseStatus::InProgress, ada.clone()),
        timeline: vec![],
        resolution: None,
        satisfaction: None,
        reopen_until: None,
        information_requests: vec![],
        attachments: vec![],
        participants: vec![Participant {
            id: "usr_grace".into(),
            name: "Grace Hopper".into(),
            added_by: ada,
            added_at: DateTime::<Utc>::default(),
        }],
    }
}

async fn participants(viewer: &'static str, role: Role) -> web_sys::HtmlElement {
    let root = container();
    let handle = leptos::mount::mount_to(root.clone(), move || {
        provide_i18n(Locale::En);
        let (session, _) = provide_session("http://127.0.0.1:9");
        session.signed_in(signed_in(viewer, role, vec![account(Some(AccountRole::Member), "acc_acme", "Acme Mail")]));
        let detail = RwSignal::new(Some(followed_case()));
        view! { <Router><Participants detail role on_changed=Callback::new(|()| ()) /></Router> }
    });
    handle.forget();
    tick().await;
    root
}

#[wasm_bindgen_test]
async fn the_accounts_customers_add_and_remove_participants_and_one_stops_following() {
    let root = participants("Ada Lovelace", Role::Customer).await;
    let region: web_sys::Element = find(&root, "section[aria-labelledby=participants-title]");
    assert_eq!(texts(&root, "#participants-title"), ["Participants"]);
    assert_eq!(region.tag_name(), "SECTION");
    assert_eq!(texts(&root, ".participant .person-name"), ["Ada Lovelace", "Grace Hopper"]);
    assert_eq!(texts(&root, ".participant .role-tag"), ["Requester"]);
    assert_eq!(texts(&root, "button"), ["Remove Grace Hopper", "Add participant"]);
    let add = button(&root, "Add participant");
    add.click();
    tick().await;
    assert_eq!(add.get_attribute("aria-expanded").as_deref(), Some("true"));
    root.remove();

    let root = participants("Grace Hopper", Role::Customer).await;
    assert_eq!(texts(&root, "button"), ["Stop following", "Add participant"]);
    root.remove();

    let root = participants("Tess Rinaldi", Role::Tam).await;
    assert_eq!(texts(&root, ".participant .person-name"), ["Ada Lovelace", "Grace Hopper"]);
    assert!(texts(&root, "button").is_empty(), "Bird's side changes nothing: {:?}", texts(&root, "button"));
    root.remove();
}

fn change(id: &str, kind: EventKind, author: Person, participant: Person) -> TimelineEvent {
    TimelineEvent {
        id: id.into(),
        kind,
        author,
        body: None,
        status: None,
        attachments: vec![],
        information_request_id: None,
        participant: Some(participant),
        created_at: DateTime::<Utc>::default(),
    }
}

#[wasm_bindgen_test]
async fn the_timeline_says_who_added_whom() {
    let (ada, grace) = (person("Ada Lovelace", Role::Customer), person("Grace Hopper", Role::Customer));
    let events = vec![
        change("evt_1", EventKind::ParticipantAdded, ada.clone(), grace.clone()),
        change("evt_2", EventKind::ParticipantRemoved, grace.clone(), grace.clone()),
        change("evt_3", EventKind::ParticipantRemoved, ada, grace),
    ];
    let root = container();
    let handle = leptos::mount::mount_to(root.clone(), move || {
        provide_i18n(Locale::En);
        view! { <Router><Timeline events=Signal::stored(events.clone()) /></Router> }
    });
    handle.forget();
    tick().await;
    assert_eq!(
        texts(&root, ".line-text"),
        [
            "Ada Lovelace added Grace Hopper",
            "Grace Hopper stopped following the case",
            "Ada Lovelace removed Grace Hopper"
        ]
    );
    assert!(texts(&root, ".entry-author").is_empty(), "the words name the author once");
    root.remove();
}

#[wasm_bindgen_test]
async fn all_cases_or_my_cases_is_one_choice() {
    let mine = RwSignal::new(false);
    let root = container();
    let handle = leptos::mount::mount_to(root.clone(), move || {
        provide_i18n(Locale::En);
        view! { <MineToggle mine set=Callback::new(move |on| mine.set(on)) /> }
    });
    handle.forget();
    tick().await;
    assert_eq!(texts(&root, "label"), ["All cases", "My cases"]);
    let radios = root.query_selector_all("input[type=radio]").expect("a node list");
    let radio = |i| -> web_sys::HtmlInputElement { radios.item(i).expect("a radio").unchecked_into() };
    assert!(radio(0).checked() && !radio(1).checked(), "all cases by default");
    radio(1).click();
    tick().await;
    assert!(mine.get_untracked(), "my cases chosen");
    assert!(radio(1).checked() && !radio(0).checked());
    root.remove();
}

#[wasm_bindgen_test]
async fn a_person_of_two_accounts_switches_between_them_from_the_header() {
    let root = container();
    let current = RwSignal::new(None);
    let one = RwSignal::new(true);
    let handle = leptos::mount::mount_to(root.clone(), move || {
        provide_i18n(Locale::En);
        let (session, _) = provide_session("http://127.0.0.1:9");
        provide_context(CurrentAccount(current));
        Effect::new(move |_| {
            let mut accounts = vec![account(Some(AccountRole::Admin), "acc_acme", "Acme Mail")];
            if !one.get() {
                accounts.push(account(Some(AccountRole::Member), "acc_globex", "Globex Retail"));
            }
            session.signed_in(signed_in("Ada Lovelace", Role::Customer, accounts));
        });
        view! { <Router><AccountSwitch /></Router> }
    });
    handle.forget();
    tick().await;
    assert!(root.query_selector("nav").ok().flatten().is_none(), "one account has nothing to switch to");

    one.set(false);
    tick().await;
    let nav: web_sys::Element = find(&root, "nav");
    assert_eq!(nav.get_attribute("aria-label").as_deref(), Some("Account switcher"));
    assert_eq!(texts(&root, "nav button"), ["Choose an account"]);
    current.set(Some("acc_globex".into()));
    tick().await;
    assert_eq!(texts(&root, "nav button"), ["Globex Retail"], "the account on screen");

    let list: web_sys::HtmlElement = find(&root, "#account-switch-list");
    assert!(list.hidden(), "folded at first");
    let toggle = button(&root, "Globex Retail");
    toggle.click();
    tick().await;
    assert!(!list.hidden());
    assert_eq!(texts(&root, "#account-switch-list a"), ["Acme Mail", "Globex Retail"]);
    let hrefs: Vec<String> = {
        let links = root.query_selector_all("#account-switch-list a").expect("a node list");
        (0..links.length())
            .filter_map(|i| links.item(i))
            .filter_map(|a| a.unchecked_into::<web_sys::Element>().get_attribute("href"))
            .collect()
    };
    assert_eq!(hrefs, ["/accounts/acc_acme", "/accounts/acc_globex"]);
    assert_eq!(
        texts(&root, "#account-switch-list a[aria-current=true]"),
        ["Globex Retail"],
        "the one on screen is marked"
    );

    toggle.dispatch_event(&event("KeyboardEvent", "keydown", &[("key", "Escape".into())])).expect("dispatched");
    tick().await;
    assert!(list.hidden(), "Escape folds it");
    let focused = web_sys::window().and_then(|w| w.document()).and_then(|d| d.active_element());
    assert_eq!(focused.map(|f| f.text_content()), Some(toggle.text_content()), "and gives focus back");

    toggle.click();
    tick().await;
    assert!(!list.hidden());
    let away = event("FocusEvent", "focusout", &[("relatedTarget", wasm_bindgen::JsValue::NULL)]);
    toggle.dispatch_event(&away).expect("dispatched");
    tick().await;
    assert!(list.hidden(), "focus leaving the switcher folds it");
    root.remove();
}
