//! Emails composed from a real database and read back with a mail parser, as a mail client
//! would read them.

use super::html::escape;
use super::*;
use crate::db::Db;
use crate::error::ApiResult;
use crate::mail::outbox::{self, NewNotification};
use crate::services::cases::{Author, open};
use crate::sql::{Transaction, params};
use crate::store::{cases, information_requests, resolution};
use chrono::{DateTime, Duration, Utc};
use mail_parser::{HeaderValue, Message, MessageParser, MimeHeaders};
use portal_contract::{
    Case, CaseKind, CaseStatus, Channel, EventKind, Language, NewCase, NewInformationRequest, NotificationKind, Role,
    Severity,
};

/// The strings the portal's end-to-end test sends through every field a person fills in.
const CORPUS: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../end2end/fixtures/hostile-text.json"));

const PEOPLE: &str = "
    INSERT INTO users (id, email, name, role, password_hash) VALUES
        ('usr_ada', 'ada@acme.example', 'Ada', 'customer', '!'),
        ('usr_alex', 'alex@bird.example', 'Alex', 'agent', '!'),
        ('usr_tess', 'tess@bird.example', 'Tess', 'tam', '!');
    INSERT INTO tams (id, user_id, phone, time_zone, weekly_hours, overrides)
        VALUES ('tam_tess', 'usr_tess', '+39 02 1234 5678', 'Europe/Rome', '[]', '[]');
    INSERT INTO accounts (id, name, plan, tam_id) VALUES ('acc_acme', 'Acme Mail', 'Premium Email', 'tam_tess');
    INSERT INTO memberships (user_id, account_id) VALUES ('usr_ada', 'acc_acme');";

struct World {
    _dir: tempfile::TempDir,
    db: Db,
    key: MailKey,
    config: MailConfig,
    /// When the cases of a test open; each step after is a minute later.
    start: DateTime<Utc>,
}

fn world() -> World {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = Db::open(&dir.path().join("portal.sqlite3")).expect("database");
    db.with(|conn| Ok(conn.execute_batch(PEOPLE)?)).expect("people");
    let key = db.with(|conn| MailKey::load_or_create(conn)).expect("key");
    let start = Utc::now() - Duration::days(1);
    World { _dir: dir, db, key, config: MailConfig::default(), start }
}

impl World {
    fn write<T>(&self, f: impl FnOnce(&Transaction) -> ApiResult<T>) -> T {
        self.db
            .with(|conn| {
                let tx = conn.transaction()?;
                let out = f(&tx)?;
                tx.commit()?;
                Ok(out)
            })
            .expect("write")
    }

    fn at(&self, minutes: i64) -> DateTime<Utc> {
        self.start + Duration::minutes(minutes)
    }

    fn open_case(&self, subject: &str, description: &str) -> Case {
        let new = NewCase {
            kind: CaseKind::Problem,
            severity: Severity::High,
            subject: subject.to_owned(),
            description: description.to_owned(),
            topic: None,
            follow_up_of: None,
        };
        let ada = Author { user_id: "usr_ada", role: Role::Customer };
        self.write(|tx| open(tx, &ada, "acc_acme", &new, Channel::Portal, self.at(0)))
    }

    fn event(&self, case: &Case, kind: EventKind, author: &str, body: Option<&str>, minute: i64) -> String {
        self.write(|tx| cases::add_event(tx, case.id.as_str(), kind, author, body, None, self.at(minute)))
    }

    fn request(&self, case: &Case, title: &str, description: &str, minute: i64) -> String {
        let new = NewInformationRequest {
            title: title.to_owned(),
            description: description.to_owned(),
            files_expected: true,
        };
        self.write(|tx| {
            let at = self.at(minute);
            let id = information_requests::raise(tx, case.id.as_str(), "usr_alex", &new, at)?;
            let event = cases::add_event(
                tx,
                case.id.as_str(),
                EventKind::InformationRequestRaised,
                "usr_alex",
                Some(title),
                None,
                at,
            )?;
            cases::link_event(tx, &event, Some(&id), &[])?;
            Ok(id)
        })
    }

