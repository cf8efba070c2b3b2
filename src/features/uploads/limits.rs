//! Refusing a file before a byte is sent, with the limit it breaks (the server checks again).

use portal_contract::UploadLimits;
use portal_contract::file_types::{ContentCheck, FILE_TYPES, FileType, Signature, extension_of, normalise_file_name};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    TooLarge {
        max: u64,
    },
    /// Its name's extension is not one the server takes; `accepted` lists those it does.
    TypeNotAccepted {
        accepted: String,
    },
    TooManyFiles {
        max: u32,
    },
    /// Its first bytes are not what its extension says (a `.png` that is no PNG image).
    ContentMismatch {
        extension: String,
    },
    /// It would take the account past its storage quota of `quota` bytes.
    OverQuota {
        quota: u64,
    },
    /// The case was resolved: it takes no more files.
    CaseClosed,
}

/// The type one more file named `file_name`, of `size` bytes, is sent as, if it may join a
/// case that has `files`. The browser's `File.type` plays no part: the name's extension decides.
pub fn check(limits: &UploadLimits, file_name: &str, size: u64, files: u32) -> Result<&'static FileType, Refusal> {
    if files >= limits.files_per_case {
        return Err(Refusal::TooManyFiles { max: limits.files_per_case });
    }
    if size > limits.max_size {
        return Err(Refusal::TooLarge { max: limits.max_size });
    }
    let file_type = limits
        .file_type(file_name)
        .ok_or_else(|| Refusal::TypeNotAccepted { accepted: limits.extensions.join(", ") })?;
    match file_type.signature {
        Some(signature) if size < signature.shortest() as u64 => Err(mismatch(file_name)),
        _ => Ok(file_type),
    }
}

/// What a file's first bytes say: `head` is what was read of them, `size` the whole file's.
pub fn check_content(file_name: &str, signature: &Signature, head: &[u8], size: u64) -> Result<(), Refusal> {
    match signature.check(head, head.len() as u64 >= size) {
        ContentCheck::Mismatch => Err(mismatch(file_name)),
        ContentCheck::Matches | ContentCheck::NeedMore(_) => Ok(()),
    }
}

fn mismatch(file_name: &str) -> Refusal {
    Refusal::ContentMismatch { extension: extension_of(&normalise_file_name(file_name)).unwrap_or_default() }
}

/// Every extension of the allow-list, for a file input's `accept`: the dialog offers what the
/// server may take (it may take fewer; `check` tells each file).
pub fn accept_attribute() -> String {
    FILE_TYPES.iter().map(|t| format!(".{}", t.extension)).collect::<Vec<_>>().join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> UploadLimits {
        UploadLimits {
            max_size: 1_000,
            media_types: vec!["text/plain".into(), "image/png".into()],
            extensions: vec![".log".into(), ".png".into()],
            files_per_case: 2,
        }
    }

    #[test]
    fn each_limit_is_named() {
        assert_eq!(check(&limits(), "a.log", 1_000, 1).map(|t| t.media_type), Ok("text/plain"));
        assert_eq!(check(&limits(), "a.log", 1_001, 0), Err(Refusal::TooLarge { max: 1_000 }));
        assert_eq!(check(&limits(), "a.log", 10, 2), Err(Refusal::TooManyFiles { max: 2 }));
        let refused = Err(Refusal::TypeNotAccepted { accepted: ".log, .png".into() });
        assert_eq!(check(&limits(), "a.html", 10, 0), refused);
        assert_eq!(check(&limits(), "run.exe.", 10, 0), refused);
        assert_eq!(check(&limits(), "notes.txt", 10, 0), refused, "on the list, not on this server's");
    }

    #[test]
    fn the_name_decides_once_normalised() {
        assert_eq!(check(&limits(), "bounce.LOG. ", 10, 0).map(|t| t.media_type), Ok("text/plain"));
        assert!(check(&limits(), "evil\u{202E}gnp.exe", 10, 0).is_err());
    }

    #[test]
    fn a_file_too_short_for_its_signature_is_refused_at_once() {
        assert_eq!(check(&limits(), "shot.png", 3, 0), Err(Refusal::ContentMismatch { extension: "png".into() }));
    }

    #[test]
    fn first_bytes_must_match_the_extension() {
        let png = check(&limits(), "shot.PNG", 100, 0).ok().and_then(|t| t.signature).expect("png has a signature");
        assert_eq!(check_content("shot.PNG", png, b"\x89PNG\r\n\x1a\n", 100), Ok(()));
        assert_eq!(
            check_content("shot.PNG", png, b"<html><script>", 100),
            Err(Refusal::ContentMismatch { extension: "png".into() })
        );
    }

    #[test]
    fn the_accept_attribute_lists_extensions_and_no_page_or_program() {
        let accept = accept_attribute();
        assert!(accept.starts_with(".log,") && accept.contains(",.eml,") && accept.contains(",.png"));
        assert!(![".html", ".svg", ".exe", ".js"].iter().any(|e| accept.split(',').any(|a| a == *e)));
    }
}
