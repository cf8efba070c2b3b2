//! A reply to a notification: mail sent to `reply+<token>@<reply-domain>`.
//!
//! The token, signed by this server, names one notification, and so the person it was sent to
//! and its case: the reply is that person's message on that case, whoever is in `From:` (a
//! colleague's client, a forwarding address), and the sender checks of mail to the support
//! address do not apply. A token that does not verify, or names no notification, is refused and
//! nothing of the message is stored.
//!
//! What is kept is the text above the quoted history (`mail::reply`) and the files, under the
//! rules of uploads (`files`). A reply to an information request's email answers the request
//! while it is open, as the portal's form does; otherwise, and on a resolved case too (the
//! rules let anyone who may see a case post on it, while files need it reopened), it is a
//! message on the case.

use super::case::Accepted;
use super::files::{self, WrittenFiles};
use super::message::Mail;
use super::refusal::Refusal;
use crate::error::{ApiError, ApiResult};
use crate::idempotency;
use crate::mail::{self, kind::MailKind, outbox::Queued};
use crate::services::{self, cases::Author};
use crate::sql::{Connection, Transaction};
use crate::state::{AppState, UploadConfig};
use crate::store;
use crate::uploads;
use crate::util::stamp;
use chrono::{DateTime, Utc};
use mail_parser::{Message, PartType};
use portal_contract::{
    Case, EventKind, InformationRequestStatus, NotificationKind, Person, SessionUser, limits::MESSAGE_MAX, rules,
};

/// What a reply brings, read from the message before anything is stored.
struct Content {
    /// `None` when the person wrote nothing above the quote (and sent files).
    text: Option<String>,
    files: Vec<files::MailFile>,
    dedup_key: String,
}