    /// The notifications of a case to one person, in the order they were written.
    fn queued(&self, recipient: &str, case: &Case) -> Vec<Queued> {
        self.db
            .with(|conn| {
                let mut stmt = conn.prepare(
                    "SELECT id FROM notifications WHERE recipient_id = ?1 AND case_id = ?2 ORDER BY created_at, id",
                )?;
                let ids: Vec<String> =
                    stmt.query_map(params![recipient, case.id.as_str()], |r| r.get(0))?.collect::<Result<_, _>>()?;
                ids.iter().map(|id| Ok(outbox::get(conn, id)?.expect("queued"))).collect()
            })
            .expect("queued")
    }

    fn last(&self, recipient: &str, case: &Case, kind: NotificationKind) -> Queued {
        let all = self.queued(recipient, case);
        all.into_iter().rev().find(|n| n.kind == Some(MailKind::Case(kind))).expect("a notification of that kind")
    }

    fn compose(&self, n: &Queued) -> Option<Composed> {
        self.db.with(|conn| compose(conn, &self.config, &self.key, n)).expect("composes")
    }

    fn email(&self, n: &Queued) -> Email {
        Email::of(self.compose(n).expect("an email"))
    }

    fn set_language(&self, user: &str, language: Language) {
        let mut chosen = settings::default_settings();
        chosen.language = language;
        self.write(|tx| settings::put(tx, user, &chosen));
    }
}

/// A composed email as a mail client reads it.
struct Email {
    composed: Composed,
    message: Message<'static>,
}

impl Email {
    fn of(composed: Composed) -> Email {
        let message = MessageParser::default().parse(&composed.bytes).expect("parses").into_owned();
        Email { composed, message }
    }

    fn subject(&self) -> &str {
        self.message.subject().unwrap_or_default()
    }

    fn text(&self) -> String {
        self.message.body_text(0).expect("a text part").replace("\r\n", "\n")
    }

    fn html(&self) -> String {
        self.message.body_html(0).expect("an HTML part").replace("\r\n", "\n")
    }

    fn raw(&self, name: &str) -> Option<String> {
        self.message.header_raw(name).map(|v| v.split_whitespace().collect::<Vec<_>>().join(" "))
    }

    fn reply_to(&self) -> Option<String> {
        let address = self.message.reply_to()?.first()?.address()?;
        Some(address.to_owned())
    }

    /// The token of the `List-Unsubscribe` link.
    fn unsubscribe_token(&self) -> String {
        let link = self.raw("List-Unsubscribe").expect("List-Unsubscribe");
        let url = link.trim_start_matches('<').trim_end_matches('>');
        url.rsplit('/').next().expect("a token").to_owned()
    }
}

fn ids(value: &HeaderValue) -> Vec<String> {
    match value {
        HeaderValue::Text(id) => vec![id.to_string()],
        HeaderValue::TextList(ids) => ids.iter().map(|id| id.to_string()).collect(),
        _ => Vec::new(),
    }
}

