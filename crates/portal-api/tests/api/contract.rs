//! The published document against the running API: for each way a request can be wrong before
//! any handler looks at it (no credentials, a cookie write without the CSRF header, a broken or
//! mistyped JSON body, no tus version), every operation answers a status its entry documents.

use crate::common;

use common::{ADA, PASSWORD, Server};
use reqwest::Method;
use serde_json::{Value, json};

struct Operation {
    method: Method,
    path: String,
    entry: Value,
}

impl Operation {
    fn url(&self, server: &Server) -> String {
        // Every id is a made-up one: each check here fails before an id is looked up.
        let path: String = self
            .path
            .split('/')
            .map(|segment| if segment.starts_with('{') { "x_unknown" } else { segment })
            .collect::<Vec<_>>()
            .join("/");
        server.url(&path)
    }

    fn documents(&self, status: u16) -> bool {
        self.entry["responses"].get(status.to_string()).is_some()
    }

    fn takes_json(&self) -> bool {
        self.entry["requestBody"]["content"].get("application/json").is_some()
    }

    /// `None` when the document's global requirement applies (a session cookie or a token).
    fn own_security(&self) -> Option<&Vec<Value>> {
        self.entry.get("security").and_then(Value::as_array)
    }

    fn is_public(&self) -> bool {
        self.own_security().is_some_and(Vec::is_empty)
    }

    fn is_relay(&self) -> bool {
        self.own_security().into_iter().flatten().any(|r| r.get("relay_webhook_token").is_some())
    }

    fn is_write(&self) -> bool {
        ![Method::GET, Method::HEAD, Method::OPTIONS].contains(&self.method)
    }

    fn needs_tus_version(&self) -> bool {
        self.entry["parameters"].as_array().into_iter().flatten().any(|p| p["name"] == "Tus-Resumable")
    }

    /// The request, with an empty JSON body of the right shape where the operation takes one.
    fn request(&self, client: &reqwest::Client, server: &Server) -> reqwest::RequestBuilder {
        let request = client.request(self.method.clone(), self.url(server));
        if !self.takes_json() {
            return request;
        }
        let is_list = self.entry["requestBody"]["content"]["application/json"]["schema"]["type"] == "array";
        request.json(&if is_list { json!([]) } else { json!({}) })
    }

    fn name(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

fn operations() -> Vec<Operation> {
    let doc: Value = serde_json::from_str(&portal_api::openapi::pretty()).expect("the document is JSON");
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, entry) in item.as_object().expect("a path item") {
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).expect("an HTTP method");
            out.push(Operation { method, path: path.clone(), entry: entry.clone() });
        }
    }
    assert!(out.len() >= 30, "the document lists the API's operations ({})", out.len());
    out
}

fn plain_client() -> reqwest::Client {
    reqwest::Client::new()
}

/// A bearer token for Ada, minted from her cookie session.
async fn ada_token(server: &Server) -> String {
    let ada = server.signed_in(ADA).await;
    let grant: Value =
        ada.post(server.url("/api/v1/tokens")).send().await.expect("tokens").json().await.expect("grant");
    grant["token"].as_str().expect("a token").to_owned()
}

#[tokio::test]
async fn each_operation_answers_a_caller_without_credentials_as_its_security_says() {
    let server = common::start().await;
    let client = plain_client();
    for op in operations() {
        let status = op.request(&client, &server).header("X-Requested-With", "tests").send().await.expect("send");
        let status = status.status().as_u16();
        let expected: &[u16] = if op.is_public() && op.path.contains('{') {
            // A public path's token (an unsubscribe or reset link) is the made-up one, which nobody
            // signed; a reset refuses the empty body first.
            &[404, 422]
        } else if op.is_public() {
            // Signing in with an empty body is refused for its fields, not for who is asking.
            &[200, 204, 422]
        } else if op.is_relay() {
            &[403]
        } else {
            &[401]
        };
        assert!(expected.contains(&status), "{}: {status}, expected one of {expected:?}", op.name());
        assert!(op.documents(status), "{} answers {status} without credentials, undocumented", op.name());
    }
}

#[tokio::test]
async fn a_cookie_write_without_the_csrf_header_is_a_documented_403() {
    let server = common::start().await;
    let session = reqwest::Client::builder().cookie_store(true).build().expect("client");
    let res = session
        .post(server.url("/api/v1/session"))
        .json(&json!({"email": ADA, "password": PASSWORD}))
        .send()
        .await
        .expect("sign in");
    assert_eq!(res.status(), 200);
    for op in operations().into_iter().filter(|op| op.is_write() && !op.is_public() && !op.is_relay()) {
        let status = op.request(&session, &server).send().await.expect("send").status().as_u16();
        assert_eq!(status, 403, "{}", op.name());
        assert!(op.documents(403), "{} answers 403, undocumented", op.name());
    }
}

#[tokio::test]
async fn broken_and_mistyped_json_bodies_are_documented_400_and_415() {
    let server = common::start().await;
    let token = ada_token(&server).await;
    let client = plain_client();
    let webhook = portal_api::routes::inbound::TOKEN_HEADER;
    for op in operations().into_iter().filter(Operation::takes_json) {
        let send = |content_type: &'static str, body: &'static str| {
            client
                .request(op.method.clone(), op.url(&server))
                .bearer_auth(&token)
                .header(webhook, "demo-relay-token")
                .header("Content-Type", content_type)
                .body(body)
                .send()
        };
        let broken = send("application/json", "not json").await.expect("send").status().as_u16();
        assert_eq!(broken, 400, "{} with broken JSON", op.name());
        assert!(op.documents(400), "{} answers 400, undocumented", op.name());
        let mistyped = send("text/plain", "{}").await.expect("send").status().as_u16();
        assert_eq!(mistyped, 415, "{} with text/plain", op.name());
        assert!(op.documents(415), "{} answers 415, undocumented", op.name());
    }
}

