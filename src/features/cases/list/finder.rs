//! Filtering the account's cases in the page as the person types. The case index (every case
//! as a summary) is read once; each keystroke then scans it in memory, so the rows follow the
//! typing without a request. The matching is the server's search minus descriptions: the
//! number or the subject contains the text, ignoring the case of ASCII letters as SQLite's
//! `lower()` and `LIKE` do (full Unicode case folding would also cost the wasm its tables,
//! about 15 KB), with the list's filters.

use portal_contract::{CaseListQuery, CaseSort, CaseSummary};
use std::cmp::Reverse;

/// The account's cases, ready to be filtered: lower-cased text and the three orders are
/// prepared once, so a keystroke costs one pass and no sort.
#[derive(Debug)]
pub struct CaseFinder {
    cases: Vec<CaseSummary>,
    /// ASCII-lower-cased `number \0 subject` of each case; the separator cannot be typed, so a
    /// match never spans the two.
    text: Vec<String>,
    by_updated: Vec<u32>,
    by_created: Vec<u32>,
    by_severity: Vec<u32>,
}

/// What a keystroke finds: how many cases match, and the first of them in the list's order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Found {
    pub total: usize,
    pub rows: Vec<CaseSummary>,
}

impl CaseFinder {
    pub fn new(cases: Vec<CaseSummary>) -> Self {
        let text = cases.iter().map(|c| format!("{}\0{}", c.number, c.subject).to_ascii_lowercase()).collect();
        let order = |key: &dyn Fn(&CaseSummary, &CaseSummary) -> std::cmp::Ordering| {
            let mut order: Vec<u32> = (0..cases.len() as u32).collect();
            order.sort_by(|a, b| key(&cases[*a as usize], &cases[*b as usize]));
            order
        };
        let by_updated =
            order(&|a, b| (Reverse(a.updated_at), Reverse(&a.id.0)).cmp(&(Reverse(b.updated_at), Reverse(&b.id.0))));
        let by_created =
            order(&|a, b| (Reverse(a.created_at), Reverse(&a.id.0)).cmp(&(Reverse(b.created_at), Reverse(&b.id.0))));
        let by_severity = order(&|a, b| {
            (a.severity.rank(), Reverse(a.updated_at), Reverse(&a.id.0)).cmp(&(
                b.severity.rank(),
                Reverse(b.updated_at),
                Reverse(&b.id.0),
            ))
        });
        CaseFinder { cases, text, by_updated, by_created, by_severity }
    }

    pub fn len(&self) -> usize {
        self.cases.len()
    }

    /// The cases whose number or subject contains `text` and that pass the list's filters, in
    /// the list's order: all of them counted, the first `limit` returned.
    pub fn find(&self, text: &str, query: &CaseListQuery, limit: usize) -> Found {
        let needle = text.trim().to_ascii_lowercase();
        let statuses = query.statuses();
        let order = match query.sort {
            Some(CaseSort::CreatedDesc) => &self.by_created,
            Some(CaseSort::Severity) => &self.by_severity,
            _ => &self.by_updated,
        };
        let passes = |case: &CaseSummary| {
            (statuses.is_empty() || statuses.contains(&case.status))
                && query.kind.is_none_or(|k| k == case.kind)
                && query.severity.is_none_or(|s| s == case.severity)
                && query.escalated.is_none_or(|e| e == case.escalated)
        };
        let mut found = Found::default();
        for &i in order {
            let i = i as usize;
            let case = &self.cases[i];
            if passes(case) && (needle.is_empty() || self.text[i].contains(&needle)) {
                found.total += 1;
                if found.rows.len() < limit {
                    found.rows.push(case.clone());
                }
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use portal_contract::{CaseId, CaseKind, CaseStatus, Channel, Severity};

    fn case(n: u32, subject: &str, severity: Severity, status: CaseStatus, minutes: i64) -> CaseSummary {
        let at = Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).single().unwrap_or_default()
            + chrono::Duration::minutes(minutes);
        CaseSummary {
            id: CaseId(format!("case_{n:04}")),
            number: format!("CASE-{n}"),
            kind: CaseKind::Problem,
            severity,
            subject: subject.to_owned(),
            channel: Channel::Portal,
            status,
            agent: None,
            created_at: at - chrono::Duration::minutes(i64::from(n)),
            updated_at: at,
            escalated: n.is_multiple_of(2),
            overdue: false,
        }
    }

    fn finder() -> CaseFinder {
        CaseFinder::new(vec![
            case(1001, "Gmail deferrals from our pool", Severity::Low, CaseStatus::New, 10),
            case(1002, "DKIM key rotation", Severity::Critical, CaseStatus::Resolved, 30),
            case(1003, "Bounces at GMAIL and Outlook", Severity::High, CaseStatus::InProgress, 20),
            case(1010, "Webhook retries", Severity::Normal, CaseStatus::New, 40),
        ])
    }

    fn numbers(found: &Found) -> Vec<&str> {
        found.rows.iter().map(|c| c.number.as_str()).collect()
    }

    #[test]
    fn text_matches_number_or_subject_ignoring_case() {
        let f = finder();
        let q = CaseListQuery::default();
        assert_eq!(numbers(&f.find("gmail", &q, 25)), ["CASE-1003", "CASE-1001"]);
        assert_eq!(numbers(&f.find("  case-100 ", &q, 25)), ["CASE-1002", "CASE-1003", "CASE-1001"]);
        assert_eq!(numbers(&f.find("1010", &q, 25)), ["CASE-1010"]);
        assert_eq!(f.find("1002dkim", &q, 25).total, 0, "a match never spans number and subject");
        assert_eq!(f.find("", &q, 25).total, 4);
    }

    #[test]
    fn the_lists_filters_and_order_apply() {
        let f = finder();
        let open = CaseListQuery { status: Some("new,in_progress".into()), ..Default::default() };
        assert_eq!(numbers(&f.find("", &open, 25)), ["CASE-1010", "CASE-1003", "CASE-1001"]);
        let severe = CaseListQuery { sort: Some(CaseSort::Severity), ..Default::default() };
        assert_eq!(numbers(&f.find("", &severe, 25)), ["CASE-1002", "CASE-1003", "CASE-1010", "CASE-1001"]);
        let created = CaseListQuery { sort: Some(CaseSort::CreatedDesc), ..Default::default() };
        assert_eq!(numbers(&f.find("", &created, 25)), ["CASE-1010", "CASE-1002", "CASE-1003", "CASE-1001"]);
        let escalated = CaseListQuery { escalated: Some(true), severity: Some(Severity::Normal), ..Default::default() };
        assert_eq!(numbers(&f.find("", &escalated, 25)), ["CASE-1010"]);
    }

    #[test]
    fn every_match_is_counted_and_the_first_ones_returned() {
        let cases: Vec<CaseSummary> = (0..10_000)
            .map(|n| case(n, &format!("Subject {n}"), Severity::Low, CaseStatus::New, i64::from(n)))
            .collect();
        let f = CaseFinder::new(cases);
        let found = f.find("subject 1", &CaseListQuery::default(), 25);
        assert_eq!(found.total, 1_111, "1, 10–19, 100–199, 1000–1999");
        assert_eq!(found.rows.len(), 25);
        assert_eq!(found.rows[0].number, "CASE-1999", "most recently updated first");
    }
}