#[test]
fn a_reply_is_two_parts_with_every_header_a_case_email_needs() {
    let w = world();
    let case = w.open_case("Bounces from Gmail", "Since 09:00 UTC.");
    w.event(&case, EventKind::Message, "usr_alex", Some("We found the cause.\nA fix is rolling out."), 5);
    let n = w.last("usr_ada", &case, NotificationKind::Reply);
    let email = w.email(&n);
    let m = &email.message;

    assert_eq!(email.subject(), format!("[{}] New reply: Bounces from Gmail", case.number));
    assert_eq!(m.message_id(), Some(format!("{}@reply.bird.example", n.message_id).as_str()));
    assert_eq!(m.date().map(|d| d.to_timestamp()), Some(n.created_at.timestamp()));
    let from = m.from().and_then(|f| f.first()).expect("From");
    assert_eq!((from.name(), from.address()), (Some("Bird Premium Support"), Some("support@bird.example")));
    let to = m.to().and_then(|t| t.first()).expect("To");
    assert_eq!((to.name(), to.address()), (Some("Ada"), Some("ada@acme.example")));
    assert_eq!(
        (email.composed.to.as_str(), email.composed.envelope_from.as_str()),
        ("ada@acme.example", "support@bird.example")
    );
    assert_eq!(email.raw("Auto-Submitted").as_deref(), Some("auto-generated"));

    let reply_to = email.reply_to().expect("Reply-To");
    let token = reply_to.strip_prefix("reply+").and_then(|r| r.strip_suffix("@reply.bird.example")).expect("reply+");
    assert_eq!(w.key.verify_reply(token), Some(n.reply_key.clone()), "the reply address names this notification");
    assert_eq!(
        email.raw("List-Unsubscribe").as_deref(),
        Some(format!("<http://127.0.0.1:8080/api/v1/unsubscribe/{}>", email.unsubscribe_token()).as_str())
    );
    assert_eq!(
        w.key.verify_unsubscribe(&email.unsubscribe_token()),
        Some(("usr_ada".to_owned(), NotificationKind::Reply))
    );
    assert_eq!(email.raw("List-Unsubscribe-Post").as_deref(), Some("List-Unsubscribe=One-Click"));

    assert_eq!((m.text_body_count(), m.html_body_count()), (1, 1));
    assert!(m.root_part().content_type().is_some_and(|t| t.subtype() == Some("alternative")));
    let case_url = format!("http://127.0.0.1:8080/cases/{}", case.id.as_str());
    let text = email.text();
    assert!(text.starts_with("##- Please type your reply above this line -##\n"), "{text}");
    assert!(text.contains("Alex replied on") && text.contains("We found the cause.\nA fix is rolling out."), "{text}");
    assert!(text.contains(&case_url), "{text}");
    let html = email.html();
    assert!(html.contains("<html lang=\"en\">") && html.contains("##- Please type your reply above this line -##"));
    assert!(html.contains("We found the cause.<br>\nA fix is rolling out."), "{html}");
    assert!(
        html.contains(&format!("<a href=\"{case_url}\""))
            && html.contains(&format!("View {} in the portal", case.number))
    );
}

#[test]
fn one_case_is_one_thread_for_each_recipient() {
    let w = world();
    let case = w.open_case("Bounces", "d");
    w.event(&case, EventKind::Message, "usr_alex", Some("First answer"), 5);
    w.event(&case, EventKind::ProgressUpdate, "usr_alex", Some("Still on it"), 6);
    w.write(|tx| resolution::escalate(tx, case.id.as_str(), w.at(7)));
    w.event(&case, EventKind::Escalation, "usr_ada", Some("Urgent"), 7);

    let to_ada = w.queued("usr_ada", &case);
    assert_eq!(to_ada.len(), 3, "receipt, reply, update");
    let emails: Vec<Email> = to_ada.iter().map(|n| w.email(n)).collect();
    let root = format!("case.{}.usr_ada@reply.bird.example", case.id.as_str()).to_lowercase();
    let own: Vec<String> = emails.iter().map(|e| e.message.message_id().expect("id").to_owned()).collect();
    assert_eq!(ids(emails[0].message.in_reply_to()), vec![root.clone()]);
    assert_eq!(ids(emails[0].message.references()), vec![root.clone()]);
    assert_eq!(ids(emails[1].message.in_reply_to()), [own[0].clone()]);
    assert_eq!(ids(emails[1].message.references()), [root.clone(), own[0].clone()]);
    assert_eq!(ids(emails[2].message.in_reply_to()), [own[1].clone()]);
    assert_eq!(ids(emails[2].message.references()), [root, own[0].clone(), own[1].clone()]);

    let to_tess = w.email(&w.last("usr_tess", &case, NotificationKind::Escalation));
    let tess_root = format!("case.{}.usr_tess@reply.bird.example", case.id.as_str()).to_lowercase();
    assert_eq!(ids(to_tess.message.references()), [tess_root], "the TAM's thread is the TAM's own");
}

