//! The OpenAPI document, generated from the handlers and the contract types. The checked-in
//! copy (`openapi.json`) is compared with this in a test, so it cannot go stale.
//!
//! What every operation shares (how callers authenticate, the error answers the extractors and
//! middleware give before a handler runs) is added here by rule, in one place, so a handler's
//! annotation lists only what is its own and no operation can forget a status the API answers.

use crate::routes;
use axum::Json;
use portal_contract::{CSRF_HEADER, MAX_LIMIT, SESSION_COOKIE, TUS_VERSION, limits};
use utoipa::openapi::path::{Operation, Parameter, ParameterBuilder, ParameterIn, PathItem};
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::schema::{KnownFormat, Object, ObjectBuilder, Schema, SchemaFormat, Type};
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
};
use utoipa::openapi::{Components, Content, Ref, RefOr, Required};
use utoipa::{Modify, Number, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(title = "Bird Premium Support Portal API", version = "1.0.0",
         description = "The JSON API behind the Bird Premium Support Portal. Errors share one shape; lists are cursor-paginated; creates accept an Idempotency-Key."),
    paths(
        routes::session::sign_in, routes::session::current, routes::session::sign_out, routes::session::token,
        routes::passwords::request_password_reset, routes::passwords::reset_password, routes::passwords::change_password,
        routes::config::config, routes::config::embedding, routes::health::health, document,
        routes::accounts::list, routes::accounts::overview, routes::accounts::tam, routes::tams::set_hours,
        routes::cases::list, routes::cases::index, routes::cases::create, routes::cases::detail, routes::cases::message, routes::cases::update,
        routes::transitions::propose, routes::transitions::confirm, routes::transitions::decline,
        routes::transitions::reopen, routes::transitions::rate, routes::transitions::escalate,
        routes::transitions::acknowledge, routes::worklist::needs_action, routes::worklist::worklist,
        routes::test_clock::advance, routes::demo_mailbox::mailbox, routes::outbox::status,
        routes::inbound::relay_webhook,
        routes::information_requests::raise, routes::information_requests::answer, routes::information_requests::waiting,
        routes::uploads::options, routes::uploads::create, routes::uploads::head, routes::uploads::status,
        routes::uploads::patch, routes::uploads::terminate, routes::attachments::download,
        routes::notification_settings::get, routes::notification_settings::put,
        routes::unsubscribe::page, routes::unsubscribe::unsubscribe,
        routes::members::list, routes::members::update, routes::members::remove,
        routes::invitations::create, routes::invitations::revoke, routes::invitations::preview,
        routes::invitations::accept,
        routes::participants::add, routes::participants::remove,
    ),
    // Types only a query parameter names: utoipa collects schemas from bodies, not from params.
    components(schemas(portal_contract::CaseSort)),
    modifiers(&Shared),
    tags((name = "session"), (name = "config"), (name = "accounts"), (name = "cases"), (name = "resolution"), (name = "worklist"), (name = "inbound"), (name = "email"),
         (name = "information requests"),
         (name = "notifications", description = "Which emails reach a person; the one-click unsubscribe of RFC 8058"),
         (name = "uploads", description = "tus 1.0.0: core, creation, checksum (sha1, sha256), termination, expiration"),
         (name = "testing", description = "Only on a server started with --test-clock, or for the demo (--demo)"))
)]
pub struct ApiDoc;

pub fn pretty() -> String {
    ApiDoc::openapi().to_pretty_json().unwrap_or_default() + "\n"
}

/// This document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "config",
    responses((status = 200, description = "The OpenAPI 3.1 document of this API", content_type = "application/json", body = Object)))]
pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

const COOKIE: &str = "session_cookie";
const BEARER: &str = "bearer_token";
const WEBHOOK: &str = "relay_webhook_token";

