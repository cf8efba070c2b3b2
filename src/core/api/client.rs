use super::ApiError;
use super::BearerToken;
use gloo_net::http::{Method, Request, RequestBuilder, Response};
use leptos::prelude::*;
use portal_contract::{
    API_BASE, AccountId, AccountOverview, CSRF_HEADER, Case, CaseDetail, CaseId, CaseIndex, CaseListQuery, Credentials,
    EmbeddingPolicy, IDEMPOTENCY_KEY_HEADER, InformationRequestId, Invitation, InvitationAcceptance, InvitationId,
    InvitationPreview, MemberUpdate, Members, NeedsAction, NewCase, NewInformationAnswer, NewInvitation, NewMessage,
    NewParticipant, NewPassword, NewRating, NewResolution, NotificationSettings, Page, Participant, PasswordChange,
    PasswordResetRequest, PortalConfig, REQUEST_ID_HEADER, Reason, SessionInfo, TUS_PATCH_CONTENT_TYPE, TUS_VERSION,
    Tam, TimelineEvent, TokenGrant, UploadId, UploadState, UserId, WaitingRequest, Worklist,
};
use serde::de::DeserializeOwned;
use std::sync::Arc;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{AbortSignal, RequestCredentials};

/// What a request carries.
#[derive(Clone)]
enum Body {
    None,
    Json(String),
    /// Bytes of a file, with their content type.
    Bytes(JsValue, &'static str),
}

/// One request, kept as data so it can be sent again with a renewed token.
struct Call {
    method: Method,
    url: String,
    query: Vec<(&'static str, String)>,
    headers: Vec<(&'static str, String)>,
    body: Body,
}

impl Call {
    fn new(method: Method, url: String) -> Self {
        Call { method, url, query: Vec::new(), headers: Vec::new(), body: Body::None }
    }

    fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    fn json(mut self, text: String) -> Self {
        self.body = Body::Json(text);
        self
    }

    fn request(&self, token: Option<&str>, abort: Option<&AbortSignal>) -> Result<Request, ApiError> {
        let mut builder = RequestBuilder::new(&self.url)
            .method(self.method.clone())
            .query(self.query.iter().map(|(k, v)| (*k, v.as_str())))
            .header("Accept", "application/json")
            .header(CSRF_HEADER, "bird-portal")
            .abort_signal(abort);
        for (name, value) in &self.headers {
            builder = builder.header(name, value);
        }
        if let Some(token) = token {
            // Only the token the host handed over counts: a cookie the host page's origin
            // happens to carry must not sign the portal in as someone else.
            builder = builder.header("Authorization", &format!("Bearer {token}")).credentials(RequestCredentials::Omit);
        }
        match &self.body {
            Body::Json(text) => builder.header("Content-Type", "application/json").body(text.clone()),
            Body::Bytes(bytes, content_type) => builder.header("Content-Type", content_type).body(bytes.clone()),
            Body::None => builder.build(),
        }
        .map_err(|_| ApiError::Network)
    }
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
    /// Embedded with a host's token instead of the session cookie.
    bearer: Option<BearerToken>,
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

/// The id of a new upload at the end of its `Location` (absolute URL or path): the last
/// segment, and only if it is plain, so a hostile header cannot smuggle a path in.
fn upload_id_from_location(location: &str) -> Option<portal_contract::UploadId> {
    let last = location.trim().trim_end_matches('/').rsplit('/').next()?;
    let valid = !last.is_empty() && last.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'));
    valid.then(|| last.into())
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
    if let Some(v) = q.mine {
        pairs.push(("mine", v.to_string()));
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
        ApiClient { base: base.into(), on_unauthorized: Arc::new(on_unauthorized), bearer: None }
    }

    /// Signs every request with the host's token; a refused token is renewed once per request.
    pub fn with_bearer(mut self, token: BearerToken) -> Self {
        self.bearer = Some(token);
        self
    }

    pub fn bearer(&self) -> Option<&BearerToken> {
        self.bearer.as_ref()
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    async fn send(&self, call: Call, abort: Option<AbortSignal>) -> Result<Response, ApiError> {
        let token = match &self.bearer {
            // No token yet (a host that gave only a token URL): fetch one before the first call.
            Some(bearer) if bearer.get().is_empty() => Some(bearer.renew("").await.unwrap_or_default()),
            Some(bearer) => Some(bearer.get()),
            None => None,
        };
        let mut response = self.attempt(&call, token.as_deref(), abort.as_ref()).await?;
        if let (401, Some(bearer), Some(stale)) = (response.status(), &self.bearer, &token)
            && let Some(fresh) = bearer.renew(stale).await
        {
            response = self.attempt(&call, Some(&fresh), abort.as_ref()).await?;
        }
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

    async fn attempt(
        &self,
        call: &Call,
        token: Option<&str>,
        abort: Option<&AbortSignal>,
    ) -> Result<Response, ApiError> {
        call.request(token, abort)?
            .send()
            .await
            .map_err(|_| if abort.is_some_and(|s| s.aborted()) { ApiError::Aborted } else { ApiError::Network })
    }

    async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
        let request_id = response.headers().get(REQUEST_ID_HEADER);
        let text = response.text().await.map_err(|_| ApiError::Network)?;
        serde_json::from_str(&text).map_err(|_| ApiError::Decode { request_id })
    }

    async fn get<T: DeserializeOwned>(&self, path: &str, abort: Option<AbortSignal>) -> Result<T, ApiError> {
        Self::decode(self.send(Call::new(Method::GET, self.url(path)), abort).await?).await
    }

    pub async fn session(&self, abort: Option<AbortSignal>) -> Result<SessionInfo, ApiError> {
        self.get("/session", abort).await
    }

    pub async fn sign_in(&self, credentials: &Credentials) -> Result<SessionInfo, ApiError> {
        let body = serde_json::to_string(credentials).map_err(|_| ApiError::Network)?;
        Self::decode(self.send(Call::new(Method::POST, self.url("/session")).json(body), None).await?).await
    }

    pub async fn sign_out(&self) -> Result<(), ApiError> {
        self.send(Call::new(Method::DELETE, self.url("/session")), None).await.map(|_| ())
    }

    /// Asks for a password reset link by email. The answer is the same whether or not the
    /// address has an account, so there is nothing to read from it.
    pub async fn request_password_reset(&self, request: &PasswordResetRequest) -> Result<(), ApiError> {
        let body = serde_json::to_string(request).map_err(|_| ApiError::Network)?;
        self.send(Call::new(Method::POST, self.url("/password-resets")).json(body), None).await.map(|_| ())
    }

    /// Sets a new password through an emailed link; the person is signed in by it. A link that
    /// is unknown, used or expired is `NotFound`.
    pub async fn reset_password(&self, token: &str, password: &NewPassword) -> Result<SessionInfo, ApiError> {
        let url = self.url(&format!("/password-resets/{}", segment(token)));
        let body = serde_json::to_string(password).map_err(|_| ApiError::Network)?;
        Self::decode(self.send(Call::new(Method::POST, url).json(body), None).await?).await
    }

    /// Changes the signed-in person's password; their other sessions end.
    pub async fn change_password(&self, change: &PasswordChange) -> Result<(), ApiError> {
        let body = serde_json::to_string(change).map_err(|_| ApiError::Network)?;
        self.send(Call::new(Method::PUT, self.url("/me/password")).json(body), None).await.map(|_| ())
    }

    /// Which notifications reach the signed-in person by email, and in which language.
    pub async fn notification_settings(&self, abort: Option<AbortSignal>) -> Result<NotificationSettings, ApiError> {
        self.get("/me/notification-settings", abort).await
    }

    /// Saves the person's notification settings; what is sent is what holds from now on.
    pub async fn save_notification_settings(&self, settings: &NotificationSettings) -> Result<(), ApiError> {
        let body = serde_json::to_string(settings).map_err(|_| ApiError::Network)?;
        let call = Call::new(Method::PUT, self.url("/me/notification-settings")).json(body);
        self.send(call, None).await.map(|_| ())
    }

    /// Whether this client is signed in by the session cookie (standalone) rather than by a
    /// host's token: only that session may change the password.
    pub fn has_cookie_session(&self) -> bool {
        self.bearer.is_none()
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
        let mut call = Call::new(Method::GET, self.url(&format!("/accounts/{}/cases", segment(account.as_str()))));
        call.query = query_pairs(query);
        Self::decode(self.send(call, abort).await?).await
    }

    /// Every case of the account as a summary; with `mine`, only the caller's own (opened or
    /// followed), as the list's `mine=true`.
    pub async fn case_index(
        &self,
        account: &AccountId,
        mine: bool,
        abort: Option<AbortSignal>,
    ) -> Result<CaseIndex, ApiError> {
        let mut call = Call::new(Method::GET, self.url(&format!("/accounts/{}/case-index", segment(account.as_str()))));
        if mine {
            call.query.push(("mine", "true".to_owned()));
        }
        Self::decode(self.send(call, abort).await?).await
    }

    pub async fn config(&self, abort: Option<AbortSignal>) -> Result<PortalConfig, ApiError> {
        self.get("/config", abort).await
    }

    /// A bearer token from the host's token endpoint (`POST`, with the host's own session
    /// cookie), e.g. the API's own `POST /api/v1/tokens` when the host shares its origin.
    pub async fn mint_token(url: &str) -> Result<TokenGrant, ApiError> {
        let client = ApiClient::new("", || {});
        Self::decode(client.send(Call::new(Method::POST, url.to_owned()), None).await?).await
    }

    /// Who may frame the portal (public): a framed portal asks before it trusts a message.
    pub async fn embedding_policy(&self) -> Result<EmbeddingPolicy, ApiError> {
        self.get("/embedding", None).await
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
        let call = Call::new(Method::POST, url).header(IDEMPOTENCY_KEY_HEADER, idempotency_key).json(body);
        Self::decode(self.send(call, None).await?).await
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
        let call = Call::new(Method::POST, url).header(IDEMPOTENCY_KEY_HEADER, idempotency_key).json(body);
        Self::decode(self.send(call, None).await?).await
    }

    async fn post_for_case<B: serde::Serialize>(
        &self,
        case: &CaseId,
        action: &str,
        body: &B,
    ) -> Result<CaseDetail, ApiError> {
        let url = self.url(&format!("/cases/{}/{action}", segment(case.as_str())));
        let body = serde_json::to_string(body).map_err(|_| ApiError::Network)?;
        Self::decode(self.send(Call::new(Method::POST, url).json(body), None).await?).await
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

    pub async fn acknowledge_escalation(&self, case: &CaseId) -> Result<CaseDetail, ApiError> {
        self.post_for_case(case, "escalation/acknowledge", &serde_json::json!({})).await
    }

    /// What on an account waits on its customer: open information requests, proposed resolutions.
    pub async fn needs_action(&self, account: &AccountId, abort: Option<AbortSignal>) -> Result<NeedsAction, ApiError> {
        self.get(&format!("/accounts/{}/needs-action", segment(account.as_str())), abort).await
    }

    /// A TAM's worklist across their accounts: unacknowledged escalations, cases at risk.
    pub async fn worklist(&self, abort: Option<AbortSignal>) -> Result<Worklist, ApiError> {
        self.get("/me/worklist", abort).await
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
        let call = Call::new(Method::POST, url).header(IDEMPOTENCY_KEY_HEADER, idempotency_key).json(body);
        Self::decode(self.send(call, None).await?).await
    }

    /// The account's people and, for its admins, the invitations still open.
    pub async fn members(&self, account: &AccountId, abort: Option<AbortSignal>) -> Result<Members, ApiError> {
        self.get(&format!("/accounts/{}/members", segment(account.as_str())), abort).await
    }

    /// Invites a colleague by email; the key stays the same across retries of one invitation.
    pub async fn invite(
        &self,
        account: &AccountId,
        invitation: &NewInvitation,
        idempotency_key: &str,
    ) -> Result<Invitation, ApiError> {
        let url = self.url(&format!("/accounts/{}/invitations", segment(account.as_str())));
        let body = serde_json::to_string(invitation).map_err(|_| ApiError::Network)?;
        let call = Call::new(Method::POST, url).header(IDEMPOTENCY_KEY_HEADER, idempotency_key).json(body);
        Self::decode(self.send(call, None).await?).await
    }

    /// Withdraws an invitation nobody has accepted: its link stops working.
    pub async fn revoke_invitation(&self, account: &AccountId, invitation: &InvitationId) -> Result<(), ApiError> {
        let url =
            self.url(&format!("/accounts/{}/invitations/{}", segment(account.as_str()), segment(invitation.as_str())));
        self.send(Call::new(Method::DELETE, url), None).await.map(|_| ())
    }

    /// Gives a colleague another role on the account. What the API answers is not read: the
    /// page asks for the list again, which also shows what others changed meanwhile.
    pub async fn change_member_role(
        &self,
        account: &AccountId,
        user: &UserId,
        update: &MemberUpdate,
    ) -> Result<(), ApiError> {
        let url = self.url(&format!("/accounts/{}/members/{}", segment(account.as_str()), segment(user.as_str())));
        let body = serde_json::to_string(update).map_err(|_| ApiError::Network)?;
        self.send(Call::new(Method::PATCH, url).json(body), None).await.map(|_| ())
    }

    /// Takes someone off the account: a colleague (by an admin) or oneself (leaving). Their
    /// cases and messages stay.
    pub async fn remove_member(&self, account: &AccountId, user: &UserId) -> Result<(), ApiError> {
        let url = self.url(&format!("/accounts/{}/members/{}", segment(account.as_str()), segment(user.as_str())));
        self.send(Call::new(Method::DELETE, url), None).await.map(|_| ())
    }

    /// What an emailed invitation link opens onto. An unknown link is `NotFound`, and so is one
    /// that expired, was used or was withdrawn.
    pub async fn invitation(&self, token: &str, abort: Option<AbortSignal>) -> Result<InvitationPreview, ApiError> {
        self.get(&format!("/invitations/{}", segment(token)), abort).await
    }

    /// Accepts an invitation; the person is signed in by it.
    pub async fn accept_invitation(
        &self,
        token: &str,
        acceptance: &InvitationAcceptance,
    ) -> Result<SessionInfo, ApiError> {
        let url = self.url(&format!("/invitations/{}/accept", segment(token)));
        let body = serde_json::to_string(acceptance).map_err(|_| ApiError::Network)?;
        Self::decode(self.send(Call::new(Method::POST, url).json(body), None).await?).await
    }

    /// Adds a colleague to a case; the key stays the same across retries.
    pub async fn add_participant(
        &self,
        case: &CaseId,
        participant: &NewParticipant,
        idempotency_key: &str,
    ) -> Result<Participant, ApiError> {
        let url = self.url(&format!("/cases/{}/participants", segment(case.as_str())));
        let body = serde_json::to_string(participant).map_err(|_| ApiError::Network)?;
        let call = Call::new(Method::POST, url).header(IDEMPOTENCY_KEY_HEADER, idempotency_key).json(body);
        Self::decode(self.send(call, None).await?).await
    }

    /// Takes a colleague (or oneself) off a case's participants.
    pub async fn remove_participant(&self, case: &CaseId, user: &UserId) -> Result<(), ApiError> {
        let url = self.url(&format!("/cases/{}/participants/{}", segment(case.as_str()), segment(user.as_str())));
        self.send(Call::new(Method::DELETE, url), None).await.map(|_| ())
    }

    /// Where an attachment downloads from (a plain link: the browser saves it).
    pub fn attachment_url(&self, id: &portal_contract::AttachmentId) -> String {
        self.url(&format!("/attachments/{}", segment(id.as_str())))
    }

    /// Whether a plain link can download (the browser sends the session cookie with it); with
    /// a host's bearer token it cannot, and `attachment_blob` fetches the file instead.
    pub fn links_are_signed_in(&self) -> bool {
        self.bearer.is_none()
    }

    /// An attachment's bytes, fetched with the bearer token (embedded).
    pub async fn attachment_blob(&self, id: &portal_contract::AttachmentId) -> Result<web_sys::Blob, ApiError> {
        let response = self.send(Call::new(Method::GET, self.attachment_url(id)), None).await?;
        let promise = web_sys::Response::from(response).blob().map_err(|_| ApiError::Network)?;
        let blob = wasm_bindgen_futures::JsFuture::from(promise).await.map_err(|_| ApiError::Network)?;
        blob.dyn_into::<web_sys::Blob>().map_err(|_| ApiError::Decode { request_id: None })
    }

    fn upload_url(&self, id: &UploadId) -> String {
        self.url(&format!("/uploads/{}", segment(id.as_str())))
    }

    /// tus creation: the id of a new upload.
    pub async fn create_upload(&self, upload: &NewUpload<'_>, idempotency_key: &str) -> Result<UploadId, ApiError> {
        let call = Call::new(Method::POST, self.url("/uploads"))
            .header("Tus-Resumable", TUS_VERSION)
            .header("Upload-Length", upload.length.to_string())
            .header("Upload-Metadata", upload.metadata)
            .header(IDEMPOTENCY_KEY_HEADER, idempotency_key);
        let response = self.send(call, None).await?;
        let location = response.headers().get("Location").unwrap_or_default();
        upload_id_from_location(&location)
            .ok_or(ApiError::Decode { request_id: response.headers().get(REQUEST_ID_HEADER) })
    }

    /// tus `HEAD`: how many bytes of the upload the server has.
    pub async fn upload_offset(&self, id: &UploadId, abort: Option<AbortSignal>) -> Result<u64, ApiError> {
        let call = Call::new(Method::HEAD, self.upload_url(id)).header("Tus-Resumable", TUS_VERSION);
        let response = self.send(call, abort).await?;
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
        let mut call = Call::new(Method::PATCH, self.upload_url(id))
            .header("Tus-Resumable", TUS_VERSION)
            .header("Upload-Offset", offset.to_string());
        call.body = Body::Bytes(JsValue::from(chunk.clone()), TUS_PATCH_CONTENT_TYPE);
        let response = self.send(call, abort).await?;
        Self::offset_of(&response)
    }

    /// The upload's state; once complete, the attachment it became.
    pub async fn upload_state(&self, id: &UploadId) -> Result<UploadState, ApiError> {
        let response = self.send(Call::new(Method::GET, self.upload_url(id)), None).await?;
        Self::decode(response).await
    }

    /// tus termination: the server deletes the bytes it has.
    pub async fn terminate_upload(&self, id: &UploadId) -> Result<(), ApiError> {
        let call = Call::new(Method::DELETE, self.upload_url(id)).header("Tus-Resumable", TUS_VERSION);
        self.send(call, None).await.map(|_| ())
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
    fn ids_come_from_the_last_segment_only() {
        assert_eq!(upload_id_from_location("/api/v1/uploads/upl_Ab-9").map(|i| i.0), Some("upl_Ab-9".into()));
        assert_eq!(upload_id_from_location("http://h/api/v1/uploads/upl_1/").map(|i| i.0), Some("upl_1".into()));
        assert_eq!(upload_id_from_location(""), None);
        assert_eq!(upload_id_from_location("/uploads/a%2F.."), None);
    }

    #[test]
    fn only_set_filters_reach_the_query() {
        let q = CaseListQuery {
            severity: Some(Severity::High),
            q: Some("  ".into()),
            sort: Some(CaseSort::Severity),
            mine: Some(true),
            ..Default::default()
        };
        assert_eq!(
            query_pairs(&q),
            vec![("severity", "high".to_owned()), ("mine", "true".to_owned()), ("sort", "severity".to_owned())]
        );
    }
}
