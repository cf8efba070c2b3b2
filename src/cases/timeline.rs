use super::labels;
use crate::i18n::{Key, t, use_i18n};
use crate::ui::time::DateTimeText;
use leptos::prelude::*;
use portal_contract::{EventKind, TimelineEvent};

/// Everything that happened on a case, oldest first, each with who, in which role, and when.
#[component]
pub fn Timeline(events: Vec<TimelineEvent>) -> impl IntoView {
    let i18n = use_i18n();
    if events.is_empty() {
        return view! { <p class="empty">{t(Key::CaseTimelineEmpty)}</p> }.into_any();
    }
    view! {
        <ol class="timeline">
            {events
                .into_iter()
                .map(|event| {
                    let kind = event.kind;
                    let status = event.status;
                    let heading = move || match (kind, status) {
                        (EventKind::StatusChanged, Some(s)) => i18n.f(labels::event(kind), &[("status", i18n.t(labels::status(s)))]),
                        _ => i18n.f(labels::event(kind), &[("status", "")]),
                    };
                    let role = event.author.role;
                    view! {
                        <li class=format!("event event-{} by-{}", kind.as_str(), role.as_str())>
                            <p class="event-head">
                                <strong>{heading}</strong>
                                " · "
                                <span class="event-author">{event.author.name}</span>
                                " ("
                                {move || i18n.t(labels::role(role))}
                                ") · "
                                <DateTimeText at=event.created_at />
                            </p>
                            {event.body.map(|body| view! { <p class="event-body">{body}</p> })}
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
    .into_any()
}
