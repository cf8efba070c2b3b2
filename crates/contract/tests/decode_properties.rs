//! Property tests over decoding every answer the portal reads: arbitrary JSON, and valid
//! answers mutated (fields dropped, values replaced, enums renamed, arrays blown up). Decoding
//! never panics; an unknown enum value reads as `Unknown`; anything else broken is an error the
//! portal reports as retryable (`ApiError::Decode`).

mod answers;

use answers::each_answer;
use portal_contract::*;
use proptest::prelude::*;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// Field names of the contract, so generated objects reach deep into the decoders.
const KEYS: &[&str] = &[
    "id",
    "number",
    "account_id",
    "kind",
    "topic",
    "severity",
    "subject",
    "description",
    "channel",
    "requester",
    "agent",
    "status",
    "created_at",
    "updated_at",
    "first_response_at",
    "escalated_at",
    "escalation_acknowledged_at",
    "escalation_acknowledged_by",
    "first_response_due_at",
    "overdue",
    "follow_up_of",
    "escalated",
    "complete",
    "timeline",
    "resolution",
    "satisfaction",
    "reopen_until",
    "information_requests",
    "attachments",
    "data",
    "next_cursor",
    "name",
    "role",
    "user",
    "accounts",
    "error",
    "type",
    "code",
    "message",
    "request_id",
    "details",
    "param",
    "answer",
    "text",
    "file_name",
    "size",
    "sha256",
    "offset",
    "length",
    "attachment",
    "counts",
    "tam",
    "body",
    "author",
];

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(|f| json!(f)),
        ".{0,12}".prop_map(Value::String),
        Just(json!("2026-11-25T09:00:00Z")),
        Just(json!("in_progress")),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..10)
                .prop_map(|pairs| Value::Object(pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())),
        ]
    })
}

/// Decodes `value` as every answer type the portal reads; only a panic would fail.
fn decode_all(value: &Value) {
    fn one<T: DeserializeOwned>(value: &Value) {
        let _ = serde_json::from_value::<T>(value.clone());
        let _ = serde_json::from_str::<T>(&value.to_string());
    }
    each_answer!(one, value);
}

/// A complete, valid case detail with one of everything.
fn valid_detail() -> Value {
    let person = json!({"id": "usr_ada", "name": "Ada", "role": "customer"});
    let attachment = json!({"id": "att_1", "case_id": "case_1", "information_request_id": "ir_1", "file_name": "a.log",
        "media_type": "text/plain", "size": 3, "sha256": "ab", "uploaded_by": person, "uploaded_at": "2026-11-20T10:00:00Z"});
    json!({
        "id": "case_1", "number": "CASE-1", "account_id": "acc_acme", "kind": "problem", "topic": "other",
        "severity": "high", "subject": "s", "description": "d", "channel": "portal", "requester": person,
        "agent": person, "status": "waiting_on_customer", "created_at": "2026-11-20T09:00:00Z",
        "updated_at": "2026-11-20T10:00:00Z", "first_response_at": null, "escalated_at": null,
        "escalation_acknowledged_at": null, "escalation_acknowledged_by": null, "first_response_due_at": null,
        "overdue": false, "follow_up_of": null,
        "timeline": [{"id": "evt_1", "kind": "information_request_answered", "author": person, "body": "b",
                      "status": null, "created_at": "2026-11-20T10:00:00Z", "attachments": [attachment],
                      "information_request_id": "ir_1"}],
        "resolution": null, "satisfaction": null, "reopen_until": null,
        "information_requests": [{"id": "ir_1", "case_id": "case_1", "title": "Logs", "description": "d",
            "files_expected": true, "status": "answered", "raised_by": person, "created_at": "2026-11-20T09:30:00Z",
            "answer": {"text": "t", "attachments": [attachment], "answered_by": person, "answered_at": "2026-11-20T10:00:00Z"}}],
        "attachments": [attachment],
        "participants": [{"id": "usr_grace", "name": "Grace", "added_by": person, "added_at": "2026-11-20T10:00:00Z"}]
    })
}

/// Every path to a value inside `value`.
fn paths(value: &Value, prefix: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let p = format!("{prefix}/{k}");
                out.push(p.clone());
                paths(v, p, out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let p = format!("{prefix}/{i}");
                out.push(p.clone());
                paths(v, p, out);
            }
        }
        _ => {}
    }
}

const ENUM_FIELDS: &[&str] = &["kind", "topic", "severity", "channel", "role", "status"];

