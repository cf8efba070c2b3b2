//! Every word an email (and the unsubscribe page) says, in English and Italian. A template
//! names its values in braces (`{name}`); `fill` puts them in without reading them again, so a
//! value that itself holds `{number}` stays as it was written.

mod en;
mod it;

use chrono::{DateTime, Datelike, Timelike, Utc};
use portal_contract::{Language, NotificationKind, Severity};

/// The line above which a reply is the person's own words: the first line of every case email
/// (text and HTML), one per language. `mail::reply` cuts a reply at whichever of these it finds.
pub const REPLY_MARKERS: [&str; 2] = [en::WORDS.marker, it::WORDS.marker];

/// The reply marker of emails written in `language`.
pub fn reply_marker(language: Language) -> &'static str {
    Words::of(language).marker
}

pub struct Words {
    pub lang: &'static str,
    pub marker: &'static str,
    pub hello: &'static str,
    /// What happened, in the subject: one per `NotificationKind::ALL`, in that order.
    pub happened: [&'static str; 10],
    /// What a kind is about, after "emails about": one per `NotificationKind::ALL`.
    pub about: [&'static str; 10],
    /// One per `Severity::ALL`.
    pub severities: [&'static str; 4],
    pub months: [&'static str; 12],
    /// `{day} {month} {year}, {time} UTC`, in the language's order.
    pub date: &'static str,
    pub hours: (&'static str, &'static str),
    pub minutes: (&'static str, &'static str),
    pub view_case: &'static str,
    pub label: Labels,
    pub lead: Leads,
    pub footer: Footer,
    pub reset: Reset,
    pub invitation: InvitationWords,
    pub page: Page,
}

pub struct Labels {
    pub subject: &'static str,
    pub severity: &'static str,
    pub target: &'static str,
    pub due: &'static str,
    pub description: &'static str,
    pub message: &'static str,
    pub update: &'static str,
    pub files: &'static str,
    pub request: &'static str,
    pub to_send: &'static str,
    pub send_files: &'static str,
    pub send_text: &'static str,
    pub summary: &'static str,
    pub proposed: &'static str,
    pub confirmed: &'static str,
    pub reopen_until: &'static str,
    pub account: &'static str,
    pub reason: &'static str,
    pub who_at: &'static str,
    pub opened_by: &'static str,
}

pub struct Leads {
    pub case_opened: &'static str,
    pub reply: &'static str,
    pub information_request: &'static str,
    pub answer: &'static str,
    pub answer_by_reply: &'static str,
    pub progress_update: &'static str,
    pub resolution_proposed: &'static str,
    pub agree_or_not: &'static str,
    pub confirm: &'static str,
    pub decline: &'static str,
    pub case_resolved: &'static str,
    pub reopen_window_closing: &'static str,
    pub escalation: &'static str,
    pub acknowledge: &'static str,
    pub escalation_acknowledged: &'static str,
    pub participant_added: &'static str,
    pub unfollow_any_time: &'static str,
}

pub struct Footer {
    pub follower: &'static str,
    pub tam: &'static str,
    pub reply: &'static str,
    pub unsubscribe: &'static str,
    /// The unsubscribe link of a participant's emails: it unfollows the case.
    pub unfollow: &'static str,
    pub settings: &'static str,
}

pub struct Reset {
    pub subject: &'static str,
    pub lead: &'static str,
    pub action: &'static str,
    pub valid: &'static str,
    pub ignore: &'static str,
}

/// The invitation to a customer account, to someone new or to a person who already has a user.
pub struct InvitationWords {
    pub subject: &'static str,
    /// The greeting of someone whose name is not known yet.
    pub hello: &'static str,
    pub lead: &'static str,
    /// The role as the lead says it: admin, member.
    pub roles: (&'static str, &'static str),
    pub new_person: &'static str,
    pub existing_user: &'static str,
    pub action: &'static str,
    pub valid: &'static str,
    pub ignore: &'static str,
}

/// The page a person sees who opens an unsubscribe link in a browser.
pub struct Page {
    pub title: &'static str,
    pub question: &'static str,
    pub button: &'static str,
    pub done: &'static str,
    pub settings: &'static str,
    /// The same page for an unfollow link.
    pub unfollow_question: &'static str,
    pub unfollow_button: &'static str,
    pub unfollow_done: &'static str,
}

impl Words {
    pub fn of(language: Language) -> &'static Words {
        match language {
            Language::It => &it::WORDS,
            Language::En | Language::Unknown => &en::WORDS,
        }
    }

    fn nth<T: PartialEq>(all: &[T], value: &T) -> Option<usize> {
        all.iter().position(|v| v == value)
    }

    /// Where `kind`'s words are. An unknown kind is never composed nor signed (`kinds::letter`
    /// and `MailKey::verify_unsubscribe` refuse it); it would read as an update, the word the
    /// portal gives an event it does not know.
    fn kind_index(kind: NotificationKind) -> usize {
        Self::nth(NotificationKind::ALL, &kind)
            .or_else(|| Self::nth(NotificationKind::ALL, &NotificationKind::ProgressUpdate))
            .unwrap_or_default()
    }

    pub fn happened(&self, kind: NotificationKind) -> &'static str {
        self.happened[Self::kind_index(kind)]
    }

    pub fn about(&self, kind: NotificationKind) -> &'static str {
        self.about[Self::kind_index(kind)]
    }

    /// The severity's name; `None` for one this server does not know.
    pub fn severity(&self, severity: Severity) -> Option<&'static str> {
        Self::nth(Severity::ALL, &severity).map(|i| self.severities[i])
    }

