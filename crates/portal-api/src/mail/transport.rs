//! Where a composed email goes: the SMTP relay of `--smtp-url`, or, without one, an `.eml`
//! file in `<data-dir>/outbox/` holding exactly the bytes SMTP would carry.
//!
//! A failure says whether trying again can help: a relay that cannot be reached, times out,
//! refuses TLS or our AUTH, or answers the message 4xx is temporary; a 5xx answer to the
//! message (or an address no server can take) is permanent.

use super::compose::Composed;
use super::smtp::Relay;
use lettre::address::{Address, Envelope};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;

/// Connections kept open to the relay: as many as the sender delivers at once.
pub const SMTP_CONNECTIONS: usize = 4;

/// Why a message did not leave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// Worth trying again later (the server is down, slow, or answered 4xx).
    Temporary(String),
    /// The server refused it for good (5xx), or it can never be sent as it is.
    Permanent(String),
}

impl Failure {
    pub fn text(&self) -> &str {
        match self {
            Failure::Temporary(text) | Failure::Permanent(text) => text,
        }
    }
}

#[derive(Clone)]
pub enum Transport {
    /// Its connections are reused, so a burst does not open one per message.
    Smtp(Arc<Relay>),
    Folder(PathBuf),
}

impl std::fmt::Debug for Transport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Transport::Smtp(_) => f.write_str("Transport::Smtp"),
            Transport::Folder(dir) => write!(f, "Transport::Folder({})", dir.display()),
        }
    }
}

impl Transport {
    /// The transport `--smtp-url` names, or the outbox folder of `data_dir` without one. A URL
    /// it cannot use is an error that names the flag, so a typo stops the start.
    pub fn from_config(smtp_url: Option<&str>, data_dir: &Path) -> Result<Transport, String> {
        match smtp_url {
            Some(url) => smtp_for_flag(url),
            None => {
                let dir = data_dir.join("outbox");
                std::fs::create_dir_all(&dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
                Ok(Transport::Folder(dir))
            }
        }
    }

    /// Hands one message over; `Ok` only once the server accepted it (or the file is on disk).
    pub async fn deliver(&self, message_id: &str, message: &Composed) -> Result<(), Failure> {
        match self {
            Transport::Smtp(relay) => relay.send(&envelope(message)?, &message.bytes).await,
            Transport::Folder(dir) => {
                let path = eml_path(dir, message_id)?;
                let bytes = message.bytes.clone();
                tokio::task::spawn_blocking(move || write_whole(&path, &bytes))
                    .await
                    .map_err(|e| Failure::Temporary(format!("writing the outbox file: {e}")))?
                    .map_err(|e| Failure::Temporary(format!("writing the outbox file: {e}")))
            }
        }
    }
}

/// The SMTP transport of `--smtp-url`, or why that URL cannot be used, naming the flag.
pub fn smtp_for_flag(url: &str) -> Result<Transport, String> {
    Relay::from_url(url, SMTP_CONNECTIONS)
        .map(|relay| Transport::Smtp(Arc::new(relay)))
        .map_err(|why| format!("--smtp-url {}: {why}", redacted(url)))
}

/// The URL without its password, for an error message that may end up in a log.
fn redacted(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => url.to_owned(),
    }
}

fn envelope(message: &Composed) -> Result<Envelope, Failure> {
    let address = |text: &str| {
        Address::from_str(text.trim()).map_err(|e| Failure::Permanent(format!("the address {text:?} is invalid: {e}")))
    };
    Envelope::new(Some(address(&message.envelope_from)?), vec![address(&message.to)?])
        .map_err(|e| Failure::Permanent(format!("no envelope: {e}")))
}

/// `<dir>/<message-id>.eml`, for a Message-ID this server made (letters, digits, `.`, `_`,
/// `-`); anything else could name a path outside the folder.
fn eml_path(dir: &Path, message_id: &str) -> Result<PathBuf, Failure> {
    let safe = !message_id.is_empty()
        && !message_id.starts_with('.')
        && message_id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    if safe {
        Ok(dir.join(format!("{message_id}.eml")))
    } else {
        Err(Failure::Permanent(format!("the Message-ID {message_id:?} cannot name a file")))
    }
}

