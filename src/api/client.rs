use super::ApiError;
use gloo_net::http::{Method, Request, RequestBuilder, Response};
use leptos::prelude::*;
use portal_contract::{
    API_BASE, AccountId, AccountOverview, CSRF_HEADER, Case, CaseDetail, CaseId, CaseListQuery, Credentials,
    IDEMPOTENCY_KEY_HEADER, InformationRequestId, NewCase, NewInformationAnswer, NewMessage, NewRating, NewResolution,
    Page, PortalConfig, REQUEST_ID_HEADER, Reason, SessionInfo, TUS_PATCH_CONTENT_TYPE, TUS_VERSION, Tam,
    TimelineEvent, UploadId, UploadState, WaitingRequest,
};
use serde::de::DeserializeOwned;
use std::sync::Arc;
use wasm_bindgen::JsValue;
use web_sys::AbortSignal;

/// What a request carries.
enum Body {
    None,
    Json(String),
    /// Bytes of a file, with their content type.
    Bytes(JsValue, &'static str),
}

/// The tus headers of a new upload: its length and its metadata (`Upload-Metadata` value).
pub struct NewUpload<'a> {
    pub length: u64,
    pub metadata: &'a str,
}

/// A handle on the API, cheap to clone, provided in context.
#[derive(Clone)]
pub struct ApiClient {
    base: Arc<str>,
    on_unauthorized: Arc<dyn Fn() + Send + Sync>,
}

pub fn use_api() -> ApiClient {
    expect_context::<ApiClient>()
}

