//! `--demo`: two customer accounts, their users, a TAM with business hours and an override,
//! an agent, and about thirty cases in every kind, severity and status: some waiting on the
//! customer, first responses overdue and one due soon, escalations the TAM has and has not
//! acknowledged, and a follow-up case. Seeded once: a restart
//! on the same data directory finds the users and changes nothing.

use crate::auth::hash_password;
use crate::db::Db;
use crate::error::{ApiError, ApiResult};
use crate::sql::params;
use crate::store::cases;
use crate::util::stamp;
use chrono::{Duration, NaiveTime, Utc};
use portal_contract::{
    CaseKind, CaseStatus, Channel, EventKind, HoursOverride, NewCase, Severity, TimeSpan, Topic, Weekday, WeeklyHours,
};

pub const PASSWORD: &str = "portal-demo";

pub const CREDENTIALS: &str = "Demo users (password for all: portal-demo)
  ada@acme.example     customer of Acme Mail (its admin)
  grace@acme.example   customer of Acme Mail (a member)
  bob@globex.example   customer of Globex Retail
  tess@bird.example    Technical Account Manager of both
  alex@bird.example    support agent (API only)";

const USERS: [(&str, &str, &str, &str); 5] = [
    ("usr_ada", "ada@acme.example", "Ada Lovelace", "customer"),
    ("usr_grace", "grace@acme.example", "Grace Hopper", "customer"),
    ("usr_bob", "bob@globex.example", "Bob Martin", "customer"),
    ("usr_tess", "tess@bird.example", "Tess Rinaldi", "tam"),
    ("usr_alex", "alex@bird.example", "Alex Moreau", "agent"),
];

struct DemoCase {
    account: &'static str,
    kind: CaseKind,
    severity: Severity,
    topic: Option<Topic>,
    status: CaseStatus,
    channel: Channel,
    escalated: bool,
    days_ago: i64,
    subject: &'static str,
    description: &'static str,
    /// Opened this long ago instead of `days_ago` and the row's place in the table.
    opened_minutes_ago: Option<i64>,
    /// Escalated, and the TAM acknowledged it.
    acknowledged: bool,
    /// A progress update of the TAM on a case no agent answered yet.
    tam_note: Option<&'static str>,
    /// The number of the (earlier) case this one follows up.
    follow_up_of: Option<i64>,
}

// One call per row keeps the table of demo cases readable as a table.
#[allow(clippy::too_many_arguments)]
const fn c(
    account: &'static str,
    kind: CaseKind,
    severity: Severity,
    topic: Option<Topic>,
    status: CaseStatus,
    channel: Channel,
    escalated: bool,
    days_ago: i64,
    subject: &'static str,
    description: &'static str,
) -> DemoCase {
    DemoCase {
        account,
        kind,
        severity,
        topic,
        status,
        channel,
        escalated,
        days_ago,
        subject,
        description,
        opened_minutes_ago: None,
        acknowledged: false,
        tam_note: None,
        follow_up_of: None,
    }
}

impl DemoCase {
    const fn opened_minutes_ago(self, minutes: i64) -> DemoCase {
        DemoCase { opened_minutes_ago: Some(minutes), ..self }
    }

    const fn acknowledged(self) -> DemoCase {
        DemoCase { acknowledged: true, ..self }
    }

    const fn tam_note(self, note: &'static str) -> DemoCase {
        DemoCase { tam_note: Some(note), ..self }
    }

    const fn follow_up_of(self, number: i64) -> DemoCase {
        DemoCase { follow_up_of: Some(number), ..self }
    }
}

use CaseKind::{ConfigurationRequest as Config, InformationRequest as Info, Problem};
use CaseStatus::{InProgress, New, ResolutionProposed as Proposed, Resolved, WaitingOnCustomer as Waiting};
use Channel::{Email, Portal};
use Severity::{Critical, High, Low, Normal};

