//! A case's timeline, oldest first: a conversation between the customer's side and Bird's,
//! with Bird's records in short lines between.

mod entries;
mod entry;

use super::labels;
use crate::core::i18n::{I18n, Key, t, use_i18n};
use entries::{Entry, entries};
use entry::EntryView;
use leptos::prelude::*;
use portal_contract::{EventKind, Role, TimelineEvent};

/// The heading of one event as `viewer` reads it, e.g. "Status changed to In progress".
pub fn event_title(i18n: I18n, event: &TimelineEvent, viewer: Role) -> String {
    let status = event.status.map(|s| i18n.t(labels::status_for(s, viewer))).unwrap_or("");
    match (event.kind, &event.participant) {
        (EventKind::StatusChanged, _) => i18n.f(labels::event(event.kind), &[("status", status)]),
        (EventKind::ParticipantAdded | EventKind::ParticipantRemoved, Some(participant)) => {
            let key = participant_change(event.kind == EventKind::ParticipantAdded, event.author.id == participant.id);
            i18n.f(key, &[("author", &event.author.name), ("participant", &participant.name)])
        }
        (kind, _) => i18n.t(labels::event(kind)).to_owned(),
    }
}

/// "Ada Lovelace added Grace Hopper", or, when the colleague did it themself, "Grace Hopper
/// started following the case".
pub fn participant_change(added: bool, by_themself: bool) -> Key {
    match (added, by_themself) {
        (true, false) => Key::EventParticipantAddedBy,
        (false, false) => Key::EventParticipantRemovedBy,
        (true, true) => Key::EventParticipantFollowed,
        (false, true) => Key::EventParticipantUnfollowed,
    }
}

/// How many of the latest entries a long timeline shows at first, and how many more each
/// "Show earlier events" adds: a case with a thousand events opens at once on its newest ones.
const WINDOW: usize = 100;

/// The index of the first event shown when a timeline opens: the newest `WINDOW`.
pub fn first_shown(total: usize) -> usize {
    total.saturating_sub(WINDOW)
}

/// Everything that happened on a case, oldest first, each with who, in which role, and when,
/// in the words of `viewer` (the customer when not given). Keyed by event id, so events that
/// arrive later are appended without redrawing the rest.
#[component]
pub fn Timeline(
    #[prop(into)] events: Signal<Vec<TimelineEvent>>,
    #[prop(optional)] viewer: Option<Role>,
) -> impl IntoView {
    let viewer = viewer.unwrap_or(Role::Customer);
    let i18n = use_i18n();
    let all = Memo::new(move |_| events.with(|e| entries(e)));
    // Fixed when the entries first arrive, so new ones extend the list instead of sliding it.
    let start = RwSignal::new(None::<usize>);
    Effect::new(move |_| {
        let total = all.with(Vec::len);
        if start.get_untracked().is_none() && total > 0 {
            start.set(Some(first_shown(total)));
        }
    });
    // Before the effect has pinned it, the start is computed here: falling back to 0 drew all
    // 1,000 events of a long case on the first render and removed 900 of them a moment later.
    let hidden = move || start.get().unwrap_or_else(|| first_shown(all.with(Vec::len)));
    let shown = move || {
        let from = hidden();
        all.with(|e| e.get(from..).map(<[Entry]>::to_vec).unwrap_or_default())
    };
    view! {
        <Show when=move || events.with(Vec::is_empty)>
            <p class="empty">{t(Key::CaseTimelineEmpty)}</p>
        </Show>
        <Show when=move || { hidden() > 0 }>
            <button
                type="button"
                class="button-quiet"
                on:click=move |_| start.update(|s| *s = s.map(|from| from.saturating_sub(WINDOW * 4)))
            >
                {move || i18n.f(Key::CaseTimelineEarlier, &[("count", &hidden().to_string())])}
            </button>
        </Show>
        <ol class="timeline">
            <For each=shown key=Entry::key let:entry>
                <EntryView entry viewer />
            </For>
        </ol>
    }
}

#[cfg(test)]
mod tests {
    use super::{Key, WINDOW, first_shown, participant_change};

    #[test]
    fn a_participant_change_says_who_did_it_to_whom() {
        assert_eq!(participant_change(true, false), Key::EventParticipantAddedBy);
        assert_eq!(participant_change(false, false), Key::EventParticipantRemovedBy);
        assert_eq!(participant_change(true, true), Key::EventParticipantFollowed);
        assert_eq!(participant_change(false, true), Key::EventParticipantUnfollowed);
        assert_eq!(Key::EventParticipantAddedBy.en(), "{author} added {participant}");
    }

    #[test]
    fn a_long_timeline_opens_on_its_newest_events() {
        assert_eq!(first_shown(10), 0);
        assert_eq!(first_shown(WINDOW), 0);
        assert_eq!(first_shown(1_000), 1_000 - WINDOW);
    }
}
