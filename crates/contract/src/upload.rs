use crate::file_types::{FileType, file_type_of};
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
    /// The media types files are stored and served as, one per accepted extension's type
    /// (`text/plain`); what a client declares is never used.
    pub media_types: Vec<String>,
    /// The accepted file name extensions, with their dot (`.log`), usable as an `accept`
    /// attribute. A file is accepted by its name's extension alone.
    #[serde(default)]
    pub extensions: Vec<String>,
    /// Most files one case may carry (finished and in progress).
    pub files_per_case: u32,
}

impl UploadLimits {
    /// What a file named `file_name` is stored and served as, when its extension is accepted
    /// here (the name is normalised first: `bounce.log.` is a `.log`).
    pub fn file_type(&self, file_name: &str) -> Option<&'static FileType> {
        let file_type = file_type_of(file_name)?;
        let accepted =
            self.extensions.iter().any(|e| e.trim_start_matches('.').eq_ignore_ascii_case(file_type.extension));
        accepted.then_some(file_type)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(extensions: &[&str]) -> UploadLimits {
        UploadLimits {
            max_size: 10,
            media_types: vec!["text/plain".into()],
            extensions: extensions.iter().map(|e| (*e).to_owned()).collect(),
            files_per_case: 3,
        }
    }

    #[test]
    fn a_file_is_judged_by_its_normalised_extension_alone() {
        let l = limits(&[".log", ".png"]);
        assert_eq!(l.file_type("bounce.log").map(|t| t.media_type), Some("text/plain"));
        assert_eq!(l.file_type("Bounce.LOG. ").map(|t| t.media_type), Some("text/plain"));
        assert_eq!(l.file_type("shot.png").map(|t| t.media_type), Some("image/png"));
        assert!(l.file_type("notes.txt").is_none(), "on the list, but not accepted by this server");
        assert!(l.file_type("run.exe").is_none());
        assert!(l.file_type("page\u{202E}gol.html").is_none());
    }

    #[test]
    fn an_extension_outside_the_list_is_refused_even_if_advertised() {
        assert!(limits(&[".exe", "html"]).file_type("run.exe").is_none());
        assert!(limits(&[".exe", "html"]).file_type("page.html").is_none());
    }
}