proptest! {
    #![proptest_config(ProptestConfig { cases: 2_000, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_json_never_panics_a_decoder(value in arb_json()) {
        decode_all(&value);
    }

    #[test]
    fn arbitrary_text_never_panics_a_decoder(text in ".{0,200}") {
        let _ = serde_json::from_str::<CaseDetail>(&text);
        let _ = serde_json::from_str::<Page<Case>>(&text);
        let _ = serde_json::from_str::<ErrorBody>(&text);
    }

    #[test]
    fn a_valid_answer_with_one_value_replaced_decodes_or_errors(pick in any::<prop::sample::Index>(), replacement in arb_json()) {
        let mut detail = valid_detail();
        let mut all = Vec::new();
        paths(&detail, String::new(), &mut all);
        let path = pick.get(&all).clone();
        if let Some(slot) = detail.pointer_mut(&path) {
            *slot = replacement;
        }
        decode_all(&detail);
    }

    #[test]
    fn a_valid_answer_with_a_field_dropped_decodes_or_errors(pick in any::<prop::sample::Index>()) {
        let mut detail = valid_detail();
        let mut all = Vec::new();
        paths(&detail, String::new(), &mut all);
        let path = pick.get(&all).clone();
        let (parent, key) = path.rsplit_once('/').unwrap_or(("", &path));
        if let Some(Value::Object(map)) = detail.pointer_mut(parent) {
            map.remove(key);
        }
        decode_all(&detail);
    }

    #[test]
    fn an_enum_value_from_a_newer_api_reads_as_unknown(pick in any::<prop::sample::Index>(), name in "[a-z_]{3,16}") {
        let original = valid_detail();
        let mut all = Vec::new();
        paths(&original, String::new(), &mut all);
        let enums: Vec<&String> = all.iter().filter(|p| ENUM_FIELDS.iter().any(|f| p.ends_with(&format!("/{f}")))
            && original.pointer(p).is_some_and(Value::is_string)).collect();
        let path = pick.get(&enums).to_string();
        let mut detail = original.clone();
        *detail.pointer_mut(&path).expect("the picked path") = json!(format!("zz_{name}"));
        let decoded = serde_json::from_value::<CaseDetail>(detail);
        prop_assert!(decoded.is_ok(), "an unknown value at {} must still decode: {:?}", path, decoded.err());
        // Read back through the types: the new value became `Unknown` (the only variant written
        // "unknown"), and every other value is still the variant it names.
        let mut expected = original;
        *expected.pointer_mut(&path).expect("the picked path") = json!("unknown");
        let read = serde_json::to_value(decoded.expect("decoded")).expect("encodes");
        prop_assert_eq!(read.pointer(&path), Some(&json!("unknown")), "at {}", path);
        prop_assert_eq!(read, expected, "at {}", path);
    }
}

#[test]
fn a_huge_list_decodes_without_trouble() {
    let case = {
        let mut d = valid_detail();
        if let Value::Object(map) = &mut d {
            for k in ["timeline", "resolution", "satisfaction", "reopen_until", "information_requests", "attachments"] {
                map.remove(k);
            }
        }
        d
    };
    let page = json!({"data": vec![case; 50_000], "next_cursor": null});
    let decoded: Page<Case> = serde_json::from_value(page).expect("a big valid page decodes");
    assert_eq!(decoded.data.len(), 50_000);
    let nested = "[".repeat(10_000) + &"]".repeat(10_000);
    assert!(serde_json::from_str::<Page<Case>>(&nested).is_err(), "deep nesting is refused, not a stack overflow");
}

/// Each known wire value decodes to its variant and no other; anything else to `Unknown`.
fn reads<T>(known: &[(&str, T)], unknown: T)
where
    T: DeserializeOwned + serde::Serialize + PartialEq + std::fmt::Debug + Copy,
{
    for (wire, variant) in known {
        assert_eq!(serde_json::from_value::<T>(json!(wire)).expect("a known value decodes"), *variant, "{wire}");
        assert_ne!(*variant, unknown, "{wire}");
        assert_eq!(serde_json::to_value(variant).expect("encodes"), json!(wire));
    }
    for newer in ["zz_from_a_newer_api", "on_hold", "Problem", ""] {
        assert_eq!(serde_json::from_value::<T>(json!(newer)).expect("an unknown value decodes"), unknown, "{newer:?}");
    }
}

#[test]
fn every_enum_of_a_case_reads_its_known_values_as_their_variants_and_others_as_unknown() {
    use CaseStatus as S;
    use EventKind as E;
    reads(
        &[
            ("problem", CaseKind::Problem),
            ("configuration_request", CaseKind::ConfigurationRequest),
            ("information_request", CaseKind::InformationRequest),
        ],
        CaseKind::Unknown,
    );
    reads(
        &[
            ("migration_planning", Topic::MigrationPlanning),
            ("mailbox_provider_mediation", Topic::MailboxProviderMediation),
            ("other", Topic::Other),
        ],
        Topic::Unknown,
    );
    reads(
        &[
            ("critical", Severity::Critical),
            ("high", Severity::High),
            ("normal", Severity::Normal),
            ("low", Severity::Low),
        ],
        Severity::Unknown,
    );
    reads(&[("portal", Channel::Portal), ("email", Channel::Email)], Channel::Unknown);
    reads(&[("customer", Role::Customer), ("tam", Role::Tam), ("agent", Role::Agent)], Role::Unknown);
    reads(
        &[
            ("new", S::New),
            ("in_progress", S::InProgress),
            ("waiting_on_customer", S::WaitingOnCustomer),
            ("resolution_proposed", S::ResolutionProposed),
            ("resolved", S::Resolved),
        ],
        S::Unknown,
    );
    reads(
        &[
            ("message", E::Message),
            ("progress_update", E::ProgressUpdate),
            ("status_changed", E::StatusChanged),
            ("information_request_raised", E::InformationRequestRaised),
            ("information_request_answered", E::InformationRequestAnswered),
            ("attachment_added", E::AttachmentAdded),
            ("escalation", E::Escalation),
            ("resolution_proposed", E::ResolutionProposed),
            ("resolution_confirmed", E::ResolutionConfirmed),
            ("resolution_declined", E::ResolutionDeclined),
            ("reopened", E::Reopened),
        ],
        E::Unknown,
    );
    reads(
        &[
            ("open", InformationRequestStatus::Open),
            ("answered", InformationRequestStatus::Answered),
            ("withdrawn", InformationRequestStatus::Withdrawn),
        ],
        InformationRequestStatus::Unknown,
    );
}
