use crate::core::api::ApiError;
use crate::core::host::{Host, HostEvent, use_host};
use crate::core::i18n::{I18n, use_i18n};
use crate::ui::server_problem_text;
use leptos::prelude::*;
use leptos::task::spawn_local;
use portal_contract::CaseDetail;
use std::future::Future;

/// Runs an action that changes a case (propose, confirm, escalate, …) and reports back: the new
/// case on success; on a conflict (someone else acted first) the page reloads the case and says
/// so; typed text is never cleared on failure.
#[derive(Clone, Copy)]
pub struct CaseActionRunner {
    pub pending: RwSignal<bool>,
    pub failure: RwSignal<Option<ApiError>>,
    /// The server's word on the one field of the action, if it refused it.
    pub field_error: RwSignal<Option<String>>,
    i18n: I18n,
    on_changed: Callback<CaseDetail>,
    on_stale: Callback<()>,
    host: StoredValue<Host>,
}

impl CaseActionRunner {
    pub fn run<F>(&self, clear: Option<RwSignal<String>>, request: F)
    where
        F: Future<Output = Result<CaseDetail, ApiError>> + 'static,
    {
        let this = *self;
        this.pending.set(true);
        this.failure.set(None);
        this.field_error.set(None);
        spawn_local(async move {
            match request.await {
                Ok(detail) => {
                    if let Some(text) = clear {
                        text.set(String::new());
                    }
                    let event = HostEvent::CaseUpdated { case_id: detail.case.id.clone(), status: detail.case.status };
                    this.host.with_value(|host| host.emit(event));
                    this.on_changed.run(detail);
                }
                Err(error) => {
                    if let ApiError::Validation { fields, .. } = &error {
                        this.field_error.set(fields.first().map(|f| server_problem_text(this.i18n, f)));
                    }
                    if matches!(error, ApiError::Conflict { .. }) {
                        this.on_stale.run(());
                    }
                    this.failure.set(Some(error));
                }
            }
            this.pending.set(false);
        });
    }
}

pub fn use_case_action(on_changed: Callback<CaseDetail>, on_stale: Callback<()>) -> CaseActionRunner {
    CaseActionRunner {
        pending: RwSignal::new(false),
        failure: RwSignal::new(None),
        field_error: RwSignal::new(None),
        i18n: use_i18n(),
        on_changed,
        on_stale,
        host: StoredValue::new(use_host()),
    }
}
