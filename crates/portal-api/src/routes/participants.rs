//! `/cases/{case_id}/participants`: the colleagues who follow a case beside its requester and
//! get its notifications. The account's customers choose them; Bird's side sees them on the
//! case but does not choose. Following is not work on the case, so it is allowed whatever the
//! case's status, resolved included.

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::extract::{IdempotencyKey, visible_case};
use crate::idempotency;
use crate::json::ApiJson;
use crate::state::AppState;
use crate::store;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use portal_contract::{CaseId, ErrorBody, EventKind, NewParticipant, Participant, UserId, rules};

fn customers_only(caller: &Caller) -> ApiResult<()> {
    super::unless_refused(
        rules::may_change_participants(caller.user.role),
        "customers_only",
        "only the account's customers choose who follows a case",
    )
}

/// The one answer for an id that is no colleague here: unknown, another account's person, or
/// Bird's, all alike, so the answer tells nobody who exists elsewhere.
fn not_a_colleague() -> ApiError {
    ApiError::field("user_id", "not_a_colleague", "is not a person of this case's account who could follow it")
}

/// Adds a colleague. Adding one who already follows the case changes nothing and answers 200
/// with them as they were added, so a second click, or two people adding the same colleague,
/// is no error. A customer may add themself, to follow a colleague's case.
#[utoipa::path(post, path = "/api/v1/cases/{case_id}/participants", tag = "cases", operation_id = "add_participant",
    params(("case_id" = String, Path), ("Idempotency-Key" = Option<String>, Header, description = "Retries with the same key return the first answer")),
    request_body = NewParticipant,
    responses((status = 201, body = Participant, description = "Added; a `participant_added` event on the timeline, and an email telling the colleague"),
              (status = 200, body = Participant, description = "They already followed the case; nothing changed"),
              (status = 403, body = ErrorBody, description = "Bird's side does not choose who follows a case"),
              (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody, description = "`user_id` is not a current member of the case's account, or is its requester")))]
pub async fn add(
    State(state): State<AppState>,
    caller: Caller,
    Path(case_id): Path<CaseId>,
    key: IdempotencyKey,
    ApiJson(new): ApiJson<NewParticipant>,
) -> ApiResult<(StatusCode, Json<Participant>)> {
    let clock = state.clock.clone();
    let (created, participant) = state
        .db
        .call(move |conn| {
            let tx = conn.transaction()?;
            // Visibility first: another account's case is a 404 whatever the role.
            let case = visible_case(&tx, &caller, case_id.as_str())?;
            customers_only(&caller)?;
            let (case_id, colleague) = (case_id.to_string(), new.user_id.to_string());
            let user_id = caller.user.id.to_string();
            let request = (&case_id, &new);
            let answer = idempotency::once(&tx, &user_id, key.as_deref(), &request, |tx| {
                let account_id = case.account_id.as_str();
                if colleague == case.requester.id.as_str()
                    || !store::participants::is_member(tx, account_id, &colleague)?
                {
                    return Err(not_a_colleague());
                }
                let now = clock.now();
                let created = store::participants::add(tx, &case_id, &colleague, &user_id, now)?;
                if created {
                    store::cases::add_participant_event(
                        tx,
                        &case_id,
                        EventKind::ParticipantAdded,
                        &user_id,
                        &colleague,
                        now,
                    )?;
                }
                let participant = store::participants::get(tx, &case_id, &colleague)?
                    .ok_or_else(|| ApiError::Internal("the added participant vanished".into()))?;
                Ok((created, participant))
            })?;
            tx.commit()?;
            Ok(answer)
        })
        .await?;
    if created {
        tracing::info!(participant = %participant.id, "participant added");
    }
    let status = if created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(participant)))
}

/// Removes a participant: anyone of the account may remove any, and a participant may remove
/// themself (unfollow).
#[utoipa::path(delete, path = "/api/v1/cases/{case_id}/participants/{user_id}", tag = "cases", operation_id = "remove_participant",
    params(("case_id" = String, Path), ("user_id" = String, Path)),
    responses((status = 204, description = "Removed; a `participant_removed` event on the timeline"),
              (status = 403, body = ErrorBody, description = "Bird's side does not choose who follows a case"),
              (status = 404, body = ErrorBody, description = "No such case, or that person does not follow it")))]
pub async fn remove(
    State(state): State<AppState>,
    caller: Caller,
    Path((case_id, colleague)): Path<(CaseId, UserId)>,
) -> ApiResult<StatusCode> {
    let clock = state.clock.clone();
    state
        .db
        .call(move |conn| {
            let tx = conn.transaction()?;
            visible_case(&tx, &caller, case_id.as_str())?;
            customers_only(&caller)?;
            if !store::participants::remove(&tx, case_id.as_str(), colleague.as_str())? {
                return Err(ApiError::NotFound("participant_not_found", "that person does not follow this case"));
            }
            let user_id = caller.user.id.to_string();
            store::cases::add_participant_event(
                &tx,
                case_id.as_str(),
                EventKind::ParticipantRemoved,
                &user_id,
                colleague.as_str(),
                clock.now(),
            )?;
            tx.commit()?;
            Ok(())
        })
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
