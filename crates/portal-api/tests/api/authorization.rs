//! Every endpoint × every caller, with the exact status each one gets. The callers: nobody,
//! Ada (customer of Acme, whose data every row is about), Bob (customer of Globex), Tess (TAM of
//! both accounts) and Alex (support agent). All of them use the cookie session the portal uses.
//!
//! Each cell is asked on a case in the state its action needs ("given"), so a refusal is about
//! who asks, never about the moment: the refused callers go first on one subject, and every
//! caller expected to succeed gets a fresh subject of its own.

use crate::common;

use common::*;
use serde_json::{Value, json};
use std::collections::HashSet;

/// The state a row's action is tried on.
#[derive(Clone, Copy, Debug)]
enum Given {
    /// No case at all.
    Nothing,
    /// Ada's in-progress (already escalated) case, holding one attachment.
    TheCase,
    /// An open case, never escalated.
    Open,
    /// An open case Ada escalated, not acknowledged yet.
    Escalated,
    /// A resolution proposed by Bird (Alex) on an open case.
    ProposedByBird,
    /// A resolution proposed by the customer (Ada) on an open case.
    ProposedByCustomer,
    /// Proposed by Alex, confirmed by Ada just now: inside its reopen window, not rated.
    Resolved,
    /// An information request still open on a case waiting on the customer.
    OpenRequest,
    /// An unfinished upload of 3 bytes that Ada created on the case.
    AdasUpload,
    /// The unsubscribe link of Ada's progress-update emails (signed by the server's key).
    AdasUnsubscribeLink,
}

use Given::*;

struct Row {
    method: &'static str,
    path: &'static str,
    given: Given,
    body: &'static str,
    /// nobody, Ada, Bob, Tess, Alex.
    expect: [u16; 5],
}

const fn row(method: &'static str, path: &'static str, given: Given, body: &'static str, expect: [u16; 5]) -> Row {
    Row { method, path, given, body, expect }
}

const CALLERS: [&str; 5] =
    ["nobody", "Ada (customer of Acme)", "Bob (customer of Globex)", "Tess (TAM)", "Alex (agent)"];

const NEW_CASE: &str = r#"{"kind": "problem", "severity": "low", "subject": "m", "description": "d"}"#;
const MESSAGE: &str = r#"{"body": "hello"}"#;
const SUMMARY: &str = r#"{"summary": "s"}"#;
const REASON: &str = r#"{"reason": "r"}"#;
const RATING: &str = r#"{"rating": 3}"#;
const REQUEST: &str = r#"{"title": "Logs", "description": "d", "files_expected": false}"#;
const ANSWER: &str = r#"{"text": "t"}"#;
const HOURS: &str = r#"{"time_zone": "Europe/Rome", "business_hours": [], "overrides": []}"#;
const BATCH: &str = "[]";
const CLOCK: &str = r#"{"advance_seconds": 60}"#;
const SETTINGS: &str = r#"{"language": "it", "events": {"case_opened": true, "reply": true, "information_request": true,
    "progress_update": true, "resolution_proposed": true, "case_resolved": true, "reopen_window_closing": true,
    "escalation": true, "escalation_acknowledged": true}}"#;
/// What a mail client POSTs to an unsubscribe link (RFC 8058).
const ONE_CLICK: &str = "List-Unsubscribe=One-Click";
/// A token of the right shape that the server never signed.
const FORGED: &str = "/unsubscribe/usr_ada.reply.00000000000000000000";
const RESET: &str = r#"{"email": "nobody@example.com"}"#;
const NEW_PASS: &str = r#"{"password": "a longer passphrase"}"#;
/// A password change to the demo password again, so every caller still signs in with it.
const CHANGE: &str = r#"{"current_password": "portal-demo", "password": "portal-demo"}"#;

