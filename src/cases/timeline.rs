use super::labels;
use crate::i18n::{I18n, Key, t, use_i18n};
use crate::ui::time::DateTimeText;
use crate::uploads::AttachmentList;
use leptos::prelude::*;
use portal_contract::{EventKind, TimelineEvent};

/// The heading of one event, e.g. "Status changed to In progress".
pub fn event_title(i18n: I18n, event: &TimelineEvent) -> String {
    let status = event.status.map(|s| i18n.t(labels::status(s))).unwrap_or("");
    match event.kind {
        EventKind::StatusChanged => i18n.f(labels::event(event.kind), &[("status", status)]),
        kind => i18n.t(labels::event(kind)).to_owned(),
    }
}

/// Everything that happened on a case, oldest first, each with who, in which role, and when.
/// Keyed by event id, so events that arrive later are appended without redrawing the rest.
#[component]
pub fn Timeline(#[prop(into)] events: Signal<Vec<TimelineEvent>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Show when=move || events.with(Vec::is_empty)>
            <p class="empty">{t(Key::CaseTimelineEmpty)}</p>
        </Show>
        <ol class="timeline">
            <For each=move || events.get() key=|event| event.id.clone() let:event>
                {
                    let kind = event.kind;
                    let role = event.author.role;
                    let title = {
                        let event = event.clone();
                        move || event_title(i18n, &event)
                    };
                    view! {
                        <li class=format!("event event-{} by-{}", kind.as_str(), role.as_str())>
                            <p class="event-head">
                                <strong>{title}</strong>
                                " · "
                                <span class="event-author">{event.author.name}</span>
                                " ("
                                {move || i18n.t(labels::role(role))}
                                ") · "
                                <DateTimeText at=event.created_at />
                            </p>
                            {event.body.map(|body| view! { <p class="event-body">{body}</p> })}
                            {(!event.attachments.is_empty()).then(|| view! { <AttachmentList attachments=event.attachments /> })}
                        </li>
                    }
                }
            </For>
        </ol>
    }
}