#[test]
fn the_receipt_says_when_the_first_response_is_due() {
    let w = world();
    let case = w.open_case("Bounces", "Since 09:00 UTC.");
    let email = w.email(&w.last("usr_ada", &case, NotificationKind::CaseOpened));
    assert_eq!(email.subject(), format!("[{}] Case received: Bounces", case.number));
    let text = email.text();
    let due = super::words::Words::of(Language::En).date(case.created_at + Duration::hours(4));
    for expected in [
        case.number.as_str(),
        "Severity: High",
        "First response within: 4 hours",
        &format!("First response due: {due}"),
        "Since 09:00 UTC.",
    ] {
        assert!(text.contains(expected), "{expected:?} in {text}");
    }
}

#[test]
fn an_information_request_says_what_is_asked_and_links_to_the_answer_form() {
    let w = world();
    let case = w.open_case("Bounces", "d");
    let request = w.request(&case, "Bounce logs", "The logs of 3 March, please.", 5);
    let email = w.email(&w.last("usr_ada", &case, NotificationKind::InformationRequest));
    assert_eq!(email.subject(), format!("[{}] Information requested: Bounces", case.number));
    let answer_url = format!("http://127.0.0.1:8080/cases/{}?answer={request}", case.id.as_str());
    let text = email.text();
    for expected in [
        "Request: Bounce logs",
        "What to send: Files",
        "The logs of 3 March, please.",
        &format!("Answer the request: {answer_url}"),
    ] {
        assert!(text.contains(expected), "{expected:?} in {text}");
    }
    assert!(email.html().contains(&format!("<a href=\"{}\"", escape(&answer_url))), "{}", email.html());
}

#[test]
fn a_proposed_resolution_links_to_both_answers_and_a_resolved_case_keeps_the_record() {
    let w = world();
    let case = w.open_case("Bounces", "d");
    w.write(|tx| resolution::propose(tx, case.id.as_str(), "usr_alex", "Fixed the SPF record.", w.at(5)));
    w.event(&case, EventKind::ResolutionProposed, "usr_alex", Some("Fixed the SPF record."), 5);
    let proposed = w.email(&w.last("usr_ada", &case, NotificationKind::ResolutionProposed));
    let case_url = format!("http://127.0.0.1:8080/cases/{}", case.id.as_str());
    let text = proposed.text();
    assert!(text.contains("Fixed the SPF record."), "{text}");
    assert!(text.contains(&format!("Confirm resolution: {case_url}?resolution=confirm")), "{text}");
    assert!(text.contains(&format!("Not resolved: {case_url}?resolution=decline")), "{text}");

    // The customer proposes this time, so Bird confirms and the customer is told.
    w.write(|tx| resolution::propose(tx, case.id.as_str(), "usr_ada", "It works now.", w.at(6)));
    w.event(&case, EventKind::ResolutionProposed, "usr_ada", Some("It works now."), 6);
    w.write(|tx| resolution::confirm(tx, case.id.as_str(), "usr_alex", w.at(7)));
    w.event(&case, EventKind::ResolutionConfirmed, "usr_alex", None, 7);
    w.write(|tx| cases::set_status(tx, case.id.as_str(), CaseStatus::Resolved, w.at(7)));
    let resolved = w.email(&w.last("usr_ada", &case, NotificationKind::CaseResolved));
    assert_eq!(resolved.subject(), format!("[{}] Case resolved: Bounces", case.number));
    let words = super::words::Words::of(Language::En);
    let text = resolved.text();
    for expected in [
        "It works now.".to_owned(),
        format!("Proposed by: Ada, {}", words.date(w.at(6))),
        format!("Confirmed by: Alex, {}", words.date(w.at(7))),
        format!("Can be reopened until: {}", words.date(w.at(7) + Duration::days(14))),
    ] {
        assert!(text.contains(&expected), "{expected:?} in {text}");
    }

    let reminder = w.write(|tx| {
        let n = NewNotification {
            recipient_id: "usr_ada",
            kind: MailKind::Case(NotificationKind::ReopenWindowClosing),
            case_id: Some(case.id.as_str()),
            event_id: None,
            secret: None,
            at: w.at(8),
        };
        let id = outbox::enqueue(tx, &n)?;
        Ok(outbox::get(tx, &id)?.expect("queued"))
    });
    let text = w.email(&reminder).text();
    assert!(text.contains(&format!("can be reopened until {}", words.date(w.at(7) + Duration::days(14)))), "{text}");
    w.write(|tx| resolution::clear(tx, case.id.as_str()));
    assert!(w.compose(&reminder).is_none(), "nothing to remind of once the agreement is gone");
}