/// The status each caller gets: nobody ("none"), Ada, Bob, Tess, Alex. Rows are asked in
/// order; signing out ends the callers' sessions, so it is the last.
#[rustfmt::skip]
const MATRIX: &[Row] = &[
    //  method     path under /api/v1                                       given               body       none Ada  Bob  Tess Alex
    row("GET",     "/session",                                              Nothing,            "",       [401, 200, 200, 200, 200]),
    row("POST",    "/tokens",                                               Nothing,            "",       [401, 201, 201, 201, 201]),
    row("GET",     "/config",                                               Nothing,            "",       [401, 200, 200, 200, 200]),
    // Anyone may ask; the answer is the same for every address, with an account or not.
    row("POST",    "/password-resets",                                      Nothing,            RESET,    [202, 202, 202, 202, 202]),
    row("POST",    "/password-resets/not-a-link",                           Nothing,            NEW_PASS, [404, 404, 404, 404, 404]),
    row("PUT",     "/me/password",                                          Nothing,            CHANGE,   [401, 204, 204, 204, 204]),
    row("GET",     "/embedding",                                            Nothing,            "",       [200, 200, 200, 200, 200]),
    row("GET",     "/openapi.json",                                         Nothing,            "",       [200, 200, 200, 200, 200]),
    row("GET",     "/accounts",                                             Nothing,            "",       [401, 200, 200, 200, 200]),
    row("GET",     "/accounts/acc_acme",                                    Nothing,            "",       [401, 200, 404, 200, 200]),
    row("GET",     "/accounts/acc_acme/tam",                                Nothing,            "",       [401, 200, 404, 200, 200]),
    row("GET",     "/accounts/acc_acme/cases",                              Nothing,            "",       [401, 200, 404, 200, 200]),
    row("GET",     "/accounts/acc_acme/case-index",                         Nothing,            "",       [401, 200, 404, 200, 200]),
    row("GET",     "/accounts/acc_acme/information-requests",               Nothing,            "",       [401, 200, 404, 200, 200]),
    row("POST",    "/accounts/acc_acme/cases",                              Nothing,            NEW_CASE, [401, 201, 404, 403, 403]),
    row("GET",     "/cases/{case}",                                         TheCase,            "",       [401, 200, 404, 200, 200]),
    row("POST",    "/cases/{case}/messages",                                TheCase,            MESSAGE,  [401, 201, 404, 201, 201]),
    row("POST",    "/cases/{case}/updates",                                 TheCase,            MESSAGE,  [401, 403, 404, 201, 201]),
    row("POST",    "/cases/{case}/resolution/propose",                      Open,               SUMMARY,  [401, 200, 404, 403, 200]),
    row("POST",    "/cases/{case}/resolution/confirm",                      ProposedByBird,     "",       [401, 200, 404, 403, 403]),
    row("POST",    "/cases/{case}/resolution/confirm",                      ProposedByCustomer, "",       [401, 403, 404, 403, 200]),
    row("POST",    "/cases/{case}/resolution/decline",                      ProposedByBird,     REASON,   [401, 200, 404, 403, 403]),
    row("POST",    "/cases/{case}/resolution/decline",                      ProposedByCustomer, REASON,   [401, 403, 404, 403, 200]),
    row("POST",    "/cases/{case}/reopen",                                  Resolved,           REASON,   [401, 200, 404, 403, 403]),
    row("POST",    "/cases/{case}/satisfaction",                            Resolved,           RATING,   [401, 200, 404, 403, 403]),
    row("POST",    "/cases/{case}/escalation",                              Open,               REASON,   [401, 200, 404, 403, 403]),
    row("POST",    "/cases/{case}/escalation/acknowledge",                  Escalated,          "",       [401, 403, 404, 200, 403]),
    row("GET",     "/accounts/acc_acme/needs-action",                       Nothing,            "",       [401, 200, 404, 200, 200]),
    row("GET",     "/me/worklist",                                          Nothing,            "",       [401, 403, 403, 200, 200]),
    row("GET",     "/outbox",                                               Nothing,            "",       [401, 403, 403, 403, 200]),
    // Only on a server started with --test-clock; this one is not.
    row("POST",    "/test-clock",                                           Nothing,            CLOCK,    [401, 404, 404, 404, 404]),
    row("POST",    "/cases/{case}/information-requests",                    Open,               REQUEST,  [401, 403, 404, 403, 201]),
    row("POST",    "/cases/{case}/information-requests/{request}/answer",   OpenRequest,        ANSWER,   [401, 200, 404, 403, 403]),
    row("GET",     "/attachments/{attachment}",                             TheCase,            "",       [401, 200, 404, 200, 200]),
    row("OPTIONS", "/uploads",                                              Nothing,            "",       [204, 204, 204, 204, 204]),
    row("POST",    "/uploads",                                              TheCase,            "",       [401, 201, 404, 201, 201]),
    row("HEAD",    "/uploads/{upload}",                                     AdasUpload,         "",       [401, 200, 404, 404, 404]),
    row("GET",     "/uploads/{upload}",                                     AdasUpload,         "",       [401, 200, 404, 404, 404]),
    row("PATCH",   "/uploads/{upload}",                                     AdasUpload,         "",       [401, 204, 404, 404, 404]),
    row("DELETE",  "/uploads/{upload}",                                     AdasUpload,         "",       [401, 204, 404, 404, 404]),
    row("OPTIONS", "/uploads/{upload}",                                     AdasUpload,         "",       [204, 204, 204, 204, 204]),
    row("PUT",     "/tams/tam_tess/hours",                                  Nothing,            HOURS,    [401, 403, 403, 403, 204]),
    row("GET",     "/me/notification-settings",                             Nothing,            "",       [401, 200, 200, 200, 200]),
    row("PUT",     "/me/notification-settings",                             Nothing,            SETTINGS, [401, 200, 200, 200, 200]),
    // The token is the credential: whoever holds it, signed in or not, as mail clients do.
    row("GET",     "/unsubscribe/{token}",                                  AdasUnsubscribeLink, "",      [200, 200, 200, 200, 200]),
    row("POST",    "/unsubscribe/{token}",                                  AdasUnsubscribeLink, ONE_CLICK, [200, 200, 200, 200, 200]),
    row("GET",     FORGED,                                                  Nothing,            "",       [404, 404, 404, 404, 404]),
    row("POST",    FORGED,                                                  Nothing,            ONE_CLICK, [404, 404, 404, 404, 404]),
    // The relay authenticates with its webhook token; no session stands in for it.
    row("POST",    "/inbound/relay-webhook",                                Nothing,            BATCH,    [403, 403, 403, 403, 403]),
    row("DELETE",  "/session",                                              Nothing,            "",       [401, 204, 204, 204, 204]),
];

