//! How a case's events read as a conversation: what someone wrote, asked or decided is an
//! entry of its own; Bird's records (a status change, a file added) are a short line; and a
//! status change right after what caused it belongs to that entry instead of standing alone.

use portal_contract::{AttachmentId, CaseStatus, EventId, EventKind, Role, TimelineEvent};
use std::collections::HashSet;

/// A status change this soon after an entry is taken as its consequence: the API records both
/// in one transaction, so they are seconds apart at most.
const CAUSED_WITHIN_SECONDS: i64 = 60;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Someone's words or decision, on their side of the conversation.
    Card,
    /// A record in one line.
    Line,
}

/// One item of the timeline as drawn.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub event: TimelineEvent,
    pub shape: Shape,
    /// Where the case went as a result, when a status change was folded in.
    pub then_status: Option<CaseStatus>,
}

impl Entry {
    /// Changes when something is folded in, so the entry is drawn again then.
    pub fn key(&self) -> (EventId, Option<CaseStatus>) {
        (self.event.id.clone(), self.then_status)
    }
}

fn shape(event: &TimelineEvent) -> Shape {
    match event.kind {
        EventKind::StatusChanged | EventKind::AttachmentAdded => Shape::Line,
        EventKind::ParticipantAdded | EventKind::ParticipantRemoved => Shape::Line,
        EventKind::ResolutionConfirmed | EventKind::EscalationAcknowledged if event.body.is_none() => Shape::Line,
        _ => Shape::Card,
    }
}

/// A status change belongs to `entry` when it closely follows the entry's latest event
/// (`previous`, the entry or a change already folded into it) and was recorded by Bird or by
/// the entry's author; a change someone else made, or made later, stands on its own.
fn folds_into(change: &TimelineEvent, entry: &TimelineEvent, previous: &TimelineEvent) -> bool {
    let soon = (change.created_at - previous.created_at).num_seconds() <= CAUSED_WITHIN_SECONDS;
    let same_cause = change.author.role == Role::System || change.author.id == entry.author.id;
    change.kind == EventKind::StatusChanged && soon && same_cause
}

/// The entries of `events` (oldest first). A "File attached" whose files all arrived with an
/// answer is left out: the answer shows them.
pub fn entries(events: &[TimelineEvent]) -> Vec<Entry> {
    let answered: HashSet<&AttachmentId> = events
        .iter()
        .filter(|e| e.kind == EventKind::InformationRequestAnswered)
        .flat_map(|e| e.attachments.iter().map(|a| &a.id))
        .collect();
    let repeats_an_answer = |e: &TimelineEvent| {
        e.kind == EventKind::AttachmentAdded
            && !e.attachments.is_empty()
            && e.attachments.iter().all(|a| answered.contains(&a.id))
    };
    let mut out: Vec<Entry> = Vec::with_capacity(events.len());
    // The latest event taken into the last entry: its own, or a change folded into it.
    let mut previous: Option<&TimelineEvent> = None;
    for event in events.iter().filter(|e| !repeats_an_answer(e)) {
        if let (Some(entry), Some(before)) = (out.last_mut(), previous)
            && folds_into(event, &entry.event, before)
        {
            entry.then_status = event.status;
            previous = Some(event);
            continue;
        }
        out.push(Entry { event: event.clone(), shape: shape(event), then_status: None });
        previous = Some(event);
    }
    out
}

