//! The OpenAPI document, generated from the handlers and the contract types. The checked-in
//! copy (`openapi.json`) is compared with this in a test, so it cannot go stale.

use crate::routes;
use axum::Json;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(title = "Bird Premium Support Portal API", version = "1.0.0",
         description = "The JSON API behind the Bird Premium Support Portal. Errors share one shape; lists are cursor-paginated; creates accept an Idempotency-Key."),
    paths(
        routes::session::sign_in, routes::session::current, routes::session::sign_out, routes::session::token,
        routes::config::config, routes::config::embedding,
        routes::accounts::list, routes::accounts::overview, routes::accounts::tam, routes::tams::set_hours,
        routes::cases::list, routes::cases::index, routes::cases::create, routes::cases::detail, routes::cases::message, routes::cases::update,
        routes::transitions::propose, routes::transitions::confirm, routes::transitions::decline,
        routes::transitions::reopen, routes::transitions::rate, routes::transitions::escalate,
        routes::inbound::relay_webhook,
        routes::information_requests::raise, routes::information_requests::answer, routes::information_requests::waiting,
        routes::uploads::options, routes::uploads::create, routes::uploads::head, routes::uploads::status,
        routes::uploads::patch, routes::uploads::terminate, routes::attachments::download,
    ),
    tags((name = "session"), (name = "config"), (name = "accounts"), (name = "cases"), (name = "resolution"), (name = "inbound"),
         (name = "information requests"), (name = "uploads", description = "tus 1.0.0: core, creation, checksum (sha1, sha256), termination, expiration"))
)]
pub struct ApiDoc;

pub fn pretty() -> String {
    ApiDoc::openapi().to_pretty_json().unwrap_or_default() + "\n"
}

pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
