//! When a TAM is reachable: weekly hours plus dated overrides, in the TAM's IANA time zone.
//!
//! Architecture Invariant: this is the only place that turns business hours into instants.
//! It is pure (the caller passes "now"), so tests pin the clock.

use chrono::{DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use portal_contract::{HoursOverride, TimeSpan, Weekday, WeeklyHours};

/// How far ahead to look for the next hours (a long holiday still finds the day after).
const HORIZON_DAYS: i64 = 21;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Availability {
    pub available_now: bool,
    pub available_until: Option<DateTime<Utc>>,
    pub next_available_at: Option<DateTime<Utc>>,
}

fn weekday_of(date: NaiveDate) -> Weekday {
    match date.weekday() {
        chrono::Weekday::Mon => Weekday::Mon,
        chrono::Weekday::Tue => Weekday::Tue,
        chrono::Weekday::Wed => Weekday::Wed,
        chrono::Weekday::Thu => Weekday::Thu,
        chrono::Weekday::Fri => Weekday::Fri,
        chrono::Weekday::Sat => Weekday::Sat,
        chrono::Weekday::Sun => Weekday::Sun,
    }
}

/// A local wall-clock time as an instant. On the night clocks go back, the earlier of the two;
/// a time skipped when clocks go forward becomes the first instant after the gap.
fn instant(zone: Tz, local: NaiveDateTime) -> Option<DateTime<Utc>> {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(t) => Some(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(early, _) => Some(early.with_timezone(&Utc)),
        // The first minute after the gap that exists is the instant the clock jumped.
        LocalResult::None => (1..=180).find_map(|m| match zone.from_local_datetime(&(local + Duration::minutes(m))) {
            LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => Some(t.with_timezone(&Utc)),
            LocalResult::None => None,
        }),
    }
}

/// The spans that apply on one local date: its override if Bird set one, else the weekday's.
fn spans_on(date: NaiveDate, weekly: &[WeeklyHours], overrides: &[HoursOverride]) -> Vec<TimeSpan> {
    match overrides.iter().find(|o| o.date == date) {
        Some(o) => o.spans.clone(),
        None => weekly.iter().filter(|w| w.weekday == weekday_of(date)).flat_map(|w| w.spans.iter().copied()).collect(),
    }
}

/// Every interval of hours from the day before `from` for the horizon, merged where they touch.
pub fn intervals(
    zone: Tz,
    weekly: &[WeeklyHours],
    overrides: &[HoursOverride],
    from: NaiveDate,
) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let mut out: Vec<(DateTime<Utc>, DateTime<Utc>)> = Vec::new();
    for offset in -1..=HORIZON_DAYS {
        let date = from + Duration::days(offset);
        for span in spans_on(date, weekly, overrides) {
            let end_date = if span.end <= span.start { date + Duration::days(1) } else { date };
            let (Some(start), Some(end)) =
                (instant(zone, date.and_time(span.start)), instant(zone, end_date.and_time(span.end)))
            else {
                continue;
            };
            if end > start {
                out.push((start, end));
            }
        }
    }
    out.sort();
    let mut merged: Vec<(DateTime<Utc>, DateTime<Utc>)> = Vec::with_capacity(out.len());
    for (start, end) in out {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
}

/// Whether the TAM is reachable at `now`, until when, or when next.
pub fn availability(zone: Tz, weekly: &[WeeklyHours], overrides: &[HoursOverride], now: DateTime<Utc>) -> Availability {
    let today = now.with_timezone(&zone).date_naive();
    let all = intervals(zone, weekly, overrides, today);
    if let Some((_, end)) = all.iter().find(|(s, e)| *s <= now && now < *e) {
        return Availability { available_now: true, available_until: Some(*end), next_available_at: None };
    }
    Availability {
        available_now: false,
        available_until: None,
        next_available_at: all.iter().map(|(s, _)| *s).find(|s| *s > now),
    }
}

/// The hours of the next `days` days from `now` (the one under way included), as instants.
pub fn upcoming_hours(
    zone: Tz,
    weekly: &[WeeklyHours],
    overrides: &[HoursOverride],
    now: DateTime<Utc>,
    days: i64,
) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let until = now + Duration::days(days);
    intervals(zone, weekly, overrides, now.with_timezone(&zone).date_naive())
        .into_iter()
        .filter(|(start, end)| *end > now && *start < until)
        .collect()
}

