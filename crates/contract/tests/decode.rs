//! Decoding answers the portal may meet from a newer or broken API.

use portal_contract::{Case, CaseDetail, CaseStatus, ErrorBody, Page};

#[test]
fn an_unknown_status_decodes_as_unknown() {
    let status: CaseStatus = serde_json::from_str("\"on_hold\"").expect("a string decodes");
    assert_eq!(status, CaseStatus::Unknown);
}

#[test]
fn a_case_round_trips_with_its_timeline() {
    let json = r#"{"id":"case_1","number":"CASE-1001","account_id":"acc_acme","kind":"problem",
        "topic":null,"severity":"high","subject":"<b>x</b>","description":"d","channel":"email",
        "requester":{"id":"usr_ada","name":"Ada","role":"customer"},"agent":null,
        "status":"in_progress","created_at":"2026-11-20T09:00:00Z","updated_at":"2026-11-20T10:00:00Z",
        "first_response_at":null,"escalated_at":null,
        "timeline":[{"id":"evt_1","kind":"brand_new_kind","author":{"id":"usr_alex","name":"Alex","role":"agent"},
        "body":"hi","created_at":"2026-11-20T10:00:00Z"}]}"#;
    let detail: CaseDetail = serde_json::from_str(json).expect("a valid case decodes");
    assert_eq!(detail.case.number, "CASE-1001");
    assert_eq!(detail.timeline.len(), 1);
    let again = serde_json::to_string(&detail).expect("encodes");
    let back: CaseDetail = serde_json::from_str(&again).expect("decodes again");
    assert_eq!(back, detail);
}

#[test]
fn missing_fields_and_wrong_types_are_errors_not_panics() {
    assert!(serde_json::from_str::<Page<Case>>(r#"{"data":[{"id":1}],"next_cursor":null}"#).is_err());
    assert!(serde_json::from_str::<Page<Case>>(r#"{"data":"nope"}"#).is_err());
    assert!(serde_json::from_str::<ErrorBody>("{").is_err());
}

#[test]
fn the_error_shape_matches_the_design() {
    let body = r#"{"error":{"type":"invalid_request","code":"validation_failed","message":"m",
        "request_id":"req_1","details":[{"param":"subject","message":"must not be empty"}]}}"#;
    let parsed: ErrorBody = serde_json::from_str(body).expect("the documented shape decodes");
    let details = parsed.error.details.expect("details present");
    assert_eq!(details[0].param, "subject");
}