/// Two letters for a person's badge: the first of their first and last names.
pub fn initials(name: &str) -> String {
    let mut words = name.split_whitespace();
    let first = words.next().and_then(|w| w.chars().next());
    let last = words.next_back().and_then(|w| w.chars().next());
    first.into_iter().chain(last).flat_map(char::to_uppercase).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, Duration, Utc};
    use portal_contract::{Attachment, Person};

    fn person(id: &str, role: Role) -> Person {
        Person { id: id.into(), name: id.into(), role }
    }

    fn event(id: &str, kind: EventKind, author: Person, second: i64) -> TimelineEvent {
        TimelineEvent {
            id: id.into(),
            kind,
            author,
            body: None,
            status: None,
            attachments: vec![],
            information_request_id: None,
            participant: None,
            created_at: DateTime::<Utc>::default() + Duration::seconds(second),
        }
    }

    fn status(id: &str, to: CaseStatus, author: Person, second: i64) -> TimelineEvent {
        TimelineEvent { status: Some(to), ..event(id, EventKind::StatusChanged, author, second) }
    }

    fn file(id: &str) -> Attachment {
        Attachment {
            id: id.into(),
            case_id: "case_1".into(),
            information_request_id: None,
            file_name: format!("{id}.log"),
            media_type: "text/plain".into(),
            size: 1,
            sha256: String::new(),
            uploaded_by: person("ada", Role::Customer),
            uploaded_at: DateTime::<Utc>::default(),
        }
    }

    fn summary(entries: &[Entry]) -> Vec<(String, Shape, Option<CaseStatus>)> {
        entries.iter().map(|e| (e.event.id.to_string(), e.shape, e.then_status)).collect()
    }

    #[test]
    fn a_status_change_joins_the_entry_that_caused_it() {
        let ada = person("ada", Role::Customer);
        let bird = person("bird", Role::System);
        let events = [
            event("answer", EventKind::InformationRequestAnswered, ada.clone(), 0),
            status("s1", CaseStatus::InProgress, bird.clone(), 0),
            event("confirm", EventKind::ResolutionConfirmed, ada, 100),
            status("s2", CaseStatus::Resolved, bird, 101),
        ];
        assert_eq!(
            summary(&entries(&events)),
            vec![
                ("answer".into(), Shape::Card, Some(CaseStatus::InProgress)),
                ("confirm".into(), Shape::Line, Some(CaseStatus::Resolved)),
            ]
        );
    }

    #[test]
    fn several_changes_in_a_row_show_where_the_case_ended_up() {
        let alex = person("alex", Role::Agent);
        let bird = person("bird", Role::System);
        let events = [
            event("ask", EventKind::InformationRequestRaised, alex, 0),
            status("s1", CaseStatus::InProgress, bird.clone(), 0),
            status("s2", CaseStatus::WaitingOnCustomer, bird, 1),
        ];
        assert_eq!(summary(&entries(&events)), vec![("ask".into(), Shape::Card, Some(CaseStatus::WaitingOnCustomer))]);
    }

    #[test]
    fn a_later_change_or_one_by_someone_else_stands_alone() {
        let ada = person("ada", Role::Customer);
        let alex = person("alex", Role::Agent);
        let events = [
            event("m", EventKind::Message, ada.clone(), 0),
            status("later", CaseStatus::InProgress, person("bird", Role::System), 600),
            status("other", CaseStatus::Resolved, alex, 601),
        ];
        assert_eq!(
            summary(&entries(&events)),
            vec![
                ("m".into(), Shape::Card, None),
                ("later".into(), Shape::Line, None),
                ("other".into(), Shape::Line, None),
            ]
        );
    }

    #[test]
    fn a_file_that_came_with_an_answer_is_shown_with_the_answer_only() {
        let ada = person("ada", Role::Customer);
        let early = TimelineEvent {
            attachments: vec![file("f1")],
            ..event("early", EventKind::AttachmentAdded, ada.clone(), 0)
        };
        let own =
            TimelineEvent { attachments: vec![file("f2")], ..event("own", EventKind::AttachmentAdded, ada.clone(), 5) };
        let answer = TimelineEvent {
            attachments: vec![file("f1")],
            ..event("answer", EventKind::InformationRequestAnswered, ada, 10)
        };
        let shown = summary(&entries(&[early, own, answer]));
        assert_eq!(
            shown,
            vec![("own".into(), Shape::Line, None), ("answer".into(), Shape::Card, None)],
            "the file sent on its own stays a line of its own"
        );
    }

    #[test]
    fn initials_take_the_first_and_last_name() {
        assert_eq!(initials("Ada Lovelace"), "AL");
        assert_eq!(initials("Tess  Maria Rinaldi"), "TR");
        assert_eq!(initials("alex"), "A");
        assert_eq!(initials("élodie durand"), "ÉD");
        assert_eq!(initials("  "), "");
    }
}
