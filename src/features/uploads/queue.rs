//! The uploads of this tab: one queue for the whole app, so a file keeps going when the
//! person moves from the new-case form to the case page. Each file is sent in chunks sliced
//! from the `File` (`Blob.slice`: the page never holds a whole file), resumes from the offset
//! the server acknowledged after a failure or a reload, and retries with capped backoff.
//!
//! Architecture Invariant: upload state lives in `Arc` signals owned by the queue, not by the
//! page that started the upload, so leaving a page never cancels or loses an upload.

use super::limits::{self, Refusal};
use super::tus;
use crate::core::api::{ApiClient, ApiError, NewUpload};
use crate::core::storage;
use leptos::prelude::*;
use leptos::task::spawn_local;
use portal_contract::file_types::FileType;
use portal_contract::{Attachment, CaseId, InformationRequestId, PortalConfig, UploadId};
use send_wrapper::SendWrapper;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use wasm_bindgen::JsCast;

/// Files sent at the same time; the rest wait their turn.
const PARALLEL: usize = 2;

#[derive(Clone, Debug, PartialEq)]
pub enum Phase {
    Waiting,
    Uploading,
    Paused,
    /// A chunk failed; the next attempt starts after a backoff.
    Retrying {
        attempt: u32,
    },
    Failed(ApiError),
    Refused(Refusal),
    Done(Attachment),
}

impl Phase {
    /// Still to finish: the answer it belongs to cannot be sent yet.
    pub fn is_pending(&self) -> bool {
        matches!(self, Phase::Waiting | Phase::Uploading | Phase::Paused | Phase::Retrying { .. } | Phase::Failed(_))
    }

    fn is_running(&self) -> bool {
        matches!(self, Phase::Uploading | Phase::Retrying { .. })
    }
}

/// Where a file goes: a case, and perhaps the information request it answers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub case_id: CaseId,
    pub request_id: Option<InformationRequestId>,
}

/// One file in the queue.
#[derive(Clone)]
pub struct Upload {
    pub key: u32,
    pub target: Target,
    pub file_name: String,
    /// What the name's extension says it is; sent as the tus `filetype`.
    pub media_type: &'static str,
    pub size: u64,
    pub phase: ArcRwSignal<Phase>,
    /// Bytes the server acknowledged.
    pub sent: ArcRwSignal<u64>,
    /// Bytes per second over the last chunk.
    pub speed: ArcRwSignal<f64>,
    file: SendWrapper<web_sys::File>,
    /// Names the server upload this file creates; a new one when that upload is gone.
    idempotency_key: Arc<Mutex<String>>,
    paused: Arc<Mutex<bool>>,
    abort: Arc<Mutex<Option<SendWrapper<web_sys::AbortController>>>>,
}

impl Upload {
    /// Identifies this file on this target across reloads, as tus clients do.
    fn fingerprint(&self) -> String {
        format!(
            "bird-portal.upload.{}.{}.{}.{}.{}",
            self.target.case_id,
            self.target.request_id.as_ref().map(|r| r.as_str()).unwrap_or("-"),
            self.file_name,
            self.size,
            self.file.last_modified()
        )
    }

    fn idempotency_key(&self) -> String {
        self.idempotency_key.lock().map(|k| k.clone()).unwrap_or_default()
    }

    /// The server upload was ended (expired, terminated): the next one is another upload, so
    /// it needs its own key (the old one would only name the upload that is gone).
    fn renew_idempotency_key(&self) {
        if let Ok(mut key) = self.idempotency_key.lock() {
            *key = crate::ui::draft::new_idempotency_key();
        }
    }

    fn is_paused(&self) -> bool {
        self.paused.lock().map(|p| *p).unwrap_or(false)
    }

    fn set_paused(&self, paused: bool) {
        if let Ok(mut p) = self.paused.lock() {
            *p = paused;
        }
    }

    fn new_signal(&self) -> Option<web_sys::AbortSignal> {
        let controller = web_sys::AbortController::new().ok()?;
        let signal = controller.signal();
        if let Ok(mut slot) = self.abort.lock() {
            *slot = Some(SendWrapper::new(controller));
        }
        Some(signal)
    }

    fn abort(&self) {
        if let Ok(mut slot) = self.abort.lock()
            && let Some(controller) = slot.take()
        {
            controller.abort();
        }
    }
}

#[derive(Clone)]
pub struct UploadQueue {
    api: ApiClient,
    items: ArcRwSignal<Vec<Upload>>,
    config: ArcRwSignal<Option<PortalConfig>>,
    next_key: Arc<AtomicU32>,
}

