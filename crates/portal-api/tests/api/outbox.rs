//! Delivering the outbox to a real SMTP server (`smtp.rs`), or into the outbox folder: what an
//! event sends arrives once, with its own Message-ID, through a mail server that is down,
//! refuses for a while, refuses for good, or a portal killed mid-delivery.

use crate::common::*;
use crate::smtp::{Catcher, Caught, free_port};
use portal_api::sql::Connection;
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::{Duration, Instant};

const REPLY_DOMAIN: &str = "reply.bird.example";

/// A notification row as the database holds it.
#[derive(Clone, Debug)]
struct Row {
    message_id: String,
    kind: String,
    case_id: Option<String>,
    recipient: String,
    attempts: u32,
    sent: bool,
    failed: bool,
    secret: Option<String>,
}

impl Row {
    /// The `Message-ID` header its email carries.
    fn header_id(&self) -> String {
        format!("<{}@{REPLY_DOMAIN}>", self.message_id)
    }
}

/// The rows of a server run as a process on its data dir's SQLite file.
fn rows_in(data_dir: &Path) -> Vec<Row> {
    let path = data_dir.join("portal.sqlite3").to_string_lossy().into_owned();
    rows_of(&Connection::open(&path).expect("the database"))
}

fn rows_of(conn: &Connection) -> Vec<Row> {
    let mut stmt = conn
        .prepare(
            "SELECT n.message_id, n.kind, n.case_id, u.email, n.attempts, n.sent_at IS NOT NULL, \
             n.failed_at IS NOT NULL, n.secret FROM notifications n JOIN users u ON u.id = n.recipient_id \
             ORDER BY n.created_at",
        )
        .expect("query");
    stmt.query_map([], |r| {
        Ok(Row {
            message_id: r.get(0)?,
            kind: r.get(1)?,
            case_id: r.get(2)?,
            recipient: r.get(3)?,
            attempts: r.get(4)?,
            sent: r.get(5)?,
            failed: r.get(6)?,
            secret: r.get(7)?,
        })
    })
    .expect("rows")
    .collect::<Result<_, _>>()
    .expect("rows")
}

fn rows(server: &Server) -> Vec<Row> {
    rows_of(&server.database())
}

/// Waits until `done` holds for the rows; answers them.
async fn rows_until(server: &Server, within: Duration, done: impl Fn(&[Row]) -> bool) -> Vec<Row> {
    rows_of_until(|| rows(server), within, done).await
}

async fn rows_of_until(read: impl Fn() -> Vec<Row>, within: Duration, done: impl Fn(&[Row]) -> bool) -> Vec<Row> {
    let deadline = Instant::now() + within;
    loop {
        let rows = read();
        if done(&rows) {
            return rows;
        }
        assert!(Instant::now() < deadline, "not reached within {within:?}: {rows:#?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Waits until nothing waits: every row sent or failed.
async fn settled(server: &Server) -> Vec<Row> {
    rows_until(server, Duration::from_secs(10), |rows| rows.iter().all(|r| r.sent || r.failed)).await
}

/// The replies of `case` (the emails an agent's messages on it sent).
fn replies_on<'a>(rows: &'a [Row], case: &str) -> Vec<&'a Row> {
    rows.iter().filter(|r| r.kind == "reply" && r.case_id.as_deref() == Some(case)).collect()
}

/// A demo server sending through `catcher`, retrying after 100 ms rather than 30 s.
async fn sending_to(url: String) -> Server {
    start_with(move |config| {
        config.mail.smtp_url = Some(url);
        config.mail.retry_base = Duration::from_millis(100);
    })
    .await
}

async fn reply(server: &Server, agent: &reqwest::Client, case: &str, body: &str) {
    let (status, answer) =
        post_json(agent, server.url(&format!("/api/v1/cases/{case}/messages")), json!({"body": body})).await;
    assert_eq!(status, 201, "{answer}");
}

async fn outbox(server: &Server, agent: &reqwest::Client) -> serde_json::Value {
    let (status, body) = get_json(agent, server.url("/api/v1/outbox")).await;
    assert_eq!(status, 200, "{body}");
    body
}

fn caught_with<'a>(caught: &'a [Caught], row: &Row) -> Vec<&'a Caught> {
    caught.iter().filter(|c| c.message_id() == row.header_id()).collect()
}

