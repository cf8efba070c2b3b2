//! Dates and times in the person's language and time zone, by the browser's Intl API: the
//! portal carries no time-zone database of its own.

use crate::core::i18n::Locale;
use chrono::{DateTime, Utc};
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
    let _ = intl("DateTimeFormat", locale, DATE_TIME);
    let _ = intl("RelativeTimeFormat", locale, RELATIVE);
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
        let mut all = pairs.to_vec();
        if let Some(zone) = zone {
            all.push(("timeZone", zone));
        }
        // An unknown zone name from the API makes the constructor throw; that is caught here.
        let formatter = intl("DateTimeFormat", locale, &all)?;
        let format: Function = Reflect::get(&formatter, &"format".into()).ok()?.into();
        format.call1(&formatter, &date).ok()?.as_string()
    };
    attempt(time_zone).or_else(|| attempt(None)).unwrap_or_else(|| instant.to_rfc3339())
}

/// "25 Nov 2026, 14:05" in the viewer's zone, or in `time_zone` when given.
pub fn date_time(instant: DateTime<Utc>, locale: Locale, time_zone: Option<&str>) -> String {
    format_date(instant, locale, time_zone, DATE_TIME)
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
            ("hour", "2-digit"),
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
        &[("weekday", "short"), ("day", "numeric"), ("month", "short"), ("hour", "2-digit"), ("minute", "2-digit")],
    )
}

/// "14:05" in the viewer's zone.
pub fn time_of_day(instant: DateTime<Utc>, locale: Locale) -> String {
    format_date(instant, locale, None, &[("hour", "2-digit"), ("minute", "2-digit")])
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

#[cfg(test)]
mod tests {
    use super::{duration_parts, relative_parts};

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
