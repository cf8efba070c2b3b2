//! What each kind of case notification says, read from the case, the event that caused it,
//! and the request or resolution it concerns.

use super::letter::{Block, FooterLine, Letter, Link};
use super::words::{Words, fill};
use crate::error::ApiResult;
use crate::first_response;
use crate::mail::MailConfig;
use crate::sql::Connection;
use crate::store;
use portal_contract::{Case, CaseStatus, NotificationKind, Person, Role, SessionUser, TimelineEvent};

/// What every case notification is written from.
pub struct About<'a> {
    pub words: &'static Words,
    pub config: &'a MailConfig,
    pub recipient: &'a SessionUser,
    pub case: &'a Case,
    pub account: String,
    /// The event that caused the notification (none for a receipt or a reminder).
    pub event: Option<TimelineEvent>,
    pub unsubscribe_url: String,
    /// The recipient follows the case as a participant: the unsubscribe link unfollows it.
    pub unfollows: bool,
}

impl About<'_> {
    fn case_url(&self) -> String {
        format!("{}/cases/{}", self.config.public_url, self.case.id.as_str())
    }

    fn number(&self) -> &str {
        &self.case.number
    }

    /// The lead with the event's author and the case's number in it.
    fn lead_by(&self, template: &str, author: &Person) -> String {
        fill(template, &[("name", &author.name), ("number", self.number()), ("account", &self.account)])
    }

    fn footer(&self, kind: NotificationKind) -> Vec<FooterLine> {
        let w = self.words;
        let why = if kind == NotificationKind::Escalation && self.recipient.role == Role::Tam {
            fill(w.footer.tam, &[("account", &self.account)])
        } else {
            fill(w.footer.follower, &[("number", self.number())])
        };
        vec![
            FooterLine::Text(why),
            FooterLine::Text(w.footer.reply.to_owned()),
            FooterLine::Link(Link {
                label: if self.unfollows {
                    fill(w.footer.unfollow, &[("number", self.number())])
                } else {
                    fill(w.footer.unsubscribe, &[("about", w.about(kind))])
                },
                url: self.unsubscribe_url.clone(),
            }),
            FooterLine::Link(Link {
                label: w.footer.settings.to_owned(),
                url: format!("{}/settings/notifications", self.config.public_url),
            }),
        ]
    }

    /// The letter every kind starts from; the link to the case page is the last action.
    fn letter(&self, kind: NotificationKind, lead: String) -> Letter {
        let w = self.words;
        Letter {
            lang: w.lang,
            subject: format!("[{}] {}: {}", self.number(), w.happened(kind), self.case.subject),
            marker: Some(w.marker),
            greeting: fill(w.hello, &[("name", &self.recipient.name)]),
            lead,
            blocks: Vec::new(),
            actions: Vec::new(),
            notes: Vec::new(),
            footer: self.footer(kind),
        }
    }

    fn quote(&self, label: &str, text: &str) -> Block {
        Block::Quote { label: label.to_owned(), text: text.to_owned() }
    }
}

/// The letter of one case notification; `None` when what it tells of is no longer there.
pub fn letter(conn: &Connection, kind: NotificationKind, a: &About) -> ApiResult<Option<Letter>> {
    use NotificationKind as N;
    let letter = match kind {
        N::CaseOpened => Some(case_opened(a)),
        N::Reply | N::ProgressUpdate => post(kind, a),
        N::InformationRequest => information_request(conn, a)?,
        N::ResolutionProposed => resolution_proposed(a),
        N::CaseResolved => case_resolved(conn, a)?,
        N::ReopenWindowClosing => reopen_window_closing(conn, a)?,
        N::Escalation => escalation(a),
        N::EscalationAcknowledged => escalation_acknowledged(a),
        N::ParticipantAdded => participant_added(a),
        N::Unknown => None,
    };
    Ok(letter.map(|mut l| {
        l.actions.push(Link { label: fill(a.words.view_case, &[("number", a.number())]), url: a.case_url() });
        l
    }))
}

