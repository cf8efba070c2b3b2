//! Dates and times in the person's language and time zone, by the browser's Intl API: the
//! portal carries no time-zone database of its own. Every date or time the portal shows is
//! written here; Italian reads the 24-hour clock, English the 12-hour one.

use crate::core::i18n::Locale;
use chrono::{DateTime, NaiveDate, NaiveTime, Timelike, Utc};
use js_sys::{Array, Date, Function, Object, Reflect};
use leptos::prelude::*;
use std::cell::RefCell;
use std::collections::HashMap;
use wasm_bindgen::JsValue;

/// How far apart two instants are, as the value and unit `Intl.RelativeTimeFormat` takes.
pub fn relative_parts(then: DateTime<Utc>, now: DateTime<Utc>) -> (f64, &'static str) {
    let seconds = (then - now).num_seconds();
    let abs = seconds.unsigned_abs();
    let (divisor, unit) = match abs {
        0..60 => (1, "second"),
        60..3_600 => (60, "minute"),
        3_600..86_400 => (3_600, "hour"),
        86_400..2_592_000 => (86_400, "day"),
        2_592_000..31_536_000 => (2_592_000, "month"),
        _ => (31_536_000, "year"),
    };
    ((seconds / divisor as i64) as f64, unit)
}

thread_local! {
    static FORMATTERS: RefCell<HashMap<String, JsValue>> = RefCell::new(HashMap::new());
}

/// An `Intl.<constructor>` for the language and options, built once and then reused: building
/// one costs far more than formatting with it, and a long timeline formats a date per event.
pub(crate) fn intl(constructor: &str, locale: Locale, pairs: &[(&str, &str)]) -> Option<JsValue> {
    let key = format!("{constructor}|{}|{pairs:?}", locale.tag());
    if let Some(found) = FORMATTERS.with(|f| f.borrow().get(&key).cloned()) {
        return Some(found);
    }
    let intl = Reflect::get(&js_sys::global(), &"Intl".into()).ok()?;
    let ctor: Function = Reflect::get(&intl, &constructor.into()).ok()?.into();
    let args = Array::of2(&locale.tag().into(), &options(pairs));
    let made = Reflect::construct(&ctor, &args).ok()?;
    FORMATTERS.with(|f| f.borrow_mut().insert(key, made.clone()));
    Some(made)
}

const DATE_TIME: &[(&str, &str)] = &[("dateStyle", "medium"), ("timeStyle", "short")];
const RELATIVE: &[(&str, &str)] = &[("numeric", "auto")];

/// Builds the formatters every page uses, for when the browser has nothing else to do: the
/// first `Intl.DateTimeFormat` of a page loads the language's calendar data, ~13 ms here,
/// which would otherwise land on the render of the first list of cases after signing in.
pub fn warm(locale: Locale) {
    let _ = intl("DateTimeFormat", locale, &date_options(locale, DATE_TIME, None));
    let _ = intl("RelativeTimeFormat", locale, RELATIVE);
}

/// The hour as the language writes it beside minutes: "9:05 AM", "09:05".
fn hour(locale: Locale) -> &'static str {
    match locale {
        Locale::En => "numeric",
        Locale::It => "2-digit",
    }
}

/// What a date format asks for, plus the language's clock and the zone: a browser set to
/// another language must still show an Italian reader the 24-hour clock.
fn date_options<'a>(locale: Locale, pairs: &[(&'a str, &'a str)], zone: Option<&'a str>) -> Vec<(&'a str, &'a str)> {
    let mut all = pairs.to_vec();
    if locale == Locale::It {
        all.push(("hourCycle", "h23"));
    }
    if let Some(zone) = zone {
        all.push(("timeZone", zone));
    }
    all
}

fn options(pairs: &[(&str, &str)]) -> Object {
    let object = Object::new();
    for (k, v) in pairs {
        let _ = Reflect::set(&object, &(*k).into(), &(*v).into());
    }
    object
}