/// Takes a reply sent to the address holding `token`. Only a failure of the server itself is
/// an `Err` (the relay retries the batch; the Message-ID keeps a taken reply from being taken
/// twice).
pub async fn take(state: &AppState, mail: &Mail<'_>, token: &str) -> ApiResult<Result<Accepted, Refusal>> {
    let Some(reply_key) = state.mail_key.verify_reply(token) else { return Ok(Err(Refusal::InvalidReplyToken)) };
    let content = match read(mail, &state.config.uploads) {
        Ok(content) => content,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let Content { text, files, dedup_key } = content;
    let written = WrittenFiles::write(&state.objects, files).await?;
    let reply = Reply { reply_key, text, dedup_key, limits: state.config.uploads.clone(), at: state.clock.now() };
    state
        .db
        .call(move |conn| {
            let (verdict, recorded) = act(conn, &reply, &written)?;
            if recorded && verdict.is_ok() {
                written.keep();
            }
            Ok(verdict)
        })
        .await
}

fn read(mail: &Mail, limits: &UploadConfig) -> Result<Content, Refusal> {
    let text = words(&mail.message);
    let files = files::of_message(&mail.message, limits)?;
    if text.is_empty() && files.is_empty() {
        return Err(Refusal::EmptyReply);
    }
    let text = (!text.is_empty()).then(|| text.chars().take(MESSAGE_MAX).collect());
    Ok(Content { text, files, dedup_key: mail.dedup_key() })
}

/// The words above the quoted history, from the text part, or from the HTML part when the
/// message has no text part.
fn words(message: &Message) -> String {
    match message.text_part(0).map(|part| &part.body) {
        Some(PartType::Text(text)) => mail::reply::above_quote(text),
        Some(PartType::Html(html)) => mail::reply::html_above_quote(html),
        _ => String::new(),
    }
}

/// A verified reply, ready for the database.
struct Reply {
    reply_key: String,
    text: Option<String>,
    dedup_key: String,
    limits: UploadConfig,
    at: DateTime<Utc>,
}

/// Who replies to what: the notification's person and case.
struct Context {
    notification: Queued,
    case: Case,
    person: SessionUser,
}

/// The verdict, and whether the files were recorded by this call (not by an earlier delivery of
/// the same message, whose answer is replayed).
fn act(conn: &mut Connection, reply: &Reply, files: &WrittenFiles) -> ApiResult<(Result<Accepted, Refusal>, bool)> {
    let tx = conn.transaction()?;
    let context = match context(&tx, &reply.reply_key)? {
        Ok(context) => context,
        Err(refusal) => return Ok((Err(refusal), false)),
    };
    let fingerprint = (&reply.reply_key, &reply.text, files.fingerprint());
    let mut recorded = false;
    let user_id = context.person.id.to_string();
    let outcome = idempotency::once(&tx, &user_id, Some(&reply.dedup_key), &fingerprint, |tx| {
        recorded = true;
        store_reply(tx, &context, reply, files)
    });
    match outcome {
        Ok(accepted) => {
            tx.commit()?;
            Ok((Ok(accepted), recorded))
        }
        Err(error) => refusal_of(error, &context.case).map(|refusal| (Err(refusal), false)),
    }
}

/// The notification the reply key names, its case, and its person while they may still post
/// on that case.
fn context(conn: &Connection, reply_key: &str) -> ApiResult<Result<Context, Refusal>> {
    let Some(notification) = mail::outbox::by_reply_key(conn, reply_key)? else {
        return Ok(Err(Refusal::InvalidReplyToken));
    };
    let case = match notification.case_id.as_deref() {
        Some(case_id) => store::cases::get(conn, case_id)?,
        None => None,
    };
    let Some(case) = case else { return Ok(Err(Refusal::NoCaseToReplyTo)) };
    let Some(person) = store::sessions::user(conn, &notification.recipient_id)? else {
        return Ok(Err(Refusal::ReplyNotAllowed));
    };
    let sees_case = store::sessions::accounts_of(conn, person.id.as_str(), person.role)?
        .iter()
        .any(|account| account.id == case.account_id);
    if !sees_case || rules::may_post(person.role, EventKind::Message).is_err() {
        return Ok(Err(Refusal::ReplyNotAllowed));
    }
    Ok(Ok(Context { notification, case, person }))
}

fn store_reply(tx: &Transaction, context: &Context, reply: &Reply, files: &WrittenFiles) -> ApiResult<Accepted> {
    let Context { case, person, .. } = context;
    let author = Author { user_id: person.id.as_str(), role: person.role };
    let request = request_it_answers(tx, context)?;
    let ids = attach(tx, context, reply, files, request.as_deref())?;
    let text = reply.text.as_deref();
    let status = match &request {
        Some(request_id) => {
            services::information_requests::answer(tx, case, &author, request_id, text, &ids, reply.at)?;
            "answered"
        }
        None => {
            let event = match text {
                Some(text) => services::cases::post(tx, case, &author, EventKind::Message, text, reply.at)?,
                None => store::cases::add_event(
                    tx,
                    case.id.as_str(),
                    EventKind::AttachmentAdded,
                    author.user_id,
                    None,
                    None,
                    reply.at,
                )?,
            };
            store::cases::link_event(tx, &event, None, &ids)?;
            "appended"
        }
    };
    Ok(Accepted { status: status.into(), case_id: case.id.to_string(), number: Some(case.number.clone()) })
}

/// The information request the notification asked, while the rules let this person answer it
/// now (it is open, and the case is not resolved).
fn request_it_answers(conn: &Connection, context: &Context) -> ApiResult<Option<String>> {
    let Context { notification, case, person } = context;
    let asks = notification.kind == Some(MailKind::Case(NotificationKind::InformationRequest));
    let Some(event_id) = notification.event_id.as_deref().filter(|_| asks) else { return Ok(None) };
    let Some(request_id) = store::information_requests::raised_by_event(conn, event_id)? else { return Ok(None) };
    let open = store::information_requests::case_and_status(conn, &request_id)?
        .is_some_and(|(of_case, status)| of_case == case.id.as_str() && status == InformationRequestStatus::Open);
    Ok(rules::check_answer_request(person.role, case.status, open).is_ok().then_some(request_id))
}

/// Records the files on the case (held for the request they answer, if any) after the checks
/// of uploads: the case takes files, and they fit its count and the account's quota.
fn attach(
    tx: &Transaction,
    context: &Context,
    reply: &Reply,
    files: &WrittenFiles,
    request_id: Option<&str>,
) -> ApiResult<Vec<String>> {
    if files.files().is_empty() {
        return Ok(Vec::new());
    }
    let Context { case, person, .. } = context;
    uploads::takes_files(tx, person.role, case, None)?;
    let count = u32::try_from(files.files().len()).unwrap_or(u32::MAX);
    uploads::limits::within_limits(tx, &reply.limits, case, count, files.total_size(), &stamp(reply.at))?;
    let uploader = Person { id: person.id.clone(), name: person.name.clone(), role: person.role };
    for attachment in files.attachments(case, &uploader, reply.at) {
        store::attachments::insert(tx, &attachment, request_id)?;
    }
    Ok(files.ids())
}

/// The refusals a reply's checks answer with; any other error is the server's.
fn refusal_of(error: ApiError, case: &Case) -> ApiResult<Refusal> {
    match error {
        ApiError::IdempotencyKeyReused => Ok(Refusal::MessageIdReused),
        ApiError::Conflict(code, _) if code == uploads::CASE_CLOSED_FOR_UPLOADS => {
            Ok(Refusal::CaseResolved { number: case.number.clone() })
        }
        ApiError::TooLarge(code, reason) => Ok(Refusal::AttachmentRefused { code, reason }),
        ApiError::Validation(fields) if fields.iter().any(|f| f.code.as_deref() == Some("too_many_files")) => {
            let reason = fields.into_iter().map(|f| f.message).collect::<Vec<_>>().join("; ");
            Ok(Refusal::AttachmentRefused { code: "too_many_files", reason })
        }
        other => Err(other),
    }
}