#[tokio::test]
async fn an_agents_reply_reaches_the_customer_through_smtp() {
    let catcher = Catcher::start();
    let server = sending_to(catcher.url()).await;
    let (ada, alex) = (server.signed_in(ADA).await, server.signed_in(ALEX).await);
    let case = ada_case(&server, &ada).await;
    let (_, detail) = get_json(&ada, server.url(&format!("/api/v1/cases/{case}"))).await;
    let number = detail["number"].as_str().expect("number").to_owned();

    reply(&server, &alex, &case, "We found the cause: a stale MX record.").await;
    let rows =
        rows_until(&server, Duration::from_secs(10), |rows| replies_on(rows, &case).iter().any(|r| r.sent)).await;
    let row = replies_on(&rows, &case)[0].clone();
    assert_eq!(row.recipient, ADA);
    assert_eq!((row.attempts, row.failed, row.secret.as_deref()), (1, false, None));

    let caught = catcher.messages();
    let ours = caught_with(&caught, &row);
    assert_eq!(ours.len(), 1, "exactly one message for the row");
    let message = ours[0];
    assert_eq!(message.rcpt_tos, [ADA]);
    assert_eq!(message.mail_from, "support@bird.example");
    assert!(message.header("To").is_some_and(|to| to.contains(ADA)), "{:?}", message.header("To"));
    assert!(message.subject().contains(&format!("[{number}]")), "{}", message.subject());
}