#[test]
fn an_escalation_tells_the_tam_the_reason_and_the_account() {
    let w = world();
    let case = w.open_case("Bounces", "d");
    w.write(|tx| resolution::escalate(tx, case.id.as_str(), w.at(5)));
    w.event(&case, EventKind::Escalation, "usr_ada", Some("Production is down."), 5);
    let email = w.email(&w.last("usr_tess", &case, NotificationKind::Escalation));
    assert_eq!(email.subject(), format!("[{}] Escalation: Bounces", case.number));
    let text = email.text();
    for expected in [
        "Ada of Acme Mail escalated",
        "Account: Acme Mail",
        "Production is down.",
        "Technical Account Manager of Acme Mail",
    ] {
        assert!(text.contains(expected), "{expected:?} in {text}");
    }

    w.event(&case, EventKind::EscalationAcknowledged, "usr_tess", None, 6);
    let seen = w.email(&w.last("usr_ada", &case, NotificationKind::EscalationAcknowledged));
    assert_eq!(seen.subject(), format!("[{}] The TAM has seen your escalation: Bounces", case.number));
    assert!(seen.text().contains("Tess, your Technical Account Manager, has seen your escalation"), "{}", seen.text());
}

#[test]
fn an_italian_recipient_reads_italian() {
    let w = world();
    w.set_language("usr_ada", Language::It);
    let case = w.open_case("Rimbalzi", "d");
    w.event(&case, EventKind::Message, "usr_alex", Some("Abbiamo trovato la causa."), 5);
    let email = w.email(&w.last("usr_ada", &case, NotificationKind::Reply));
    assert_eq!(email.subject(), format!("[{}] Nuova risposta: Rimbalzi", case.number));
    let text = email.text();
    assert!(text.starts_with(&format!("{}\n", reply_marker(Language::It))), "{text}");
    assert!(text.contains("Ciao Ada,") && text.contains("Alex ha risposto su"), "{text}");
    assert!(email.html().contains("<html lang=\"it\">"));
}

