//! The first answer Bird promises: a support agent answers a case within its severity's target
//! (`TARGETS`, also what `GET /config` publishes). While none has, the case says when the
//! answer is due and, by the server's clock, whether it is overdue.

use chrono::{DateTime, Duration, Utc};
use portal_contract::{
    AT_RISK_WITHIN_MINUTES, Case, CaseDetail, CaseStatus, NeedsAction, Page, ProposedResolution, Severity, Worklist,
};

/// First-response targets per severity, in minutes.
pub const TARGETS: [(Severity, u32); 4] =
    [(Severity::Critical, 60), (Severity::High, 4 * 60), (Severity::Normal, 8 * 60), (Severity::Low, 2 * 8 * 60)];

pub fn target_minutes(severity: Severity) -> Option<u32> {
    TARGETS.iter().find(|(s, _)| *s == severity).map(|(_, minutes)| *minutes)
}

/// When the first agent answer is due: while none came and the case is not resolved.
pub fn due(case: &Case) -> Option<DateTime<Utc>> {
    due_of(case.first_response_at.is_some(), case.status, case.severity, case.created_at)
}

/// `due` from the parts of a case it depends on (the case index has no `Case`).
pub fn due_of(
    answered: bool,
    status: CaseStatus,
    severity: Severity,
    created_at: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    if answered || !status.is_open() {
        return None;
    }
    target_minutes(severity).map(|minutes| created_at + Duration::minutes(i64::from(minutes)))
}

/// A case waiting for its first answer is at risk when its target has passed or passes within
/// this of now.
pub const AT_RISK: Duration = Duration::minutes(AT_RISK_WITHIN_MINUTES);

/// `c.severity`'s target as an SQL expression over `cases c`, built from `TARGETS` so a query
/// that orders by due time agrees with `due`.
pub fn target_minutes_sql() -> String {
    let arms: Vec<String> =
        TARGETS.iter().map(|(severity, minutes)| format!("WHEN '{}' THEN {minutes}", severity.as_str())).collect();
    format!("(CASE c.severity {} END)", arms.join(" "))
}

/// What an answer says about cases as of `now`: `overdue` is the only part of a case that
/// changes by the clock alone, so it is set last, where the answer is made.
pub trait Overdue {
    fn with_overdue(self, now: DateTime<Utc>) -> Self;
}

impl Overdue for Case {
    fn with_overdue(mut self, now: DateTime<Utc>) -> Self {
        self.overdue = self.first_response_due_at.is_some_and(|due| due <= now);
        self
    }
}

impl Overdue for CaseDetail {
    fn with_overdue(mut self, now: DateTime<Utc>) -> Self {
        self.case = self.case.with_overdue(now);
        self
    }
}

impl Overdue for Page<Case> {
    fn with_overdue(mut self, now: DateTime<Utc>) -> Self {
        self.data = self.data.into_iter().map(|c| c.with_overdue(now)).collect();
        self
    }
}

impl Overdue for NeedsAction {
    fn with_overdue(mut self, now: DateTime<Utc>) -> Self {
        self.resolutions =
            self.resolutions.into_iter().map(|p| ProposedResolution { case: p.case.with_overdue(now), ..p }).collect();
        self
    }
}

impl Overdue for Worklist {
    fn with_overdue(self, now: DateTime<Utc>) -> Self {
        Worklist {
            escalations: self.escalations.into_iter().map(|c| c.with_overdue(now)).collect(),
            at_risk: self.at_risk.into_iter().map(|c| c.with_overdue(now)).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_severity_has_a_target_and_the_sql_names_each() {
        let sql = target_minutes_sql();
        for severity in Severity::ALL.iter().copied() {
            let minutes = target_minutes(severity).expect("a target");
            assert!(sql.contains(&format!("WHEN '{}' THEN {minutes}", severity.as_str())), "{sql}");
        }
        assert_eq!(target_minutes(Severity::Unknown), None);
    }
}
