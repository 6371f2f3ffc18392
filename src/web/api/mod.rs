//! The JSON API under `/api/v1`. Errors are JSON (`{"error": …}`), never pages or redirects.
//! Unsafe methods pass the same CSRF middleware as forms: a client signs in, reads the token
//! from a page and sends it in the `x-csrf-token` header.

pub mod assess;

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use serde_json::json;

/// A JSON error response: `{"error": message}`, plus `"field"` when the error is about one.
pub fn error(status: StatusCode, message: &str, field: Option<&str>) -> HttpResponse {
    let body = match field {
        Some(field) => json!({ "error": message, "field": field }),
        None => json!({ "error": message }),
    };
    HttpResponse::build(status).json(body)
}

/// The routes of this resource, with the access each needs (see `web::routes`).
pub fn routes(r: &mut crate::web::routes::Routes) {
    use crate::web::routes::Access::*;
    r.post("/api/v1/assess", Anyone, assess::assess);
}