#[test]
fn a_colleague_added_reads_who_added_them_in_their_language_and_their_link_unfollows() {
    let w = world();
    w.write(|tx| {
        tx.execute_batch(
            "INSERT INTO users (id, email, name, role, password_hash) \
                 VALUES ('usr_grace', 'grace@acme.example', 'Grace', 'customer', '!'); \
             INSERT INTO memberships (user_id, account_id) VALUES ('usr_grace', 'acc_acme');",
        )?;
        Ok(())
    });
    w.set_language("usr_grace", Language::It);
    let case = w.open_case("Rimbalzi", "d");
    w.write(|tx| {
        crate::store::participants::add(tx, case.id.as_str(), "usr_grace", "usr_ada", w.at(1))?;
        cases::add_participant_event(tx, case.id.as_str(), EventKind::ParticipantAdded, "usr_ada", "usr_grace", w.at(1))
    });
    let added = w.email(&w.last("usr_grace", &case, NotificationKind::ParticipantAdded));
    assert_eq!(added.subject(), format!("[{}] Ora segui il caso: Rimbalzi", case.number));
    let text = added.text();
    assert!(text.contains(&format!("Ada ti ha aggiunto a {} di Acme Mail", case.number)), "{text}");
    assert!(text.contains("Aperto da: Ada") && text.contains(&format!("Smetti di seguire {}", case.number)), "{text}");
    let token = added.unsubscribe_token();
    assert_eq!(w.key.verify_unfollow(&token), Some(("usr_grace".to_owned(), case.id.to_string())));

    w.event(&case, EventKind::Message, "usr_alex", Some("Abbiamo trovato la causa."), 5);
    let to_grace = w.email(&w.last("usr_grace", &case, NotificationKind::Reply));
    assert!(w.key.verify_unfollow(&to_grace.unsubscribe_token()).is_some(), "every email of a participant unfollows");
    let to_ada = w.email(&w.last("usr_ada", &case, NotificationKind::Reply));
    assert_eq!(
        w.key.verify_unsubscribe(&to_ada.unsubscribe_token()),
        Some(("usr_ada".to_owned(), NotificationKind::Reply)),
        "the requester's turns the kind off"
    );
}

#[test]
fn a_password_reset_carries_its_link_and_nothing_to_reply_or_unsubscribe() {
    let w = world();
    let reset = w.write(|tx| {
        let n = NewNotification {
            recipient_id: "usr_ada",
            kind: MailKind::PasswordReset,
            case_id: None,
            event_id: None,
            secret: Some("the-secret"),
            at: w.at(0),
        };
        let id = outbox::enqueue(tx, &n)?;
        Ok(outbox::get(tx, &id)?.expect("queued"))
    });
    let email = w.email(&reset);
    let text = email.text();
    assert!(text.contains("Set a new password: http://127.0.0.1:8080/reset-password/the-secret"), "{text}");
    assert!(text.contains("1 hour") && text.contains("If you did not ask, ignore this email"), "{text}");
    assert!(!text.contains(reply_marker(Language::En)));
    assert_eq!(email.reply_to(), None);
    assert_eq!(email.raw("List-Unsubscribe"), None);
    assert!(ids(email.message.in_reply_to()).is_empty());
    assert_eq!(email.message.message_id(), Some(format!("{}@reply.bird.example", reset.message_id).as_str()));

    let forgotten = Queued { secret: None, ..reset };
    assert!(w.compose(&forgotten).is_none(), "a link already sent is not sent again without its token");
}

#[test]
fn nothing_is_composed_for_a_recipient_or_case_that_is_gone() {
    let w = world();
    let case = w.open_case("Bounces", "d");
    let receipt = w.last("usr_ada", &case, NotificationKind::CaseOpened);
    assert!(w.compose(&Queued { recipient_id: "usr_gone".into(), ..receipt.clone() }).is_none());
    assert!(w.compose(&Queued { case_id: Some("cas_gone".into()), ..receipt.clone() }).is_none());
    assert!(w.compose(&Queued { kind: None, ..receipt }).is_none());
}

