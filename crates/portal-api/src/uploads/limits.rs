//! What a new file must be to join a case, however it arrives (a tus upload, or an attachment
//! of a reply by email): no larger than the largest file, named with an extension on the
//! allow-list this server accepts, with the content that type starts with, and within the
//! case's count of files and the account's storage quota.

use super::human_bytes;
use crate::error::{ApiError, ApiResult};
use crate::sql::Connection;
use crate::state::UploadConfig;
use crate::store;
use portal_contract::Case;
use portal_contract::file_types::{ContentCheck, FileType, extension_of, normalise_file_name};

pub fn within_max_size(limits: &UploadConfig, length: u64) -> ApiResult<()> {
    if length > limits.max_size {
        return Err(ApiError::TooLarge(
            "upload_too_large",
            format!("the file is {length} bytes; the limit is {} bytes", limits.max_size),
        ));
    }
    Ok(())
}

/// The name a new file keeps and the type it is stored as, if the allow-list (narrowed by this
/// server's configuration) takes it. What a client declared the type to be is never used.
pub fn accepted_file(limits: &UploadConfig, raw_name: &str, length: u64) -> ApiResult<(String, &'static FileType)> {
    let file_name = normalise_file_name(raw_name);
    let advertised = limits.limits();
    let Some(file_type) = advertised.file_type(&file_name) else {
        let kind = extension_of(&file_name).map_or("files without an extension".to_owned(), |e| format!(".{e} files"));
        return Err(ApiError::MediaTypeNotAllowed(format!(
            "{kind} are not accepted; accepted are {}",
            advertised.extensions.join(", ")
        )));
    };
    if let Some(signature) = file_type.signature
        && length < signature.shortest() as u64
    {
        return Err(ApiError::ContentMismatch(format!(
            "this file's content is not {}: {length} bytes are too few for one",
            signature.format
        )));
    }
    Ok((file_name, file_type))
}

/// Whether a whole file, all its bytes at hand, starts as its type's files do.
pub fn content_matches(file_type: &FileType, bytes: &[u8]) -> ApiResult<()> {
    match file_type.signature {
        Some(signature) if signature.check(bytes, true) != ContentCheck::Matches => {
            Err(ApiError::ContentMismatch(format!("this file's content is not {}, as its name says", signature.format)))
        }
        _ => Ok(()),
    }
}

/// The files-per-case limit and the account's storage quota for `files` new files of `bytes`
/// in all, counting uploads still running, checked before anything of them is stored.
pub fn within_limits(
    conn: &Connection,
    limits: &UploadConfig,
    case: &Case,
    files: u32,
    bytes: u64,
    now: &str,
) -> ApiResult<()> {
    let on_case = store::attachments::files_on_case(conn, case.id.as_str(), now)?;
    if on_case.saturating_add(files) > limits.files_per_case {
        let message = if files == 1 {
            format!("this case already has {on_case} files; the limit is {}", limits.files_per_case)
        } else {
            format!(
                "this case already has {on_case} files, {files} more are too many; the limit is {}",
                limits.files_per_case
            )
        };
        return Err(ApiError::field("case_id", "too_many_files", &message));
    }
    let stored = store::attachments::account_usage(conn, case.account_id.as_str(), now)?;
    if stored.saturating_add(bytes) > limits.storage_quota {
        return Err(ApiError::TooLarge(
            "storage_quota_exceeded",
            format!(
                "this account's files may occupy {} in all (its storage quota); {} are stored or being uploaded, \
                 so {} more do not fit",
                human_bytes(limits.storage_quota),
                human_bytes(stored),
                human_bytes(bytes)
            ),
        ));
    }
    Ok(())
}
