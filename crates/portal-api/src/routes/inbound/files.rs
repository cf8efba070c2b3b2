//! The files attached to a reply by email: judged by the rules of uploads
//! (`uploads::limits`), written as attachment objects before the message's transaction (so the
//! database lock is not held while bytes are written), and deleted again unless that
//! transaction recorded them.
//!
//! A file that breaks a rule refuses the whole message, whose result names the file and why.
//! Taking the words without the file would leave an answer on the case that points at files
//! it lacks ("the logs are attached"), and nobody reading the case would learn a file was
//! dropped; refused whole, the message is stored nowhere, its result says what to fix, and the
//! person can send it again or add the file from the portal.

use super::refusal::Refusal;
use crate::error::{ApiError, ApiResult};
use crate::objects::{Objects, attachment_key};
use crate::state::UploadConfig;
use crate::uploads::limits;
use crate::util::{hex, new_id};
use bytes::Bytes;
use chrono::{DateTime, Utc};
use mail_parser::{Message, MessagePart, MimeHeaders, PartType};
use portal_contract::{Attachment, Case, Person, limits::ANSWER_FILES_MAX};
use sha2::{Digest, Sha256};

/// A message attached as a part of its own often has no file name; it is kept as one.
const ATTACHED_MESSAGE_NAME: &str = "message.eml";

/// A file of a message that the rules of uploads take, not stored yet.
pub struct MailFile {
    pub name: String,
    pub media_type: &'static str,
    pub bytes: Vec<u8>,
}

/// The files of `message`, or the refusal of the first one that breaks a rule.
pub fn of_message(message: &Message, limits: &UploadConfig) -> Result<Vec<MailFile>, Refusal> {
    let mut files = Vec::new();
    for part in message.attachments() {
        let Some(name) = name_of(part)? else { continue };
        let bytes = part.contents();
        let length = bytes.len() as u64;
        let judged = limits::within_max_size(limits, length)
            .and_then(|()| limits::accepted_file(limits, &name, length))
            .and_then(|(name, file_type)| limits::content_matches(file_type, bytes).map(|()| (name, file_type)));
        match judged {
            Ok((name, file_type)) => {
                files.push(MailFile { name, media_type: file_type.media_type, bytes: bytes.to_vec() })
            }
            Err(error) => return Err(refusal_of_file(&name, &error)),
        }
    }
    if files.len() > ANSWER_FILES_MAX {
        return Err(Refusal::AttachmentRefused {
            code: "too_many_files",
            reason: format!("the message brings {} files; one message may bring {ANSWER_FILES_MAX}", files.len()),
        });
    }
    Ok(files)
}

/// The name a part is judged by. A part with no name that is text is not a file someone
/// attached (a body in another format, calendar data): it is passed over. Any other part
/// without a name is refused, as its name is what decides its type.
fn name_of(part: &MessagePart) -> Result<Option<String>, Refusal> {
    if let Some(name) = part.attachment_name().filter(|n| !n.trim().is_empty()) {
        return Ok(Some(name.to_owned()));
    }
    match part.body {
        PartType::Message(_) => Ok(Some(ATTACHED_MESSAGE_NAME.to_owned())),
        PartType::Text(_) | PartType::Html(_) => Ok(None),
        _ => Err(Refusal::AttachmentRefused {
            code: "attachment_not_accepted",
            reason: "an attached file has no name, and its name's extension decides whether it is accepted".into(),
        }),
    }
}

fn refusal_of_file(name: &str, error: &ApiError) -> Refusal {
    let code = match error {
        ApiError::TooLarge(..) => "attachment_too_large",
        ApiError::ContentMismatch(_) => "attachment_content_mismatch",
        _ => "attachment_not_accepted",
    };
    Refusal::AttachmentRefused { code, reason: format!("{name}: {error}") }
}

/// One file written as the attachment object of the id its row will have.
pub struct Written {
    pub id: String,
    pub name: String,
    pub media_type: &'static str,
    pub size: u64,
    pub sha256: String,
}

/// The files of one message in the object store, deleted when this is dropped unless `keep` was
/// called once their rows were committed. A crash in between leaves objects no row names,
/// which the start-up sweep deletes (`uploads::sweep_strays`).
pub struct WrittenFiles {
    objects: Objects,
    files: Vec<Written>,
    kept: bool,
}

impl WrittenFiles {
    /// Writes each file, durably, as an object.
    pub async fn write(objects: &Objects, files: Vec<MailFile>) -> ApiResult<WrittenFiles> {
        let mut written =
            WrittenFiles { objects: objects.clone(), files: Vec::with_capacity(files.len()), kept: false };
        for file in files {
            let id = new_id("att");
            let key = attachment_key(&id);
            // Listed before the bytes are written, so a failure part way deletes this file too.
            written.files.push(Written {
                id,
                name: file.name,
                media_type: file.media_type,
                size: file.bytes.len() as u64,
                sha256: hex(&Sha256::digest(&file.bytes)),
            });
            objects.put(&key, Bytes::from(file.bytes)).await?;
        }
        Ok(written)
    }

