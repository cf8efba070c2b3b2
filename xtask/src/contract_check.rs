//! The published contract seen from outside, against a running demo API (the debug build):
//! schemathesis generates requests from the document and checks every answer against it, and a
//! TypeScript client generated from the checked-in document signs in with it.

use crate::http::{Answer, request, request_with};
use crate::root;
use crate::run::{Result, tee};
use crate::summary::{self, Tally};
use crate::tools::{cmd, ensure_schemathesis, target_dir};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

/// Who schemathesis signs in as: a customer, then a support agent, so the operations only Bird's
/// side may take (proposing a resolution, asking for information, a TAM's hours) are reached too.
const PEOPLE: [&str; 2] = ["ada@acme.example", "alex@bird.example"];
const CHECKS: &str = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance";
/// Test cases per operation in each schemathesis phase: about 2,900 requests per person, and the
/// whole phase (both people) in 2 min 10 s on the 2-core machine; 200 took 4 min for one person.
const MAX_EXAMPLES: &str = "60";
/// What `--demo` sets as the relay webhook's shared secret.
const RELAY_TOKEN: &str = "demo-relay-token";
const WEBHOOK_HEADER: &str = "X-MessageSystems-Webhook-Token";
/// Path parameters the demo data can fill, by the prefix of their ids.
const ID_PREFIXES: [(&str, &str); 6] = [
    ("account_id", "acc_"),
    ("case_id", "case_"),
    ("request_id", "ir_"),
    ("tam_id", "tam_"),
    ("attachment_id", "att_"),
    ("upload_id", "upl_"),
];

/// `portal-api --demo` on a free loopback port with its own data directory, stopped on drop.
struct DemoApi {
    child: Child,
    addr: String,
    dir: PathBuf,
}

impl DemoApi {
    /// Starts the debug build; `name` keeps each phase's data, log and reports apart (under
    /// `target/contract/`, replaced by the next run, kept for reading after a failure).
    fn start(name: &str) -> Result<DemoApi> {
        let (built, _) = tee(cmd("cargo").args(["build", "-p", "portal-api"]))?;
        if !built {
            return Err("the API does not build".into());
        }
        let dir = target_dir().join("contract").join(name);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
        let addr = free_addr()?;
        let log = std::fs::File::create(dir.join("portal-api.log")).map_err(|e| e.to_string())?;
        let log_too = log.try_clone().map_err(|e| e.to_string())?;
        let child = Command::new(target_dir().join("debug/portal-api"))
            .args(["--demo", "--addr", &addr, "--data-dir"])
            .arg(dir.join("data"))
            .stdout(log)
            .stderr(log_too)
            .spawn()
            .map_err(|e| format!("starting portal-api: {e}"))?;
        let mut api = DemoApi { child, addr, dir };
        api.wait_until_answering()?;
        Ok(api)
    }

    fn wait_until_answering(&mut self) -> Result<()> {
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if let Ok(Some(exit)) = self.child.try_wait() {
                return Err(format!("portal-api exited ({exit}); see {}/portal-api.log", self.dir.display()));
            }
            if request(&self.addr, "GET", "/api/v1/embedding", None, None).is_ok_and(|a| a.status == 200) {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        Err(format!("portal-api did not answer on {} within 60 s", self.addr))
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Signs in with the cookie session and mints a bearer token with it.
    fn bearer_token(&self, email: &str) -> Result<String> {
        let credentials = serde_json::json!({"email": email, "password": "portal-demo"}).to_string();
        let signed_in = expect(request(&self.addr, "POST", "/api/v1/session", None, Some(&credentials))?, 200)?;
        let cookie = signed_in.header("set-cookie").and_then(|c| c.split(';').next()).ok_or("no session cookie")?;
        let grant = expect(request(&self.addr, "POST", "/api/v1/tokens", Some(cookie), None)?, 201)?;
        let grant: Value = serde_json::from_str(&grant.body).map_err(|e| format!("POST /tokens: {e}"))?;
        grant["token"].as_str().map(str::to_owned).ok_or_else(|| "POST /tokens answered no token".into())
    }
}

impl Drop for DemoApi {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_addr() -> Result<String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| format!("no free port: {e}"))?;
    listener.local_addr().map(|a| a.to_string()).map_err(|e| e.to_string())
}

fn expect(answer: Answer, status: u16) -> Result<Answer> {
    if answer.status == status {
        Ok(answer)
    } else {
        Err(format!("expected {status}, the API answered {}: {}", answer.status, answer.body))
    }
}

/// Ids of the demo data the token's holder may see, by path parameter, so generated requests
/// reach the handlers instead of stopping at 404: read from their accounts, cases and requests,
/// plus one new upload.
fn demo_ids(api: &DemoApi, token: &str) -> Result<BTreeMap<&'static str, BTreeSet<String>>> {
    let bearer = format!("Bearer {token}");
    let get = |path: &str| -> Result<Value> {
        let answer = expect(request_with(&api.addr, "GET", path, None, &[("Authorization", &bearer)], &[])?, 200)?;
        serde_json::from_str(&answer.body).map_err(|e| format!("GET {path}: {e}"))
    };
    let mut answers = vec![get("/api/v1/session")?];
    let accounts: Vec<String> = answers[0]["accounts"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| a["id"].as_str().map(str::to_owned))
        .collect();
    for account in &accounts {
        for tail in ["cases?limit=100", "information-requests", "tam"] {
            answers.push(get(&format!("/api/v1/accounts/{account}/{tail}"))?);
        }
    }
    let open_cases: Vec<String> = answers
        .iter()
        .flat_map(|a| a["data"].as_array().into_iter().flatten())
        .filter(|c| c["status"].as_str().is_some_and(|s| s != "resolved"))
        .filter_map(|c| c["id"].as_str().map(str::to_owned))
        .collect();
    for case in open_cases.iter().take(5) {
        answers.push(get(&format!("/api/v1/cases/{case}"))?);
    }
    let mut ids = BTreeMap::new();
    for answer in &answers {
        collect_ids(answer, &mut ids);
    }
    let case = open_cases.first().ok_or("no open case in the demo data")?;
    let unfinished = new_upload(api, &bearer, case)?;
    let finished = new_upload(api, &bearer, case)?;
    let attachment = finish_upload(api, &bearer, &finished)?;
    collect_ids(&attachment, &mut ids);
    ids.entry("upload_id").or_default().insert(unfinished);
    Ok(ids)
}

