//! `/unsubscribe/{token}`: the one-click unsubscribe of RFC 8058. A mail client POSTs the link
//! of an email's `List-Unsubscribe` header, without a session, and that kind of email stops
//! for that person; in the emails a participant gets, the link ends their following of that
//! case instead (following was chosen per case, by them or a colleague, not per kind). A
//! person who opens the link in a browser gets a page whose button sends the same POST:
//! following a link (which scanners and previews do) never unsubscribes.

use crate::error::{ApiError, ApiResult};
use crate::mail::compose::html::escape;
use crate::mail::compose::words::{Words, fill};
use crate::mail::settings;
use crate::sql::Connection;
use crate::state::AppState;
use crate::store;
use axum::extract::{Path, State};
use axum::http::header::{CONTENT_SECURITY_POLICY, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use portal_contract::{ErrorBody, EventKind, Language, NotificationKind};
use sha2::{Digest, Sha256};

/// What an unsubscribe link does: turn one kind of email off for its person, or, in the
/// emails a participant gets, end their following of that case.
enum Link {
    Kind { user_id: String, kind: NotificationKind },
    Unfollow { user_id: String, case_id: String },
}

impl Link {
    fn user_id(&self) -> &str {
        match self {
            Link::Kind { user_id, .. } | Link::Unfollow { user_id, .. } => user_id,
        }
    }
}

/// Asks to confirm; changes nothing.
#[utoipa::path(get, path = "/api/v1/unsubscribe/{token}", tag = "notifications", operation_id = "unsubscribe_page",
    params(("token" = String, Path, description = "From the `List-Unsubscribe` link of a notification email")),
    responses((status = 200, description = "A page with the button that unsubscribes (or, in a participant's email, unfollows the case)", content_type = "text/html", body = String),
              (status = 404, description = "The token is not one this server signed", body = ErrorBody)))]
pub async fn page(State(state): State<AppState>, Path(token): Path<String>) -> ApiResult<Response> {
    let link = verified(&state, &token)?;
    let (words, question, button) = state
        .db
        .read(move |conn| {
            let words = Words::of(language_of(conn, link.user_id())?);
            Ok(match &link {
                Link::Kind { kind, .. } => {
                    (words, fill(words.page.question, &[("about", words.about(*kind))]), words.page.button)
                }
                Link::Unfollow { case_id, .. } => {
                    let number = case_of(conn, case_id)?.number;
                    (words, fill(words.page.unfollow_question, &[("number", &number)]), words.page.unfollow_button)
                }
            })
        })
        .await?;
    let form = format!(
        "<p>{}</p>\n<form method=\"post\">\n<input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">\n\
         <button type=\"submit\">{}</button>\n</form>\n",
        escape(&question),
        escape(button)
    );
    Ok(html_page(words, &state.config.mail.public_url, &form))
}

/// Turns that kind of notification off for that person, or ends a participant's following of
/// the case (a `participant_removed` event of theirs on its timeline); any body is accepted
/// (mail clients send `List-Unsubscribe=One-Click`), and doing it twice changes nothing more.
#[utoipa::path(post, path = "/api/v1/unsubscribe/{token}", tag = "notifications",
    params(("token" = String, Path, description = "From the `List-Unsubscribe` link of a notification email")),
    request_body(content = Option<String>, content_type = "application/x-www-form-urlencoded",
                 description = "`List-Unsubscribe=One-Click` (RFC 8058); ignored"),
    responses((status = 200, description = "Unsubscribed (or unfollowed): a page that says so", content_type = "text/html", body = String),
              (status = 404, description = "The token is not one this server signed, or its case is gone; nothing changed", body = ErrorBody)))]
pub async fn unsubscribe(State(state): State<AppState>, Path(token): Path<String>) -> ApiResult<Response> {
    let link = verified(&state, &token)?;
    let clock = state.clock.clone();
    let (words, done) = state
        .db
        .call(move |conn| {
            let tx = conn.transaction()?;
            let words = Words::of(language_of(&tx, link.user_id())?);
            let done = match &link {
                Link::Kind { user_id, kind } => {
                    settings::turn_off(&tx, user_id, *kind)?;
                    fill(words.page.done, &[("about", words.about(*kind))])
                }
                Link::Unfollow { user_id, case_id } => {
                    let case = case_of(&tx, case_id)?;
                    if store::participants::remove(&tx, case_id, user_id)? {
                        let kind = EventKind::ParticipantRemoved;
                        store::cases::add_participant_event(&tx, case_id, kind, user_id, user_id, clock.now())?;
                    }
                    fill(words.page.unfollow_done, &[("number", &case.number)])
                }
            };
            tx.commit()?;
            Ok((words, done))
        })
        .await?;
    let done = format!("<p>{}</p>\n", escape(&done));
    Ok(html_page(words, &state.config.mail.public_url, &done))
}

fn not_found() -> ApiError {
    ApiError::NotFound("unsubscribe_link_not_found", "this unsubscribe link is not valid")
}

fn verified(state: &AppState, token: &str) -> ApiResult<Link> {
    if let Some((user_id, case_id)) = state.mail_key.verify_unfollow(token) {
        return Ok(Link::Unfollow { user_id, case_id });
    }
    let (user_id, kind) = state.mail_key.verify_unsubscribe(token).ok_or_else(not_found)?;
    Ok(Link::Kind { user_id, kind })
}

/// The case an unfollow link names; one that no longer exists is a link that leads nowhere.
fn case_of(conn: &Connection, case_id: &str) -> ApiResult<portal_contract::Case> {
    store::cases::get(conn, case_id)?.ok_or_else(not_found)
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
