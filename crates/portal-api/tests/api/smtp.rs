//! A real SMTP server for the tests: `xtask/smtp_catcher.py` (aiosmtpd) as a child process on
//! a loopback port, storing what it accepts in a temporary folder. `cargo xtask test` installs
//! it and names it in `SMTP_CATCHER_PYTHON` and `SMTP_CATCHER_SCRIPT`.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::{Duration, Instant};
use tempfile::TempDir;

/// One message the catcher accepted.
#[derive(Clone, Debug)]
pub struct Caught {
    pub mail_from: String,
    pub rcpt_tos: Vec<String>,
    /// Seconds since the epoch.
    pub accepted_at: f64,
    pub bytes: Vec<u8>,
}

impl Caught {
    /// The first header of that name, unfolded.
    pub fn header(&self, name: &str) -> Option<String> {
        let message = mail_parser::MessageParser::default().parse(&self.bytes)?;
        let raw = message.header_raw(name)?;
        Some(raw.split_whitespace().collect::<Vec<_>>().join(" "))
    }

    pub fn message_id(&self) -> String {
        self.header("Message-ID").expect("every message has a Message-ID")
    }

    /// The subject as a person reads it (encoded words decoded).
    pub fn subject(&self) -> String {
        let message = mail_parser::MessageParser::default().parse(&self.bytes).expect("a message");
        message.subject().unwrap_or_default().to_owned()
    }
}

pub struct Catcher {
    pub port: u16,
    pub dir: TempDir,
    child: Child,
    /// Held open: the catcher exits when it closes, so a test that dies leaves no server.
    _stdin: ChildStdin,
}

impl Drop for Catcher {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn from_env(name: &str) -> PathBuf {
    match std::env::var_os(name) {
        Some(value) if !value.is_empty() => PathBuf::from(value),
        _ => panic!(
            "{name} is not set: the email tests need a real SMTP server. Run them with `cargo xtask test` \
             (it installs one), or set SMTP_CATCHER_PYTHON to a Python that has aiosmtpd \
             (xtask/smtp-catcher-requirements.txt) and SMTP_CATCHER_SCRIPT to xtask/smtp_catcher.py"
        ),
    }
}

/// A port nothing listens on right now (the kernel's choice), for a server started later.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

impl Catcher {
    /// A catcher on a port of its own.
    pub fn start() -> Catcher {
        Catcher::start_on(0, tempfile::tempdir().expect("temp dir"))
    }

    /// A catcher on `port` (0: any) storing into `dir`, once it accepts connections.
    pub fn start_on(port: u16, dir: TempDir) -> Catcher {
        let mut child = Command::new(from_env("SMTP_CATCHER_PYTHON"))
            .arg(from_env("SMTP_CATCHER_SCRIPT"))
            .args(["--port", &port.to_string(), "--dir"])
            .arg(dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the SMTP catcher starts");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).expect("the catcher's ready line");
        let port = line
            .trim()
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("the catcher did not say it was ready: {line:?}"));
        Catcher { port, dir, child, _stdin: stdin }
    }

    /// Stops the server and gives its folder back, for a catcher started again later.
    pub fn stop(mut self) -> TempDir {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let dir = tempfile::tempdir().expect("temp dir");
        std::mem::replace(&mut self.dir, dir)
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// The replies to the next DATA commands, one a line; the last one answers every one after.
    pub fn answer_with(&self, replies: &[&str]) {
        std::fs::write(self.dir.path().join("answer"), replies.join("\n") + "\n").expect("answer file");
    }

    /// Every message accepted so far, in the order accepted.
    pub fn messages(&self) -> Vec<Caught> {
        let mut by_name = BTreeMap::new();
        for entry in std::fs::read_dir(self.dir.path()).expect("the catcher's folder").flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "eml") {
                by_name.insert(path.file_name().expect("name").to_owned(), path);
            }
        }
        by_name.into_values().map(|eml| read(&eml)).collect()
    }

    /// Waits until at least `count` messages arrived; answers them all.
    pub async fn wait_for(&self, count: usize, within: Duration) -> Vec<Caught> {
        let deadline = Instant::now() + within;
        loop {
            let messages = self.messages();
            if messages.len() >= count {
                return messages;
            }
            assert!(Instant::now() < deadline, "{} of {count} messages arrived within {within:?}", messages.len());
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

fn read(eml: &std::path::Path) -> Caught {
    let envelope: serde_json::Value =
        serde_json::from_slice(&std::fs::read(eml.with_extension("json")).expect("the envelope")).expect("JSON");
    Caught {
        mail_from: envelope["mail_from"].as_str().unwrap_or_default().to_owned(),
        rcpt_tos: envelope["rcpt_tos"]
            .as_array()
            .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
            .unwrap_or_default(),
        accepted_at: envelope["accepted_at"].as_f64().unwrap_or_default(),
        bytes: std::fs::read(eml).expect("the message"),
    }
}
