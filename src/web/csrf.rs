//! CSRF protection for every unsafe request, in one middleware that no route can forget:
//! a foreign `Origin` (or `Sec-Fetch-Site: cross-site`) is refused, and the request must carry the
//! session's token in the `x-csrf-token` header, a `csrf_token` form field, or (for multipart
//! uploads) a `csrf_token` query parameter. Refusals are 403.

use actix_session::SessionExt;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::{Method, header};
use actix_web::middleware::Next;
use actix_web::web::Bytes;
use actix_web::{Error, HttpResponse};

use crate::security::tokens::constant_time_eq;
use crate::web::session;

/// The form field and query parameter that carry the token.
pub const FIELD: &str = "csrf_token";
/// The header that carries the token (for scripts and the JSON API).
pub const HEADER: &str = "x-csrf-token";

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE)
}

/// The origins a form may be posted from: this request's own, and the configured public URL's.
fn origin_allowed(req: &ServiceRequest, public_url: &str) -> bool {
    if let Some(site) = req.headers().get("sec-fetch-site").and_then(|v| v.to_str().ok())
        && (site == "cross-site" || site == "same-site")
    {
        return false;
    }
    let Some(origin) = req.headers().get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let info = req.connection_info();
    let own = format!("{}://{}", info.scheme(), info.host());
    origin == own || origin == public_url.trim_end_matches('/')
}

fn field_from_pairs(pairs: &[(String, String)]) -> Option<String> {
    pairs.iter().find(|(k, _)| k == FIELD).map(|(_, v)| v.clone())
}

async fn submitted_token(req: &mut ServiceRequest) -> Result<Option<String>, Error> {
    if let Some(value) = req.headers().get(HEADER).and_then(|v| v.to_str().ok()) {
        return Ok(Some(value.to_owned()));
    }
    let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    // Only uploads carry the token in the URL (their multipart body is streamed to disk).
    if content_type.starts_with("multipart/form-data") {
        let pairs = serde_urlencoded::from_str::<Vec<(String, String)>>(req.query_string()).unwrap_or_default();
        return Ok(field_from_pairs(&pairs));
    }
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Ok(None);
    }
    let body = req.extract::<Bytes>().await?;
    let token = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&body).ok().and_then(|p| field_from_pairs(&p));
    // Put the body back for the handler's `web::Form`, already decoded.
    req.headers_mut().remove(header::CONTENT_ENCODING);
    req.set_payload(Payload::from(body));
    Ok(token)
}

/// The middleware function (`middleware::from_fn`).
///
/// # Errors
/// Only errors of the inner service.
pub async fn protect(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    if is_safe(req.method()) {
        return next.call(req).await.map(ServiceResponse::map_into_left_body);
    }
    let public_url = req
        .app_data::<actix_web::web::Data<crate::web::state::AppState>>()
        .map(|s| s.public_url.clone())
        .unwrap_or_default();
    if !origin_allowed(&req, &public_url) {
        tracing::warn!(path = req.path(), "refused a cross-origin unsafe request");
        return Ok(req.into_response(HttpResponse::Forbidden().finish()).map_into_right_body());
    }
    let expected = session::stored_csrf_token(&req.get_session());
    let submitted = submitted_token(&mut req).await.unwrap_or_default();
    let valid = matches!((&expected, &submitted), (Some(e), Some(s)) if constant_time_eq(e, s));
    if !valid {
        tracing::warn!(path = req.path(), "refused an unsafe request without a valid CSRF token");
        return Ok(req.into_response(HttpResponse::Forbidden().finish()).map_into_right_body());
    }
    next.call(req).await.map(ServiceResponse::map_into_left_body)
}
