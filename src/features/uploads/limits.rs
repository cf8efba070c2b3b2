//! Refusing a file before a byte is sent, with the limit it breaks (the server checks again).

use portal_contract::UploadLimits;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    TooLarge { max: u64 },
    TypeNotAccepted { media_type: String },
    TooManyFiles { max: u32 },
}

/// Whether one more file named `file_name`, of `size` bytes and `media_type`, may join a case
/// that has `files`.
pub fn check(limits: &UploadLimits, file_name: &str, media_type: &str, size: u64, files: u32) -> Result<(), Refusal> {
    if files >= limits.files_per_case {
        Err(Refusal::TooManyFiles { max: limits.files_per_case })
    } else if size > limits.max_size {
        Err(Refusal::TooLarge { max: limits.max_size })
    } else if !limits.accepts_file(file_name, media_type) {
        Err(Refusal::TypeNotAccepted { media_type: media_type.to_owned() })
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> UploadLimits {
        UploadLimits { max_size: 1_000, media_types: vec!["text/plain".into()], files_per_case: 2 }
    }

    #[test]
    fn each_limit_is_named() {
        assert_eq!(check(&limits(), "a.log", "text/plain", 1_000, 1), Ok(()));
        assert_eq!(check(&limits(), "a.log", "text/plain", 1_001, 0), Err(Refusal::TooLarge { max: 1_000 }));
        assert_eq!(
            check(&limits(), "a.html", "text/html", 10, 0),
            Err(Refusal::TypeNotAccepted { media_type: "text/html".into() })
        );
        assert_eq!(check(&limits(), "a.log", "text/plain", 10, 2), Err(Refusal::TooManyFiles { max: 2 }));
    }
}
