//! The case list's filters as they live in the URL, so a list can be shared and survives a
//! reload.

use portal_contract::{CaseKind, CaseListQuery, CaseSort, CaseStatus, Severity};

const KEYS: [&str; 7] = ["status", "kind", "severity", "q", "escalated", "mine", "sort"];

/// Sets one filter from its URL value; a value the portal doesn't know clears the filter
/// rather than being sent on, so a hand-edited URL still shows a list.
pub fn set(query: &mut CaseListQuery, key: &str, value: &str) {
    let value = value.trim();
    match key {
        "status" => query.status = (CaseStatus::parse(value) != CaseStatus::Unknown).then(|| value.to_owned()),
        "kind" => query.kind = Some(CaseKind::parse(value)).filter(|k| *k != CaseKind::Unknown),
        "severity" => query.severity = Some(Severity::parse(value)).filter(|s| *s != Severity::Unknown),
        "q" => query.q = (!value.is_empty()).then(|| value.to_owned()),
        "escalated" => query.escalated = value.parse().ok(),
        // Only "My cases" is a filter; all cases is the list without it.
        "mine" => query.mine = (value == "true").then_some(true),
        "sort" => query.sort = Some(CaseSort::parse(value)).filter(|s| *s != CaseSort::Unknown),
        _ => {}
    }
}

/// The URL value of one filter; empty when it is not set.
pub fn get(query: &CaseListQuery, key: &str) -> String {
    match key {
        "status" => query.status.clone().unwrap_or_default(),
        "kind" => query.kind.map(|k| k.as_str().to_owned()).unwrap_or_default(),
        "severity" => query.severity.map(|s| s.as_str().to_owned()).unwrap_or_default(),
        "q" => query.q.clone().unwrap_or_default(),
        "escalated" => query.escalated.map(|e| e.to_string()).unwrap_or_default(),
        "mine" => query.mine.filter(|m| *m).map(|_| "true".to_owned()).unwrap_or_default(),
        "sort" => query.sort.map(|s| s.as_str().to_owned()).unwrap_or_default(),
        _ => String::new(),
    }
}

/// Reads every filter from the URL parameters.
pub fn from_params(get: impl Fn(&str) -> Option<String>) -> CaseListQuery {
    let mut query = CaseListQuery::default();
    for key in KEYS {
        if let Some(value) = get(key) {
            set(&mut query, key, &value);
        }
    }
    query
}

/// The URL query (`?status=new&q=bounce`) for a set of filters; empty when none is set.
pub fn to_search(query: &CaseListQuery) -> String {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    if let Some(v) = &query.status {
        pairs.push(("status", v.clone()));
    }
    if let Some(v) = query.kind {
        pairs.push(("kind", v.as_str().to_owned()));
    }
    if let Some(v) = query.severity {
        pairs.push(("severity", v.as_str().to_owned()));
    }
    if let Some(v) = &query.q {
        pairs.push(("q", v.clone()));
    }
    if let Some(v) = query.escalated {
        pairs.push(("escalated", v.to_string()));
    }
    if query.mine == Some(true) {
        pairs.push(("mine", "true".to_owned()));
    }
    if let Some(v) = query.sort {
        pairs.push(("sort", v.as_str().to_owned()));
    }
    search_of(pairs)
}

/// The URL query of page `number` of a list: the filters, then the page when it is not the first.
pub fn to_search_at(query: &CaseListQuery, number: u32) -> String {
    let filters = to_search(query);
    match (number > 1, filters.is_empty()) {
        (false, _) => filters,
        (true, true) => format!("?page={number}"),
        (true, false) => format!("{filters}&page={number}"),
    }
}

/// The page number in the URL; page 1 when there is none or it is not a number.
pub fn page_of(value: Option<String>) -> u32 {
    value.and_then(|v| v.trim().parse().ok()).filter(|n| *n >= 1).unwrap_or(1)
}

fn search_of(pairs: Vec<(&str, String)>) -> String {
    if pairs.is_empty() {
        return String::new();
    }
    let encoded: Vec<String> = pairs.into_iter().map(|(k, v)| format!("{k}={}", encode(&v))).collect();
    format!("?{}", encoded.join("&"))
}

fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b' ' => out.push('+'),
            b if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b',') => out.push(b as char),
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn params(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        move |k| map.get(k).cloned()
    }

    #[test]
    fn round_trips_through_the_url() {
        let q = from_params(params(&[
            ("status", "waiting_on_customer"),
            ("severity", "high"),
            ("q", " bounce rate "),
            ("sort", "severity"),
        ]));
        assert_eq!(q.status.as_deref(), Some("waiting_on_customer"));
        assert_eq!(q.severity, Some(Severity::High));
        assert_eq!(q.q.as_deref(), Some("bounce rate"));
        assert_eq!(to_search(&q), "?status=waiting_on_customer&severity=high&q=bounce+rate&sort=severity");
    }

    #[test]
    fn each_filter_reads_back_what_was_set() {
        let mut q = CaseListQuery::default();
        for (key, value) in [
            ("status", "resolved"),
            ("kind", "problem"),
            ("severity", "low"),
            ("q", "dkim"),
            ("escalated", "true"),
            ("mine", "true"),
            ("sort", "severity"),
        ] {
            assert_eq!(get(&q, key), "", "{key} starts unset");
            set(&mut q, key, value);
            assert_eq!(get(&q, key), value, "{key}");
        }
    }

    #[test]
    fn my_cases_stay_in_the_url_and_all_cases_leave_it_clean() {
        let mine = from_params(params(&[("mine", "true"), ("status", "new")]));
        assert_eq!(mine.mine, Some(true));
        assert_eq!(to_search(&mine), "?status=new&mine=true");
        for all in ["false", "", "yes"] {
            let q = from_params(params(&[("mine", all)]));
            assert_eq!(q.mine, None, "{all:?}");
            assert_eq!(to_search(&q), "");
        }
    }

    #[test]
    fn unknown_values_are_dropped() {
        let q = from_params(params(&[("status", "on_hold"), ("kind", "x"), ("q", "   ")]));
        assert_eq!(q, CaseListQuery::default());
        assert_eq!(to_search(&q), "");
    }

    #[test]
    fn the_page_number_follows_the_filters_and_page_one_is_left_out() {
        let q = from_params(params(&[("kind", "problem"), ("escalated", "true")]));
        assert_eq!(to_search_at(&q, 2), "?kind=problem&escalated=true&page=2");
        assert_eq!(to_search_at(&q, 1), "?kind=problem&escalated=true");
        assert_eq!(to_search_at(&CaseListQuery::default(), 3), "?page=3");
        assert_eq!(page_of(Some("2".into())), 2);
        for odd in [None, Some("0".into()), Some("-1".into()), Some("two".into())] {
            assert_eq!(page_of(odd), 1);
        }
    }

    #[test]
    fn search_text_is_encoded() {
        let q = CaseListQuery { q: Some("a&b=c#d".into()), ..Default::default() };
        assert_eq!(to_search(&q), "?q=a%26b%3Dc%23d");
    }
}
