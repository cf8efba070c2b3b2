use crate::auth::Caller;
use crate::first_response::TARGETS;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use portal_contract::{EmbeddingPolicy, PortalConfig, SeverityPolicy};

#[utoipa::path(get, path = "/api/v1/config", tag = "config",
    responses((status = 200, body = PortalConfig), (status = 401, body = portal_contract::ErrorBody)))]
pub async fn config(State(state): State<AppState>, _caller: Caller) -> Json<PortalConfig> {
    Json(PortalConfig {
        severities: TARGETS
            .iter()
            .map(|(severity, minutes)| SeverityPolicy { severity: *severity, first_response_minutes: *minutes })
            .collect(),
        reopen_window_days: state.config.reopen_window_days,
        uploads: state.config.uploads.limits(),
        upload_chunk_size: state.config.uploads.chunk_size,
        storage_quota_bytes: state.config.uploads.storage_quota,
        support_address: state.config.support_address.clone(),
    })
}

/// Public: a framed portal asks it before anyone is signed in, to know which parent may hand
/// it a token. It says no more than the `frame-ancestors` header of every page already does.
#[utoipa::path(get, path = "/api/v1/embedding", tag = "config", responses((status = 200, body = EmbeddingPolicy)))]
pub async fn embedding(State(state): State<AppState>) -> Json<EmbeddingPolicy> {
    Json(EmbeddingPolicy { frame_ancestors: state.config.frame_ancestors.clone() })
}