/// Operations anyone may call: signing in (and getting back in through a password reset link),
/// what a frame may ask before sign-in, a load balancer's health check, tus discovery, this
/// document, the demo's mailbox, the unsubscribe link of an email (its token is the credential:
/// a mail client posts it without a session), and an invitation's link (its token is the
/// credential of someone without a user). Everything not listed here or below needs a session
/// cookie or a token.
const PUBLIC: &[(&str, &str)] = &[
    ("post", "/api/v1/session"),
    ("post", "/api/v1/password-resets"),
    ("post", "/api/v1/password-resets/{token}"),
    ("get", "/api/v1/embedding"),
    ("get", "/api/v1/health"),
    ("options", "/api/v1/uploads"),
    ("get", "/api/v1/openapi.json"),
    ("get", "/api/v1/demo/mailbox"),
    ("get", "/api/v1/unsubscribe/{token}"),
    ("post", "/api/v1/unsubscribe/{token}"),
    ("get", "/api/v1/invitations/{token}"),
    ("post", "/api/v1/invitations/{token}/accept"),
];
/// A bearer token cannot mint another one: its 15 minutes would mean nothing; nor change the
/// password, which ends every credential but the session it is changed from.
const COOKIE_ONLY: &[(&str, &str)] = &[("post", "/api/v1/tokens"), ("put", "/api/v1/me/password")];
/// Bird's inbound relay signs in with its shared secret, not as a person.
const RELAY: &[(&str, &str)] = &[("post", "/api/v1/inbound/relay-webhook")];
/// The tus requests that must carry `Tus-Resumable: 1.0.0` (OPTIONS is how a client learns it).
const TUS_VERSIONED: &[(&str, &str)] = &[
    ("post", "/api/v1/uploads"),
    ("head", "/api/v1/uploads/{upload_id}"),
    ("patch", "/api/v1/uploads/{upload_id}"),
    ("delete", "/api/v1/uploads/{upload_id}"),
];
/// Rate limited: sign-in and what else checks a password (argon2 is the expensive part, and a
/// wrong one is a guess), reset emails, invitations, and opening cases.
const THROTTLED: &[(&str, &str)] = &[
    ("post", "/api/v1/session"),
    ("put", "/api/v1/me/password"),
    ("post", "/api/v1/password-resets"),
    ("post", "/api/v1/accounts/{account_id}/cases"),
    ("post", "/api/v1/accounts/{account_id}/invitations"),
    ("post", "/api/v1/invitations/{token}/accept"),
];

/// Every (method, path) the rules above name, so a test can check each still exists.
pub fn named_by_rules() -> impl Iterator<Item = (&'static str, &'static str)> {
    [PUBLIC, COOKIE_ONLY, RELAY, TUS_VERSIONED, THROTTLED].into_iter().flatten().copied()
}

/// The error answers operations share, as `#/components/responses/<name>`, each an `ErrorBody`.
const ERRORS: &[(&str, &str, &str)] = &[
    ("400", "BadRequest", "The body is not valid JSON, or a protocol header is missing or malformed"),
    ("401", "NotSignedIn", "No valid session cookie or bearer token"),
    (
        "403",
        "Forbidden",
        "Your role may not do this, or a write authenticated by the session cookie lacks X-Requested-With",
    ),
    ("404", "NotFound", "No such resource, or one you may not see"),
    ("409", "Conflict", "What the resource is now does not allow this"),
    ("410", "Gone", "The upload expired and its bytes were deleted"),
    ("412", "TusVersion", "Tus-Resumable is missing or not 1.0.0"),
    ("413", "TooLarge", "The body or the file is larger than this operation accepts"),
    ("415", "UnsupportedMediaType", "The body's Content-Type is not the one this operation takes"),
    ("422", "Invalid", "A field, header or query parameter is invalid; `details` names each field"),
    ("423", "Locked", "Another request is writing to this upload"),
    ("429", "TooManyRequests", "Too many requests; Retry-After says when to try again"),
    ("460", "ChecksumMismatch", "The chunk does not match its Upload-Checksum"),
];

/// What a text field of a request body must be, as `portal_contract::validation` checks it.
#[derive(Clone, Copy)]
enum Text {
    /// At least one character that is not white space.
    Required,
    Optional,
    /// Anything but empty (a password may be spaces).
    NotEmpty,
    /// A password a person sets: `PASSWORD_MIN` characters or more, not only white space.
    NewPassword,
}

