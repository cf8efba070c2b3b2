//! `/unsubscribe/{token}`: the one-click unsubscribe of RFC 8058. A mail client POSTs the link
//! of an email's `List-Unsubscribe` header, without a session, and that kind of email stops
//! for that person. A person who opens the link in a browser gets a page whose button sends
//! the same POST: following a link (which scanners and previews do) never unsubscribes.

use crate::error::{ApiError, ApiResult};
use crate::mail::compose::html::escape;
use crate::mail::compose::words::{Words, fill};
use crate::mail::settings;
use crate::state::AppState;
use crate::store;
use axum::extract::{Path, State};
use axum::http::header::{CONTENT_SECURITY_POLICY, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use portal_contract::{ErrorBody, Language, NotificationKind};
use rusqlite::Connection;
use sha2::{Digest, Sha256};

/// Asks to confirm; changes nothing.
#[utoipa::path(get, path = "/api/v1/unsubscribe/{token}", tag = "notifications", operation_id = "unsubscribe_page",
    params(("token" = String, Path, description = "From the `List-Unsubscribe` link of a notification email")),
    responses((status = 200, description = "A page with the button that unsubscribes", content_type = "text/html", body = String),
              (status = 404, description = "The token is not one this server signed", body = ErrorBody)))]
pub async fn page(State(state): State<AppState>, Path(token): Path<String>) -> ApiResult<Response> {
    let (user_id, kind) = verified(&state, &token)?;
    let language = state.db.read(move |conn| language_of(conn, &user_id)).await?;
    let words = Words::of(language);
    let form = format!(
        "<p>{}</p>\n<form method=\"post\">\n<input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">\n\
         <button type=\"submit\">{}</button>\n</form>\n",
        escape(&fill(words.page.question, &[("about", words.about(kind))])),
        escape(words.page.button)
    );
    Ok(html_page(words, &state.config.mail.public_url, &form))
}

/// Turns that kind of notification off for that person; any body is accepted (mail clients
/// send `List-Unsubscribe=One-Click`), and doing it twice changes nothing more.
#[utoipa::path(post, path = "/api/v1/unsubscribe/{token}", tag = "notifications",
    params(("token" = String, Path, description = "From the `List-Unsubscribe` link of a notification email")),
    request_body(content = Option<String>, content_type = "application/x-www-form-urlencoded",
                 description = "`List-Unsubscribe=One-Click` (RFC 8058); ignored"),
    responses((status = 200, description = "Unsubscribed: a page that says so", content_type = "text/html", body = String),
              (status = 404, description = "The token is not one this server signed; nothing changed", body = ErrorBody)))]
pub async fn unsubscribe(State(state): State<AppState>, Path(token): Path<String>) -> ApiResult<Response> {
    let (user_id, kind) = verified(&state, &token)?;
    let language = state
        .db
        .call(move |conn| {
            let tx = conn.transaction()?;
            let language = language_of(&tx, &user_id)?;
            settings::turn_off(&tx, &user_id, kind)?;
            tx.commit()?;
            Ok(language)
        })
        .await?;
    let words = Words::of(language);
    let done = format!("<p>{}</p>\n", escape(&fill(words.page.done, &[("about", words.about(kind))])));
    Ok(html_page(words, &state.config.mail.public_url, &done))
}

fn not_found() -> ApiError {
    ApiError::NotFound("unsubscribe_link_not_found", "this unsubscribe link is not valid")
}

fn verified(state: &AppState, token: &str) -> ApiResult<(String, NotificationKind)> {
    state.mail_key.verify_unsubscribe(token).ok_or_else(not_found)
}

/// The language of the person a token names; a person who no longer exists is a link that
/// leads nowhere.
fn language_of(conn: &Connection, user_id: &str) -> ApiResult<Language> {
    store::sessions::user(conn, user_id)?.ok_or_else(not_found)?;
    Ok(settings::get(conn, user_id)?.language)
}

const STYLE: &str = "body{margin:4rem auto;padding:0 1rem;max-width:32rem;font-family:system-ui,sans-serif;\
    line-height:1.5;color:#1f2328}button{font:inherit;padding:.5rem 1rem;border:1px solid #0b5cad;\
    border-radius:6px;background:#0b5cad;color:#fff;cursor:pointer}a{color:#0b5cad}";

/// A page of its own: nothing to load, no script, and a policy that allows its one style
/// block (by hash) and a form posting back here, nothing else.
fn html_page(words: &Words, public_url: &str, main: &str) -> Response {
    let style_hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(STYLE.as_bytes()));
    let policy = format!(
        "default-src 'none'; style-src 'sha256-{style_hash}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    );
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"robots\" content=\"noindex\">\n\
         <title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n<h1>{title}</h1>\n{main}\
         <p><a href=\"{settings_url}\">{settings}</a></p>\n</main>\n</body>\n</html>\n",
        lang = words.lang,
        title = escape(words.page.title),
        settings_url = escape(&format!("{public_url}/settings/notifications")),
        settings = escape(words.page.settings),
    );
    ([(CONTENT_TYPE, "text/html; charset=utf-8".to_owned()), (CONTENT_SECURITY_POLICY, policy)], html).into_response()
}