/// What a row's path is filled with.
#[derive(Default)]
struct Subject {
    case: String,
    request: String,
    upload: String,
    token: String,
}

/// Demo cases not used yet, and the means to bring one into the state a row needs.
struct Fixture<'a> {
    server: &'a Server,
    ada: &'a reqwest::Client,
    alex: &'a reqwest::Client,
    the_case: String,
    attachment: String,
    open: Vec<String>,
    waiting: Vec<String>,
    used: HashSet<String>,
}

impl Fixture<'_> {
    fn unused(&mut self, waiting_first: bool) -> String {
        let (first, second) = if waiting_first { (&self.waiting, &self.open) } else { (&self.open, &self.waiting) };
        let id = first.iter().chain(second).find(|id| !self.used.contains(*id)).expect("an unused open demo case");
        let id = id.clone();
        self.used.insert(id.clone());
        id
    }

    async fn act(&self, who: &reqwest::Client, case: &str, action: &str, body: Value) {
        let res = who.post(self.server.url(&format!("/api/v1/cases/{case}/{action}"))).json(&body).send().await;
        assert_eq!(res.expect(action).status(), 200, "setting up: {action} on {case}");
    }

    async fn given(&mut self, given: Given) -> Subject {
        let case = match given {
            Nothing => return Subject::default(),
            TheCase => return Subject { case: self.the_case.clone(), ..Subject::default() },
            AdasUpload => {
                let upload = create_upload(self.server, self.ada, &self.the_case).await;
                return Subject { upload, ..Subject::default() };
            }
            OpenRequest => return self.open_request().await,
            AdasUnsubscribeLink => {
                let key = crate::notification_settings::mail_key(self.server);
                let token = key.unsubscribe_token("usr_ada", portal_contract::NotificationKind::ProgressUpdate);
                return Subject { token, ..Subject::default() };
            }
            Open | Escalated | ProposedByBird | ProposedByCustomer | Resolved => self.unused(false),
        };
        let summary = json!({"summary": "Fixed on our side."});
        match given {
            Escalated => self.act(self.ada, &case, "escalation", json!({"reason": "Urgent."})).await,
            ProposedByBird => self.act(self.alex, &case, "resolution/propose", summary).await,
            ProposedByCustomer => self.act(self.ada, &case, "resolution/propose", summary).await,
            Resolved => {
                self.act(self.alex, &case, "resolution/propose", summary).await;
                self.act(self.ada, &case, "resolution/confirm", json!({})).await;
            }
            _ => {}
        }
        Subject { case, ..Subject::default() }
    }

    async fn open_request(&mut self) -> Subject {
        let case = self.unused(true);
        let (status, detail) = get_json(self.ada, self.server.url(&format!("/api/v1/cases/{case}"))).await;
        assert_eq!(status, 200);
        let request = detail["information_requests"]
            .as_array()
            .expect("requests")
            .iter()
            .find(|r| r["status"] == "open")
            .and_then(|r| r["id"].as_str())
            .expect("a demo case waiting on the customer has an open request")
            .to_owned();
        Subject { case, request, ..Subject::default() }
    }
}