#[tokio::test]
async fn without_smtp_each_notification_is_one_eml_file() {
    let server = start().await;
    let (ada, alex) = (server.signed_in(ADA).await, server.signed_in(ALEX).await);
    let case = ada_case(&server, &ada).await;
    reply(&server, &alex, &case, "First answer.").await;
    reply(&server, &alex, &case, "Second answer.").await;
    let (status, _) = post_json(&ada, server.url("/api/v1/accounts/acc_acme/cases"), new_case("Bounces")).await;
    assert_eq!(status, 201, "a new case sends its receipt");

    let rows = settled(&server).await;
    assert!(replies_on(&rows, &case).len() == 2 && rows.iter().any(|r| r.kind == "case_opened"), "{rows:#?}");
    assert!(rows.iter().all(|r| r.sent && r.attempts == 1), "{rows:#?}");
    let outbox = server.dir.path().join("data/outbox");
    let files: BTreeSet<String> = std::fs::read_dir(&outbox)
        .expect("the outbox folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    let expected: BTreeSet<String> = rows.iter().map(|r| format!("{}.eml", r.message_id)).collect();
    assert_eq!(files, expected, "one whole file per notification, nothing else");
    for row in &rows {
        let bytes = std::fs::read(outbox.join(format!("{}.eml", row.message_id))).expect("file");
        let message = mail_parser::MessageParser::default().parse(&bytes).expect("an RFC 5322 message");
        assert_eq!(message.message_id(), Some(format!("{}@{REPLY_DOMAIN}", row.message_id).as_str()));
        assert!(bytes.windows(2).all(|w| w[1] != b'\n' || w[0] == b'\r'), "CRLF line ends, as SMTP carries");
    }
}

#[tokio::test]
async fn with_the_mail_server_down_for_a_while_each_message_arrives_once() {
    let port = free_port();
    let server = sending_to(format!("smtp://127.0.0.1:{port}")).await;
    let (ada, alex) = (server.signed_in(ADA).await, server.signed_in(ALEX).await);
    let case = ada_case(&server, &ada).await;
    for n in 1..=3 {
        reply(&server, &alex, &case, &format!("Answer {n} while the relay is down.")).await;
    }
    rows_until(&server, Duration::from_secs(10), |rows| {
        let ours = replies_on(rows, &case);
        ours.len() == 3 && ours.iter().all(|r| r.attempts >= 1 && !r.sent && !r.failed)
    })
    .await;
    let status = outbox(&server, &alex).await;
    assert!(status["waiting"].as_u64() >= Some(3), "{status}");
    assert!(status["last_error"].as_str().is_some_and(|e| !e.is_empty()) && status["last_error_at"].is_string());

    let catcher = Catcher::start_on(port, tempfile::tempdir().expect("temp dir"));
    let rows =
        rows_until(&server, Duration::from_secs(15), |rows| replies_on(rows, &case).iter().all(|r| r.sent)).await;
    // Long enough for any retry still scheduled to have gone out a second time, had it wrongly been.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let caught = catcher.messages();
    for row in replies_on(&rows, &case) {
        assert_eq!(caught_with(&caught, row).len(), 1, "{row:?} arrived once");
    }
}

#[tokio::test]
async fn a_temporary_refusal_is_retried_until_accepted() {
    let catcher = Catcher::start();
    let server = sending_to(catcher.url()).await;
    let (ada, alex) = (server.signed_in(ADA).await, server.signed_in(ALEX).await);
    let case = ada_case(&server, &ada).await;
    settled(&server).await;
    catcher.answer_with(&["451 4.3.0 try later", "451 4.3.0 try later", "250 OK"]);

    reply(&server, &alex, &case, "Refused twice, then taken.").await;
    let rows =
        rows_until(&server, Duration::from_secs(10), |rows| replies_on(rows, &case).iter().any(|r| r.sent)).await;
    let row = replies_on(&rows, &case)[0].clone();
    assert_eq!(row.attempts, 3, "two refusals and the delivery");
    assert_eq!(caught_with(&catcher.messages(), &row).len(), 1);
    let status = outbox(&server, &alex).await;
    assert!(status["last_error"].as_str().is_some_and(|e| e.contains("451")), "{status}");
    assert!(status["last_error_at"].is_string() && status["failed"] == 0, "{status}");
    let (denied, _) = get_json(&ada, server.url("/api/v1/outbox")).await;
    assert_eq!(denied, 403, "the queue is Bird's");
}

#[tokio::test]
async fn a_permanent_refusal_fails_the_notification_and_is_never_retried() {
    let catcher = Catcher::start();
    let server = sending_to(catcher.url()).await;
    let (ada, alex) = (server.signed_in(ADA).await, server.signed_in(ALEX).await);
    let case = ada_case(&server, &ada).await;
    settled(&server).await;
    catcher.answer_with(&["550 5.7.1 refused"]);
    let before = outbox(&server, &alex).await["failed"].as_u64().expect("failed");

    reply(&server, &alex, &case, "This one is refused for good.").await;
    rows_until(&server, Duration::from_secs(10), |rows| replies_on(rows, &case).iter().any(|r| r.failed)).await;
    // Several retry periods: a retry would show as a second attempt.
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let rows = rows(&server);
    let row = replies_on(&rows, &case)[0];
    assert_eq!((row.attempts, row.sent, row.failed), (1, false, true));
    assert!(catcher.messages().is_empty(), "nothing was accepted");
    let status = outbox(&server, &alex).await;
    assert_eq!(status["failed"].as_u64(), Some(before + 1), "{status}");
    assert!(status["last_error"].as_str().is_some_and(|e| e.contains("550")), "{status}");
}

#[tokio::test]
async fn a_reopen_window_closing_soon_is_told_once() {
    let server = start_with(|config| config.test_clock = true).await;
    let (ada, alex) = (server.signed_in(ADA).await, server.signed_in(ALEX).await);
    let case = ada_case(&server, &ada).await;
    let act = |who: &reqwest::Client, path: &str, body: serde_json::Value| {
        let url = server.url(&format!("/api/v1/cases/{case}/{path}"));
        let who = who.clone();
        async move { post_json(&who, url, body).await.0 }
    };
    assert_eq!(act(&alex, "resolution/propose", json!({"summary": "Fixed."})).await, 200);
    assert_eq!(act(&ada, "resolution/confirm", json!({})).await, 200);
    let advance =
        |seconds: i64| post_json(&alex, server.url("/api/v1/test-clock"), json!({"advance_seconds": seconds}));
    let reminders = |rows: &[Row]| {
        rows.iter().filter(|r| r.kind == "reopen_window_closing" && r.case_id.as_deref() == Some(&case)).count()
    };
    let day = 24 * 60 * 60;

    // The window (14 days) ends in 25 hours: too early.
    assert_eq!(advance(13 * day - 3600).await.0, 200);
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(reminders(&rows(&server)), 0);
    // In 23 hours: one reminder, to Ada, and only one however often the sender looks again.
    assert_eq!(advance(2 * 3600).await.0, 200);
    rows_until(&server, Duration::from_secs(5), |rows| reminders(rows) == 1).await;
    for _ in 0..3 {
        assert_eq!(advance(61).await.0, 200);
        tokio::time::sleep(Duration::from_millis(400)).await;
    }
    let rows = settled(&server).await;
    assert_eq!(reminders(&rows), 1);
    let reminder = rows.iter().find(|r| r.kind == "reopen_window_closing" && r.case_id.as_deref() == Some(&case));
    assert!(reminder.is_some_and(|r| r.recipient == ADA && r.sent), "{reminder:?}");
}

/// The real server binary, so it can be killed for real.
fn spawn_server(data: &Path, port: u16, smtp_url: &str) -> std::process::Child {
    std::process::Command::new(env!("CARGO_BIN_EXE_portal-api"))
        .args(["--addr", &format!("127.0.0.1:{port}"), "--static-dir", "/nonexistent", "--demo"])
        .args(["--smtp-url", smtp_url, "--data-dir"])
        .arg(data)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("portal-api starts")
}

/// Messages in flight at once: the sender's SMTP connections. Only these can have been
/// accepted and not yet marked when the server died.
const IN_FLIGHT_AT_MOST: usize = 4;

#[tokio::test]
async fn killed_mid_delivery_every_notification_arrives_and_only_an_inflight_one_twice() {
    let catcher = Catcher::start();
    let data_dir = tempfile::tempdir().expect("temp dir");
    let data = data_dir.path().join("data");
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut server = spawn_server(&data, port, &catcher.url());
    let alex = signed_in_when_up(&base, ALEX).await;
    let ada = signed_in_when_up(&base, ADA).await;
    let (_, page) = get_json(&ada, format!("{base}/api/v1/accounts/acc_acme/cases?status=in_progress&limit=1")).await;
    let case = page["data"][0]["id"].as_str().expect("a case").to_owned();

    // Three agents' tabs post answers while the sender delivers; the server dies once some
    // arrived, with answers still being posted and emails still being sent.
    let writers: Vec<_> = (0..3)
        .map(|w| {
            let (alex, url) = (alex.clone(), format!("{base}/api/v1/cases/{case}/messages"));
            tokio::spawn(async move {
                for n in 0..60 {
                    let body = json!({"body": format!("writer {w} answer {n}")});
                    let sent = alex.post(&url).header("X-Requested-With", "t").json(&body).send().await;
                    if sent.is_err() {
                        return;
                    }
                }
            })
        })
        .collect();
    catcher.wait_for(20, Duration::from_secs(20)).await;
    server.kill().expect("SIGKILL");
    server.wait().expect("reaped");
    for writer in writers {
        writer.await.expect("writer");
    }
    let before_restart = catcher.messages().len();

    let mut server = spawn_server(&data, port, &catcher.url());
    let rows =
        rows_of_until(|| rows_in(&data), Duration::from_secs(20), |rows| rows.iter().all(|r| r.sent || r.failed)).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    server.kill().expect("stopped");
    server.wait().expect("reaped");

    assert!(rows.iter().all(|r| r.sent), "none failed: {rows:#?}");
    let caught = catcher.messages();
    assert!(before_restart < caught.len(), "the restarted server delivered the rest");
    let mut received: BTreeMap<String, Vec<&Caught>> = BTreeMap::new();
    for message in &caught {
        received.entry(message.message_id()).or_default().push(message);
    }
    let expected: BTreeSet<String> = rows.iter().map(Row::header_id).collect();
    let got: BTreeSet<String> = received.keys().cloned().collect();
    assert_eq!(got, expected, "every notification arrived, and nothing else");
    let twice: Vec<_> = received.iter().filter(|(_, copies)| copies.len() > 1).collect();
    assert!(twice.len() <= IN_FLIGHT_AT_MOST, "only messages in flight at the kill arrive twice: {twice:?}");
    for (id, copies) in &twice {
        assert!(copies.iter().all(|c| c.subject() == copies[0].subject()), "{id}: a resend is the same message");
    }
    for row in &rows {
        assert_eq!(received[&row.header_id()][0].rcpt_tos, std::slice::from_ref(&row.recipient), "{row:?}");
    }
}