/// The overrides from the TAM's today on, soonest first.
pub fn upcoming(zone: Tz, overrides: &[HoursOverride], now: DateTime<Utc>) -> Vec<HoursOverride> {
    let today = now.with_timezone(&zone).date_naive();
    let mut list: Vec<HoursOverride> = overrides.iter().filter(|o| o.date >= today).cloned().collect();
    list.sort_by_key(|o| o.date);
    list
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveTime;

    const ROME: Tz = chrono_tz::Europe::Rome;

    fn t(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default()
    }

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).single().unwrap_or_default()
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    /// Mon–Fri 09:00–18:00, Rome.
    fn office() -> Vec<WeeklyHours> {
        [Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri]
            .into_iter()
            .map(|weekday| WeeklyHours { weekday, spans: vec![TimeSpan { start: t(9, 0), end: t(18, 0) }] })
            .collect()
    }

    #[test]
    fn inside_hours_says_until_when() {
        // Wednesday 25 November 2026, 11:00 in Rome (CET, UTC+1).
        let a = availability(ROME, &office(), &[], utc(2026, 11, 25, 10, 0));
        assert!(a.available_now);
        assert_eq!(a.available_until, Some(utc(2026, 11, 25, 17, 0)));
        assert_eq!(a.next_available_at, None);
    }

    #[test]
    fn outside_hours_says_when_next() {
        let a = availability(ROME, &office(), &[], utc(2026, 11, 25, 19, 0));
        assert!(!a.available_now);
        assert_eq!(a.next_available_at, Some(utc(2026, 11, 26, 8, 0)));
        // Friday evening → Monday morning.
        let a = availability(ROME, &office(), &[], utc(2026, 11, 27, 17, 30));
        assert_eq!(a.next_available_at, Some(utc(2026, 11, 30, 8, 0)));
    }

    #[test]
    fn hours_begin_on_the_minute_and_end_before_the_last() {
        let opening = utc(2026, 11, 25, 8, 0);
        assert!(availability(ROME, &office(), &[], opening).available_now);
        assert!(!availability(ROME, &office(), &[], opening - Duration::minutes(1)).available_now);
        let closing = utc(2026, 11, 25, 17, 0);
        assert!(availability(ROME, &office(), &[], closing - Duration::minutes(1)).available_now);
        let at_close = availability(ROME, &office(), &[], closing);
        assert!(!at_close.available_now);
        assert_eq!(at_close.next_available_at, Some(utc(2026, 11, 26, 8, 0)));
    }

    #[test]
    fn a_closed_day_override_skips_that_day() {
        let holiday = HoursOverride { date: date(2026, 12, 8), spans: vec![], note: Some("Immacolata".into()) };
        // Monday 7 December 2026 after hours: Tuesday 8 is closed, so Wednesday 9 at 09:00.
        let a = availability(ROME, &office(), std::slice::from_ref(&holiday), utc(2026, 12, 7, 18, 0));
        assert_eq!(a.next_available_at, Some(utc(2026, 12, 9, 8, 0)));
        assert!(!availability(ROME, &office(), &[holiday], utc(2026, 12, 8, 10, 0)).available_now);
    }

    #[test]
    fn an_extended_day_override_keeps_the_tam_reachable_later() {
        let long_day = HoursOverride {
            date: date(2026, 11, 25),
            spans: vec![TimeSpan { start: t(8, 0), end: t(21, 0) }],
            note: None,
        };
        let a = availability(ROME, &office(), std::slice::from_ref(&long_day), utc(2026, 11, 25, 19, 0));
        assert!(a.available_now);
        assert_eq!(a.available_until, Some(utc(2026, 11, 25, 20, 0)));
        // A Saturday opened by an override.
        let saturday = HoursOverride {
            date: date(2026, 11, 28),
            spans: vec![TimeSpan { start: t(10, 0), end: t(12, 0) }],
            note: None,
        };
        let a = availability(ROME, &office(), &[saturday], utc(2026, 11, 27, 18, 0));
        assert_eq!(a.next_available_at, Some(utc(2026, 11, 28, 9, 0)));
    }

    #[test]
    fn spring_forward_moves_the_utc_opening_an_hour_earlier() {
        // Clocks go forward in Rome on Sunday 29 March 2026: Friday opens 08:00Z, Monday 07:00Z.
        assert_eq!(
            availability(ROME, &office(), &[], utc(2026, 3, 27, 6, 0)).next_available_at,
            Some(utc(2026, 3, 27, 8, 0))
        );
        let weekend = availability(ROME, &office(), &[], utc(2026, 3, 28, 12, 0));
        assert_eq!(weekend.next_available_at, Some(utc(2026, 3, 30, 7, 0)));
    }

    #[test]
    fn fall_back_moves_the_utc_opening_an_hour_later() {
        // Clocks go back in Rome on Sunday 25 October 2026: Friday 23 opens 07:00Z, Monday 26 08:00Z.
        assert_eq!(
            availability(ROME, &office(), &[], utc(2026, 10, 23, 6, 0)).next_available_at,
            Some(utc(2026, 10, 23, 7, 0))
        );
        assert_eq!(
            availability(ROME, &office(), &[], utc(2026, 10, 24, 12, 0)).next_available_at,
            Some(utc(2026, 10, 26, 8, 0))
        );
    }

    #[test]
    fn spans_inside_the_dst_gap_and_overlap_resolve_to_real_instants() {
        // 02:30 does not exist in Rome on 29 March 2026: hours start when the clock reaches 03:00.
        let gap = HoursOverride {
            date: date(2026, 3, 29),
            spans: vec![TimeSpan { start: t(2, 30), end: t(4, 0) }],
            note: None,
        };
        let a = availability(ROME, &[], &[gap], utc(2026, 3, 29, 0, 0));
        assert_eq!(a.next_available_at, Some(utc(2026, 3, 29, 1, 0)));
        // 02:30 happens twice on 25 October 2026: the first of the two is when hours begin.
        let twice = HoursOverride {
            date: date(2026, 10, 25),
            spans: vec![TimeSpan { start: t(2, 30), end: t(4, 0) }],
            note: None,
        };
        let a = availability(ROME, &[], &[twice], utc(2026, 10, 24, 23, 0));
        assert_eq!(a.next_available_at, Some(utc(2026, 10, 25, 0, 30)));
    }

    #[test]
    fn an_overnight_span_runs_into_the_next_day() {
        let nights =
            vec![WeeklyHours { weekday: Weekday::Fri, spans: vec![TimeSpan { start: t(22, 0), end: t(6, 0) }] }];
        // Saturday 28 November 2026, 03:00 Rome: still inside Friday's night span until 06:00.
        let a = availability(ROME, &nights, &[], utc(2026, 11, 28, 2, 0));
        assert!(a.available_now);
        assert_eq!(a.available_until, Some(utc(2026, 11, 28, 5, 0)));
    }

    #[test]
    fn a_viewer_nine_hours_away_gets_the_same_instant() {
        // Next opening is Thursday 09:00 in Rome; in Los Angeles (UTC−8, nine hours behind)
        // that is Wednesday at midnight.
        let next = availability(ROME, &office(), &[], utc(2026, 11, 25, 19, 0)).next_available_at;
        let la = next.map(|n| n.with_timezone(&chrono_tz::America::Los_Angeles).naive_local());
        assert_eq!(la, Some(date(2026, 11, 26).and_time(t(0, 0))));
    }

    #[test]
    fn the_coming_week_lists_each_working_day_once() {
        // From Wednesday 25 November 2026, 10:00 UTC: Wed (under way), Thu, Fri, Mon, Tue, and
        // next Wednesday, which opens before the seven days are up.
        let week = upcoming_hours(ROME, &office(), &[], utc(2026, 11, 25, 10, 0), 7);
        assert_eq!(week.len(), 6);
        assert_eq!(week[0], (utc(2026, 11, 25, 8, 0), utc(2026, 11, 25, 17, 0)));
        assert_eq!(week[3].0, utc(2026, 11, 30, 8, 0));
    }

    #[test]
    fn no_hours_at_all_has_no_next_time() {
        let a = availability(ROME, &[], &[], utc(2026, 11, 25, 10, 0));
        assert_eq!(a, Availability { available_now: false, available_until: None, next_available_at: None });
    }

    #[test]
    fn upcoming_overrides_start_today_and_are_sorted() {
        let o = |d| HoursOverride { date: d, spans: vec![], note: None };
        let list = upcoming(
            ROME,
            &[o(date(2026, 12, 24)), o(date(2026, 11, 1)), o(date(2026, 11, 25))],
            utc(2026, 11, 25, 10, 0),
        );
        let dates: Vec<_> = list.iter().map(|o| o.date).collect();
        assert_eq!(dates, vec![date(2026, 11, 25), date(2026, 12, 24)]);
    }
}