/// Answers the upload's id.
async fn create_upload(server: &Server, client: &reqwest::Client, case: &str) -> String {
    let res = tus_create(client.post(server.url("/api/v1/uploads")), case).send().await.expect("create upload");
    assert_eq!(res.status(), 201, "setting up: an upload");
    let location = res.headers()["location"].to_str().expect("location");
    location.rsplit('/').next().expect("id").to_owned()
}

fn tus_create(req: reqwest::RequestBuilder, case: &str) -> reqwest::RequestBuilder {
    use base64::Engine as _;
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    req.header("Tus-Resumable", "1.0.0")
        .header("Upload-Length", "3")
        .header("Upload-Metadata", format!("filename {},case_id {}", b64("a.log"), b64(case)))
}

fn path_of(row: &Row, subject: &Subject, attachment: &str) -> String {
    row.path
        .replace("{case}", &subject.case)
        .replace("{request}", &subject.request)
        .replace("{upload}", &subject.upload)
        .replace("{attachment}", attachment)
        .replace("{token}", &subject.token)
}

async fn call(client: &reqwest::Client, server: &Server, row: &Row, path: &str, case: &str) -> (u16, String) {
    let method = reqwest::Method::from_bytes(row.method.as_bytes()).expect("method");
    let mut req = client.request(method, server.url(&format!("/api/v1{path}")));
    if path.starts_with("/uploads") {
        req = req.header("Tus-Resumable", "1.0.0");
    }
    req = match row.method {
        "POST" if path == "/uploads" => tus_create(req, case),
        "PATCH" => req
            .header("Upload-Offset", "0")
            .header("Content-Type", "application/offset+octet-stream")
            .body(b"log".to_vec()),
        _ if row.body.is_empty() => req,
        _ if row.body == ONE_CLICK => req.header("Content-Type", "application/x-www-form-urlencoded").body(row.body),
        _ => req.header("Content-Type", "application/json").body(row.body),
    };
    let res = req.send().await.expect("request");
    (res.status().as_u16(), res.text().await.unwrap_or_default())
}

async fn fixture<'a>(server: &'a Server, ada: &'a reqwest::Client, alex: &'a reqwest::Client) -> Fixture<'a> {
    let ids = |query: &'static str| all_case_ids(server, ada, "acc_acme", query);
    let the_case = ids("&status=in_progress&escalated=true").await.into_iter().next().expect("an escalated case");
    let open = ids("&status=new,in_progress&escalated=false").await;
    let waiting = ids("&status=waiting_on_customer&escalated=false").await;
    let attachment = upload(server, ada, &the_case, None, b"log").await;
    Fixture { server, ada, alex, the_case, attachment, open, waiting, used: HashSet::new() }
}