/// The limits validation.rs enforces, told to clients, so a generated client can check before
/// it sends and a generated request can be valid: (schema, property, most characters, rule).
const TEXT_RULES: &[(&str, &str, usize, Text)] = &[
    ("Credentials", "email", limits::EMAIL_MAX, Text::Required),
    ("Credentials", "password", limits::PASSWORD_MAX, Text::NotEmpty),
    ("PasswordResetRequest", "email", limits::EMAIL_MAX, Text::Required),
    ("NewPassword", "password", limits::PASSWORD_MAX, Text::NewPassword),
    ("PasswordChange", "current_password", limits::PASSWORD_MAX, Text::NotEmpty),
    ("PasswordChange", "password", limits::PASSWORD_MAX, Text::NewPassword),
    ("NewCase", "subject", limits::SUBJECT_MAX, Text::Required),
    ("NewCase", "description", limits::DESCRIPTION_MAX, Text::Required),
    ("NewMessage", "body", limits::MESSAGE_MAX, Text::Required),
    ("NewResolution", "summary", limits::MESSAGE_MAX, Text::Required),
    ("Reason", "reason", limits::MESSAGE_MAX, Text::Required),
    ("NewRating", "comment", limits::MESSAGE_MAX, Text::Optional),
    ("NewInformationRequest", "title", limits::SUBJECT_MAX, Text::Required),
    ("NewInformationRequest", "description", limits::DESCRIPTION_MAX, Text::Required),
    ("NewInformationAnswer", "text", limits::MESSAGE_MAX, Text::Optional),
    ("NewInvitation", "email", limits::EMAIL_MAX, Text::Required),
    // A person who already has a user gives no name; someone new must (the handler says which).
    ("InvitationAcceptance", "name", limits::PERSON_NAME_MAX, Text::Optional),
    ("InvitationAcceptance", "password", limits::PASSWORD_MAX, Text::NotEmpty),
];

struct Shared;

impl Modify for Shared {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Components::new);
        add_security_schemes(components);
        document_validation(components);
        for (_, name, description) in ERRORS {
            components.responses.insert((*name).to_owned(), error_response(description).into());
        }
        openapi.security = Some(vec![SecurityRequirement::new(COOKIE, EMPTY), SecurityRequirement::new(BEARER, EMPTY)]);
        for (path, item) in openapi.paths.paths.iter_mut() {
            for (method, operation) in operations(item) {
                apply_rules(method, path, operation);
            }
        }
        unique_operation_ids(openapi);
    }
}

const EMPTY: [&str; 0] = [];

fn add_security_schemes(components: &mut Components) {
    let cookie = format!(
        "The session `POST /session` sets (named `__Host-{SESSION_COOKIE}` over HTTPS). Writes sent with it \
         must carry the `{CSRF_HEADER}` header."
    );
    components.add_security_scheme(
        COOKIE,
        SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(SESSION_COOKIE, &cookie))),
    );
    components.add_security_scheme(
        BEARER,
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .description(Some("A short-lived token from `POST /tokens`, for an embedding host"))
                .build(),
        ),
    );
    components.add_security_scheme(
        WEBHOOK,
        SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
            routes::inbound::TOKEN_HEADER,
            "The shared secret of Bird's inbound email relay (`--relay-token`)",
        ))),
    );
}

fn document_validation(components: &mut Components) {
    for (schema, property, max, rule) in TEXT_RULES {
        if let Some(text) = property_mut(components, schema, property) {
            text.max_length = Some(*max);
            match rule {
                Text::Required => {
                    text.min_length = Some(1);
                    text.pattern = Some(r"\S".to_owned());
                }
                Text::NotEmpty => text.min_length = Some(1),
                Text::NewPassword => {
                    text.min_length = Some(limits::PASSWORD_MIN);
                    text.pattern = Some(r"\S".to_owned());
                }
                Text::Optional => {}
            }
        }
    }
    if let Some(rating) = property_mut(components, "NewRating", "rating") {
        rating.minimum = Some(Number::UInt(1));
        rating.maximum = Some(Number::UInt(5));
    }
    if let Some(Schema::Array(files)) = property_schema_mut(components, "NewInformationAnswer", "attachment_ids") {
        files.max_items = Some(limits::ANSWER_FILES_MAX);
    }
}

fn property_schema_mut<'a>(components: &'a mut Components, schema: &str, property: &str) -> Option<&'a mut Schema> {
    let Some(RefOr::T(Schema::Object(object))) = components.schemas.get_mut(schema) else { return None };
    match object.properties.get_mut(property)? {
        RefOr::T(schema) => Some(schema),
        RefOr::Ref(_) => None,
    }
}