fn format_date(instant: DateTime<Utc>, locale: Locale, time_zone: Option<&str>, pairs: &[(&str, &str)]) -> String {
    let date = Date::new(&JsValue::from_f64(instant.timestamp_millis() as f64));
    let attempt = |zone: Option<&str>| -> Option<String> {
        // An unknown zone name from the API makes the constructor throw; that is caught here.
        let formatter = intl("DateTimeFormat", locale, &date_options(locale, pairs, zone))?;
        let format: Function = Reflect::get(&formatter, &"format".into()).ok()?.into();
        format.call1(&formatter, &date).ok()?.as_string()
    };
    attempt(time_zone).or_else(|| attempt(None)).unwrap_or_else(|| instant.to_rfc3339())
}

/// "25 Nov 2026, 14:05" in the viewer's zone, or in `time_zone` when given.
pub fn date_time(instant: DateTime<Utc>, locale: Locale, time_zone: Option<&str>) -> String {
    format_date(instant, locale, time_zone, DATE_TIME)
}

/// "25 Nov 2026" in the viewer's zone: the day something happened, when its hour says nothing.
pub fn date(instant: DateTime<Utc>, locale: Locale) -> String {
    format_date(instant, locale, None, &[("dateStyle", "medium")])
}

/// "Wednesday 25 November, 09:00 CET" — for availability, where the weekday and zone matter.
pub fn long_date_time(instant: DateTime<Utc>, locale: Locale) -> String {
    format_date(
        instant,
        locale,
        None,
        &[
            ("weekday", "long"),
            ("day", "numeric"),
            ("month", "long"),
            ("hour", hour(locale)),
            ("minute", "2-digit"),
            ("timeZoneName", "short"),
        ],
    )
}

/// "Wed 25 Nov, 09:00" in the viewer's zone.
pub fn day_and_time(instant: DateTime<Utc>, locale: Locale) -> String {
    format_date(
        instant,
        locale,
        None,
        &[("weekday", "short"), ("day", "numeric"), ("month", "short"), ("hour", hour(locale)), ("minute", "2-digit")],
    )
}

/// "14:05" / "2:05 PM" in the viewer's zone.
pub fn time_of_day(instant: DateTime<Utc>, locale: Locale) -> String {
    format_date(instant, locale, None, &[("hour", hour(locale)), ("minute", "2-digit")])
}

/// A calendar day, "Wednesday, December 9" / "mercoledì 9 dicembre": formatted at its noon in
/// UTC, so no zone can move it to the day before or after.
pub fn day(date: NaiveDate, locale: Locale) -> String {
    let Some(noon) = date.and_hms_opt(12, 0, 0) else { return date.to_string() };
    format_date(noon.and_utc(), locale, Some("UTC"), &[("weekday", "long"), ("day", "numeric"), ("month", "long")])
}

/// A time on a clock, not an instant (a TAM's weekly hours, in the TAM's zone): "9:00 AM" /
/// "09:00".
pub fn clock(time: NaiveTime, locale: Locale) -> String {
    let Some(at) = NaiveDate::default().and_hms_opt(time.hour(), time.minute(), 0) else { return hh_mm(time) };
    let pairs = [("hour", hour(locale)), ("minute", "2-digit")];
    let formatter = intl("DateTimeFormat", locale, &date_options(locale, &pairs, Some("UTC")));
    formatter
        .and_then(|f| {
            let format: Function = Reflect::get(&f, &"format".into()).ok()?.into();
            let date = Date::new(&JsValue::from_f64(at.and_utc().timestamp_millis() as f64));
            format.call1(&f, &date).ok()?.as_string()
        })
        .unwrap_or_else(|| hh_mm(time))
}

/// "09:05", for when Intl cannot say it: written by hand, because chrono's strftime would add
/// its whole formatter to the wasm.
fn hh_mm(time: NaiveTime) -> String {
    format!("{:02}:{:02}", time.hour(), time.minute())
}

/// "3 hours ago" / "tra 2 giorni".
pub fn relative(instant: DateTime<Utc>, now: DateTime<Utc>, locale: Locale) -> String {
    let (value, unit) = relative_parts(instant, now);
    let formatted = intl("RelativeTimeFormat", locale, RELATIVE).and_then(|f| {
        let format: Function = Reflect::get(&f, &"format".into()).ok()?.into();
        format.call2(&f, &JsValue::from_f64(value), &unit.into()).ok()?.as_string()
    });
    formatted.unwrap_or_else(|| date_time(instant, locale, None))
}