#[tokio::test]
async fn every_endpoint_answers_every_caller_exactly_as_the_table_says() {
    let server = start().await;
    let ada = server.signed_in(ADA).await;
    let alex = server.signed_in(ALEX).await;
    let callers =
        [server.anonymous(), ada.clone(), server.signed_in(BOB).await, server.signed_in(TESS).await, alex.clone()];
    let mut fixture = fixture(&server, &ada, &alex).await;
    let acme_subjects: Vec<String> = {
        let (_, page) = get_json(&ada, server.url("/api/v1/accounts/acc_acme/cases?limit=100")).await;
        page["data"]
            .as_array()
            .expect("cases")
            .iter()
            .map(|c| c["subject"].as_str().expect("subject").to_owned())
            .collect()
    };
    let mut wrong = Vec::new();
    let mut asked = 0;
    for row in MATRIX {
        // Refusals change nothing, so they share one subject; each success gets its own.
        let mut order: Vec<usize> = (0..CALLERS.len()).collect();
        order.sort_by_key(|&who| (200..300).contains(&row.expect[who]));
        let mut subject = fixture.given(row.given).await;
        let mut spent = false;
        for who in order {
            if spent {
                subject = fixture.given(row.given).await;
            }
            let path = path_of(row, &subject, &fixture.attachment);
            let (status, body) = call(&callers[who], &server, row, &path, &subject.case).await;
            asked += 1;
            // By the table, not the answer, so the demo cases suffice even when the answers are wrong.
            spent = (200..300).contains(&row.expect[who])
                && !matches!(row.method, "GET" | "HEAD" | "OPTIONS")
                && !matches!(row.given, Nothing | TheCase);
            if status != row.expect[who] {
                wrong.push(format!(
                    "{} {} ({:?}) by {}: {status}, not {}: {body}",
                    row.method, row.path, row.given, CALLERS[who], row.expect[who]
                ));
            }
            // Nobody and Bob learn nothing of Acme, whatever they are answered.
            if matches!(who, 0 | 2)
                && (body.contains("Acme Mail") || acme_subjects.iter().any(|s| body.contains(s.as_str())))
            {
                wrong.push(format!("{} {path} leaks Acme to {}: {body}", row.method, CALLERS[who]));
            }
        }
    }
    assert!(wrong.is_empty(), "{} of {asked} answers differ from the table:\n{}", wrong.len(), wrong.join("\n"));
    assert_eq!(asked, MATRIX.len() * CALLERS.len());
}

/// The demo's proposals read "proposed by Alex" in their timeline; the rules must see them so
/// too, or the agent could confirm his own proposal and close the case alone.
#[tokio::test]
async fn a_demo_proposal_is_birds_so_only_the_customer_answers_it() {
    let server = start().await;
    let ada = server.signed_in(ADA).await;
    let alex = server.signed_in(ALEX).await;
    let proposed = all_case_ids(&server, &ada, "acc_acme", "&status=resolution_proposed").await;
    assert!(proposed.len() >= 2, "the demo has proposals");
    for case in &proposed {
        let (_, detail) = get_json(&ada, server.url(&format!("/api/v1/cases/{case}"))).await;
        assert_eq!(detail["resolution"]["proposed_by"]["id"], "usr_alex", "{case}: {}", detail["resolution"]);
        assert!(detail["resolution"]["summary"].as_str().is_some_and(|s| !s.is_empty()));
    }
    let confirm = |client: &reqwest::Client, case: &str| {
        client.post(server.url(&format!("/api/v1/cases/{case}/resolution/confirm"))).send()
    };
    assert_eq!(confirm(&alex, &proposed[0]).await.expect("confirm").status(), 403, "not Alex's to answer");
    assert_eq!(confirm(&ada, &proposed[1]).await.expect("confirm").status(), 200, "Ada's to answer");
}

/// The colleagues' endpoints (#20) have their own table, with Acme's member Grace among the
/// callers: the role on the account is what they turn on.
mod colleagues {
    use crate::common::*;
    use crate::invitations::{database, emailed_token};
    use serde_json::json;

    #[derive(Clone, Copy, Debug)]
    enum Given {
        Nothing,
        /// An open invitation of Acme's, sent by Ada to a new address.
        OpenInvitation,
        /// Another admin of Acme's besides Ada: made a member or taken off, Ada stays the only
        /// admin, as the row of leaving needs.
        Colleague,
    }

    use Given::*;