pub fn provide_upload_queue(api: ApiClient) -> UploadQueue {
    let queue = UploadQueue {
        api,
        items: ArcRwSignal::new(Vec::new()),
        config: ArcRwSignal::new(None),
        next_key: Arc::default(),
    };
    provide_context(queue.clone());
    // The portal is unmounted (a host removed it): nothing may keep sending. Each upload's
    // offset is on the server and its id in storage, so picking the file again continues it.
    let stopping = queue.clone();
    on_cleanup(move || {
        for upload in stopping.items.get_untracked() {
            upload.set_paused(true);
            upload.abort();
        }
    });
    queue
}

pub fn use_upload_queue() -> UploadQueue {
    expect_context::<UploadQueue>()
}

/// Failures a later attempt can get past: transient ones, and an offset that moved or an
/// upload another request held (the next attempt asks the server where it stands). Other
/// conflicts (a resolved case, an answered request) stay whatever is tried.
fn retryable(error: &ApiError) -> bool {
    error.is_retryable()
        || matches!(error, ApiError::Conflict { code, .. }
            if matches!(code.as_str(), "upload_offset_mismatch" | "upload_busy" | "idempotency_request_in_progress"))
}

/// What the server refused in a way the person acts on rather than retries.
fn refusal_of(error: &ApiError, config: Option<&PortalConfig>) -> Option<Refusal> {
    match error {
        ApiError::StorageQuotaExceeded { .. } => {
            Some(Refusal::OverQuota { quota: config.map_or(0, |c| c.storage_quota_bytes) })
        }
        ApiError::Conflict { code, .. } if code == "case_closed_for_uploads" => Some(Refusal::CaseClosed),
        _ => None,
    }
}