fn property_mut<'a>(components: &'a mut Components, schema: &str, property: &str) -> Option<&'a mut Object> {
    match property_schema_mut(components, schema, property)? {
        Schema::Object(object) => Some(object),
        _ => None,
    }
}

fn error_response(description: &str) -> Response {
    ResponseBuilder::new()
        .description(description)
        .content("application/json", Content::new(Some(Ref::from_schema_name("ErrorBody"))))
        .build()
}

fn operations(item: &mut PathItem) -> impl Iterator<Item = (&'static str, &mut Operation)> {
    [
        ("get", item.get.as_mut()),
        ("put", item.put.as_mut()),
        ("post", item.post.as_mut()),
        ("delete", item.delete.as_mut()),
        ("options", item.options.as_mut()),
        ("head", item.head.as_mut()),
        ("patch", item.patch.as_mut()),
    ]
    .into_iter()
    .filter_map(|(method, operation)| operation.map(|o| (method, o)))
}

fn listed(list: &[(&str, &str)], method: &str, path: &str) -> bool {
    list.iter().any(|(m, p)| *m == method && *p == path)
}

/// The statuses an operation answers before or besides its handler's own, by what it is.
fn apply_rules(method: &str, path: &str, operation: &mut Operation) {
    let mut statuses = Vec::new();
    let is = |list| listed(list, method, path);
    if is(PUBLIC) {
        operation.security = Some(Vec::new());
    } else if is(RELAY) {
        operation.security = Some(vec![SecurityRequirement::new(WEBHOOK, EMPTY)]);
        statuses.push("403");
    } else {
        if is(COOKIE_ONLY) {
            operation.security = Some(vec![SecurityRequirement::new(COOKIE, EMPTY)]);
        }
        statuses.push("401");
        if !matches!(method, "get" | "head" | "options") {
            statuses.push("403");
        }
    }
    if has_json_body(operation) {
        statuses.extend(["400", "413", "415", "422"]);
    }
    if has_parameter(operation, ParameterIn::Query) {
        statuses.push("422");
        bound_page_size(operation);
    }
    if path.contains("_id}") {
        statuses.push("404");
    }
    if is(TUS_VERSIONED) {
        statuses.extend(["400", "412"]);
        operation.parameters.get_or_insert_with(Vec::new).push(tus_resumable());
    }
    raw_bytes_as_binary(operation);
    if is(THROTTLED) {
        statuses.push("429");
    }
    document_errors(operation, &statuses);
}

/// Every list takes `limit` within 1..=MAX_LIMIT (pagination.rs) and refuses the rest.
fn bound_page_size(operation: &mut Operation) {
    for parameter in operation.parameters.iter_mut().flatten().filter(|p| p.name == "limit") {
        if let Some(RefOr::T(Schema::Object(limit))) = parameter.schema.as_mut() {
            limit.minimum = Some(Number::UInt(1));
            limit.maximum = Some(Number::UInt(MAX_LIMIT as usize));
        }
    }
}

fn has_json_body(operation: &Operation) -> bool {
    operation.request_body.as_ref().is_some_and(|body| body.content.contains_key("application/json"))
}

fn has_parameter(operation: &Operation, place: ParameterIn) -> bool {
    operation.parameters.iter().flatten().any(|p| p.parameter_in == place)
}

/// A body that is not JSON (a tus chunk) is bytes as they are; utoipa writes `Vec<u8>` as a
/// JSON array of integers, which is not what goes on the wire.
fn raw_bytes_as_binary(operation: &mut Operation) {
    let Some(body) = operation.request_body.as_mut() else { return };
    for (media_type, content) in body.content.iter_mut() {
        if media_type != "application/json" {
            content.schema = Some(ObjectBuilder::new().schema_type(Type::String).format(Some(binary())).into());
        }
    }
}

fn binary() -> SchemaFormat {
    SchemaFormat::KnownFormat(KnownFormat::Binary)
}

fn tus_resumable() -> Parameter {
    ParameterBuilder::new()
        .name("Tus-Resumable")
        .parameter_in(ParameterIn::Header)
        .required(Required::True)
        .description(Some("The tus protocol version the client speaks"))
        .schema(Some(ObjectBuilder::new().schema_type(Type::String).enum_values(Some([TUS_VERSION]))))
        .build()
}