    struct Row {
        method: &'static str,
        path: &'static str,
        given: Given,
        body: &'static str,
        /// nobody, Ada, Grace, Bob, Tess, Alex.
        expect: [u16; 6],
    }

    const fn row(method: &'static str, path: &'static str, given: Given, body: &'static str, expect: [u16; 6]) -> Row {
        Row { method, path, given, body, expect }
    }

    const CALLERS: [&str; 6] = [
        "nobody",
        "Ada (admin of Acme)",
        "Grace (member of Acme)",
        "Bob (admin of Globex)",
        "Tess (TAM)",
        "Alex (agent)",
    ];
    /// Each caller's own id, for `{me}`.
    const IDS: [&str; 6] = ["usr_nobody", "usr_ada", "usr_grace", "usr_bob", "usr_tess", "usr_alex"];

    const INVITE: &str = r#"{"email": "matrix@acme.example", "role": "member"}"#;
    const ROLE: &str = r#"{"role": "member"}"#;
    const ACCEPT: &str = r#"{"name": "New Colleague", "password": "a longer passphrase"}"#;

    /// Rows are asked in order: Grace leaving ends her only account and so her session, and
    /// accepting an invitation signs the caller's client in as the new person, so those come last.
    #[rustfmt::skip]
    const MATRIX: &[Row] = &[
        //  method    path under /api/v1                                given           body     none Ada  Grace Bob  Tess Alex
        row("GET",    "/accounts/acc_acme/members",                    Nothing,        "",     [401, 200, 200, 404, 200, 200]),
        row("POST",   "/accounts/acc_acme/invitations",                Nothing,        INVITE, [401, 201, 403, 404, 403, 403]),
        row("DELETE", "/accounts/acc_acme/invitations/{invitation}",   OpenInvitation, "",     [401, 204, 403, 404, 403, 403]),
        row("PATCH",  "/accounts/acc_acme/members/{member}",           Colleague,      ROLE,   [401, 200, 403, 404, 403, 403]),
        row("DELETE", "/accounts/acc_acme/members/{member}",           Colleague,      "",     [401, 204, 403, 404, 403, 403]),
        // The token is the credential: whoever holds it, signed in or not.
        row("GET",    "/invitations/{token}",                          OpenInvitation, "",     [200, 200, 200, 200, 200, 200]),
        row("GET",    "/invitations/not-a-link",                       Nothing,        "",     [404, 404, 404, 404, 404, 404]),
        row("POST",   "/invitations/not-a-link/accept",                Nothing,        ACCEPT, [404, 404, 404, 404, 404, 404]),
        // Leaving: anyone for themself; Ada is Acme's only admin, so she may not.
        row("DELETE", "/accounts/acc_acme/members/{me}",               Nothing,        "",     [401, 409, 204, 404, 403, 403]),
        row("POST",   "/invitations/{token}/accept",                   OpenInvitation, ACCEPT, [200, 200, 200, 200, 200, 200]),
    ];

    #[derive(Default)]
    struct Subject {
        invitation: String,
        token: String,
        member: String,
    }