/// Every tag of `html` is one the templates write: a known element, known attributes, links
/// only into the portal. Escaped text from a person holds no `<` at all.
fn only_our_markup(html: &str, public_url: &str) -> Result<(), String> {
    const ELEMENTS: &[&str] = &[
        "html",
        "head",
        "meta",
        "title",
        "body",
        "div",
        "p",
        "br",
        "table",
        "tr",
        "th",
        "td",
        "blockquote",
        "a",
        "hr",
    ];
    const ATTRIBUTES: &[&str] = &["lang", "charset", "name", "content", "style", "scope", "href"];
    let mut rest = html.strip_prefix("<!DOCTYPE html>").ok_or("no doctype")?;
    while let Some(start) = rest.find('<') {
        let end = start + rest[start..].find('>').ok_or("a < that never closes")?;
        let tag = &rest[start + 1..end];
        let tag = tag.strip_prefix('/').unwrap_or(tag);
        let (name, mut attributes) = tag.split_once(' ').unwrap_or((tag, ""));
        if !ELEMENTS.contains(&name) {
            return Err(format!("<{tag}>"));
        }
        while !attributes.is_empty() {
            let (attribute, after) = attributes.split_once("=\"").ok_or_else(|| format!("<{tag}>"))?;
            let (value, after) = after.split_once('"').ok_or_else(|| format!("<{tag}>"))?;
            if !ATTRIBUTES.contains(&attribute) || (attribute == "href" && !value.starts_with(public_url)) {
                return Err(format!("<{tag}>"));
            }
            attributes = after.trim_start();
        }
        rest = &rest[end + 1..];
    }
    Ok(())
}

#[test]
fn hostile_text_in_every_field_never_becomes_markup() {
    let corpus: Vec<String> = serde_json::from_str(CORPUS).expect("the corpus is a JSON list");
    assert!(corpus.len() >= 100);
    let w = world();
    for (i, hostile) in corpus.iter().enumerate() {
        w.write(|tx| {
            tx.execute("UPDATE users SET name = ?1 WHERE id IN ('usr_ada', 'usr_alex', 'usr_tess')", params![hostile])?;
            Ok(tx.execute("UPDATE accounts SET name = ?1", params![hostile])?)
        });
        let case = w.open_case(hostile, hostile);
        w.event(&case, EventKind::Message, "usr_alex", Some(hostile), 1);
        w.event(&case, EventKind::ProgressUpdate, "usr_alex", Some(hostile), 2);
        w.request(&case, hostile, hostile, 3);
        w.write(|tx| resolution::propose(tx, case.id.as_str(), "usr_alex", hostile, w.at(4)));
        w.event(&case, EventKind::ResolutionProposed, "usr_alex", Some(hostile), 4);
        w.write(|tx| resolution::escalate(tx, case.id.as_str(), w.at(5)));
        w.event(&case, EventKind::Escalation, "usr_ada", Some(hostile), 5);
        let queued: Vec<Queued> = w.queued("usr_ada", &case).into_iter().chain(w.queued("usr_tess", &case)).collect();
        assert_eq!(queued.len(), 6, "#{i}: every kind that carries a person's text");
        for n in &queued {
            let email = w.email(n);
            let html = email.html();
            let kind = n.kind.map(MailKind::as_str).unwrap_or_default();
            only_our_markup(&html, &w.config.public_url).unwrap_or_else(|tag| panic!("#{i} {kind}: {tag} in {html}"));
            assert!(html.contains(&escape(hostile.trim_end())), "#{i} {kind}: the text arrives as text");
            assert!(email.subject().ends_with(hostile.as_str()), "#{i} {kind}: {}", email.subject());
            assert!(email.text().contains(hostile.trim_end()), "#{i} {kind}");
        }
    }
}

/// An invitation to Acme Mail from Ada to `email`, queued as the invitation route queues it.
fn invitation(w: &World, email: &str, language: Language, secret: &str) -> Queued {
    use crate::store::invitations::{New, create};
    w.write(|tx| {
        let token_hash = crate::util::sha256_hex(secret.as_bytes());
        let new = New {
            account_id: "acc_acme",
            email,
            role: portal_contract::AccountRole::Member,
            invited_by: "usr_ada",
            language,
            token_hash: &token_hash,
            at: w.at(0),
            expires_at: w.at(0) + Duration::days(7),
        };
        create(tx, &new)?;
        let n = NewNotification {
            recipient_id: "usr_ada",
            kind: MailKind::Invitation,
            case_id: None,
            event_id: None,
            secret: Some(secret),
            at: w.at(0),
        };
        let id = outbox::enqueue(tx, &n)?;
        Ok(outbox::get(tx, &id)?.expect("queued"))
    })
}