/// The largest whole unit of a span of minutes, as `Intl.NumberFormat` unit names it.
pub fn duration_parts(minutes: u32) -> (u32, &'static str) {
    match minutes {
        m if m >= 1_440 && m % 1_440 == 0 => (m / 1_440, "day"),
        m if m >= 60 && m % 60 == 0 => (m / 60, "hour"),
        m => (m, "minute"),
    }
}

/// "4 hours" / "4 ore", with the language's own plural.
pub fn duration(minutes: u32, locale: Locale) -> String {
    let (value, unit) = duration_parts(minutes);
    intl("NumberFormat", locale, &[("style", "unit"), ("unit", unit), ("unitDisplay", "long")])
        .and_then(|f| {
            let format: Function = Reflect::get(&f, &"format".into()).ok()?.into();
            format.call1(&f, &JsValue::from_f64(f64::from(value))).ok()?.as_string()
        })
        .unwrap_or_else(|| format!("{value} {unit}"))
}

/// A `<time>` showing a relative time, with the absolute one on hover and for machines.
#[component]
pub fn RelativeTime(at: DateTime<Utc>) -> impl IntoView {
    let i18n = crate::core::i18n::use_i18n();
    view! {
        <time datetime=at.to_rfc3339() title=move || date_time(at, i18n.locale(), None)>
            {move || relative(at, Utc::now(), i18n.locale())}
        </time>
    }
}

/// A `<time>` showing an absolute date and time in the viewer's zone.
#[component]
pub fn DateTimeText(at: DateTime<Utc>) -> impl IntoView {
    let i18n = crate::core::i18n::use_i18n();
    view! { <time datetime=at.to_rfc3339()>{move || date_time(at, i18n.locale(), None)}</time> }
}

/// A `<time>` showing the day of an instant in the viewer's zone.
#[component]
pub fn DateText(at: DateTime<Utc>) -> impl IntoView {
    let i18n = crate::core::i18n::use_i18n();
    view! { <time datetime=at.to_rfc3339()>{move || date(at, i18n.locale())}</time> }
}

#[cfg(test)]
mod tests {
    use super::{Locale, NaiveTime, date_options, duration_parts, hh_mm, hour, relative_parts};

    #[test]
    fn italian_reads_the_24_hour_clock_and_english_the_12_hour_one() {
        let asked = [("hour", "2-digit"), ("minute", "2-digit")];
        assert!(date_options(Locale::It, &asked, None).contains(&("hourCycle", "h23")));
        assert!(!date_options(Locale::En, &asked, None).iter().any(|(k, _)| *k == "hourCycle" || *k == "hour12"));
        assert_eq!(hour(Locale::It), "2-digit", "09:05");
        assert_eq!(hour(Locale::En), "numeric", "9:05 AM");
    }

    #[test]
    fn a_zone_is_passed_on_only_when_given() {
        let zoned = date_options(Locale::En, &[], Some("Europe/Rome"));
        assert_eq!(zoned, vec![("timeZone", "Europe/Rome")]);
        assert!(date_options(Locale::En, &[], None).is_empty());
    }

    #[test]
    fn the_fallback_clock_is_zero_padded() {
        let at = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap_or_default();
        assert_eq!(hh_mm(at(9, 5)), "09:05");
        assert_eq!(hh_mm(at(23, 59)), "23:59");
    }

    #[test]
    fn durations_use_whole_units() {
        assert_eq!(duration_parts(60), (1, "hour"));
        assert_eq!(duration_parts(240), (4, "hour"));
        assert_eq!(duration_parts(90), (90, "minute"));
        assert_eq!(duration_parts(2_880), (2, "day"));
        assert_eq!(duration_parts(0), (0, "minute"));
    }

    use chrono::{DateTime, Utc};

    #[test]
    fn picks_the_largest_whole_unit() {
        let now = DateTime::<Utc>::default();
        assert_eq!(relative_parts(now, now), (0.0, "second"));
        assert_eq!(relative_parts(now - chrono::Duration::minutes(5), now), (-5.0, "minute"));
        assert_eq!(relative_parts(now - chrono::Duration::hours(3), now), (-3.0, "hour"));
        assert_eq!(relative_parts(now + chrono::Duration::days(2), now), (2.0, "day"));
        assert_eq!(relative_parts(now - chrono::Duration::days(400), now), (-1.0, "year"));
    }
}