/// The receipt: the number, and when the first answer is due by the severity's target, as
/// promised when the case was opened.
fn case_opened(a: &About) -> Letter {
    let w = a.words;
    let case = a.case;
    let mut letter = a.letter(NotificationKind::CaseOpened, fill(w.lead.case_opened, &[("number", a.number())]));
    let mut fields = vec![(w.label.subject.to_owned(), case.subject.clone())];
    if let Some(severity) = w.severity(case.severity) {
        fields.push((w.label.severity.to_owned(), severity.to_owned()));
    }
    if let Some(minutes) = first_response::target_minutes(case.severity) {
        fields.push((w.label.target.to_owned(), w.duration(minutes)));
    }
    if let Some(due) = first_response::due_of(false, CaseStatus::New, case.severity, case.created_at) {
        fields.push((w.label.due.to_owned(), w.date(due)));
    }
    letter.blocks = vec![Block::Fields(fields), a.quote(w.label.description, &case.description)];
    letter
}

/// A reply or a progress update: who wrote what, and the names of the files it carries.
fn post(kind: NotificationKind, a: &About) -> Option<Letter> {
    let w = a.words;
    let event = a.event.as_ref()?;
    let (lead, label) = match kind {
        NotificationKind::Reply => (w.lead.reply, w.label.message),
        _ => (w.lead.progress_update, w.label.update),
    };
    let mut letter = a.letter(kind, a.lead_by(lead, &event.author));
    letter.blocks.push(a.quote(label, event.body.as_deref().unwrap_or_default()));
    if !event.attachments.is_empty() {
        let names: Vec<&str> = event.attachments.iter().map(|f| f.file_name.as_str()).collect();
        letter.blocks.push(Block::Fields(vec![(w.label.files.to_owned(), names.join(", "))]));
    }
    Some(letter)
}

/// What is asked, and the link that opens the answer form on the case page.
fn information_request(conn: &Connection, a: &About) -> ApiResult<Option<Letter>> {
    let w = a.words;
    let Some(wanted) = a.event.as_ref().and_then(|e| e.information_request_id.clone()) else { return Ok(None) };
    let requests = store::information_requests::of_case(conn, a.case.id.as_str(), &[])?;
    let Some(request) = requests.into_iter().find(|r| r.id == wanted) else { return Ok(None) };
    let mut letter =
        a.letter(NotificationKind::InformationRequest, a.lead_by(w.lead.information_request, &request.raised_by));
    let to_send = if request.files_expected { w.label.send_files } else { w.label.send_text };
    letter.blocks = vec![
        Block::Fields(vec![
            (w.label.request.to_owned(), request.title.clone()),
            (w.label.to_send.to_owned(), to_send.to_owned()),
        ]),
        a.quote(w.label.description, &request.description),
    ];
    let url = format!("{}?answer={}", a.case_url(), request.id.as_str());
    letter.actions.push(Link { label: w.lead.answer.to_owned(), url });
    letter.notes.push(w.lead.answer_by_reply.to_owned());
    Ok(Some(letter))
}

/// The proposed summary, and the two answers only the customer can give.
fn resolution_proposed(a: &About) -> Option<Letter> {
    let w = a.words;
    let event = a.event.as_ref()?;
    let mut letter =
        a.letter(NotificationKind::ResolutionProposed, a.lead_by(w.lead.resolution_proposed, &event.author));
    letter.blocks = vec![
        a.quote(w.label.summary, event.body.as_deref().unwrap_or_default()),
        Block::Paragraph(w.lead.agree_or_not.to_owned()),
    ];
    let answer = |label: &str, choice: &str| Link {
        label: label.to_owned(),
        url: format!("{}?resolution={choice}", a.case_url()),
    };
    letter.actions = vec![answer(w.lead.confirm, "confirm"), answer(w.lead.decline, "decline")];
    Some(letter)
}