    struct Fixture<'a> {
        server: &'a Server,
        ada: &'a reqwest::Client,
        made: usize,
        tokens: Vec<String>,
    }

    impl Fixture<'_> {
        async fn given(&mut self, given: Given) -> Subject {
            self.made += 1;
            match given {
                Nothing => Subject::default(),
                OpenInvitation => {
                    let email = format!("invitee{}@acme.example", self.made);
                    let body = json!({"email": email, "role": "member"});
                    let url = self.server.url("/api/v1/accounts/acc_acme/invitations");
                    let (status, invitation) = post_json(self.ada, url, body).await;
                    assert_eq!(status, 201, "setting up: an invitation: {invitation}");
                    let (token, _) = emailed_token(self.server, &email, &self.tokens).await;
                    self.tokens.push(token.clone());
                    let invitation = invitation["id"].as_str().expect("id").to_owned();
                    Subject { invitation, token, ..Subject::default() }
                }
                Colleague => {
                    let member = format!("usr_colleague{}", self.made);
                    let db = database(self.server);
                    db.execute(
                        "INSERT INTO users (id, email, name, role, password_hash) VALUES (?1, ?1 || '@acme.example', 'A Colleague', 'customer', '!')",
                        portal_api::params![member],
                    )
                    .expect("setting up: a colleague");
                    db.execute(
                        "INSERT INTO memberships (user_id, account_id, role) VALUES (?1, 'acc_acme', 'admin')",
                        portal_api::params![member],
                    )
                    .expect("setting up: their membership");
                    Subject { member, ..Subject::default() }
                }
            }
        }
    }

    async fn call(client: &reqwest::Client, server: &Server, row: &Row, path: &str) -> (u16, String) {
        let method = reqwest::Method::from_bytes(row.method.as_bytes()).expect("method");
        let mut req = client.request(method, server.url(&format!("/api/v1{path}")));
        if !row.body.is_empty() {
            req = req.header("Content-Type", "application/json").body(row.body);
        }
        let res = req.send().await.expect("request");
        (res.status().as_u16(), res.text().await.unwrap_or_default())
    }

    #[tokio::test]
    async fn every_colleagues_endpoint_answers_every_caller_exactly_as_the_table_says() {
        let server = start().await;
        // The fixture's own session: accepting an invitation signs a caller's client in as
        // someone else.
        let ada = server.signed_in(ADA).await;
        let callers = [
            server.anonymous(),
            server.signed_in(ADA).await,
            server.signed_in(GRACE).await,
            server.signed_in(BOB).await,
            server.signed_in(TESS).await,
            server.signed_in(ALEX).await,
        ];
        let mut fixture = Fixture { server: &server, ada: &ada, made: 0, tokens: Vec::new() };
        let acme = ["Acme Mail", GRACE, "Grace Hopper", ADA, "Ada Lovelace", "invitee"];
        let mut wrong = Vec::new();
        for row in MATRIX {
            let mut order: Vec<usize> = (0..CALLERS.len()).collect();
            order.sort_by_key(|&who| (200..300).contains(&row.expect[who]));
            let mut subject = fixture.given(row.given).await;
            let mut spent = false;
            for who in order {
                if spent {
                    subject = fixture.given(row.given).await;
                }
                let path = row
                    .path
                    .replace("{invitation}", &subject.invitation)
                    .replace("{token}", &subject.token)
                    .replace("{member}", &subject.member)
                    .replace("{me}", IDS[who]);
                let (status, body) = call(&callers[who], &server, row, &path).await;
                spent = (200..300).contains(&row.expect[who])
                    && !matches!(row.method, "GET" | "HEAD" | "OPTIONS")
                    && !matches!(row.given, Nothing);
                if status != row.expect[who] {
                    wrong.push(format!(
                        "{} {} ({:?}) by {}: {status}, not {}: {body}",
                        row.method, row.path, row.given, CALLERS[who], row.expect[who]
                    ));
                }
                // Nobody and Bob learn nothing of Acme, but from the invitation a token names.
                if matches!(who, 0 | 3) && !row.path.contains("{token}") && acme.iter().any(|a| body.contains(a)) {
                    wrong.push(format!("{} {path} leaks Acme to {}: {body}", row.method, CALLERS[who]));
                }
            }
        }
        assert!(wrong.is_empty(), "{} answers differ from the table:\n{}", wrong.len(), wrong.join("\n"));
    }
}

/// The callers of the colleagues' rows: Acme has two people now, its admin and a member.
const COLLEAGUE_CALLERS: [&str; 6] =
    ["nobody", "Ada (admin of Acme)", "Grace (member of Acme)", "Bob (admin of Globex)", "Tess (TAM)", "Alex (agent)"];

/// What a participants row is asked on: a case Ada opened, which Grace follows or not.
#[derive(Clone, Copy, Debug)]
enum Following {
    NoCase,
    Unfollowed,
    GraceFollows,
}

struct ColleagueRow {
    method: &'static str,
    path: &'static str,
    given: Following,
    body: &'static str,
    /// nobody, Ada, Grace, Bob, Tess, Alex.
    expect: [u16; 6],
}

const fn colleague_row(
    method: &'static str,
    path: &'static str,
    given: Following,
    body: &'static str,
    expect: [u16; 6],
) -> ColleagueRow {
    ColleagueRow { method, path, given, body, expect }
}