const CASES: [DemoCase; 32] = [
    c(
        "acc_acme",
        Problem,
        Critical,
        None,
        InProgress,
        Portal,
        true,
        1,
        "Gmail is deferring all messages from our pool",
        "Since 07:40 UTC every message to gmail.com gets a 421-4.7.28 deferral. Volume is normal. Message IDs attached in the first reply.",
    ),
    c(
        "acc_acme",
        Problem,
        High,
        Some(Topic::MailboxProviderMediation),
        Waiting,
        Email,
        false,
        3,
        "Outlook.com blocks our new IP 192.0.2.14",
        "Bounces read 550 5.7.1 S3150 for all hotmail.com and outlook.com recipients since Monday.",
    ),
    c(
        "acc_acme",
        Config,
        Normal,
        None,
        New,
        Portal,
        false,
        0,
        "Add a second sending domain for receipts",
        "We want receipts to come from receipts.acme.example with its own DKIM key.",
    ),
    c(
        "acc_acme",
        Info,
        Low,
        None,
        Resolved,
        Email,
        false,
        40,
        "Which webhook events carry the campaign id?",
        "We need to join engagement events with our campaign table.",
    ),
    c(
        "acc_acme",
        Problem,
        Normal,
        None,
        Proposed,
        Portal,
        false,
        9,
        "Open tracking pixel shows broken images in Apple Mail",
        "Some recipients report a broken image icon at the bottom of our newsletters.",
    ),
    c(
        "acc_acme",
        Config,
        High,
        Some(Topic::MigrationPlanning),
        InProgress,
        Portal,
        false,
        12,
        "Plan the migration of our transactional stream",
        "We send 2M transactional messages a day from our own MTA and want to move them over eight weeks, with IP warm-up.",
    ),
    c(
        "acc_acme",
        Problem,
        Low,
        None,
        Resolved,
        Portal,
        false,
        60,
        "Suppression list export has an empty column",
        "The CSV export has a header 'reason' but the column is empty for every row.",
    ),
    c(
        "acc_acme",
        Info,
        Normal,
        None,
        Waiting,
        Portal,
        false,
        5,
        "What is the retention of message events?",
        "Our auditors ask how long message events are kept and whether they can be exported.",
    ),
    c(
        "acc_acme",
        Problem,
        High,
        None,
        New,
        Email,
        false,
        0,
        "Spike of soft bounces to yahoo.com",
        "Soft bounces to yahoo.com went from 0.2% to 6% this morning. No changes on our side.",
    )
    // The TAM's word is not the first response: this one is still due (and overdue) until an
    // agent answers.
    .tam_note("I have asked the delivery team to look at this first; an agent will answer shortly."),
    c(
        "acc_acme",
        Config,
        Low,
        None,
        Resolved,
        Email,
        false,
        25,
        "Rename our subaccount 'Marketing EU'",
        "Please rename it to 'Marketing Europe'.",
    ),
    c(
        "acc_acme",
        Problem,
        Critical,
        None,
        Resolved,
        Portal,
        false,
        18,
        "API returns 500 on transmissions",
        "POST /transmissions answers 500 for about 3% of calls since 14:00 UTC.",
    ),
    c(
        "acc_acme",
        Problem,
        Normal,
        Some(Topic::MailboxProviderMediation),
        InProgress,
        Portal,
        true,
        7,
        "Mail to a regional ISP lands in spam",
        "Engagement is good but messages to a regional ISP have gone to spam for two weeks.",
    ),
    c(
        "acc_acme",
        Info,
        Low,
        Some(Topic::Other),
        New,
        Portal,
        false,
        1,
        "Can we get a copy of the DPA?",
        "Legal asks for the current data processing agreement.",
    ),
    c(
        "acc_acme",
        Config,
        Normal,
        None,
        Proposed,
        Email,
        false,
        11,
        "Enable click tracking on the custom domain",
        "Click tracking should use track.acme.example instead of the shared domain.",
    ),
    c(
        "acc_acme",
        Problem,
        High,
        None,
        Waiting,
        Portal,
        false,
        4,
        "Inbound relay drops attachments over 5 MB",
        "Messages relayed to our webhook arrive without their larger attachments.",
    ),
    c(
        "acc_acme",
        Info,
        Normal,
        Some(Topic::MigrationPlanning),
        Resolved,
        Portal,
        false,
        30,
        "How many IPs do we need for 5M messages a day?",
        "We are planning next year's volume and need a dedicated IP estimate.",
    ),
    c(
        "acc_acme",
        Problem,
        Low,
        None,
        InProgress,
        Email,
        false,
        6,
        "Typo in the bounce classification docs",
        "Bounce class 54 is described as 'soft' but behaves as a hard bounce.",
    ),
    c(
        "acc_acme",
        Config,
        High,
        None,
        New,
        Portal,
        false,
        0,
        "Raise our hourly sending limit for Black Friday",
        "We expect 3x normal volume between Thursday and Monday.",
    ),
    c(
        "acc_acme",
        Problem,
        Normal,
        None,
        Resolved,
        Email,
        false,
        45,
        "DKIM signature fails for one selector",
        "Messages signed with selector s2 fail DKIM at every receiver.",
    ),
    c(
        "acc_acme",
        Info,
        Low,
        None,
        InProgress,
        Portal,
        false,
        2,
        "Difference between delay and out-of-band bounce?",
        "Our dashboard shows both; what does each mean for retries?",
    ),
    c(
        "acc_acme",
        Problem,
        High,
        Some(Topic::MailboxProviderMediation),
        Proposed,
        Portal,
        false,
        14,
        "Apple iCloud rejects with 554 5.7.1",
        "All mail to icloud.com and me.com is rejected since our last campaign.",
    ),
    c(
        "acc_acme",
        Config,
        Normal,
        None,
        Waiting,
        Email,
        false,
        8,
        "Set up SSO for our team",
        "We want our 12 users to sign in through our identity provider.",
    ),
    c(
        "acc_acme",
        Problem,
        Critical,
        None,
        New,
        Portal,
        false,
        0,
        "Webhooks stopped arriving",
        "No webhook batch has reached our endpoint for 40 minutes; our endpoint is up.",
    ),
    c(
        "acc_acme",
        Info,
        Normal,
        None,
        Resolved,
        Portal,
        false,
        90,
        "Are there limits on template size?",
        "Our biggest template is 180 KB of HTML.",
    ),
    c(
        "acc_globex",
        Problem,
        High,
        None,
        InProgress,
        Portal,
        false,
        2,
        "Order confirmations delayed by 20 minutes",
        "Confirmations leave our system on time but arrive 20 minutes late at every provider.",
    ),
    c(
        "acc_globex",
        Config,
        Normal,
        Some(Topic::MigrationPlanning),
        New,
        Email,
        false,
        1,
        "Warm-up plan for two new dedicated IPs",
        "Globex Retail is adding two IPs before the holiday season.",
    ),
    c(
        "acc_globex",
        Info,
        Low,
        None,
        Resolved,
        Portal,
        false,
        20,
        "Which regions store our data?",
        "Our compliance team needs the data residency details.",
    ),
    c(
        "acc_globex",
        Problem,
        Normal,
        None,
        Waiting,
        Portal,
        true,
        5,
        "Unsubscribe link returns 404",
        "The one-click unsubscribe link in our footer returns 404 for some recipients.",
    ),
    c(
        "acc_globex",
        Problem,
        Critical,
        None,
        Proposed,
        Email,
        false,
        3,
        "All mail bouncing with 'relay access denied'",
        "Every message bounces with 554 relay access denied since the DNS change.",
    ),
    c(
        "acc_globex",
        Config,
        Low,
        None,
        InProgress,
        Portal,
        false,
        10,
        "Change the reply-to of our receipts",
        "Replies should go to care@globex.example.",
    ),
    c(
        "acc_acme",
        Problem,
        High,
        Some(Topic::MailboxProviderMediation),
        InProgress,
        Portal,
        true,
        2,
        "t-online.de rejects us after the IP change",
        "Since we moved to our new dedicated IPs, t-online.de rejects every message with 554 'IP blacklisted'.",
    )
    .acknowledged(),
    c(
        "acc_acme",
        Problem,
        High,
        None,
        New,
        Portal,
        false,
        0,
        "The 500s on transmissions are back",
        "POST /transmissions answers 500 again since 08:10 UTC, for about 1% of calls.",
    )
    .follow_up_of(1011)
    // Due in an hour and a half: at risk on the worklist, not overdue yet. Opened over an hour
    // ago, so it does not count against Ada's cases of the last hour.
    .opened_minutes_ago(150),
];

