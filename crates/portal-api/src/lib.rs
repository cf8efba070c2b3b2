//! `portal-api`: the reference implementation of the Bird Premium Support Portal API.
//!
//! Code map:
//! - `routes/`: the `/api/v1` handlers, one file per resource; `extract.rs`: what they are
//!   given already checked (the visible account or case, the idempotency key, a valid body).
//! - `services/`: what a case goes through whichever door it came by (HTTP, inbound email).
//! - `store/`: SQLite reads and writes of the domain; `db.rs` opens and migrates the file.
//! - `auth.rs`: sessions, bearer tokens, the `Caller` extractor (accounts, CSRF).
//! - `availability.rs`: when a TAM is reachable (pure, clock passed in); `first_response.rs`:
//!   the severity targets, when a first answer is due, overdue and at risk.
//! - `clock.rs`: the server's "now" (moved forward only under `--test-clock`).
//! - `error.rs`: the one `ApiError` and the error shape; `json.rs`: body decoding.
//! - `idempotency.rs`, `pagination.rs`: create-once and cursors.
//! - `objects/`: where files live (the data dir, or S3 with `--object-store`), one interface.
//! - `uploads/`: the tus engine (parts, attachments, expiry); `routes/uploads.rs` its HTTP.
//! - `mail/`: notification emails (a transactional outbox and its sender), reply addresses,
//!   replies back into cases.
//! - `server.rs`: the accept loop and what one client may hold (connections, timeouts).
//! - `demo.rs`: the `--demo` data; `openapi.rs`: the generated document.
//!
//! Architecture Invariant: a handler never answers with data of an account the caller may not
//! see; such an account, case or list is a 404, the same as one that does not exist.

pub mod auth;
pub mod availability;
pub mod client_addr;
pub mod clock;
pub mod db;
pub mod demo;
pub mod error;
pub mod extract;
pub mod first_response;
pub mod idempotency;
pub mod json;
pub mod mail;
pub mod objects;
pub mod openapi;
pub mod pagination;
pub mod rate_limit;
pub mod routes;
pub mod server;
pub mod services;
pub mod sql;
pub mod state;
pub mod store;
pub mod throttle;
pub mod uploads;
pub mod util;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderName, HeaderValue, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use error::{ApiError, ApiResult, REQUEST_ID};
use state::{AppState, Config};
use std::sync::Arc;
use std::time::Instant;
use tower::util::MapResponse;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::services::fs::ServeFileSystemResponseBody as ServeFileBody;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::timeout::RequestBodyTimeoutLayer;

pub use server::{ConnectionLimits, serve};
pub use state::Config as ServerConfig;

const BODY_LIMIT: usize = 1024 * 1024;

/// Opens (creating and migrating) the database, seeds demo data when asked, and builds the app.
pub async fn build(mut config: Config) -> ApiResult<Router> {
    config.mail.reopen_window = config.reopen_window();
    std::fs::create_dir_all(&config.data_dir)
        .map_err(|e| ApiError::Internal(format!("creating {}: {e}", config.data_dir.display())))?;
    let db = db::Db::connect(config.database_url.as_deref(), &config.data_dir.join("portal.sqlite3")).await?;
    if config.database_url.is_none() {
        let released = db.call(|conn| mail::outbox::release_claims(conn)).await?;
        if released > 0 {
            tracing::info!(released, "emails an earlier run had taken and not finished are due again");
        }
    }
    if config.demo {
        demo::seed(&db).await?;
        if config.demo_large {
            demo::seed_large(&db).await?;
        }
    }
    let dummy_hash = tokio::task::spawn_blocking(|| auth::hash_password("not a real password"))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))??;
    let objects = objects::Objects::open(config.object_store.as_deref(), &config.data_dir)?;
    let swept = uploads::sweep_strays(&db, &objects).await?;
    if swept > 0 {
        tracing::info!(swept, "stray upload files from an earlier run deleted");
    }
    let leases = uploads::Leases::start(db.clone()).await?;
    uploads::spawn_sweeper(db.clone(), objects.clone(), leases.clone(), config.uploads.expiry);
    let sign_in_limiter = Arc::new(throttle::SignInThrottle::new(db.clone(), config.sign_ins_per_minute));
    let reset_limiter = Arc::new(throttle::ResetThrottle::new(db.clone()));
    let mail_key = db.with(|conn| mail::token::MailKey::load_or_create(conn))?;
    let transport = mail::transport::Transport::from_config(config.mail.smtp_url.as_deref(), &config.data_dir)
        .map_err(ApiError::Internal)?;
    let state = AppState {
        uploads: leases,
        objects,
        db,
        config: Arc::new(config),
        dummy_hash: Arc::new(dummy_hash),
        sign_in_limiter,
        reset_limiter,
        clock: clock::Clock::default(),
        mail_key,
    };
    mail::sender::spawn(&state, transport);
    Ok(app(state))
}