    pub fn files(&self) -> &[Written] {
        &self.files
    }

    pub fn total_size(&self) -> u64 {
        self.files.iter().map(|f| f.size).sum()
    }

    pub fn ids(&self) -> Vec<String> {
        self.files.iter().map(|f| f.id.clone()).collect()
    }

    /// What the files are, for recognising the same message sent again.
    pub fn fingerprint(&self) -> Vec<(&str, &str)> {
        self.files.iter().map(|f| (f.name.as_str(), f.sha256.as_str())).collect()
    }

    /// The rows of the files as attachments of `case`, uploaded by `person` at `at`.
    pub fn attachments(&self, case: &Case, person: &Person, at: DateTime<Utc>) -> Vec<Attachment> {
        self.files
            .iter()
            .map(|f| Attachment {
                id: f.id.clone().into(),
                case_id: case.id.clone(),
                information_request_id: None,
                file_name: f.name.clone(),
                media_type: f.media_type.to_owned(),
                size: f.size,
                sha256: f.sha256.clone(),
                uploaded_by: person.clone(),
                uploaded_at: at,
            })
            .collect()
    }

    /// The rows are committed: the files stay (each was durable once written).
    pub fn keep(mut self) {
        self.kept = true;
    }
}

impl Drop for WrittenFiles {
    fn drop(&mut self) {
        if self.kept || self.files.is_empty() {
            return;
        }
        let (objects, ids) = (self.objects.clone(), self.ids());
        let deleting = async move {
            for id in ids {
                // What cannot be deleted now has no row and goes with the next start-up sweep.
                if let Err(error) = objects.delete(&attachment_key(&id)).await {
                    tracing::warn!(attachment = %id, ?error, "an unused file of a reply by email stays until a sweep");
                }
            }
        };
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => drop(runtime.spawn(deleting)),
            Err(_) => tracing::warn!("the unused files of a reply by email stay until the next start"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mail_parser::MessageParser;

    /// Each file's name, type and size, or the refusal's code and reason.
    type Judged = Result<Vec<(String, &'static str, usize)>, (&'static str, String)>;

    fn files_of(parts: &str) -> Judged {
        let raw = format!(
            "From: ada@acme.example\r\nSubject: Re: x\r\nMIME-Version: 1.0\r\n\
             Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n\
             Logs attached.\r\n{parts}--b--\r\n"
        );
        let message = MessageParser::default().parse(raw.as_bytes()).expect("a message");
        let limits = UploadConfig { max_size: 64, ..UploadConfig::default() };
        of_message(&message, &limits)
            .map(|files| files.into_iter().map(|f| (f.name, f.media_type, f.bytes.len())).collect())
            .map_err(|r| (r.code(), r.reason()))
    }

    fn part(headers: &str, body: &str) -> String {
        format!("--b\r\n{headers}\r\n\r\n{body}\r\n")
    }

    #[test]
    fn files_are_judged_as_uploads_are() {
        let log = part("Content-Type: text/plain; name=\"smtp.log\"\r\nContent-Disposition: attachment", "550 5.7.1");
        let png = part(
            "Content-Type: image/png\r\nContent-Disposition: attachment; filename=\"shot.png\"\r\n\
             Content-Transfer-Encoding: base64",
            "iVBORw0KGgoAAAANSUhEUg==",
        );
        assert_eq!(
            files_of(&format!("{log}{png}")),
            Ok(vec![("smtp.log".into(), "text/plain", 9), ("shot.png".into(), "image/png", 16)])
        );
        let exe = part(
            "Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"run.exe\"",
            "MZ",
        );
        let refused = files_of(&format!("{log}{exe}")).err();
        assert_eq!(refused.as_ref().map(|r| r.0), Some("attachment_not_accepted"));
        assert!(refused.is_some_and(|r| r.1.starts_with("run.exe: .exe files are not accepted")));
        let fake_png =
            part("Content-Type: image/png\r\nContent-Disposition: attachment; filename=\"x.png\"", "GIF89a-------");
        assert_eq!(files_of(&fake_png).err().map(|r| r.0), Some("attachment_content_mismatch"));
        let large =
            part("Content-Type: text/plain\r\nContent-Disposition: attachment; filename=\"big.log\"", &"x".repeat(65));
        assert_eq!(files_of(&large).err().map(|r| r.0), Some("attachment_too_large"));
    }

    #[test]
    fn parts_without_a_name() {
        let calendar = part("Content-Type: text/calendar; method=REQUEST", "BEGIN:VCALENDAR");
        assert_eq!(files_of(&calendar), Ok(vec![]));
        let message = part("Content-Type: message/rfc822", "From: bob@globex.example\r\nSubject: bounced\r\n\r\nhi");
        assert_eq!(
            files_of(&message).map(|f| f.into_iter().map(|f| f.0).collect::<Vec<_>>()),
            Ok(vec!["message.eml".into()])
        );
        let binary = part("Content-Type: application/octet-stream\r\nContent-Disposition: attachment", "\u{1}\u{2}");
        assert_eq!(files_of(&binary).err().map(|r| r.0), Some("attachment_not_accepted"));
    }
}