fn tam_hours() -> (Vec<WeeklyHours>, Vec<HoursOverride>) {
    let at = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap_or_default();
    let weekly = [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri]
        .into_iter()
        .map(|weekday| WeeklyHours { weekday, spans: vec![TimeSpan { start: at(9), end: at(18) }] })
        .collect();
    let holiday = (Utc::now().with_timezone(&chrono_tz::Europe::Rome) + Duration::days(7)).date_naive();
    (weekly, vec![HoursOverride { date: holiday, spans: vec![], note: Some("Company holiday".into()) }])
}

pub async fn seed(db: &Db) -> ApiResult<()> {
    let seeded: i64 = db
        .call(|conn| Ok(conn.query_row("SELECT COUNT(*) FROM users WHERE role <> 'system'", [], |r| r.get(0))?))
        .await?;
    if seeded > 0 {
        return Ok(());
    }
    let hashes =
        tokio::task::spawn_blocking(|| USERS.iter().map(|_| hash_password(PASSWORD)).collect::<ApiResult<Vec<_>>>())
            .await
            .map_err(|e| ApiError::Internal(e.to_string()))??;
    db.call(move |conn| {
        let tx = conn.transaction()?;
        // Asked again under the writer's lock: another instance starting beside this one on the
        // same database may have seeded it meanwhile.
        let seeded: i64 = tx.query_row("SELECT COUNT(*) FROM users WHERE role <> 'system'", [], |r| r.get(0))?;
        if seeded > 0 {
            return Ok(());
        }
        for ((id, email, name, role), hash) in USERS.iter().zip(&hashes) {
            tx.execute("INSERT INTO users (id, email, name, role, password_hash) VALUES (?1, ?2, ?3, ?4, ?5)", params![id, email, name, role, hash])?;
        }
        let (weekly, overrides) = tam_hours();
        tx.execute(
            "INSERT INTO tams (id, user_id, phone, photo_url, time_zone, weekly_hours, overrides) VALUES ('tam_tess', 'usr_tess', '+39 02 1234 5678', NULL, 'Europe/Rome', ?1, ?2)",
            params![serde_json::to_string(&weekly).unwrap_or_default(), serde_json::to_string(&overrides).unwrap_or_default()],
        )?;
        for (id, name) in [("acc_acme", "Acme Mail"), ("acc_globex", "Globex Retail")] {
            tx.execute("INSERT INTO accounts (id, name, plan, tam_id) VALUES (?1, ?2, 'Premium Email', 'tam_tess')", params![id, name])?;
        }
        let now = Utc::now();
        for (user, account, role, days) in
            [("usr_ada", "acc_acme", "admin", 400), ("usr_grace", "acc_acme", "member", 90), ("usr_bob", "acc_globex", "admin", 300)]
        {
            tx.execute(
                "INSERT INTO memberships (user_id, account_id, role, joined_at) VALUES (?1, ?2, ?3, ?4)",
                params![user, account, role, stamp(now - Duration::days(days))],
            )?;
        }
        for (i, demo) in CASES.iter().enumerate() {
            let ago = match demo.opened_minutes_ago {
                Some(minutes) => Duration::minutes(minutes),
                None => Duration::days(demo.days_ago) + Duration::minutes(37 * (i as i64 + 1)),
            };
            seed_case(&tx, demo, now - ago)?;
        }
        tx.commit()?;
        Ok(())
    })
    .await
}

