//! When a case waiting for its first answer will get it: "First response due" with the local
//! time and what is left ("in 3 h 58 min"), and the "Overdue" badge once the severity's target
//! has passed. The badge and `time_left_text` are for any page that lists cases.

use crate::core::i18n::{I18n, Key, t, use_i18n};
use crate::ui::poll::use_visible_poll;
use crate::ui::time::date_time;
use chrono::{DateTime, Utc};
use leptos::prelude::*;
use std::time::Duration;

/// What is left until a target, in the two largest units that matter at that distance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeLeft {
    Minutes(i64),
    Hours { hours: i64, minutes: i64 },
    Days { days: i64, hours: i64 },
}

/// What is left from `now` until `due`, in whole minutes as a countdown shows them; `None`
/// once it has passed. The last minute still reads "in 1 min", never "in 0 min".
pub fn time_left(due: DateTime<Utc>, now: DateTime<Utc>) -> Option<TimeLeft> {
    let seconds = (due - now).num_seconds();
    if seconds <= 0 {
        return None;
    }
    let minutes = (seconds / 60).max(1);
    Some(match minutes {
        m if m < 60 => TimeLeft::Minutes(m),
        m if m < 24 * 60 => TimeLeft::Hours { hours: m / 60, minutes: m % 60 },
        m => TimeLeft::Days { days: m / (24 * 60), hours: m % (24 * 60) / 60 },
    })
}

/// "in 3 h 58 min" / "tra 3 h 58 min", or `None` once `due` has passed.
pub fn time_left_text(i18n: I18n, due: DateTime<Utc>, now: DateTime<Utc>) -> Option<String> {
    let text = match time_left(due, now)? {
        TimeLeft::Minutes(minutes) => i18n.f(Key::FirstResponseInMinutes, &[("minutes", &minutes.to_string())]),
        TimeLeft::Hours { hours, minutes } => {
            i18n.f(Key::FirstResponseInHours, &[("hours", &hours.to_string()), ("minutes", &minutes.to_string())])
        }
        TimeLeft::Days { days, hours } => {
            i18n.f(Key::FirstResponseInDays, &[("days", &days.to_string()), ("hours", &hours.to_string())])
        }
    };
    Some(text)
}

/// "Overdue", in words and not by colour alone.
#[component]
pub fn OverdueBadge() -> impl IntoView {
    view! { <span class="badge overdue">{t(Key::FirstResponseOverdue)}</span> }
}

/// How often what is left is worked out again: it shows minutes.
const TICK: Duration = Duration::from_secs(30);

/// "First response due 25 Nov 2026, 14:05 · in 3 h 58 min", or with "Overdue" once the server
/// says the target has passed. The server's word decides overdue (its clock is the one that
/// counts); the time left follows this browser's clock between two loads of the case.
#[component]
pub fn FirstResponseDue(due_at: DateTime<Utc>, overdue: bool) -> impl IntoView {
    let i18n = use_i18n();
    let now = RwSignal::new(Utc::now());
    use_visible_poll(TICK, move || now.set(Utc::now()));
    let left = move || (!overdue).then(|| time_left_text(i18n, due_at, now.get())).flatten();
    view! {
        <p class="first-response-due">
            <span class="due-label">{t(Key::FirstResponseDue)}</span>
            " "
            <time datetime=due_at.to_rfc3339()>{move || date_time(due_at, i18n.locale(), None)}</time>
            {move || left().map(|left| view! { " · " <span class="due-left">{left}</span> })}
            {overdue.then(|| view! { " " <OverdueBadge /> })}
        </p>
    }
}

#[cfg(test)]
mod tests {
    use super::{TimeLeft, time_left};
    use chrono::{DateTime, Duration, Utc};

    fn left(seconds: i64) -> Option<TimeLeft> {
        let now = DateTime::<Utc>::default();
        time_left(now + Duration::seconds(seconds), now)
    }

    #[test]
    fn shows_hours_and_minutes_under_a_day() {
        assert_eq!(left(3 * 3_600 + 58 * 60), Some(TimeLeft::Hours { hours: 3, minutes: 58 }));
        assert_eq!(left(3_600), Some(TimeLeft::Hours { hours: 1, minutes: 0 }));
        assert_eq!(left(23 * 3_600 + 59 * 60), Some(TimeLeft::Hours { hours: 23, minutes: 59 }));
    }

    #[test]
    fn counts_down_in_whole_minutes() {
        assert_eq!(left(4 * 3_600 - 1), Some(TimeLeft::Hours { hours: 3, minutes: 59 }));
        assert_eq!(left(3_599), Some(TimeLeft::Minutes(59)));
        assert_eq!(left(1), Some(TimeLeft::Minutes(1)), "never 'in 0 min' while the target is ahead");
    }

    #[test]
    fn shows_days_and_hours_from_a_day() {
        assert_eq!(left(24 * 3_600), Some(TimeLeft::Days { days: 1, hours: 0 }));
        assert_eq!(left(2 * 86_400 + 5 * 3_600 + 30 * 60), Some(TimeLeft::Days { days: 2, hours: 5 }));
    }

    #[test]
    fn nothing_is_left_once_the_target_passed() {
        assert_eq!(left(0), None);
        assert_eq!(left(-60), None);
    }
}
