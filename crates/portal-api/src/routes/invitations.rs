//! Invitations to a customer account: an admin sends one (`POST /accounts/{account_id}/invitations`)
//! or revokes it; the emailed link opens `GET /invitations/{token}` and
//! `POST /invitations/{token}/accept`, which creates the person (or adds the account to the
//! person who already has a user, with their own password) and signs them in.
//!
//! Whoever holds the token may use it, so the token is all these two public routes trust: an
//! unknown one is the 404 of a link that never existed; a used, revoked or expired one is 410
//! and changes nothing.

use super::members::{account_role, admins_only};
use super::passwords::hash_off_thread;
use crate::auth::{COOKIE_TTL, Caller, CredentialKind, create_session, session_cookie, verify_password};
use crate::client_addr::Client;
use crate::error::{ApiError, ApiResult};
use crate::extract::{AccountScope, IdempotencyKey};
use crate::idempotency;
use crate::json::ApiJson;
use crate::mail::kind::MailKind;
use crate::mail::outbox::{self, NewNotification};
use crate::mail::settings;
use crate::rate_limit::Throttled;
use crate::sql::Connection;
use crate::state::AppState;
use crate::store;
use crate::store::invitations::{State as InvitationState, Stored};
use crate::util::{new_token, sha256_hex};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, Utc};
use portal_contract::{
    AccountId, ErrorBody, Invitation, InvitationAcceptance, InvitationId, InvitationPreview, NewInvitation,
    NotificationEvents, NotificationSettings, Role, SessionAccount, SessionInfo, SessionUser, Validate, rules,
};

/// How long an invitation's link works.
pub const INVITATION_TTL: Duration = Duration::days(7);
/// Invitations one account may send in an hour: more than an admin types, few enough that an
/// admin's stolen session cannot turn the server into a mailer.
pub const PER_ACCOUNT_PER_HOUR: u32 = 20;
/// Invitations one address may get in a day, from every account together, so nobody's mailbox
/// is flooded.
pub const PER_ADDRESS_PER_DAY: u32 = 5;

#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/invitations", tag = "accounts", operation_id = "create_invitation",
    params(("account_id" = String, Path), ("Idempotency-Key" = Option<String>, Header, description = "Retries with the same key return the first answer")),
    request_body = NewInvitation,
    description = "Invites a colleague: an email to the address with a link that works once, for 7 days. A newer invitation to the same address on the same account replaces the open one.",
    responses((status = 201, body = Invitation, description = "Sent"),
              (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody, description = "`admins_only`: only the account's admins invite"),
              (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody, description = "`already_member`: the address is a person of this account already; `bird_user`: the address is one of Bird's people"),
              (status = 429, body = ErrorBody, description = "`too_many_invitations`: 20 an hour per account, 5 a day per address; see Retry-After",
               headers(("Retry-After" = u64, description = "Seconds to wait")))))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Path(account_id): Path<AccountId>,
    key: IdempotencyKey,
    ApiJson(new): ApiJson<NewInvitation>,
) -> ApiResult<(StatusCode, Json<Invitation>)> {
    let AccountScope { caller, account_id } = AccountScope::of(caller, account_id)?;
    rules::may_manage_members(caller.user.role, account_role(&caller, &account_id)).map_err(|_| admins_only())?;
    let problems = new.problems();
    if !problems.is_empty() {
        return Err(ApiError::fields(problems));
    }
    let inviter = caller.user.id.to_string();
    let clock = state.clock.clone();
    let invitation = state
        .db
        .call(move |conn| {
            let tx = conn.transaction()?;
            let request = (account_id.as_str(), &new);
            // Inside `once`: a retry of an invitation already sent replays it, whatever the count.
            let invitation = idempotency::once(&tx, &inviter, key.as_deref(), &request, |tx| {
                invite(tx, account_id.as_str(), &inviter, &new, clock.now())
            })?;
            tx.commit()?;
            Ok(invitation)
        })
        .await?;
    tracing::info!(invitation = %invitation.id, role = %invitation.role.as_str(), "invitation sent");
    Ok((StatusCode::CREATED, Json(invitation)))
}