/// The first `n` bytes of a file, read alone (`Blob.slice`), never the whole file.
async fn first_bytes(file: &web_sys::File, n: usize) -> Option<Vec<u8>> {
    let blob = file.slice_with_f64_and_f64(0.0, n as f64).ok()?;
    let buffer = wasm_bindgen_futures::JsFuture::from(blob.array_buffer()).await.ok()?;
    Some(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Whether a file may be sent as `file_type`: a type with a signature must start with it. A
/// file that cannot be read here is left to the server, which checks the same.
async fn judged(file: &web_sys::File, file_name: &str, file_type: &FileType, size: u64) -> Result<(), Refusal> {
    let Some(signature) = file_type.signature else { return Ok(()) };
    match first_bytes(file, signature.needed()).await {
        Some(head) => limits::check_content(file_name, signature, &head, size),
        None => Ok(()),
    }
}

enum Outcome {
    Done(Box<Attachment>),
    Paused,
}

impl UploadQueue {
    /// The files for `target`, in the order they were added.
    pub fn for_target(&self, target: &Target) -> Vec<Upload> {
        self.items.with(|items| items.iter().filter(|u| &u.target == target).cloned().collect())
    }

    async fn config(&self) -> Result<PortalConfig, ApiError> {
        if let Some(config) = self.config.get_untracked() {
            return Ok(config);
        }
        let config = self.api.config(None).await?;
        self.config.set(Some(config.clone()));
        Ok(config)
    }

    /// Adds files for `target`, which already has `files_on_case` attachments. Each is checked
    /// against the server's limits first; refused ones stay listed with the reason.
    pub fn add(&self, files: Vec<SendWrapper<web_sys::File>>, target: Target, files_on_case: u32) {
        let queue = self.clone();
        spawn_local(async move {
            let config = queue.config().await;
            let mut counted = files_on_case
                + queue.items.with_untracked(|items| {
                    items
                        .iter()
                        .filter(|u| u.target.case_id == target.case_id && u.phase.with_untracked(Phase::is_pending))
                        .count() as u32
                });
            for file in files {
                let file_name = file.name();
                let size = file.size().max(0.0) as u64;
                let checked = match &config {
                    Err(error) => Err(Phase::Failed(error.clone())),
                    Ok(config) => limits::check(&config.uploads, &file_name, size, counted).map_err(Phase::Refused),
                };
                let checked = match checked {
                    Ok(file_type) => {
                        judged(&file, &file_name, file_type, size).await.map(|()| file_type).map_err(Phase::Refused)
                    }
                    refused => refused,
                };
                let (phase, media_type) = match checked {
                    Ok(file_type) => {
                        counted += 1;
                        (Phase::Waiting, file_type.media_type)
                    }
                    Err(phase) => (phase, ""),
                };
                let upload = Upload {
                    key: queue.next_key.fetch_add(1, Ordering::Relaxed),
                    target: target.clone(),
                    file_name,
                    media_type,
                    size,
                    phase: ArcRwSignal::new(phase),
                    sent: ArcRwSignal::new(0),
                    speed: ArcRwSignal::new(0.0),
                    file,
                    idempotency_key: Arc::new(Mutex::new(crate::ui::draft::new_idempotency_key())),
                    paused: Arc::default(),
                    abort: Arc::default(),
                };
                queue.items.update(|items| items.push(upload));
            }
            queue.pump();
        });
    }

    fn find(&self, key: u32) -> Option<Upload> {
        self.items.with_untracked(|items| items.iter().find(|u| u.key == key).cloned())
    }

    /// Starts waiting files while fewer than `PARALLEL` are running.
    fn pump(&self) {
        let (running, waiting): (usize, Vec<Upload>) = self.items.with_untracked(|items| {
            let running = items.iter().filter(|u| u.phase.with_untracked(Phase::is_running)).count();
            let waiting = items.iter().filter(|u| u.phase.with_untracked(|p| *p == Phase::Waiting)).cloned().collect();
            (running, waiting)
        });
        for upload in waiting.into_iter().take(PARALLEL.saturating_sub(running)) {
            upload.phase.set(Phase::Uploading);
            let queue = self.clone();
            spawn_local(async move {
                queue.drive(upload).await;
                queue.pump();
            });
        }
    }

    pub fn pause(&self, key: u32) {
        if let Some(upload) = self.find(key) {
            upload.set_paused(true);
            upload.abort();
            upload.phase.set(Phase::Paused);
        }
    }

    /// Resumes a paused file or retries a failed one, from where the server stands.
    pub fn resume(&self, key: u32) {
        if let Some(upload) = self.find(key) {
            upload.set_paused(false);
            upload.phase.set(Phase::Waiting);
            self.pump();
        }
    }

    /// Takes a file off the list; an unfinished upload is ended on the server too.
    pub fn remove(&self, key: u32) {
        let Some(upload) = self.find(key) else { return };
        upload.set_paused(true);
        upload.abort();
        self.items.update(|items| items.retain(|u| u.key != key));
        if !matches!(upload.phase.get_untracked(), Phase::Done(_) | Phase::Refused(_)) {
            let fingerprint = upload.fingerprint();
            if let Some(id) = storage::get(&fingerprint) {
                storage::remove(&fingerprint);
                let api = self.api.clone();
                spawn_local(async move {
                    // The server deletes an abandoned upload when it expires anyway.
                    let _ = api.terminate_upload(&UploadId(id)).await;
                });
            }
        }
        self.pump();
    }

    /// Forgets finished files of a target (their answer was sent).
    pub fn clear_done(&self, target: &Target) {
        self.items.update(|items| {
            items.retain(|u| &u.target != target || !u.phase.with_untracked(|p| matches!(p, Phase::Done(_))))
        });
    }

    async fn drive(&self, upload: Upload) {
        let mut attempt = 0;
        loop {
            if upload.is_paused() {
                upload.phase.set(Phase::Paused);
                return;
            }
            upload.phase.set(if attempt == 0 { Phase::Uploading } else { Phase::Retrying { attempt } });
            match self.send(&upload).await {
                Ok(Outcome::Done(attachment)) => {
                    storage::remove(&upload.fingerprint());
                    upload.sent.set(upload.size);
                    upload.phase.set(Phase::Done(*attachment));
                    return;
                }
                Ok(Outcome::Paused) => {
                    upload.phase.set(Phase::Paused);
                    return;
                }
                Err(_) if upload.is_paused() => {
                    upload.phase.set(Phase::Paused);
                    return;
                }
                // Expired or terminated on the server: start over with a new upload.
                Err(ApiError::NotFound { .. }) if attempt < tus::MAX_ATTEMPTS => {
                    storage::remove(&upload.fingerprint());
                    upload.renew_idempotency_key();
                    upload.sent.set(0);
                    attempt += 1;
                }
                Err(error) if retryable(&error) && attempt < tus::MAX_ATTEMPTS => {
                    upload.phase.set(Phase::Retrying { attempt: attempt + 1 });
                    crate::ui::sleep(tus::backoff_ms(attempt, js_sys::Math::random())).await;
                    attempt += 1;
                }
                Err(error) => {
                    match refusal_of(&error, self.config.get_untracked().as_ref()) {
                        // The server will not take this file as it is: no upload to resume.
                        Some(refusal) => {
                            storage::remove(&upload.fingerprint());
                            upload.phase.set(Phase::Refused(refusal));
                        }
                        None => upload.phase.set(Phase::Failed(error)),
                    }
                    return;
                }
            }
        }
    }

    /// One attempt: find or create the upload, ask where it stands, send the rest.
    async fn send(&self, upload: &Upload) -> Result<Outcome, ApiError> {
        let config = self.config().await?;
        let fingerprint = upload.fingerprint();
        let (id, mut offset) = match storage::get(&fingerprint) {
            Some(id) => {
                let id = UploadId(id);
                let offset = self.api.upload_offset(&id, upload.new_signal()).await?;
                (id, offset)
            }
            None => {
                let request_id = upload.target.request_id.as_ref().map(|r| r.as_str()).unwrap_or("");
                let metadata = tus::metadata(&[
                    ("filename", &upload.file_name),
                    ("filetype", upload.media_type),
                    ("case_id", upload.target.case_id.as_str()),
                    ("information_request_id", request_id),
                ]);
                let created = NewUpload { length: upload.size, metadata: &metadata };
                let id = self.api.create_upload(&created, &upload.idempotency_key()).await?;
                storage::set(&fingerprint, id.as_str());
                (id, 0)
            }
        };
        upload.sent.set(offset);
        let mut chunk = tus::FIRST_CHUNK.min(config.upload_chunk_size.max(1));
        while offset < upload.size {
            if upload.is_paused() {
                return Ok(Outcome::Paused);
            }
            let end = (offset + chunk).min(upload.size);
            let blob = upload.file.slice_with_f64_and_f64(offset as f64, end as f64).map_err(|_| ApiError::Network)?;
            let started = js_sys::Date::now();
            let acknowledged = self.api.send_chunk(&id, offset, &blob, upload.new_signal()).await?;
            let elapsed = js_sys::Date::now() - started;
            if elapsed > 0.0 && acknowledged > offset {
                upload.speed.set((acknowledged - offset) as f64 * 1000.0 / elapsed);
            }
            chunk = tus::next_chunk_size(chunk, elapsed, config.upload_chunk_size.max(1));
            offset = acknowledged;
            upload.sent.set(offset);
        }
        let state = self.api.upload_state(&id).await?;
        state.attachment.map(|a| Outcome::Done(Box::new(a))).ok_or(ApiError::Decode { request_id: None })
    }
}

/// The files a `<input type=file>` or a drop holds.
pub fn files_of(list: Option<web_sys::FileList>) -> Vec<SendWrapper<web_sys::File>> {
    let Some(list) = list else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.item(i)).map(SendWrapper::new).collect()
}

/// The files of a change event on a file input; the input is emptied so that picking the same
/// file again (to resume it after a reload) fires again.
pub fn files_of_input(event: &web_sys::Event) -> Vec<SendWrapper<web_sys::File>> {
    let Some(input) = event.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else {
        return Vec::new();
    };
    let files = files_of(input.files());
    input.set_value("");
    files
}

#[cfg(test)]
mod tests {
    use super::*;
    use portal_contract::UploadLimits;

    fn conflict(code: &str) -> ApiError {
        ApiError::Conflict { code: code.into(), request_id: None }
    }

    #[test]
    fn only_conflicts_about_the_upload_itself_are_retried() {
        assert!(retryable(&conflict("upload_offset_mismatch")));
        assert!(retryable(&conflict("upload_busy")));
        assert!(!retryable(&conflict("case_closed_for_uploads")));
        assert!(!retryable(&conflict("information_request_not_open")));
    }

    #[test]
    fn a_full_quota_and_a_resolved_case_are_refusals_in_words() {
        let config = PortalConfig {
            severities: vec![],
            reopen_window_days: 14,
            uploads: UploadLimits { max_size: 1, media_types: vec![], extensions: vec![], files_per_case: 1 },
            upload_chunk_size: 1,
            storage_quota_bytes: 20 << 30,
            support_address: String::new(),
        };
        let quota = ApiError::StorageQuotaExceeded { request_id: None };
        assert_eq!(refusal_of(&quota, Some(&config)), Some(Refusal::OverQuota { quota: 20 << 30 }));
        assert_eq!(refusal_of(&conflict("case_closed_for_uploads"), None), Some(Refusal::CaseClosed));
        assert_eq!(refusal_of(&ApiError::Network, Some(&config)), None);
    }
}
