use crate::core::api::{ApiClient, ApiError, BearerToken};
use leptos::prelude::*;
use leptos::task::spawn_local;
use portal_contract::{Role, SessionAccount, SessionInfo};

#[derive(Clone, Debug, PartialEq)]
pub enum SessionStatus {
    /// Asking the API whether the browser has a session.
    Checking,
    SignedOut {
        /// The session ended while the person was working (not a first visit).
        expired: bool,
    },
    SignedIn(SessionInfo),
    /// The API could not be asked; the guard offers a retry.
    Unreachable(ApiError),
}

/// The session, provided in context. Copy, so handlers can hold it freely.
#[derive(Clone, Copy)]
pub struct Session {
    status: RwSignal<SessionStatus>,
}

impl Session {
    pub fn status(&self) -> SessionStatus {
        self.status.get()
    }

    pub fn info(&self) -> Option<SessionInfo> {
        self.status.with(|s| match s {
            SessionStatus::SignedIn(info) => Some(info.clone()),
            _ => None,
        })
    }

    pub fn role(&self) -> Option<Role> {
        self.status.with(|s| match s {
            SessionStatus::SignedIn(info) => Some(info.user.role),
            _ => None,
        })
    }

    pub fn accounts(&self) -> Vec<SessionAccount> {
        self.info().map(|i| i.accounts).unwrap_or_default()
    }

    pub fn signed_in(&self, info: SessionInfo) {
        self.status.set(SessionStatus::SignedIn(info));
    }

    /// The API said the session is gone (expired, signed out elsewhere).
    pub fn expired(&self) {
        let was_signed_in = self.status.with_untracked(|s| matches!(s, SessionStatus::SignedIn(_)));
        if was_signed_in {
            self.status.set(SessionStatus::SignedOut { expired: true });
        }
    }

    pub fn signed_out(&self) {
        self.status.set(SessionStatus::SignedOut { expired: false });
    }

    /// Asks the API who is signed in.
    pub fn check(&self, api: ApiClient) {
        let status = self.status;
        status.set(SessionStatus::Checking);
        spawn_local(async move {
            status.set(match api.session(None).await {
                Ok(info) => SessionStatus::SignedIn(info),
                Err(ApiError::Unauthorized { .. }) => SessionStatus::SignedOut { expired: false },
                Err(error) => SessionStatus::Unreachable(error),
            });
        });
    }
}

/// Creates the session and the API client that reports a lost session back to it.
pub fn provide_session(origin: &str) -> (Session, ApiClient) {
    provide_session_with(origin, None)
}

/// As `provide_session`; with `bearer`, signed in by the host's token instead of a cookie.
pub fn provide_session_with(origin: &str, bearer: Option<BearerToken>) -> (Session, ApiClient) {
    let session = Session { status: RwSignal::new(SessionStatus::Checking) };
    let api = ApiClient::new(origin, move || session.expired());
    let api = match bearer {
        Some(token) => api.with_bearer(token),
        None => api,
    };
    provide_context(session);
    provide_context(api.clone());
    (session, api)
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}
