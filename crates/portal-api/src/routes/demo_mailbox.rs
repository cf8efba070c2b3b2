//! `GET /demo/mailbox`, only with `--demo` and no `--smtp-url`: the emails the server wrote
//! into `<data-dir>/outbox/`, read back for the demo's mailbox page (`/demo-mailbox/`), so a
//! person trying the demo sees what Bird sends and can answer it through the relay webhook.
//! Every demo user's mail is on it: the demo's passwords are public anyway.

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use mail_parser::{Address, HeaderValue, MessageParser};
use portal_contract::ErrorBody;
use serde::Serialize;
use std::path::Path;

/// The newest this many: a demo session writes a few dozen.
const SHOWN: usize = 100;

/// One email as the demo mailbox shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DemoEmail {
    pub message_id: String,
    pub date: Option<String>,
    pub from: String,
    pub to: String,
    pub reply_to: Option<String>,
    pub subject: String,
    pub text: String,
    pub html: Option<String>,
    pub list_unsubscribe: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DemoMailbox {
    /// Newest first.
    pub emails: Vec<DemoEmail>,
}

#[utoipa::path(get, path = "/api/v1/demo/mailbox", tag = "testing",
    description = "Only on a server started with `--demo` and without `--smtp-url`: the notification emails written to the outbox folder, newest first, for the demo's mailbox page.",
    responses((status = 200, body = DemoMailbox),
              (status = 404, body = ErrorBody, description = "Not a demo server, or its emails go to an SMTP server")))]
pub async fn mailbox(State(state): State<AppState>) -> ApiResult<Json<DemoMailbox>> {
    if !state.config.demo || state.config.mail.smtp_url.is_some() {
        return Err(ApiError::NotFound("route_not_found", "there is no such endpoint"));
    }
    let folder = state.config.data_dir.join("outbox");
    let emails = tokio::task::spawn_blocking(move || read_folder(&folder))
        .await
        .map_err(|e| ApiError::Internal(format!("reading the outbox: {e}")))?;
    Ok(Json(DemoMailbox { emails }))
}

fn read_folder(folder: &Path) -> Vec<DemoEmail> {
    let Ok(entries) = std::fs::read_dir(folder) else { return Vec::new() };
    let mut files: Vec<(std::time::SystemTime, std::path::PathBuf)> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
        .filter_map(|p| Some((std::fs::metadata(&p).and_then(|m| m.modified()).ok()?, p)))
        .collect();
    files.sort_by_key(|f| std::cmp::Reverse(f.0));
    files
        .iter()
        .take(SHOWN)
        .filter_map(|(_, path)| std::fs::read(path).ok())
        .filter_map(|raw| read_email(&raw))
        .collect()
}

fn addresses(address: Option<&Address>) -> String {
    let Some(address) = address else { return String::new() };
    address
        .iter()
        .map(|a| match (a.name(), a.address()) {
            (Some(name), Some(email)) => format!("{name} <{email}>"),
            (None, Some(email)) => email.to_owned(),
            (Some(name), None) => name.to_owned(),
            (None, None) => String::new(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn read_email(raw: &[u8]) -> Option<DemoEmail> {
    let message = MessageParser::default().parse(raw)?;
    let list_unsubscribe = message.header("List-Unsubscribe").and_then(|v| match v {
        HeaderValue::Text(t) => Some(t.to_string()),
        HeaderValue::Address(a) => a.first().and_then(|a| a.address()).map(str::to_owned),
        _ => None,
    });
    Some(DemoEmail {
        message_id: message.message_id().unwrap_or_default().to_owned(),
        date: message.date().map(|d| d.to_rfc3339()),
        from: addresses(message.from()),
        to: addresses(message.to()),
        reply_to: message.reply_to().map(|a| addresses(Some(a))),
        subject: message.subject().unwrap_or_default().to_owned(),
        text: message.body_text(0).map(|t| t.into_owned()).unwrap_or_default(),
        html: message.body_html(0).map(|t| t.into_owned()),
        list_unsubscribe,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_email_reads_back_with_both_parts_and_its_reply_address() {
        let raw = "Message-ID: <m1@reply.bird.example>\r\nDate: Wed, 2 Dec 2026 10:00:00 +0000\r\n\
            From: Bird Premium Support <support@bird.example>\r\nTo: Ada Lovelace <ada@acme.example>\r\n\
            Reply-To: reply+abc@reply.bird.example\r\nList-Unsubscribe: <http://x.example/api/v1/unsubscribe/t>\r\n\
            Subject: [CASE-1042] New reply: Bounces\r\nMIME-Version: 1.0\r\n\
            Content-Type: multipart/alternative; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
            Hello &lt;Ada&gt;\r\n--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Hello &lt;Ada&gt;</p>\r\n--b--\r\n";
        let email = read_email(raw.as_bytes()).expect("an email");
        assert_eq!(email.message_id, "m1@reply.bird.example");
        assert_eq!(email.to, "Ada Lovelace <ada@acme.example>");
        assert_eq!(email.reply_to.as_deref(), Some("reply+abc@reply.bird.example"));
        assert_eq!(email.subject, "[CASE-1042] New reply: Bounces");
        assert!(email.text.contains("Hello &lt;Ada&gt;"), "{}", email.text);
        assert!(email.html.as_deref().is_some_and(|h| h.contains("<p>")));
        assert_eq!(email.list_unsubscribe.as_deref(), Some("http://x.example/api/v1/unsubscribe/t"));
    }

    #[test]
    fn a_missing_folder_is_an_empty_mailbox() {
        assert!(read_folder(Path::new("/nonexistent/outbox")).is_empty());
    }
}