/// Writes a temporary file beside `path`, flushes it to disk and renames it over `path`: a
/// crash leaves the whole file or none, and a resend replaces the same file.
fn write_whole(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().ok_or_else(|| std::io::Error::other("an outbox file has no folder"))?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temp = dir.join(format!(".{name}.part"));
    let mut file = std::fs::File::create(&temp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(&temp, path)?;
    // The rename itself is durable only once the folder is.
    std::fs::File::open(dir)?.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(url: &str) -> Result<String, String> {
        Transport::from_config(Some(url), Path::new("/nonexistent")).map(|t| format!("{t:?}"))
    }

    #[tokio::test]
    async fn urls_of_the_contract_are_taken_and_others_named_with_the_flag() {
        for good in [
            "smtp://127.0.0.1:2525",
            "smtp://user:p%40ss@relay.bird.example:587?tls=starttls",
            "smtps://relay.bird.example:465",
            "smtp://relay.bird.example?tls=opportunistic",
        ] {
            assert_eq!(kind(good).as_deref(), Ok("Transport::Smtp"), "{good}");
        }
        for bad in ["relay.bird.example:25", "http://relay.bird.example", "smtp://relay?tls=maybe", "smtp://:25"] {
            let error = kind(bad).expect_err(bad);
            assert!(error.starts_with("--smtp-url "), "{error}");
        }
        let error = kind("ftp://user:secret@relay.bird.example").expect_err("ftp");
        assert!(!error.contains("secret"), "the password stays out of the message: {error}");
    }

    #[test]
    fn a_message_id_names_a_file_in_the_folder_or_nothing() {
        let dir = Path::new("/data/outbox");
        assert_eq!(eml_path(dir, "ntf_ab-c_d.0f1e"), Ok(dir.join("ntf_ab-c_d.0f1e.eml")));
        for bad in ["", "../x", "a/b", ".hidden", "a b"] {
            assert!(matches!(eml_path(dir, bad), Err(Failure::Permanent(_))), "{bad:?}");
        }
    }

    #[tokio::test]
    async fn the_folder_holds_each_message_once_whole() {
        let dir = tempfile::tempdir().expect("temp dir");
        let transport = Transport::from_config(None, dir.path()).expect("folder");
        let message = Composed {
            to: "ada@acme.example".into(),
            envelope_from: "support@bird.example".into(),
            bytes: b"Subject: one\r\n\r\nbody\r\n".to_vec(),
        };
        transport.deliver("ntf_1.aa", &message).await.expect("written");
        transport.deliver("ntf_1.aa", &message).await.expect("written again");
        let names: Vec<String> = std::fs::read_dir(dir.path().join("outbox"))
            .expect("outbox")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["ntf_1.aa.eml"], "no temporary file left, one file per message");
        let written = std::fs::read(dir.path().join("outbox/ntf_1.aa.eml")).expect("file");
        assert_eq!(written, message.bytes);
    }

    #[tokio::test]
    async fn nothing_listening_is_temporary() {
        let port = std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("port").port();
        let transport = Transport::from_config(Some(&format!("smtp://127.0.0.1:{port}")), Path::new("/")).expect("url");
        let message = Composed {
            to: "ada@acme.example".into(),
            envelope_from: "support@bird.example".into(),
            bytes: b"Subject: x\r\n\r\nx\r\n".to_vec(),
        };
        let failure = transport.deliver("ntf_1.aa", &message).await.expect_err("nobody listens");
        assert!(matches!(failure, Failure::Temporary(_)), "{failure:?}");
        let bad_address = Composed { to: "not an address".into(), ..message };
        let failure = transport.deliver("ntf_1.aa", &bad_address).await.expect_err("bad address");
        assert!(matches!(failure, Failure::Permanent(_)), "{failure:?}");
    }
}
