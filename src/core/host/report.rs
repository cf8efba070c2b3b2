//! Tells the host where the portal is and when its session ends.

use super::{HostEvent, use_host};
use crate::core::session::{SessionStatus, use_session};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// Inside the router: a `navigation` event for every page, a `session.expired` event when the
/// host's token is refused and no fresh one came. Renders nothing.
#[component]
pub fn ReportToHost() -> impl IntoView {
    let host = use_host();
    if host.is_embedded() {
        let location = use_location();
        let on_navigation = host.clone();
        Effect::new(move |_| {
            let path = on_navigation.portal_path(&location.pathname.get());
            let query = location.search.get();
            let path = if query.is_empty() { path } else { format!("{path}?{}", query.trim_start_matches('?')) };
            on_navigation.emit(HostEvent::Navigation { path });
        });
        let session = use_session();
        let signed_out = Memo::new(move |_| matches!(session.status(), SessionStatus::SignedOut { .. }));
        Effect::new(move |_| {
            if signed_out.get() {
                host.emit(HostEvent::SessionExpired);
            }
        });
    }
}
