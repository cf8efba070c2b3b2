//! Actions that change where a case stands (propose, confirm or decline a resolution, reopen,
//! rate, escalate), each a small form of its own built on the form kit.

use crate::core::api::ApiError;
use crate::core::host::{Host, HostEvent, use_host};
use crate::core::i18n::use_i18n;
use crate::ui::ErrorView;
use crate::ui::form::{Refused, UseSubmitOptions, UseSubmitReturn, checked, use_submit_with_options};
use leptos::prelude::*;
use portal_contract::{CaseDetail, Validate};
use serde::Serialize;
use std::future::Future;

/// How an action reports back to the case page: the page shows the case the API answered
/// with and the host hears the case changed; on a conflict (someone acted first) the page
/// reloads the case and `ConflictNotice` says why it changed. Typed text is never cleared on
/// failure.
#[derive(Clone, Copy)]
pub struct CaseActions {
    changed: Callback<CaseDetail>,
    stale: Callback<()>,
    host: StoredValue<Host>,
    /// The action that came too late. Held here, not by its form, because the reloaded case
    /// may no longer offer that form.
    conflict: RwSignal<Option<ApiError>>,
}

pub fn use_case_actions(changed: Callback<CaseDetail>, stale: Callback<()>) -> CaseActions {
    CaseActions { changed, stale, host: StoredValue::new(use_host()), conflict: RwSignal::new(None) }
}

fn is_conflict(error: &ApiError) -> bool {
    matches!(error, ApiError::Conflict { .. })
}

/// "Someone changed this at the same time": shown until the person's next action succeeds.
#[component]
pub fn ConflictNotice(actions: CaseActions) -> impl IntoView {
    move || actions.conflict.get().map(|error| view! { <ErrorView error /> })
}

impl CaseActions {
    /// One action: `check` builds its body (or refuses fields), `send` sends it.
    pub fn submit<B, F>(
        self,
        check: impl Fn() -> Result<B, Refused> + Send + Sync + 'static,
        send: impl Fn(B) -> F + 'static,
    ) -> UseSubmitReturn
    where
        B: Serialize + 'static,
        F: Future<Output = Result<CaseDetail, ApiError>> + 'static,
    {
        self.submit_then(check, send, || {})
    }

    /// An action whose body is one required text (a reason, a summary), cleared once the
    /// action is done; the field of the body is `text`'s field in the form.
    pub fn with_text<B, F>(
        self,
        text: RwSignal<String>,
        body: fn(String) -> B,
        send: impl Fn(B) -> F + 'static,
    ) -> UseSubmitReturn
    where
        B: Validate + Serialize + 'static,
        F: Future<Output = Result<CaseDetail, ApiError>> + 'static,
    {
        let i18n = use_i18n();
        self.submit_then(
            move || checked(i18n, body(text.get().trim().to_owned())),
            send,
            move || text.set(String::new()),
        )
    }

    fn submit_then<B, F>(
        self,
        check: impl Fn() -> Result<B, Refused> + Send + Sync + 'static,
        send: impl Fn(B) -> F + 'static,
        done: impl Fn() + 'static,
    ) -> UseSubmitReturn
    where
        B: Serialize + 'static,
        F: Future<Output = Result<CaseDetail, ApiError>> + 'static,
    {
        let reported = move |detail: CaseDetail| {
            done();
            self.conflict.set(None);
            let event = HostEvent::CaseUpdated { case_id: detail.case.id.clone(), status: detail.case.status };
            self.host.with_value(|host| host.emit(event));
            self.changed.run(detail);
        };
        let options = UseSubmitOptions::default().shown_by_caller(is_conflict).on_failure(move |error| {
            if is_conflict(&error) {
                self.conflict.set(Some(error));
                self.stale.run(());
            }
        });
        use_submit_with_options(check, move |body, _| send(body), reported, options)
    }
}