/// Stores the invitation and its email (the token itself only in the email's row, until sent).
fn invite(
    conn: &Connection,
    account_id: &str,
    inviter: &str,
    new: &NewInvitation,
    now: DateTime<Utc>,
) -> ApiResult<Invitation> {
    let email = new.email.trim();
    if let Some(user) = store::members::user_by_email(conn, email)? {
        refuse_bird(&user)?;
        if store::members::role_of(conn, account_id, user.id.as_str())?.is_some() {
            return Err(ApiError::Conflict("already_member", format!("{email} is a person of this account already")));
        }
    }
    within_invitation_rate(conn, account_id, email, now)?;
    let token = new_token();
    let token_hash = sha256_hex(token.as_bytes());
    let language = match new.language {
        Some(language) => language,
        None => settings::get(conn, inviter)?.language,
    };
    let stored = store::invitations::New {
        account_id,
        email,
        role: new.role,
        invited_by: inviter,
        language,
        token_hash: &token_hash,
        at: now,
        expires_at: now + INVITATION_TTL,
    };
    let id = store::invitations::create(conn, &stored)?;
    let email = NewNotification {
        recipient_id: inviter,
        kind: MailKind::Invitation,
        case_id: None,
        event_id: None,
        secret: Some(&token),
        at: now,
    };
    outbox::enqueue(conn, &email)?;
    store::invitations::get(conn, account_id, &id)?
        .map(|stored| stored.invitation)
        .ok_or_else(|| ApiError::Internal("the invitation just written is not there".to_owned()))
}

/// Refuses the next invitation while the account sent `PER_ACCOUNT_PER_HOUR` in the last hour
/// or the address got `PER_ADDRESS_PER_DAY` in the last day, with the seconds until the oldest
/// counted one leaves its window. Counted in the database, so every instance sees one count.
fn within_invitation_rate(conn: &Connection, account_id: &str, email: &str, now: DateTime<Utc>) -> ApiResult<()> {
    let (hour, day) = (Duration::hours(1), Duration::days(1));
    let of_account = store::invitations::nth_latest_of_account(conn, account_id, now - hour, PER_ACCOUNT_PER_HOUR)?;
    let to_address = store::invitations::nth_latest_to_address(conn, email, now - day, PER_ADDRESS_PER_DAY)?;
    let waits = [of_account.map(|oldest| oldest + hour - now), to_address.map(|oldest| oldest + day - now)];
    let Some(wait) = waits.into_iter().flatten().max() else { return Ok(()) };
    let seconds = wait.num_seconds().max(1) as u64;
    Err(ApiError::Throttled(
        "too_many_invitations",
        format!(
            "at most {PER_ACCOUNT_PER_HOUR} invitations an hour from one account and {PER_ADDRESS_PER_DAY} a day to one address; try again in {seconds} seconds"
        ),
        seconds,
    ))
}

#[utoipa::path(delete, path = "/api/v1/accounts/{account_id}/invitations/{invitation_id}", tag = "accounts", operation_id = "revoke_invitation",
    params(("account_id" = String, Path), ("invitation_id" = String, Path)),
    description = "Stops an invitation's link from working. Revoking one that was revoked or has expired changes nothing.",
    responses((status = 204, description = "The link no longer works"),
              (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody, description = "`admins_only`: only the account's admins revoke invitations"),
              (status = 404, body = ErrorBody, description = "No such account, or no such invitation on it"),
              (status = 409, body = ErrorBody, description = "`invitation_used`: it was accepted; take the person off the account instead")))]
pub async fn revoke(
    State(state): State<AppState>,
    AccountScope { caller, account_id }: AccountScope,
    Path((_, invitation_id)): Path<(String, InvitationId)>,
) -> ApiResult<StatusCode> {
    rules::may_manage_members(caller.user.role, account_role(&caller, &account_id)).map_err(|_| admins_only())?;
    let now = state.clock.now();
    let revoked = invitation_id.clone();
    state
        .db
        .call(move |conn| {
            let tx = conn.transaction()?;
            let stored = store::invitations::get(&tx, account_id.as_str(), invitation_id.as_str())?
                .ok_or(ApiError::NotFound("invitation_not_found", "no such invitation"))?;
            if stored.accepted {
                return Err(ApiError::Conflict(
                    "invitation_used",
                    "this invitation was accepted; take the person off the account instead".to_owned(),
                ));
            }
            store::invitations::revoke(&tx, invitation_id.as_str(), now)?;
            tx.commit()?;
            Ok(())
        })
        .await?;
    tracing::info!(invitation = %revoked, "invitation revoked");
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/api/v1/invitations/{token}", tag = "session", operation_id = "preview_invitation",
    params(("token" = String, Path, description = "The token of the emailed link")),
    description = "What an invitation's link opens onto: the account, who sent it, and whether the address already has a user (who then accepts with their password).",
    responses((status = 200, body = InvitationPreview),
              (status = 404, body = ErrorBody, description = "`invitation_not_found`: no such link"),
              (status = 409, body = ErrorBody, description = "`bird_user`: the address is one of Bird's people, who see accounts through Bird"),
              (status = 410, body = ErrorBody, description = "`invitation_used`, `invitation_revoked` or `invitation_expired`: the link no longer works")))]