#[test]
fn an_invitation_goes_to_its_address_with_its_link_and_nothing_to_reply_or_unsubscribe() {
    let w = world();
    let queued = invitation(&w, "hedy@acme.example", Language::En, "the-secret");
    let email = w.email(&queued);
    assert_eq!(email.composed.to, "hedy@acme.example", "the invited address, not the row's recipient (Ada)");
    assert_eq!(email.subject(), "Ada invited you to Acme Mail on Bird Premium Support");
    let text = email.text();
    assert!(
        text.starts_with("Hello,\n\nAda invited you to join Acme Mail on Bird's Premium Support portal, as a member."),
        "{text}"
    );
    assert!(text.contains("Choose your name and a password"), "{text}");
    assert!(text.contains("Accept the invitation: http://127.0.0.1:8080/invitations/the-secret"), "{text}");
    let until = Words::of(Language::En).date(w.at(0) + Duration::days(7));
    assert!(text.contains(&format!("The link works once, until {until}.")), "{text}");
    assert!(email.html().contains("href=\"http://127.0.0.1:8080/invitations/the-secret\""));
    assert_eq!(email.reply_to(), None);
    assert_eq!(email.raw("List-Unsubscribe"), None);

    let forgotten = Queued { secret: None, ..queued.clone() };
    assert!(w.compose(&forgotten).is_none(), "a link already sent is not sent again without its token");
    w.write(|tx| Ok(tx.execute("UPDATE invitations SET revoked_at = created_at", [])?));
    assert!(w.compose(&queued).is_none(), "a revoked invitation is not sent");
}

#[test]
fn a_person_with_a_user_is_asked_for_their_password_in_the_invitations_language() {
    let w = world();
    w.write(|tx| {
        Ok(tx.execute(
            "INSERT INTO users (id, email, name, role, password_hash) VALUES ('usr_bob', 'bob@globex.example', 'Bob', 'customer', '!')",
            [],
        )?)
    });
    let email = w.email(&invitation(&w, "BOB@globex.example", Language::It, "s"));
    assert_eq!(email.subject(), "Ada ti ha invitato in Acme Mail su Bird Premium Support");
    let text = email.text();
    assert!(text.starts_with("Ciao Bob,"), "{text}");
    assert!(text.contains("accedi con la tua password per aggiungere Acme Mail"), "{text}");
    assert!(text.contains("Accetta l'invito: http://127.0.0.1:8080/invitations/s"), "{text}");
    assert!(email.html().contains("<html lang=\"it\">"));
}

#[test]
fn hostile_names_in_an_invitation_never_become_markup() {
    let corpus: Vec<String> = serde_json::from_str(CORPUS).expect("the corpus is a JSON list");
    let w = world();
    for (i, hostile) in corpus.iter().enumerate() {
        w.write(|tx| {
            tx.execute("UPDATE users SET name = ?1 WHERE id = 'usr_ada'", params![hostile])?;
            Ok(tx.execute("UPDATE accounts SET name = ?1", params![hostile])?)
        });
        let email = w.email(&invitation(&w, "hedy@acme.example", Language::En, &format!("secret-{i}")));
        let html = email.html();
        only_our_markup(&html, &w.config.public_url).unwrap_or_else(|tag| panic!("#{i}: {tag} in {html}"));
        assert!(html.contains(&escape(hostile.trim_end())), "#{i}: the text arrives as text");
        assert!(email.subject().contains(hostile.as_str()), "#{i}: {}", email.subject());
        assert!(email.text().contains(hostile.trim_end()), "#{i}");
    }
}