fn collect_ids(value: &Value, ids: &mut BTreeMap<&'static str, BTreeSet<String>>) {
    match value {
        Value::String(s) => {
            if let Some((param, _)) = ID_PREFIXES.iter().find(|(_, prefix)| s.starts_with(prefix)) {
                ids.entry(*param).or_default().insert(s.clone());
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_ids(v, ids)),
        Value::Object(map) => map.values().for_each(|v| collect_ids(v, ids)),
        _ => {}
    }
}

/// What the demo uploads: a small text file, the kind any case may carry.
const NOTES: &[u8] = b"Message-ID: <1@acme.example> deferred 421-4.7.28, retried at 07:45.\n";

/// An upload on an open case, so the tus HEAD, PATCH and DELETE meet a real one.
fn new_upload(api: &DemoApi, bearer: &str, case: &str) -> Result<String> {
    use base64::Engine as _;
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let meta = format!("filename {},filetype {},case_id {}", b64("notes.txt"), b64("text/plain"), b64(case));
    let length = NOTES.len().to_string();
    let headers =
        [("Authorization", bearer), ("Tus-Resumable", "1.0.0"), ("Upload-Length", &length), ("Upload-Metadata", &meta)];
    let created = expect(request_with(&api.addr, "POST", "/api/v1/uploads", None, &headers, &[])?, 201)?;
    let location = created.header("location").ok_or("an upload without Location")?;
    location.rsplit('/').next().map(str::to_owned).ok_or_else(|| format!("an odd Location: {location}"))
}

/// schemathesis's configuration: the token and relay secret on every request (kept off the
/// echoed command line), the serializer hook, and the demo ids for 80% of path parameters (the
/// rest stay made up, so unknown ids are exercised too).
/// Sends the whole file; answers the finished upload, which names its attachment.
fn finish_upload(api: &DemoApi, bearer: &str, upload: &str) -> Result<Value> {
    let path = format!("/api/v1/uploads/{upload}");
    let headers = [
        ("Authorization", bearer),
        ("Tus-Resumable", "1.0.0"),
        ("Upload-Offset", "0"),
        ("Content-Type", "application/offset+octet-stream"),
    ];
    expect(request_with(&api.addr, "PATCH", &path, None, &headers, NOTES)?, 204)?;
    let done = expect(request_with(&api.addr, "GET", &path, None, &[("Authorization", bearer)], &[])?, 200)?;
    serde_json::from_str(&done.body).map_err(|e| format!("GET {path}: {e}"))
}

fn schemathesis_config(token: &str, ids: &BTreeMap<&'static str, BTreeSet<String>>) -> String {
    let quote = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let hooks = root().join("xtask/schemathesis_hooks.py");
    let mut toml = format!(
        "hooks = {}\n\n[headers]\nAuthorization = {}\n{WEBHOOK_HEADER} = {}\n",
        quote(&hooks.to_string_lossy()),
        quote(&format!("Bearer {token}")),
        quote(RELAY_TOKEN)
    );
    for (param, values) in ids {
        let list: Vec<String> = values.iter().map(|v| quote(v)).collect();
        toml.push_str(&format!("\n[dictionaries.{param}]\nvalues = [{}]\n", list.join(", ")));
    }
    toml.push_str("\n[parameters]\n");
    for param in ids.keys() {
        toml.push_str(&format!("\"path.{param}\" = {{ dictionary = \"{param}\", probability = 0.8 }}\n"));
    }
    toml
}

/// schemathesis against the running API, once for each of `PEOPLE`, signed in with a bearer
/// token; every operation but `DELETE /session`, which would sign that token out and leave
/// nothing else to test.
pub fn schemathesis() -> Result<(bool, Tally)> {
    let st = ensure_schemathesis()?;
    let api = DemoApi::start("schemathesis")?;
    // Every token first: the fuzzed sign-ins of the first run trip the sign-in throttle.
    let tokens: Vec<(&str, String)> =
        PEOPLE.iter().map(|email| api.bearer_token(email).map(|t| (*email, t))).collect::<Result<_>>()?;
    let mut all_ok = true;
    let mut total = Tally::default();
    for (email, token) in &tokens {
        let (ok, tally) = schemathesis_as(&st, &api, email, token)?;
        all_ok &= ok && tally.failed == 0 && tally.ran_any();
        total += tally;
    }
    Ok((all_ok, total))
}

fn schemathesis_as(st: &std::path::Path, api: &DemoApi, email: &str, token: &str) -> Result<(bool, Tally)> {
    println!("--> schemathesis signed in as {email}");
    let ids = demo_ids(api, token)?;
    let name = email.split('@').next().unwrap_or(email);
    let config = api.dir.join(format!("schemathesis-{name}.toml"));
    std::fs::write(&config, schemathesis_config(token, &ids)).map_err(|e| e.to_string())?;
    let report = api.dir.join(format!("junit-{name}.xml"));
    let mut run = Command::new(st);
    run.current_dir(&api.dir)
        .arg("--config-file")
        .arg(&config)
        .args(["--no-color", "run", &format!("{}/api/v1/openapi.json", api.url()), "--url", &api.url()])
        .args(["--checks", CHECKS, "--max-examples", MAX_EXAMPLES, "--exclude-operation-id", "sign_out"])
        .args(["--report", "junit", "--report-junit-path"])
        .arg(&report);
    let (ok, _) = tee(&mut run)?;
    let tally = std::fs::read_to_string(&report).ok().and_then(|r| summary::junit(&r)).unwrap_or_default();
    Ok((ok, tally))
}

/// Types generated from crates/portal-api/openapi.json (openapi-typescript), a client on them
/// (openapi-fetch) that must type-check with `tsc --strict`, then run against the API.
pub fn generated_client() -> Result<(bool, Tally)> {
    let e2e = root().join("end2end");
    let _ = std::fs::remove_dir_all(e2e.join("contract/generated"));
    let (generated, _) = tee(cmd("openapi-typescript").current_dir(&e2e).args([
        "../crates/portal-api/openapi.json",
        "--enum-values",
        "--output",
        "contract/generated/schema.ts",
    ]))?;
    if !generated {
        return Err("openapi-typescript cannot read the document".into());
    }
    let (compiled, _) = tee(cmd("tsc").current_dir(&e2e).args(["-p", "contract/tsconfig.json"]))?;
    if !compiled {
        return Err("the client does not type-check against the generated types".into());
    }
    let api = DemoApi::start("client")?;
    let (ok, out) = tee(cmd("node")
        .current_dir(&e2e)
        .args(["--test", "contract/generated/out/sign-in.test.js"])
        .env("PORTAL_API_URL", api.url()))?;
    let tally = summary::node_tap(&out).unwrap_or_default();
    Ok((ok && tally.failed == 0 && tally.ran_any(), tally))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_collected_by_their_prefix_wherever_they_appear() {
        let answer = serde_json::json!({"data": [{"id": "case_1", "account_id": "acc_acme",
            "attachments": [{"id": "att_9"}], "request": {"id": "ir_2"}, "code": "not_an_id"}]});
        let mut ids = BTreeMap::new();
        collect_ids(&answer, &mut ids);
        let names: Vec<(&str, Vec<&str>)> =
            ids.iter().map(|(k, v)| (*k, v.iter().map(String::as_str).collect())).collect();
        assert_eq!(
            names,
            [
                ("account_id", vec!["acc_acme"]),
                ("attachment_id", vec!["att_9"]),
                ("case_id", vec!["case_1"]),
                ("request_id", vec!["ir_2"])
            ]
        );
    }

    #[test]
    fn the_configuration_binds_each_known_parameter_to_its_ids() {
        let ids = BTreeMap::from([("case_id", BTreeSet::from(["case_1".to_owned(), "case_2".to_owned()]))]);
        let toml = schemathesis_config("tok\"en", &ids);
        assert!(toml.contains("Authorization = \"Bearer tok\\\"en\""), "{toml}");
        assert!(toml.contains("X-MessageSystems-Webhook-Token = \"demo-relay-token\""), "{toml}");
        assert!(toml.contains("[dictionaries.case_id]\nvalues = [\"case_1\", \"case_2\"]"), "{toml}");
        assert!(toml.contains("\"path.case_id\" = { dictionary = \"case_id\", probability = 0.8 }"), "{toml}");
    }
}