/// The agreement record: who proposed, who confirmed, when, and until when it can be reopened.
fn case_resolved(conn: &Connection, a: &About) -> ApiResult<Option<Letter>> {
    let w = a.words;
    let record = store::resolution::resolution(conn, a.case.id.as_str())?;
    let Some((r, confirmed_by, confirmed_at)) = record.and_then(|r| {
        let (by, at) = (r.confirmed_by.clone()?, r.confirmed_at?);
        Some((r, by, at))
    }) else {
        return Ok(None);
    };
    let who_at = |who: &Person, at| fill(w.label.who_at, &[("name", &who.name), ("date", &w.date(at))]);
    let mut letter = a.letter(NotificationKind::CaseResolved, fill(w.lead.case_resolved, &[("number", a.number())]));
    letter.blocks = vec![
        a.quote(w.label.summary, &r.summary),
        Block::Fields(vec![
            (w.label.proposed.to_owned(), who_at(&r.proposed_by, r.proposed_at)),
            (w.label.confirmed.to_owned(), who_at(&confirmed_by, confirmed_at)),
            (w.label.reopen_until.to_owned(), w.date(confirmed_at + a.config.reopen_window)),
        ]),
    ];
    Ok(Some(letter))
}

/// A reminder while the case can still be reopened; none once it was reopened.
fn reopen_window_closing(conn: &Connection, a: &About) -> ApiResult<Option<Letter>> {
    let w = a.words;
    let confirmed_at = store::resolution::resolution(conn, a.case.id.as_str())?.and_then(|r| r.confirmed_at);
    let Some(confirmed_at) = confirmed_at.filter(|_| a.case.status == CaseStatus::Resolved) else { return Ok(None) };
    let until = w.date(confirmed_at + a.config.reopen_window);
    let lead = fill(w.lead.reopen_window_closing, &[("number", a.number()), ("date", &until)]);
    Ok(Some(a.letter(NotificationKind::ReopenWindowClosing, lead)))
}

/// To the TAM: who escalated, from which account, and why.
fn escalation(a: &About) -> Option<Letter> {
    let w = a.words;
    let event = a.event.as_ref()?;
    let mut letter = a.letter(NotificationKind::Escalation, a.lead_by(w.lead.escalation, &event.author));
    let mut fields =
        vec![(w.label.account.to_owned(), a.account.clone()), (w.label.subject.to_owned(), a.case.subject.clone())];
    if let Some(severity) = w.severity(a.case.severity) {
        fields.push((w.label.severity.to_owned(), severity.to_owned()));
    }
    letter.blocks = vec![Block::Fields(fields), a.quote(w.label.reason, event.body.as_deref().unwrap_or_default())];
    letter.notes.push(w.lead.acknowledge.to_owned());
    Some(letter)
}

fn escalation_acknowledged(a: &About) -> Option<Letter> {
    let event = a.event.as_ref()?;
    let lead = a.lead_by(a.words.lead.escalation_acknowledged, &event.author);
    Some(a.letter(NotificationKind::EscalationAcknowledged, lead))
}

/// To the colleague added: who added them to which case, what it is about, and that they can
/// stop following it.
fn participant_added(a: &About) -> Option<Letter> {
    let w = a.words;
    let event = a.event.as_ref()?;
    let mut letter = a.letter(NotificationKind::ParticipantAdded, a.lead_by(w.lead.participant_added, &event.author));
    let mut fields = vec![(w.label.subject.to_owned(), a.case.subject.clone())];
    if let Some(severity) = w.severity(a.case.severity) {
        fields.push((w.label.severity.to_owned(), severity.to_owned()));
    }
    fields.push((w.label.opened_by.to_owned(), a.case.requester.name.clone()));
    letter.blocks = vec![Block::Fields(fields)];
    letter.notes.push(w.lead.unfollow_any_time.to_owned());
    Some(letter)
}
