use crate::core::api::{ApiError, use_api, use_view_abort};
use crate::core::host::{HostEvent, use_host};
use crate::core::i18n::{Key, use_i18n};
use crate::features::cases::timeline::event_title;
use crate::features::layout::use_current_account;
use crate::ui::poll::use_visible_poll;
use leptos::prelude::*;
use leptos::task::spawn_local;
use portal_contract::{CaseDetail, CaseId, Role, TimelineEvent};
use std::time::Duration;

/// How often an open case page asks for news while the tab is visible.
const POLL_EVERY: Duration = Duration::from_secs(4);

/// One case as the page holds it, kept up to date while the tab is visible.
#[derive(Clone, Copy)]
pub struct CaseData {
    /// The case without its timeline, which `events` holds (appended by id), so a poll that
    /// brings nothing new redraws nothing.
    pub detail: RwSignal<Option<CaseDetail>>,
    pub events: RwSignal<Vec<TimelineEvent>>,
    /// Why the first load failed; a failed refresh keeps what is on screen.
    pub failure: RwSignal<Option<ApiError>>,
    /// The latest event that arrived while the page was open, announced politely.
    pub news: RwSignal<Option<String>>,
    /// Shows a case the API answered with (after a load or an action).
    pub apply: Callback<CaseDetail>,
    /// Loads the case again.
    pub load: Callback<()>,
}

/// The case `case_id`, its news in the words of `viewer`.
pub fn use_case_data(case_id: CaseId, viewer: Role) -> CaseData {
    let i18n = use_i18n();
    let (api, abort, current) = (use_api(), use_view_abort(), use_current_account());
    let host = StoredValue::new(use_host());
    let detail = RwSignal::new(None::<CaseDetail>);
    let events = RwSignal::new(Vec::<TimelineEvent>::new());
    let (failure, news) = (RwSignal::new(None::<ApiError>), RwSignal::new(None::<String>));
    let apply = Callback::new(move |mut fresh: CaseDetail| {
        failure.set(None);
        if detail.with_untracked(Option::is_none) {
            let opened =
                HostEvent::CaseOpened { case_id: fresh.case.id.clone(), account_id: fresh.case.account_id.clone() };
            host.with_value(|h| h.emit(opened));
        }
        current.set(fresh.case.account_id.clone());
        let timeline = std::mem::take(&mut fresh.timeline);
        if detail.with_untracked(|d| d.as_ref() != Some(&fresh)) {
            detail.set(Some(fresh));
        }
        if events.with_untracked(|e| *e != timeline) {
            if let Some(latest) = timeline.last().filter(|_| events.with_untracked(|e| !e.is_empty())) {
                news.set(Some(i18n.f(Key::CaseNewActivity, &[("what", &event_title(i18n, latest, viewer))])));
            }
            events.set(timeline);
        }
    });
    let load = Callback::new(move |()| {
        let (api, id) = (api.clone(), case_id.clone());
        spawn_local(async move {
            let answer = api.case(&id, abort.signal()).await;
            // The page went while the answer was on its way.
            if detail.is_disposed() {
                return;
            }
            match answer {
                Ok(fresh) => apply.run(fresh),
                Err(ApiError::Aborted) => {}
                Err(error) => {
                    if detail.with_untracked(Option::is_none) {
                        failure.set(Some(error));
                    }
                }
            }
        });
    });
    load.run(());
    use_visible_poll(POLL_EVERY, move || load.run(()));
    CaseData { detail, events, failure, news, apply, load }
}