pub async fn preview(State(state): State<AppState>, Path(token): Path<String>) -> ApiResult<Json<InvitationPreview>> {
    let token_hash = sha256_hex(token.as_bytes());
    let now = state.clock.now();
    let preview = state
        .db
        .read(move |conn| {
            let stored = usable(conn, &token_hash, now)?;
            let existing = store::members::user_by_email(conn, &stored.invitation.email)?;
            if let Some(user) = &existing {
                refuse_bird(user)?;
            }
            let invitation = stored.invitation;
            Ok(InvitationPreview {
                account: SessionAccount {
                    id: stored.account_id.into(),
                    name: stored.account_name,
                    role: Some(invitation.role),
                },
                email: invitation.email,
                role: invitation.role,
                invited_by: invitation.invited_by.name,
                existing_user: existing.is_some(),
                expires_at: invitation.expires_at,
            })
        })
        .await?;
    Ok(Json(preview))
}

/// Who accepts: someone new, with the name and password hash they chose, or a person who
/// already has a user and proved it with their password.
enum Joining {
    New { name: String, password_hash: String },
    Existing(String),
}

#[utoipa::path(post, path = "/api/v1/invitations/{token}/accept", tag = "session", operation_id = "accept_invitation",
    params(("token" = String, Path, description = "The token of the emailed link")),
    request_body = InvitationAcceptance,
    description = "Accepts an invitation and signs the person in, as `POST /session` does. Someone new gives a name and a new password (10 characters or more) and gets a user with the invited address; a person whose address already has a user gives that user's password (no name) and gets the account added.",
    responses((status = 200, body = SessionInfo, description = "A person of the account now; signed in, the session cookie is set"),
              (status = 404, body = ErrorBody, description = "`invitation_not_found`: no such link"),
              (status = 409, body = ErrorBody, description = "`bird_user`: the address is one of Bird's people; `already_member`: the person belongs to the account already; `existing_user`: the address got a user since the link was opened, accept with its password"),
              (status = 410, body = ErrorBody, description = "`invitation_used`, `invitation_revoked` or `invitation_expired`: the link no longer works, and nothing was created"),
              (status = 422, body = ErrorBody, description = "A field is invalid; for a person who already has a user, `password` with code `wrong_password` when it is not theirs"),
              (status = 429, body = ErrorBody, description = "Too many wrong passwords for this user from this client (counted with sign-ins); see Retry-After")))]
pub async fn accept(
    State(state): State<AppState>,
    client: Client,
    Path(token): Path<String>,
    ApiJson(body): ApiJson<InvitationAcceptance>,
) -> ApiResult<Response> {
    let token_hash = sha256_hex(token.as_bytes());
    let now = state.clock.now();
    // Looked up before any password work, so a forged or spent link costs no argon2 hash;
    // looked up again in the write, where it counts.
    let looked_up = token_hash.clone();
    let existing = state
        .db
        .read(move |conn| {
            let stored = usable(conn, &looked_up, now)?;
            store::members::user_by_email(conn, &stored.invitation.email)
        })
        .await?;
    let joining = match existing {
        Some(user) => {
            refuse_bird(&user)?;
            let problems = body.problems_as_existing_user();
            if !problems.is_empty() {
                return Err(ApiError::fields(problems));
            }
            check_password(&state, &client, &user, body.password).await?;
            Joining::Existing(user.id.to_string())
        }
        None => {
            let problems = body.problems_as_new_person();
            if !problems.is_empty() {
                return Err(ApiError::fields(problems));
            }
            let name = body.name.trim().to_owned();
            Joining::New { name, password_hash: hash_off_thread(body.password).await? }
        }
    };
    let clock = state.clock.clone();
    let (session, info) = state.db.call(move |conn| join(conn, &token_hash, joining, clock.now())).await?;
    tracing::info!(user = %info.user.id, "invitation accepted; signed in");
    Ok(([(header::SET_COOKIE, session_cookie(&session, COOKIE_TTL.num_seconds(), client.https))], Json(info))
        .into_response())
}