/// Percent-encodes one path segment, so an id taken from the URL can never change the path.
fn segment(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for byte in raw.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn query_pairs(q: &CaseListQuery) -> Vec<(&'static str, String)> {
    let mut pairs = Vec::new();
    if let Some(v) = &q.status {
        pairs.push(("status", v.clone()));
    }
    if let Some(v) = q.kind {
        pairs.push(("kind", v.as_str().to_owned()));
    }
    if let Some(v) = q.severity {
        pairs.push(("severity", v.as_str().to_owned()));
    }
    if let Some(v) = q.q.as_ref().filter(|v| !v.trim().is_empty()) {
        pairs.push(("q", v.clone()));
    }
    if let Some(v) = q.escalated {
        pairs.push(("escalated", v.to_string()));
    }
    if let Some(v) = q.sort {
        pairs.push(("sort", v.as_str().to_owned()));
    }
    if let Some(v) = q.limit {
        pairs.push(("limit", v.to_string()));
    }
    if let Some(v) = &q.cursor {
        pairs.push(("cursor", v.clone()));
    }
    pairs
}

impl ApiClient {
    /// `origin` is empty for the same origin as the page; `on_unauthorized` runs whenever the
    /// API says the session is gone, so the shell can ask the person to sign in again.
    pub fn new(origin: &str, on_unauthorized: impl Fn() + Send + Sync + 'static) -> Self {
        let base = format!("{}{API_BASE}", origin.trim_end_matches('/'));
        ApiClient { base: base.into(), on_unauthorized: Arc::new(on_unauthorized) }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    async fn send(
        &self,
        builder: RequestBuilder,
        json: Option<String>,
        abort: Option<AbortSignal>,
    ) -> Result<Response, ApiError> {
        self.send_body(builder, json.map_or(Body::None, Body::Json), abort).await
    }

    async fn send_body(
        &self,
        builder: RequestBuilder,
        body: Body,
        abort: Option<AbortSignal>,
    ) -> Result<Response, ApiError> {
        let builder = builder
            .header("Accept", "application/json")
            .header(CSRF_HEADER, "bird-portal")
            .abort_signal(abort.as_ref());
        let request = match body {
            Body::Json(text) => builder.header("Content-Type", "application/json").body(text),
            Body::Bytes(bytes, content_type) => builder.header("Content-Type", content_type).body(bytes),
            Body::None => builder.build(),
        }
        .map_err(|_| ApiError::Network)?;
        let response = request.send().await.map_err(|_| {
            if abort.as_ref().is_some_and(|s| s.aborted()) { ApiError::Aborted } else { ApiError::Network }
        })?;
        if response.ok() {
            return Ok(response);
        }
        let request_id = response.headers().get(REQUEST_ID_HEADER);
        let retry_after = response.headers().get("Retry-After");
        let body = response.text().await.unwrap_or_default();
        let error = ApiError::from_answer(response.status(), &body, request_id, retry_after.as_deref());
        if matches!(error, ApiError::Unauthorized { .. }) {
            (self.on_unauthorized)();
        }
        Err(error)
    }

    async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
        let request_id = response.headers().get(REQUEST_ID_HEADER);
        let text = response.text().await.map_err(|_| ApiError::Network)?;
        serde_json::from_str(&text).map_err(|_| ApiError::Decode { request_id })
    }

    async fn get<T: DeserializeOwned>(&self, path: &str, abort: Option<AbortSignal>) -> Result<T, ApiError> {
        Self::decode(self.send(Request::get(&self.url(path)), None, abort).await?).await
    }

    pub async fn session(&self, abort: Option<AbortSignal>) -> Result<SessionInfo, ApiError> {
        self.get("/session", abort).await
    }

    pub async fn sign_in(&self, credentials: &Credentials) -> Result<SessionInfo, ApiError> {
        let body = serde_json::to_string(credentials).map_err(|_| ApiError::Network)?;
        Self::decode(self.send(Request::post(&self.url("/session")), Some(body), None).await?).await
    }

    pub async fn sign_out(&self) -> Result<(), ApiError> {
        self.send(Request::delete(&self.url("/session")), None, None).await.map(|_| ())
    }

    pub async fn accounts(&self, abort: Option<AbortSignal>) -> Result<Page<AccountOverview>, ApiError> {
        self.get("/accounts?limit=100", abort).await
    }

    pub async fn account(&self, id: &AccountId, abort: Option<AbortSignal>) -> Result<AccountOverview, ApiError> {
        self.get(&format!("/accounts/{}", segment(id.as_str())), abort).await
    }

    pub async fn tam(&self, account: &AccountId, abort: Option<AbortSignal>) -> Result<Tam, ApiError> {
        self.get(&format!("/accounts/{}/tam", segment(account.as_str())), abort).await
    }

    pub async fn cases(
        &self,
        account: &AccountId,
        query: &CaseListQuery,
        abort: Option<AbortSignal>,
    ) -> Result<Page<Case>, ApiError> {
        let url = self.url(&format!("/accounts/{}/cases", segment(account.as_str())));
        let builder = Request::get(&url).query(query_pairs(query).iter().map(|(k, v)| (*k, v.as_str())));
        Self::decode(self.send(builder, None, abort).await?).await
    }

    pub async fn config(&self, abort: Option<AbortSignal>) -> Result<PortalConfig, ApiError> {
        self.get("/config", abort).await
    }

    /// Opens a case. `idempotency_key` stays the same across retries of this one case.
    pub async fn create_case(
        &self,
        account: &AccountId,
        case: &NewCase,
        idempotency_key: &str,
    ) -> Result<Case, ApiError> {
        let url = self.url(&format!("/accounts/{}/cases", segment(account.as_str())));
        let body = serde_json::to_string(case).map_err(|_| ApiError::Network)?;
        let builder = Request::post(&url).header(IDEMPOTENCY_KEY_HEADER, idempotency_key);
        Self::decode(self.send(builder, Some(body), None).await?).await
    }

    /// Adds a reply (or, for Bird's side, a progress update) to a case's timeline. The key
    /// stays the same across retries.
    pub async fn post_message(
        &self,
        case: &CaseId,
        message: &NewMessage,
        idempotency_key: &str,
        progress_update: bool,
    ) -> Result<TimelineEvent, ApiError> {
        let kind = if progress_update { "updates" } else { "messages" };
        let url = self.url(&format!("/cases/{}/{kind}", segment(case.as_str())));
        let body = serde_json::to_string(message).map_err(|_| ApiError::Network)?;
        let builder = Request::post(&url).header(IDEMPOTENCY_KEY_HEADER, idempotency_key);
        Self::decode(self.send(builder, Some(body), None).await?).await
    }

    async fn post_for_case<B: serde::Serialize>(
        &self,
        case: &CaseId,
        action: &str,
        body: &B,
    ) -> Result<CaseDetail, ApiError> {
        let url = self.url(&format!("/cases/{}/{action}", segment(case.as_str())));
        let body = serde_json::to_string(body).map_err(|_| ApiError::Network)?;
        Self::decode(self.send(Request::post(&url), Some(body), None).await?).await
    }

    pub async fn propose_resolution(&self, case: &CaseId, body: &NewResolution) -> Result<CaseDetail, ApiError> {
        self.post_for_case(case, "resolution/propose", body).await
    }

    pub async fn confirm_resolution(&self, case: &CaseId) -> Result<CaseDetail, ApiError> {
        self.post_for_case(case, "resolution/confirm", &serde_json::json!({})).await
    }

    pub async fn decline_resolution(&self, case: &CaseId, body: &Reason) -> Result<CaseDetail, ApiError> {
        self.post_for_case(case, "resolution/decline", body).await
    }

    pub async fn reopen(&self, case: &CaseId, body: &Reason) -> Result<CaseDetail, ApiError> {
        self.post_for_case(case, "reopen", body).await
    }

    pub async fn rate(&self, case: &CaseId, body: &NewRating) -> Result<CaseDetail, ApiError> {
        self.post_for_case(case, "satisfaction", body).await
    }

    pub async fn escalate(&self, case: &CaseId, body: &Reason) -> Result<CaseDetail, ApiError> {
        self.post_for_case(case, "escalation", body).await
    }

    pub async fn case(&self, id: &CaseId, abort: Option<AbortSignal>) -> Result<CaseDetail, ApiError> {
        self.get(&format!("/cases/{}", segment(id.as_str())), abort).await
    }

    /// The open information requests of an account's cases.
    pub async fn waiting_requests(
        &self,
        account: &AccountId,
        abort: Option<AbortSignal>,
    ) -> Result<Page<WaitingRequest>, ApiError> {
        self.get(&format!("/accounts/{}/information-requests", segment(account.as_str())), abort).await
    }

    /// Answers an information request; the key stays the same across retries of one answer.
    pub async fn answer_request(
        &self,
        case: &CaseId,
        request: &InformationRequestId,
        answer: &NewInformationAnswer,
        idempotency_key: &str,
    ) -> Result<CaseDetail, ApiError> {
        let url = self.url(&format!(
            "/cases/{}/information-requests/{}/answer",
            segment(case.as_str()),
            segment(request.as_str())
        ));
        let body = serde_json::to_string(answer).map_err(|_| ApiError::Network)?;
        let builder = Request::post(&url).header(IDEMPOTENCY_KEY_HEADER, idempotency_key);
        Self::decode(self.send(builder, Some(body), None).await?).await
    }

    /// Where an attachment downloads from (a plain link: the browser saves it).
    pub fn attachment_url(&self, id: &portal_contract::AttachmentId) -> String {
        self.url(&format!("/attachments/{}", segment(id.as_str())))
    }

    fn upload_url(&self, id: &UploadId) -> String {
        self.url(&format!("/uploads/{}", segment(id.as_str())))
    }

    /// tus creation: the id of a new upload.
    pub async fn create_upload(&self, upload: &NewUpload<'_>, idempotency_key: &str) -> Result<UploadId, ApiError> {
        let builder = Request::post(&self.url("/uploads"))
            .header("Tus-Resumable", TUS_VERSION)
            .header("Upload-Length", &upload.length.to_string())
            .header("Upload-Metadata", upload.metadata)
            .header(IDEMPOTENCY_KEY_HEADER, idempotency_key);
        let response = self.send_body(builder, Body::None, None).await?;
        let location = response.headers().get("Location").unwrap_or_default();
        crate::uploads::tus::upload_id_from_location(&location)
            .ok_or(ApiError::Decode { request_id: response.headers().get(REQUEST_ID_HEADER) })
    }

    /// tus `HEAD`: how many bytes of the upload the server has.
    pub async fn upload_offset(&self, id: &UploadId, abort: Option<AbortSignal>) -> Result<u64, ApiError> {
        let builder =
            RequestBuilder::new(&self.upload_url(id)).method(Method::HEAD).header("Tus-Resumable", TUS_VERSION);
        let response = self.send_body(builder, Body::None, abort).await?;
        Self::offset_of(&response)
    }

    fn offset_of(response: &Response) -> Result<u64, ApiError> {
        let request_id = response.headers().get(REQUEST_ID_HEADER);
        response.headers().get("Upload-Offset").and_then(|v| v.parse().ok()).ok_or(ApiError::Decode { request_id })
    }

    /// tus `PATCH`: sends `chunk` (a slice of the file, never read into memory here) at
    /// `offset`; answers the offset the server acknowledged.
    pub async fn send_chunk(
        &self,
        id: &UploadId,
        offset: u64,
        chunk: &web_sys::Blob,
        abort: Option<AbortSignal>,
    ) -> Result<u64, ApiError> {
        let builder = Request::patch(&self.upload_url(id))
            .header("Tus-Resumable", TUS_VERSION)
            .header("Upload-Offset", &offset.to_string());
        let response =
            self.send_body(builder, Body::Bytes(JsValue::from(chunk.clone()), TUS_PATCH_CONTENT_TYPE), abort).await?;
        Self::offset_of(&response)
    }

    /// The upload's state; once complete, the attachment it became.
    pub async fn upload_state(&self, id: &UploadId) -> Result<UploadState, ApiError> {
        let response = self.send_body(Request::get(&self.upload_url(id)), Body::None, None).await?;
        Self::decode(response).await
    }

    /// tus termination: the server deletes the bytes it has.
    pub async fn terminate_upload(&self, id: &UploadId) -> Result<(), ApiError> {
        let builder = Request::delete(&self.upload_url(id)).header("Tus-Resumable", TUS_VERSION);
        self.send_body(builder, Body::None, None).await.map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use portal_contract::{CaseSort, Severity};

    #[test]
    fn path_segments_cannot_escape() {
        assert_eq!(segment("case_1"), "case_1");
        assert_eq!(segment("../accounts/acc_globex"), "..%2Faccounts%2Facc_globex");
        assert_eq!(segment("a b?c#d"), "a%20b%3Fc%23d");
        assert_eq!(segment("è"), "%C3%A8");
    }

    #[test]
    fn only_set_filters_reach_the_query() {
        let q = CaseListQuery {
            severity: Some(Severity::High),
            q: Some("  ".into()),
            sort: Some(CaseSort::Severity),
            ..Default::default()
        };
        assert_eq!(query_pairs(&q), vec![("severity", "high".to_owned()), ("sort", "severity".to_owned())]);
    }
}