const ADD_GRACE: &str = r#"{"user_id": "usr_grace"}"#;

use Following::{GraceFollows, NoCase, Unfollowed};

/// Who follows a case: Acme's people choose (Grace too, for herself), Bird's side only sees.
#[rustfmt::skip]
const PARTICIPANT_MATRIX: &[ColleagueRow] = &[
    //           method    path under /api/v1                             given         body       none Ada  Grace Bob  Tess Alex
    colleague_row("GET",    "/accounts/acc_acme/cases?mine=true",         NoCase,       "",        [401, 200, 200, 404, 200, 200]),
    colleague_row("GET",    "/accounts/acc_acme/case-index?mine=true",    NoCase,       "",        [401, 200, 200, 404, 200, 200]),
    colleague_row("POST",   "/cases/{case}/participants",                 Unfollowed,   ADD_GRACE, [401, 201, 201, 404, 403, 403]),
    colleague_row("DELETE", "/cases/{case}/participants/usr_grace",       GraceFollows, "",        [401, 204, 204, 404, 403, 403]),
];

/// A new case of Ada's, followed by Grace when `given` says so.
async fn colleague_subject(server: &Server, ada: &reqwest::Client, given: Following, n: usize) -> String {
    if matches!(given, Following::NoCase) {
        return String::new();
    }
    let (status, case) =
        post_json(ada, server.url("/api/v1/accounts/acc_acme/cases"), new_case(&format!("Colleagues {n}"))).await;
    assert_eq!(status, 201, "setting up: a case");
    let case = case["id"].as_str().expect("id").to_owned();
    if matches!(given, Following::GraceFollows) {
        let url = server.url(&format!("/api/v1/cases/{case}/participants"));
        let (status, body) = post_json(ada, url, json!({"user_id": "usr_grace"})).await;
        assert_eq!(status, 201, "setting up: Grace follows: {body}");
    }
    case
}

#[tokio::test]
async fn the_participant_endpoints_answer_every_caller_exactly_as_the_table_says() {
    let server = start().await;
    let ada = server.signed_in(ADA).await;
    let callers = [
        server.anonymous(),
        ada.clone(),
        server.signed_in(GRACE).await,
        server.signed_in(BOB).await,
        server.signed_in(TESS).await,
        server.signed_in(ALEX).await,
    ];
    let mut wrong = Vec::new();
    let mut made = 0;
    for row in PARTICIPANT_MATRIX {
        // Refusals change nothing, so they share one subject; each success gets its own.
        let mut order: Vec<usize> = (0..COLLEAGUE_CALLERS.len()).collect();
        order.sort_by_key(|&who| (200..300).contains(&row.expect[who]));
        let mut case = colleague_subject(&server, &ada, row.given, made).await;
        made += 1;
        let mut spent = false;
        for who in order {
            if spent {
                case = colleague_subject(&server, &ada, row.given, made).await;
                made += 1;
            }
            let path = row.path.replace("{case}", &case);
            let method = reqwest::Method::from_bytes(row.method.as_bytes()).expect("method");
            let mut req = callers[who].request(method, server.url(&format!("/api/v1{path}")));
            if !row.body.is_empty() {
                req = req.header("Content-Type", "application/json").body(row.body);
            }
            let res = req.send().await.expect("request");
            let status = res.status().as_u16();
            let body = res.text().await.unwrap_or_default();
            spent = (200..300).contains(&row.expect[who]) && row.method != "GET";
            if status != row.expect[who] {
                wrong.push(format!(
                    "{} {} ({:?}) by {}: {status}, not {}: {body}",
                    row.method, row.path, row.given, COLLEAGUE_CALLERS[who], row.expect[who]
                ));
            }
            if matches!(who, 0 | 3) && ["Acme Mail", "Colleagues ", "Grace Hopper"].iter().any(|s| body.contains(s)) {
                wrong.push(format!("{} {path} leaks Acme to {}: {body}", row.method, COLLEAGUE_CALLERS[who]));
            }
        }
    }
    assert!(wrong.is_empty(), "answers differ from the table:\n{}", wrong.join("\n"));
}
