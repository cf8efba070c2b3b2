use crate::ids::{AttachmentId, CaseId, InformationRequestId};
use crate::person::Person;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The tus protocol version the upload endpoint speaks.
pub const TUS_VERSION: &str = "1.0.0";
/// The extensions the upload endpoint implements.
pub const TUS_EXTENSIONS: &str = "creation,checksum,termination,expiration";
/// The checksum algorithms the upload endpoint verifies.
pub const TUS_CHECKSUM_ALGORITHMS: &str = "sha1,sha256";
/// The content type every `PATCH` to an upload carries.
pub const TUS_PATCH_CONTENT_TYPE: &str = "application/offset+octet-stream";

/// A file on a case, uploaded by someone who may see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Attachment {
    pub id: AttachmentId,
    pub case_id: CaseId,
    /// The request it answers, once it is part of an answer.
    #[serde(default)]
    pub information_request_id: Option<InformationRequestId>,
    /// As the uploader named it; shown as text, never trusted as a path.
    pub file_name: String,
    pub media_type: String,
    pub size: u64,
    /// Lower-case hex SHA-256 of the content.
    pub sha256: String,
    pub uploaded_by: Person,
    pub uploaded_at: DateTime<Utc>,
}

/// `GET /uploads/{upload_id}`: the attachment once the last byte arrived.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UploadState {
    pub offset: u64,
    pub length: u64,
    #[serde(default)]
    pub attachment: Option<Attachment>,
}

/// What the server accepts, advertised so the portal refuses a file before sending a byte.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UploadLimits {
    /// Largest file, in bytes.
    pub max_size: u64,
    /// Accepted media types (`text/plain`); `type/*` accepts a whole family.
    pub media_types: Vec<String>,
    /// Most files one case may carry (finished and in progress).
    pub files_per_case: u32,
}

impl UploadLimits {
    /// Whether a file may be uploaded: its declared type is on the allow-list, and so is the
    /// type its name says (a page named `.html` declared as `text/plain` is still a page).
    pub fn accepts_file(&self, file_name: &str, media_type: &str) -> bool {
        let by_name = media_type_for(file_name, "");
        self.accepts_type(media_type) && (by_name == "application/octet-stream" || self.accepts_type(&by_name))
    }

    /// Whether `media_type` is on the allow-list (parameters such as `; charset=` ignored).
    pub fn accepts_type(&self, media_type: &str) -> bool {
        let essence = media_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        if essence.is_empty() {
            return false;
        }
        let family = essence.split('/').next().unwrap_or("");
        self.media_types.iter().any(|allowed| {
            let allowed = allowed.to_ascii_lowercase();
            allowed == essence || allowed.strip_suffix("/*").is_some_and(|f| f == family)
        })
    }
}

/// The media type to send for a file the browser could not type (it says `""` for `.log`).
pub fn media_type_for(file_name: &str, declared: &str) -> String {
    if !declared.trim().is_empty() {
        return declared.trim().to_ascii_lowercase();
    }
    let extension = file_name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match extension.as_str() {
        "log" | "txt" | "text" | "conf" | "cfg" | "ini" => "text/plain",
        "csv" => "text/csv",
        "eml" => "message/rfc822",
        "har" | "json" => "application/json",
        "xml" => "application/xml",
        "gz" | "tgz" => "application/gzip",
        "zip" => "application/zip",
        "pdf" => "application/pdf",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "html" | "htm" | "xhtml" => "text/html",
        "js" | "mjs" => "text/javascript",
        "svg" => "image/svg+xml",
        "exe" | "dll" | "msi" | "scr" | "bat" | "cmd" | "com" => "application/x-msdownload",
        "sh" | "ps1" => "application/x-sh",
        _ => "application/octet-stream",
    }
    .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> UploadLimits {
        UploadLimits { max_size: 10, media_types: vec!["text/plain".into(), "image/*".into()], files_per_case: 3 }
    }

    #[test]
    fn types_match_exactly_or_by_family() {
        let l = limits();
        assert!(l.accepts_type("text/plain"));
        assert!(l.accepts_type("Text/Plain; charset=utf-8"));
        assert!(l.accepts_type("image/png"));
        assert!(!l.accepts_type("text/html"));
        assert!(!l.accepts_type(""));
        assert!(!l.accepts_type("imagex/png"));
    }

    #[test]
    fn a_file_is_judged_by_its_declared_type_and_by_its_name() {
        let l = UploadLimits {
            max_size: 10,
            media_types: vec!["text/plain".into(), "application/octet-stream".into()],
            files_per_case: 3,
        };
        assert!(l.accepts_file("mail.log", "text/plain"));
        assert!(l.accepts_file("capture.pcap", "application/octet-stream"));
        assert!(!l.accepts_file("page.html", "text/plain"));
        assert!(!l.accepts_file("run.exe", "application/octet-stream"));
    }

    #[test]
    fn untyped_files_are_typed_by_extension() {
        assert_eq!(media_type_for("mail.LOG", ""), "text/plain");
        assert_eq!(media_type_for("x.eml", " "), "message/rfc822");
        assert_eq!(media_type_for("blob", ""), "application/octet-stream");
        assert_eq!(media_type_for("a.log", "Text/CSV"), "text/csv");
    }
}
