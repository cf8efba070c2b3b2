//! Which of a case's items wait on a person, and the list after a case changed.

use chrono::{DateTime, Utc};
use portal_contract::rules::{self, CaseAction};
use portal_contract::{CaseDetail, InformationRequestStatus, NeedsAction, ProposedResolution, Role, WaitingRequest};

/// What on one case waits on `role` at `now`, by the rules the API applies: the open requests
/// the person may answer, and the proposal the person may confirm.
pub fn of_case(detail: &CaseDetail, role: Role, now: DateTime<Utc>) -> NeedsAction {
    let answers = rules::check_answer_request(role, detail.case.status, true).is_ok();
    let information_requests = detail
        .information_requests
        .iter()
        .filter(|r| answers && r.status == InformationRequestStatus::Open)
        .map(|r| WaitingRequest {
            request: r.clone(),
            case_number: detail.case.number.clone(),
            case_subject: detail.case.subject.clone(),
        })
        .collect();
    let confirms = rules::check(CaseAction::ConfirmResolution, role, detail.rule_state(now)).is_ok();
    let resolutions = detail
        .resolution
        .iter()
        .filter(|_| confirms)
        .map(|r| ProposedResolution { case: detail.case.clone(), resolution: r.clone() })
        .collect();
    NeedsAction { information_requests, resolutions }
}

/// The list once `detail` changed (the person acted on it): that case's items are what waits
/// on the case now, and the list keeps its oldest-first order.
pub fn with_case(mut needs: NeedsAction, detail: &CaseDetail, role: Role, now: DateTime<Utc>) -> NeedsAction {
    let id = &detail.case.id;
    needs.information_requests.retain(|w| &w.request.case_id != id);
    needs.resolutions.retain(|p| &p.case.id != id);
    let fresh = of_case(detail, role, now);
    needs.information_requests.extend(fresh.information_requests);
    needs.resolutions.extend(fresh.resolutions);
    needs.information_requests.sort_by_key(|w| w.request.created_at);
    needs.resolutions.sort_by_key(|p| p.resolution.proposed_at);
    needs
}

#[cfg(test)]
mod tests {
    use super::*;
    use portal_contract::CaseStatus;
    use serde_json::json;

    fn person(id: &str, role: &str) -> serde_json::Value {
        json!({ "id": id, "name": id, "role": role })
    }

    fn detail(id: &str, status: &str, requests: &[(&str, &str, &str)], proposed_by: Option<&str>) -> CaseDetail {
        let requests: Vec<_> = requests
            .iter()
            .map(|(rid, state, at)| {
                json!({
                    "id": rid, "case_id": id, "title": "Logs", "description": "Send the logs.",
                    "files_expected": true, "status": state, "raised_by": person("usr_alex", "agent"),
                    "created_at": at,
                })
            })
            .collect();
        let resolution = proposed_by.map(|role| {
            json!({ "summary": "Fixed.", "proposed_by": person("usr_p", role), "proposed_at": "2026-01-02T00:00:00Z" })
        });
        serde_json::from_value(json!({
            "id": id, "number": format!("CASE-{id}"), "account_id": "acc_acme", "kind": "problem",
            "severity": "high", "subject": "Bounces", "description": "d", "channel": "portal",
            "requester": person("usr_ada", "customer"), "status": status,
            "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z",
            "timeline": [], "resolution": resolution, "information_requests": requests,
        }))
        .expect("a valid case")
    }

    fn now() -> DateTime<Utc> {
        "2026-01-03T00:00:00Z".parse().expect("a date")
    }

    #[test]
    fn the_customer_is_asked_for_open_requests_and_a_proposal_from_bird() {
        let waiting = detail(
            "1",
            "waiting_on_customer",
            &[("r1", "open", "2026-01-01T00:00:00Z"), ("r2", "answered", "2026-01-01T00:00:00Z")],
            None,
        );
        let needs = of_case(&waiting, Role::Customer, now());
        assert_eq!(needs.information_requests.iter().map(|w| w.request.id.0.as_str()).collect::<Vec<_>>(), ["r1"]);
        assert_eq!(needs.information_requests[0].case_number, "CASE-1");
        assert!(needs.resolutions.is_empty());

        let proposed = detail("2", "resolution_proposed", &[], Some("agent"));
        assert_eq!(of_case(&proposed, Role::Customer, now()).resolutions.len(), 1);
    }

    #[test]
    fn nothing_waits_on_bird_here_nor_on_the_side_that_proposed() {
        let waiting = detail("1", "waiting_on_customer", &[("r1", "open", "2026-01-01T00:00:00Z")], None);
        assert!(of_case(&waiting, Role::Tam, now()).is_empty());
        assert!(of_case(&waiting, Role::Agent, now()).is_empty());
        let own = detail("2", "resolution_proposed", &[], Some("customer"));
        assert!(of_case(&own, Role::Customer, now()).is_empty());
        let tam = detail("3", "resolution_proposed", &[], Some("agent"));
        assert!(of_case(&tam, Role::Tam, now()).is_empty());
    }

    #[test]
    fn an_answered_or_confirmed_case_leaves_the_list_and_the_others_stay_in_order() {
        let one = detail("1", "waiting_on_customer", &[("r1", "open", "2026-01-01T02:00:00Z")], None);
        let two = detail("2", "waiting_on_customer", &[("r2", "open", "2026-01-01T01:00:00Z")], None);
        let three = detail("3", "resolution_proposed", &[], Some("agent"));
        let mut needs = NeedsAction::default();
        for d in [&one, &two, &three] {
            needs = with_case(needs, d, Role::Customer, now());
        }
        let order: Vec<_> = needs.information_requests.iter().map(|w| w.request.id.0.clone()).collect();
        assert_eq!(order, ["r2", "r1"], "oldest request first");
        assert_eq!(needs.len(), 3);

        let answered = detail("1", "in_progress", &[("r1", "answered", "2026-01-01T02:00:00Z")], None);
        needs = with_case(needs, &answered, Role::Customer, now());
        let mut confirmed = three.clone();
        confirmed.case.status = CaseStatus::Resolved;
        needs = with_case(needs, &confirmed, Role::Customer, now());
        assert_eq!(needs.information_requests.len(), 1);
        assert_eq!(needs.information_requests[0].request.id.0, "r2");
        assert!(needs.resolutions.is_empty());
    }
}
