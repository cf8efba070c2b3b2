use crate::ui::draft::use_draft_field;
use leptos::prelude::*;
use portal_contract::{CaseKind, NewCase, Severity, Topic};
use serde::{Deserialize, Serialize};

/// What the person has chosen and typed so far, kept in browser storage as they type.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CaseDraft {
    kind: String,
    severity: String,
    subject: String,
    description: String,
    topic: String,
}

impl CaseDraft {
    /// Nothing the person wrote is in it (type and severity alone are not a draft).
    pub fn is_blank(&self) -> bool {
        self.subject.is_empty() && self.description.is_empty() && self.topic.is_empty()
    }
}

/// The form's fields, each written back into the draft as it changes.
#[derive(Clone, Copy)]
pub struct CaseFields {
    pub kind: RwSignal<String>,
    pub severity: RwSignal<String>,
    pub subject: RwSignal<String>,
    pub description: RwSignal<String>,
    pub topic: RwSignal<String>,
}

impl CaseFields {
    /// The fields of `draft`; a type or severity it lacks is the most common one.
    pub fn of(draft: RwSignal<CaseDraft>) -> CaseFields {
        draft.update(|d| {
            if d.kind.is_empty() {
                d.kind = CaseKind::Problem.as_str().to_owned();
            }
            if d.severity.is_empty() {
                d.severity = Severity::Normal.as_str().to_owned();
            }
        });
        CaseFields {
            kind: use_draft_field(draft, |d| &d.kind, |d, v| d.kind = v),
            severity: use_draft_field(draft, |d| &d.severity, |d, v| d.severity = v),
            subject: use_draft_field(draft, |d| &d.subject, |d, v| d.subject = v),
            description: use_draft_field(draft, |d| &d.description, |d, v| d.description = v),
            topic: use_draft_field(draft, |d| &d.topic, |d, v| d.topic = v),
        }
    }

    /// The case the fields describe (read tracked: the form's check follows them).
    pub fn new_case(&self) -> NewCase {
        let topic = self.topic.get();
        NewCase {
            kind: CaseKind::parse(&self.kind.get()),
            severity: Severity::parse(&self.severity.get()),
            subject: self.subject.get().trim().to_owned(),
            description: self.description.get().trim().to_owned(),
            topic: (!topic.is_empty()).then(|| Topic::parse(&topic)),
            follow_up_of: None,
        }
    }

    /// A new form: the most common type and severity chosen, nothing typed.
    pub fn discard(&self) {
        self.kind.set(CaseKind::Problem.as_str().to_owned());
        self.severity.set(Severity::Normal.as_str().to_owned());
        for text in [self.subject, self.description, self.topic] {
            text.set(String::new());
        }
    }
}