fn seed_case(tx: &crate::sql::Transaction, demo: &DemoCase, opened: chrono::DateTime<Utc>) -> ApiResult<()> {
    let customer = if demo.account == "acc_acme" { "usr_ada" } else { "usr_bob" };
    let follow_up_of = match demo.follow_up_of {
        Some(number) => {
            Some(tx.query_row("SELECT id FROM cases WHERE number = ?1", params![number], |r| r.get::<_, String>(0))?)
        }
        None => None,
    };
    let new = NewCase {
        kind: demo.kind,
        severity: demo.severity,
        subject: demo.subject.into(),
        description: demo.description.into(),
        topic: demo.topic,
        follow_up_of: follow_up_of.map(Into::into),
    };
    let answered = demo.status != New;
    let id = cases::create(tx, demo.account, customer, Some("usr_alex"), &new, demo.channel, opened)?;
    tx.execute("UPDATE cases SET channel = ?2 WHERE id = ?1", params![id, demo.channel.as_str()])?;
    if let Some(note) = demo.tam_note {
        cases::record_event(
            tx,
            &id,
            EventKind::ProgressUpdate,
            "usr_tess",
            Some(note),
            None,
            opened + Duration::minutes(20),
        )?;
    }
    if !answered {
        return Ok(());
    }
    let mut at = opened + Duration::minutes(42);
    let mut step = |minutes: i64| {
        at += Duration::minutes(minutes);
        at
    };
    let first = step(0);
    cases::record_event(
        tx,
        &id,
        EventKind::Message,
        "usr_alex",
        Some("Thanks for the details. I am looking into it now and will update you within the hour."),
        None,
        first,
    )?;
    tx.execute("UPDATE cases SET first_response_at = ?2 WHERE id = ?1", params![id, crate::util::stamp(first)])?;
    cases::set_status(tx, &id, InProgress, step(1))?;
    cases::record_event(
        tx,
        &id,
        EventKind::ProgressUpdate,
        "usr_alex",
        Some("I reproduced the behaviour and opened an internal investigation with the delivery team."),
        None,
        step(95),
    )?;
    if demo.escalated {
        let escalated = step(30);
        cases::record_event(
            tx,
            &id,
            EventKind::Escalation,
            customer,
            Some("This is blocking our production mail; please involve our TAM."),
            None,
            escalated,
        )?;
        tx.execute("UPDATE cases SET escalated_at = ?2 WHERE id = ?1", params![id, crate::util::stamp(escalated)])?;
        if demo.acknowledged {
            let seen = step(45);
            crate::store::resolution::acknowledge_escalation(tx, &id, "usr_tess", seen)?;
            cases::record_event(tx, &id, EventKind::EscalationAcknowledged, "usr_tess", None, None, seen)?;
        }
    }
    match demo.status {
        Waiting => {
            // Waiting on the customer means an open information request, as in the API.
            let asked = step(60);
            let request = portal_contract::NewInformationRequest {
                title: "Message headers".into(),
                description: "Could you send us the full headers of one affected message and the time it was sent?"
                    .into(),
                files_expected: true,
            };
            let request_id = crate::store::information_requests::raise(tx, &id, "usr_alex", &request, asked)?;
            let event = cases::record_event(
                tx,
                &id,
                EventKind::InformationRequestRaised,
                "usr_alex",
                Some("Message headers"),
                None,
                asked,
            )?;
            cases::link_event(tx, &event, Some(&request_id), &[])?;
            cases::set_status(tx, &id, Waiting, step(1))?;
        }
        Proposed | Resolved => {
            cases::record_event(
                tx,
                &id,
                EventKind::Message,
                customer,
                Some("Thank you, it looks better on our side since this morning."),
                None,
                step(600),
            )?;
            let summary =
                "The configuration was corrected and traffic is back to normal. Can you confirm it is resolved?";
            let proposed = step(30);
            // Recorded as the API records it, so the rules know Bird proposed and only the
            // customer may answer.
            crate::store::resolution::propose(tx, &id, "usr_alex", summary, proposed)?;
            cases::record_event(tx, &id, EventKind::ResolutionProposed, "usr_alex", Some(summary), None, proposed)?;
            cases::set_status(tx, &id, Proposed, step(1))?;
            if demo.status == Resolved {
                let confirmed = step(240);
                crate::store::resolution::confirm(tx, &id, customer, confirmed)?;
                cases::record_event(tx, &id, EventKind::ResolutionConfirmed, customer, None, None, confirmed)?;
                cases::set_status(tx, &id, Resolved, step(1))?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// `--demo-large`: a third account, "Umbrella Logistics", with 10,000 cases for measuring the
/// list at scale. Its customer is `carol@umbrella.example` (password `portal-demo`).
pub const LARGE_CASES: usize = 10_000;

pub async fn seed_large(db: &Db) -> ApiResult<()> {
    let seeded: i64 = db
        .call(|conn| Ok(conn.query_row("SELECT COUNT(*) FROM accounts WHERE id = 'acc_umbrella'", [], |r| r.get(0))?))
        .await?;
    if seeded > 0 {
        return Ok(());
    }
    let hash = tokio::task::spawn_blocking(|| hash_password(PASSWORD))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))??;
    db.call(move |conn| {
        let tx = conn.transaction()?;
        tx.execute("INSERT INTO users (id, email, name, role, password_hash) VALUES ('usr_carol', 'carol@umbrella.example', 'Carol Danvers', 'customer', ?1)", params![hash])?;
        tx.execute("INSERT INTO accounts (id, name, plan, tam_id) VALUES ('acc_umbrella', 'Umbrella Logistics', 'Premium Email', 'tam_tess')", [])?;
        tx.execute("INSERT INTO memberships (user_id, account_id, role) VALUES ('usr_carol', 'acc_umbrella', 'admin')", [])?;
        let now = Utc::now();
        let kinds = [Problem, Config, Info];
        let severities = [Critical, High, Normal, Low];
        let statuses = [New, InProgress, Waiting, Proposed, Resolved, Resolved];
        for i in 0..LARGE_CASES {
            let source = &CASES[i % CASES.len()];
            let new = NewCase {
                kind: kinds[i % kinds.len()],
                severity: severities[(i / 3) % severities.len()],
                subject: format!("{} (#{i})", source.subject),
                description: source.description.to_owned(),
                topic: source.topic,
                follow_up_of: None,
            };
            let opened = now - Duration::minutes(i as i64 * 7);
            let id = cases::create(&tx, "acc_umbrella", "usr_carol", Some("usr_alex"), &new, if i % 4 == 0 { Email } else { Portal }, opened)?;
            tx.execute("UPDATE cases SET status = ?2 WHERE id = ?1", params![id, statuses[i % statuses.len()].as_str()])?;
        }
        tx.commit()?;
        Ok(())
    })
    .await
}