    /// An instant as people read it, in UTC (emails do not know the reader's time zone).
    pub fn date(&self, at: DateTime<Utc>) -> String {
        let month = self.months[at.month0() as usize];
        let time = format!("{:02}:{:02}", at.hour(), at.minute());
        fill(
            self.date,
            &[("day", &at.day().to_string()), ("month", month), ("year", &at.year().to_string()), ("time", &time)],
        )
    }

    /// "4 hours", "90 minutes".
    pub fn duration(&self, minutes: u32) -> String {
        let (value, (one, many)) =
            if minutes.is_multiple_of(60) { (minutes / 60, self.hours) } else { (minutes, self.minutes) };
        fill(if value == 1 { one } else { many }, &[("n", &value.to_string())])
    }
}

/// `template` with each `{key}` replaced by its value; the values are never read as templates.
pub fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let named =
            after.find('}').and_then(|end| values.iter().find(|(k, _)| *k == &after[..end]).map(|v| (end, v.1)));
        match named {
            Some((end, value)) => {
                out.push_str(value);
                rest = &after[end + 1..];
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_never_read_as_a_template() {
        assert_eq!(fill("{a} and {b}", &[("a", "{b}"), ("b", "x")]), "{b} and x");
        assert_eq!(fill("{unknown} {a}", &[("a", "1")]), "{unknown} 1");
        assert_eq!(fill("open {", &[]), "open {");
    }

    #[test]
    fn dates_and_durations_read_in_each_language() {
        let at = DateTime::parse_from_rfc3339("2025-03-04T09:05:00Z").expect("date").with_timezone(&Utc);
        assert_eq!(Words::of(Language::En).date(at), "4 March 2025, 09:05 UTC");
        assert_eq!(Words::of(Language::It).date(at), "4 marzo 2025, 09:05 UTC");
        assert_eq!(Words::of(Language::En).duration(60), "1 hour");
        assert_eq!(Words::of(Language::It).duration(960), "16 ore");
        assert_eq!(Words::of(Language::En).duration(90), "90 minutes");
    }

    #[test]
    fn each_language_has_its_own_marker_and_every_kind_its_words() {
        assert_ne!(REPLY_MARKERS[0], REPLY_MARKERS[1]);
        for language in [Language::En, Language::It] {
            let words = Words::of(language);
            assert_eq!(reply_marker(language), words.marker);
            assert_eq!(words.happened.len(), NotificationKind::ALL.len());
            assert_eq!(words.about.len(), NotificationKind::ALL.len());
            assert_eq!(words.severities.len(), Severity::ALL.len());
        }
    }
}