/// Adds the shared answer for each status the operation does not document yet, and puts it in
/// place of a handler's error answer that says nothing (an `ErrorBody` without description).
fn document_errors(operation: &mut Operation, statuses: &[&str]) {
    let responses = &mut operation.responses.responses;
    for (status, name, _) in ERRORS {
        let says_nothing = match responses.get(*status) {
            None => statuses.contains(status),
            Some(RefOr::T(response)) => response.description.is_empty() && is_error_body(response),
            Some(RefOr::Ref(_)) => false,
        };
        if says_nothing {
            responses.insert((*status).to_owned(), RefOr::Ref(Ref::from_response_name(*name)));
        }
    }
}

fn is_error_body(response: &Response) -> bool {
    let error_body = Ref::from_schema_name("ErrorBody");
    response.content.values().all(|c| matches!(&c.schema, Some(RefOr::Ref(r)) if *r == error_body))
}

/// utoipa names an operation after its function, and `list` or `create` exist in several
/// modules; a generated client needs each name once, so a repeated one gains its tag.
fn unique_operation_ids(openapi: &mut utoipa::openapi::OpenApi) {
    let mut seen = std::collections::BTreeMap::<String, usize>::new();
    for item in openapi.paths.paths.values_mut() {
        for (_, operation) in operations(item) {
            *seen.entry(operation.operation_id.clone().unwrap_or_default()).or_default() += 1;
        }
    }
    for item in openapi.paths.paths.values_mut() {
        for (_, operation) in operations(item) {
            let id = operation.operation_id.clone().unwrap_or_default();
            if seen.get(&id).is_some_and(|n| *n > 1) {
                let tag = operation.tags.iter().flatten().next().cloned().unwrap_or_default();
                operation.operation_id = Some(format!("{}_{id}", tag.replace(' ', "_")));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use portal_contract::rules::CaseAction;
    use portal_contract::{
        AccountRole, BackendHealth, CaseKind, CaseSort, CaseStatus, Channel, ErrorType, EventKind,
        InformationRequestStatus, Language, Role, Severity, TamExclusion, TamService, Topic, Weekday,
    };
    use serde::Serialize;
    use serde::de::DeserializeOwned;
    use serde_json::Value;
    use std::collections::BTreeMap;

    fn document() -> Value {
        serde_json::to_value(ApiDoc::openapi()).expect("the document is JSON")
    }

    /// Every `(pointer, value)` pair of the document whose key is `key`.
    fn every(value: &Value, key: &str, at: String, out: &mut Vec<(String, Value)>) {
        match value {
            Value::Object(map) => {
                for (k, v) in map {
                    let here = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                    if k == key {
                        out.push((here.clone(), v.clone()));
                    }
                    every(v, key, here, out);
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    every(v, key, format!("{at}/{i}"), out);
                }
            }
            _ => {}
        }
    }

    fn found(key: &str) -> Vec<(String, Value)> {
        let mut out = Vec::new();
        every(&document(), key, String::new(), &mut out);
        out
    }

    #[test]
    fn every_reference_resolves() {
        let doc = document();
        let refs = found("$ref");
        assert!(refs.len() > 50, "the walk sees the document's references ({})", refs.len());
        for (at, target) in refs {
            let target = target.as_str().expect("a $ref is a string");
            let pointer = target.strip_prefix('#').expect("references stay inside the document");
            assert!(doc.pointer(pointer).is_some(), "{at} points at {target}, which does not exist");
        }
    }

    /// The wire strings of a contract enum, each decoded into its Rust value and encoded back.
    fn round_trips<T: DeserializeOwned + Serialize + PartialEq>(documented: &[Value]) -> Result<(), String> {
        let unknown: T = serde_json::from_value(Value::from("unknown")).map_err(|e| e.to_string())?;
        for value in documented {
            let decoded: T = serde_json::from_value(value.clone()).map_err(|e| format!("{value}: {e}"))?;
            if decoded == unknown {
                return Err(format!("{value} decodes to Unknown"));
            }
            let encoded = serde_json::to_value(&decoded).map_err(|e| e.to_string())?;
            if &encoded != value {
                return Err(format!("{value} comes back as {encoded}"));
            }
        }
        Ok(())
    }

    fn known<T: Copy + Serialize>(all: &[T]) -> Vec<Value> {
        all.iter().map(|v| serde_json::to_value(v).expect("encodes")).collect()
    }

    type Check = (fn(&[Value]) -> Result<(), String>, Vec<Value>);

    /// Every enum of the contract: how to check a documented value, and all its known values.
    fn enums() -> BTreeMap<&'static str, Check> {
        BTreeMap::from([
            ("AccountRole", (round_trips::<AccountRole> as fn(&[Value]) -> _, known(AccountRole::ALL))),
            ("BackendHealth", (round_trips::<BackendHealth>, known(BackendHealth::ALL))),
            ("CaseKind", (round_trips::<CaseKind>, known(CaseKind::ALL))),
            ("CaseSort", (round_trips::<CaseSort>, known(CaseSort::ALL))),
            ("CaseStatus", (round_trips::<CaseStatus>, known(CaseStatus::ALL))),
            ("CaseAction", (round_trips::<CaseAction>, known(CaseAction::ALL))),
            ("Channel", (round_trips::<Channel>, known(Channel::ALL))),
            ("ErrorType", (round_trips::<ErrorType>, known(ErrorType::ALL))),
            ("EventKind", (round_trips::<EventKind>, known(EventKind::ALL))),
            (
                "InformationRequestStatus",
                (round_trips::<InformationRequestStatus>, known(InformationRequestStatus::ALL)),
            ),
            ("Language", (round_trips::<Language>, known(Language::ALL))),
            ("Role", (round_trips::<Role>, known(Role::ALL))),
            ("Severity", (round_trips::<Severity>, known(Severity::ALL))),
            ("TamExclusion", (round_trips::<TamExclusion>, known(TamExclusion::ALL))),
            ("TamService", (round_trips::<TamService>, known(TamService::ALL))),
            ("Topic", (round_trips::<Topic>, known(Topic::ALL))),
            ("Weekday", (round_trips::<Weekday>, known(Weekday::ALL))),
        ])
    }

    #[test]
    fn every_enum_is_documented_as_the_wire_spells_it() {
        let enums = enums();
        let mut checked = 0;
        for (at, values) in found("enum") {
            let values = values.as_array().expect("an enum is a list").clone();
            if let Some(name) = at.strip_prefix("/components/schemas/").and_then(|rest| rest.strip_suffix("/enum")) {
                let (round_trip, all) = enums.get(name).unwrap_or_else(|| panic!("{name}: add it to enums()"));
                round_trip(&values).unwrap_or_else(|why| panic!("{name}: {why}"));
                assert_eq!(&values, all, "{name} documents exactly its known values");
                checked += 1;
            } else {
                // The only inline enum: the tus version a request must name.
                assert_eq!(values, [Value::from(TUS_VERSION)], "{at}");
            }
        }
        assert!(checked >= 10, "the walk sees the contract's enums ({checked})");
    }

    #[test]
    fn operation_ids_are_unique() {
        let ids: Vec<String> =
            found("operationId").into_iter().map(|(_, id)| id.as_str().unwrap_or_default().to_owned()).collect();
        let unique: std::collections::BTreeSet<&String> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len(), "{ids:?}");
    }

    #[test]
    fn every_validated_text_field_documents_its_limit() {
        let doc = document();
        for (schema, property, max, _) in TEXT_RULES {
            let field = &doc["components"]["schemas"][schema]["properties"][property];
            assert_eq!(field["maxLength"], Value::from(*max), "{schema}.{property}: {field}");
        }
        assert_eq!(doc["components"]["schemas"]["NewRating"]["properties"]["rating"]["maximum"], 5);
        let limits: Vec<(String, Value)> = found("parameters")
            .into_iter()
            .flat_map(|(at, list)| {
                list.as_array().cloned().unwrap_or_default().into_iter().map(move |p| (at.clone(), p))
            })
            .filter(|(_, p)| p["name"] == "limit")
            .collect();
        assert!(limits.len() >= 2, "the lists take a limit");
        for (at, limit) in limits {
            assert_eq!(
                (&limit["schema"]["minimum"], &limit["schema"]["maximum"]),
                (&Value::from(1), &Value::from(MAX_LIMIT)),
                "{at}"
            );
        }
    }

    #[test]
    fn every_operation_the_rules_name_exists() {
        let doc = document();
        for (method, path) in named_by_rules() {
            let pointer = format!("/paths/{}/{method}", path.replace('/', "~1"));
            assert!(doc.pointer(&pointer).is_some(), "{method} {path} is named by a rule but not in the document");
        }
    }
}