fn app(state: AppState) -> Router {
    let index = state.config.static_dir.join("index.html");
    let static_files = ServeDir::new(&state.config.static_dir).precompressed_br().fallback(spa_page(index));
    let mut router = Router::new();
    if state.config.demo {
        // The mock dashboard of `demo-host/`: every path under it is its page, so the portal
        // it mounts (routes under /demo-host/mounted/) survives a reload.
        // A dashboard on another origin frames the portal there (`?portal=`), so its own policy
        // lets it frame any web origin; the portal's pages keep theirs.
        let policy = format!("{}; frame-src 'self' http: https:", state.config.content_security_policy);
        router = router.nest_service("/demo-host", demo_pages(&state.config.static_dir.join("demo-host"), policy));
        // The demo's mailbox shows each email's HTML part in a sandboxed frame where no script
        // runs; the frame inherits this policy, which must allow the email's inline styles.
        let policy =
            state.config.content_security_policy.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");
        router =
            router.nest_service("/demo-mailbox", demo_pages(&state.config.static_dir.join("demo-mailbox"), policy));
    }
    router
        .nest("/api/v1", routes::api())
        .route("/api", axum::routing::any(api_not_found))
        .route("/api/{*rest}", axum::routing::any(api_not_found))
        .fallback_service(static_files)
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(RequestBodyTimeoutLayer::new(state.config.connections.body_idle_timeout))
        // Inside the envelope, so the answer carries the request's id and is logged with it.
        .layer(CatchPanicLayer::custom(error::from_panic))
        .layer(middleware::from_fn_with_state(state.clone(), envelope))
        .with_state(state)
}

/// A demo page folder served under its own content security policy.
fn demo_pages(dir: &std::path::Path, policy: String) -> Router {
    let pages = ServeDir::new(dir).fallback(spa_page(dir.join("index.html")));
    let own_policy = middleware::map_response(move |mut response: Response| {
        let policy = policy.clone();
        async move {
            if let Ok(value) = HeaderValue::from_str(&policy) {
                response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, value);
            }
            response
        }
    });
    Router::new().fallback_service(pages).layer(own_policy)
}

type SpaPage = MapResponse<ServeFile, fn(Response<ServeFileBody>) -> Response<ServeFileBody>>;

/// The page a client-side route falls back to: whatever its path looks like, it is not a hashed
/// asset, so it must be revalidated (the envelope leaves a `Cache-Control` already set alone).
fn spa_page(index: std::path::PathBuf) -> SpaPage {
    fn revalidate(mut response: Response<ServeFileBody>) -> Response<ServeFileBody> {
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        response
    }
    MapResponse::new(ServeFile::new(index), revalidate)
}

async fn api_not_found() -> ApiError {
    ApiError::NotFound("route_not_found", "there is no such endpoint")
}

/// Around every request: a request id (header and error bodies), security headers, caching of
/// the built assets, and one log line.
async fn envelope(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let id = util::new_id("req");
    let started = Instant::now();
    let (method, path) = (request.method().clone(), request.uri().path().to_owned());
    let https = client_addr::Client::of(&state.config, request.extensions(), request.headers()).https;
    let mut response = REQUEST_ID.scope(id.clone(), next.run(request)).await;
    let status = response.status();
    let headers = response.headers_mut();
    let has_own_policy = headers.contains_key(header::CONTENT_SECURITY_POLICY);
    // Decided where the answer was made (the SPA fallback, downloads).
    let has_own_caching = headers.contains_key(header::CACHE_CONTROL);
    let mut set = |name: HeaderName, value: &str| {
        if let Ok(v) = HeaderValue::from_str(value) {
            headers.insert(name, v);
        }
    };
    set(HeaderName::from_static("x-request-id"), &id);
    set(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(header::REFERRER_POLICY, "same-origin");
    if https {
        set(header::STRICT_TRANSPORT_SECURITY, "max-age=31536000");
    }
    if !has_own_policy {
        set(header::CONTENT_SECURITY_POLICY, &state.config.content_security_policy);
    }
    if !has_own_caching {
        set(header::CACHE_CONTROL, caching(&path, status));
    }
    tracing::info!(request_id = %id, %method, %path, status = status.as_u16(), ms = started.elapsed().as_millis() as u64, "request");
    response
}

/// API answers are never stored; a file served under a hashed name never changes; anything
/// else of the portal is revalidated.
fn caching(path: &str, status: axum::http::StatusCode) -> &'static str {
    if path.starts_with("/api/") {
        return "no-store";
    }
    let hashed = path.rsplit('/').next().is_some_and(|file| file.contains('-') && file.contains('.'));
    if hashed && status.is_success() { "public, max-age=31536000, immutable" } else { "no-cache" }
}
