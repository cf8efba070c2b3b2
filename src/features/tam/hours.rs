use crate::core::i18n::{I18n, Key, use_i18n};
use crate::ui::time::clock;
use leptos::prelude::*;
use portal_contract::{TimeSpan, Weekday, WeeklyHours};

/// Consecutive days with the same hours, as people say them: "Mon–Fri 09:00–18:00".
#[derive(Clone, Debug, PartialEq)]
pub struct HoursLine {
    pub first: Weekday,
    pub last: Weekday,
    pub spans: Vec<TimeSpan>,
}

pub fn group(hours: &[WeeklyHours]) -> Vec<HoursLine> {
    let mut lines: Vec<HoursLine> = Vec::new();
    for day in Weekday::ALL {
        let spans: Vec<TimeSpan> =
            hours.iter().filter(|h| h.weekday == *day).flat_map(|h| h.spans.iter().copied()).collect();
        match lines.last_mut() {
            Some(line) if line.spans == spans => line.last = *day,
            _ => lines.push(HoursLine { first: *day, last: *day, spans }),
        }
    }
    lines
}

pub fn weekday(day: Weekday) -> Key {
    match day {
        Weekday::Mon => Key::WeekdayMon,
        Weekday::Tue => Key::WeekdayTue,
        Weekday::Wed => Key::WeekdayWed,
        Weekday::Thu => Key::WeekdayThu,
        Weekday::Fri => Key::WeekdayFri,
        Weekday::Sat => Key::WeekdaySat,
        Weekday::Sun => Key::WeekdaySun,
        Weekday::Unknown => Key::WeekdayUnknown,
    }
}

/// "09:00–13:00, 14:00–18:00", or "Closed".
pub fn spans_text(i18n: I18n, spans: &[TimeSpan]) -> String {
    if spans.is_empty() {
        return i18n.t(Key::TamClosed).to_owned();
    }
    spans
        .iter()
        .map(|s| {
            let (from, to) = (clock(s.start, i18n.locale()), clock(s.end, i18n.locale()));
            i18n.f(Key::HoursRange, &[("from", &from), ("to", &to)])
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The weekly hours, in the TAM's own time zone, which is named.
#[component]
pub fn WeeklyHoursList(hours: Vec<WeeklyHours>, time_zone: String) -> impl IntoView {
    let i18n = use_i18n();
    let lines = group(&hours);
    view! {
        <p class="muted">{move || i18n.f(Key::TamHoursInZone, &[("zone", &time_zone)])}</p>
        <ul class="hours">
            {lines
                .into_iter()
                .map(|line| {
                    let days = move || {
                        if line.first == line.last {
                            i18n.t(weekday(line.first)).to_owned()
                        } else {
                            i18n.f(Key::HoursDays, &[("first", i18n.t(weekday(line.first))), ("last", i18n.t(weekday(line.last)))])
                        }
                    };
                    let spans = line.spans.clone();
                    view! {
                        <li>
                            <span class="hours-days">{days}</span>
                            " "
                            <span class="hours-spans">{move || spans_text(i18n, &spans)}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use chrono::NaiveTime;

    fn span(a: u32, b: u32) -> TimeSpan {
        let at = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap_or_default();
        TimeSpan { start: at(a), end: at(b) }
    }

    fn day(weekday: Weekday, spans: Vec<TimeSpan>) -> WeeklyHours {
        WeeklyHours { weekday, spans }
    }

    #[test]
    fn weekdays_with_equal_hours_group_and_closed_days_show() {
        let hours: Vec<_> = [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri]
            .into_iter()
            .map(|d| day(d, vec![span(9, 18)]))
            .collect();
        let lines = group(&hours);
        assert_eq!(lines.len(), 2);
        assert_eq!((lines[0].first, lines[0].last), (Weekday::Mon, Weekday::Fri));
        assert_eq!((lines[1].first, lines[1].last, lines[1].spans.len()), (Weekday::Sat, Weekday::Sun, 0));
    }

    #[test]
    fn a_different_day_breaks_the_run() {
        let hours = vec![
            day(Weekday::Mon, vec![span(9, 18)]),
            day(Weekday::Tue, vec![span(9, 13)]),
            day(Weekday::Wed, vec![span(9, 18)]),
        ];
        let firsts: Vec<_> = group(&hours).iter().map(|l| l.first).collect();
        assert_eq!(firsts, vec![Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu]);
    }
}