/// The acceptance itself, in one transaction: the person (when new), their membership, the
/// invitation used up, and their session.
fn join(
    conn: &mut Connection,
    token_hash: &str,
    joining: Joining,
    now: DateTime<Utc>,
) -> ApiResult<(String, SessionInfo)> {
    let tx = conn.transaction()?;
    let stored = usable(&tx, token_hash, now)?;
    let account_id = stored.account_id.as_str();
    let email = stored.invitation.email.as_str();
    let user_id = match joining {
        Joining::Existing(user_id) => {
            if store::members::role_of(&tx, account_id, &user_id)?.is_some() {
                return Err(ApiError::Conflict(
                    "already_member",
                    format!("{email} is a person of this account already"),
                ));
            }
            user_id
        }
        Joining::New { name, password_hash } => {
            if store::members::user_by_email(&tx, email)?.is_some() {
                return Err(ApiError::Conflict(
                    "existing_user",
                    format!("{email} has a user now: accept with its password"),
                ));
            }
            let user_id = store::members::create_customer(&tx, email, &name, &password_hash)?;
            // Invited in a language, they read the portal's emails in it from the start.
            let chosen = NotificationSettings { language: stored.language, events: NotificationEvents::ALL_ON };
            settings::put(&tx, &user_id, &chosen)?;
            user_id
        }
    };
    if !store::invitations::accept(&tx, stored.invitation.id.as_str(), &user_id, now)? {
        return Err(used());
    }
    store::members::add(&tx, account_id, &user_id, stored.invitation.role, now)?;
    let (session, _) = create_session(&tx, &user_id, CredentialKind::Cookie, None, COOKIE_TTL)?;
    let user = store::sessions::user(&tx, &user_id)?.ok_or_else(not_found)?;
    let accounts = store::sessions::accounts_of(&tx, &user_id, user.role)?;
    tx.commit()?;
    Ok((session, SessionInfo { user, accounts }))
}

/// The password of a person who already has a user: a wrong one is a guess like a wrong
/// sign-in, counted with them and limited alike.
async fn check_password(state: &AppState, client: &Client, user: &SessionUser, password: String) -> ApiResult<()> {
    let (key, address) = (user.email.to_lowercase(), client.throttling_key());
    let limiter = state.sign_in_limiter.clone();
    if let Err(Throttled(seconds)) = limiter.check(&key, &address).await? {
        return Err(ApiError::TooManyAttempts(seconds));
    }
    let user_id = user.id.to_string();
    let stored = state.db.read(move |conn| store::sessions::password_hash_of(conn, &user_id)).await?;
    let verified = tokio::task::spawn_blocking(move || stored.is_some_and(|hash| verify_password(&password, &hash)))
        .await
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    if !verified {
        limiter.failed(&key, &address).await?;
        return Err(ApiError::field("password", "wrong_password", "is not the password of this user"));
    }
    limiter.succeeded(&key, &address).await?;
    Ok(())
}

/// The invitation `token_hash` names, while it still works.
fn usable(conn: &Connection, token_hash: &str, now: DateTime<Utc>) -> ApiResult<Stored> {
    let stored = store::invitations::by_token_hash(conn, token_hash)?.ok_or_else(not_found)?;
    match stored.state(now) {
        InvitationState::Open => Ok(stored),
        InvitationState::Accepted => Err(used()),
        InvitationState::Revoked => Err(ApiError::Gone(
            "invitation_revoked",
            "this invitation was revoked, or replaced by a newer one".to_owned(),
        )),
        InvitationState::Expired => Err(ApiError::Gone("invitation_expired", "this invitation has expired".to_owned())),
    }
}

/// Bird's people see accounts through Bird, never as one of the customer's people.
fn refuse_bird(user: &SessionUser) -> ApiResult<()> {
    if user.role == Role::Customer {
        Ok(())
    } else {
        Err(ApiError::Conflict(
            "bird_user",
            "this address belongs to one of Bird's people, who cannot join a customer account".to_owned(),
        ))
    }
}

fn not_found() -> ApiError {
    ApiError::NotFound("invitation_not_found", "no such invitation")
}

fn used() -> ApiError {
    ApiError::Gone("invitation_used", "this invitation was accepted already".to_owned())
}