#[tokio::test]
async fn a_tus_request_without_the_protocol_version_is_a_documented_412() {
    let server = common::start().await;
    let token = ada_token(&server).await;
    let client = plain_client();
    let tus: Vec<Operation> = operations().into_iter().filter(Operation::needs_tus_version).collect();
    assert_eq!(tus.len(), 4, "creation, HEAD, PATCH and DELETE name the version");
    for op in tus {
        let status = op.request(&client, &server).bearer_auth(&token).send().await.expect("send").status().as_u16();
        assert_eq!(status, 412, "{}", op.name());
        assert!(op.documents(412), "{} answers 412, undocumented", op.name());
    }
}

/// The colleagues' endpoints (#20) answer statuses no rule adds (409 for the last admin or a
/// member invited again, 410 for a spent link, 429 for too many invitations): each answer they
/// give here is documented on the operation that gave it.
#[tokio::test]
async fn the_colleagues_endpoints_document_what_they_answer() {
    use crate::common::GRACE;
    use crate::invitations::emailed_token;
    let server = common::start().await;
    let ops = operations();
    let documented = |method: &str, path: &str, status: u16| {
        let op = ops
            .iter()
            .find(|op| op.method.as_str() == method && op.path == format!("/api/v1{path}"))
            .unwrap_or_else(|| panic!("{method} {path} is not in the document"));
        assert!(op.documents(status), "{method} {path} answers {status}, undocumented");
    };
    let ada = server.signed_in(ADA).await;
    let grace = server.signed_in(GRACE).await;
    let send = |client: &reqwest::Client, method: Method, path: String, body: Option<Value>| {
        let request = client.request(method, server.url(&format!("/api/v1{path}")));
        match body {
            Some(body) => request.json(&body),
            None => request,
        }
        .send()
    };
    let members = "/accounts/{account_id}/members/{user_id}";
    let invitations = "/accounts/{account_id}/invitations";
    let answers = [
        (
            &grace,
            Method::PATCH,
            members,
            "/accounts/acc_acme/members/usr_ada".to_owned(),
            Some(json!({"role": "member"})),
        ),
        (
            &ada,
            Method::PATCH,
            members,
            "/accounts/acc_acme/members/usr_ada".to_owned(),
            Some(json!({"role": "member"})),
        ),
        (&grace, Method::DELETE, members, "/accounts/acc_acme/members/usr_ada".to_owned(), None),
        (&ada, Method::DELETE, members, "/accounts/acc_acme/members/usr_ada".to_owned(), None),
        (
            &grace,
            Method::POST,
            invitations,
            "/accounts/acc_acme/invitations".to_owned(),
            Some(json!({"email": "x@acme.example", "role": "member"})),
        ),
        (
            &ada,
            Method::POST,
            invitations,
            "/accounts/acc_acme/invitations".to_owned(),
            Some(json!({"email": GRACE, "role": "member"})),
        ),
        (&ada, Method::GET, "/invitations/{token}", "/invitations/forged".to_owned(), None),
    ];
    let mut seen = std::collections::BTreeSet::new();
    for (client, method, documented_path, path, body) in answers {
        let status = send(client, method.clone(), path, body).await.expect("send").status().as_u16();
        documented(method.as_str(), documented_path, status);
        seen.insert(status);
    }
    assert_eq!(seen, [403, 404, 409].into(), "the refusals this test means to see");

    let (mut tokens, mut statuses, mut last_id) = (Vec::new(), Vec::new(), Value::Null);
    for _ in 0..6 {
        let body = Some(json!({"email": "hedy@acme.example", "role": "member"}));
        let res = send(&ada, Method::POST, "/accounts/acc_acme/invitations".to_owned(), body).await.expect("send");
        let status = res.status().as_u16();
        documented("POST", invitations, status);
        statuses.push(status);
        if status == 201 {
            last_id = res.json::<Value>().await.expect("invitation")["id"].clone();
            tokens.push(emailed_token(&server, "hedy@acme.example", &tokens).await.0);
        }
    }
    assert_eq!(statuses.last(), Some(&429), "{statuses:?}");
    let token = tokens.last().expect("a token").clone();
    let accept = json!({"name": "Hedy Lamarr", "password": "a longer passphrase"});
    for expected in [200, 410] {
        let path = format!("/invitations/{token}/accept");
        let status = send(&server.anonymous(), Method::POST, path, Some(accept.clone())).await.expect("send");
        assert_eq!(status.status().as_u16(), expected);
        documented("POST", "/invitations/{token}/accept", expected);
    }
    let status = send(&ada, Method::GET, format!("/invitations/{token}"), None).await.expect("send");
    assert_eq!(status.status().as_u16(), 410);
    documented("GET", "/invitations/{token}", 410);
    let revoke = format!("/accounts/acc_acme/invitations/{}", last_id.as_str().expect("id"));
    let status = send(&ada, Method::DELETE, revoke, None).await.expect("send").status().as_u16();
    assert_eq!(status, 409, "an accepted invitation is not revoked");
    documented("DELETE", "/accounts/{account_id}/invitations/{invitation_id}", status);
}
