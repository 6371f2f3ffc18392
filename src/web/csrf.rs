//! CSRF protection for every unsafe request, in one middleware that no route can forget:
//! a foreign `Origin` (or `Sec-Fetch-Site: cross-site`) is refused, and the request must carry the
//! session's token in the `x-csrf-token` header, a `csrf_token` form field, or (for multipart
//! uploads) a `csrf_token` query parameter. Refusals are 403.
//!
//! Where the token lives: a session that exists keeps it in the session (signing in always
//! creates one). A visitor without a session — every anonymous page has the language form, and
//! the sign-in, setup and invitation pages have theirs — gets it in a signed cookie instead
//! (`pmark_csrf`, HttpOnly, SameSite=Lax), so that merely looking at a page stores no session
//! row. The cookie is signed with the session key, so another site cannot plant a token of its
//! choosing; the token is only accepted from the browser that holds the cookie.

use std::cell::Cell;
use std::rc::Rc;

use actix_web::HttpMessage;
use actix_web::cookie::{Cookie, CookieJar, Key, SameSite};

use actix_session::SessionExt;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::{Method, header};
use actix_web::middleware::Next;
use actix_web::web::Bytes;
use actix_web::{Error, HttpResponse};

use crate::security::tokens::{self, constant_time_eq};
use crate::web::session;

/// The form field and query parameter that carry the token.
pub const FIELD: &str = "csrf_token";
/// The header that carries the token (for scripts and the JSON API).
pub const HEADER: &str = "x-csrf-token";
/// The signed cookie that carries the token of a visitor without a session.
pub const COOKIE: &str = "pmark_csrf";

/// How the token cookie is signed and sent, shared through `web::Data`.
#[derive(Clone)]
pub struct CookieSettings {
    /// The session key: the cookie is signed with it.
    pub key: Key,
    /// `Secure` when the public URL is https.
    pub secure: bool,
}

/// The token of a visitor without a session, put in the request by [`protect`] for the page.
#[derive(Clone)]
struct VisitorToken {
    token: String,
    /// Whether the browser already has it in its cookie.
    in_cookie: bool,
    /// Whether a page used it (only then is a new cookie sent).
    used: Rc<Cell<bool>>,
}

/// The token to put in this request's forms: the session's, or else the visitor's cookie token.
pub fn token_for_forms(req: &actix_web::HttpRequest, session: &actix_session::Session) -> String {
    if let Some(token) = session::stored_csrf_token(session) {
        return token;
    }
    match req.extensions().get::<VisitorToken>() {
        Some(visitor) => {
            visitor.used.set(true);
            visitor.token.clone()
        }
        // Outside the middleware (never for routed pages): a form that will be refused, nothing stored.
        None => String::new(),
    }
}

/// The visitor's token from its signed cookie, if the signature holds.
fn cookie_token(req: &ServiceRequest, key: &Key) -> Option<String> {
    let cookie = req.cookie(COOKIE)?;
    let mut jar = CookieJar::new();
    jar.add_original(cookie);
    jar.signed(key).get(COOKIE).map(|c| c.value().to_owned()).filter(|t| !t.is_empty())
}

/// The signed `Set-Cookie` value of a new visitor token.
fn signed_cookie(token: &str, settings: &CookieSettings) -> Option<header::HeaderValue> {
    let mut jar = CookieJar::new();
    jar.signed_mut(&settings.key).add(
        Cookie::build(COOKIE, token.to_owned())
            .path("/")
            .http_only(true)
            .secure(settings.secure)
            .same_site(SameSite::Lax)
            .finish(),
    );
    let cookie = jar.delta().next()?;
    header::HeaderValue::from_str(&cookie.encoded().to_string()).ok()
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE)
}

/// The origins a form may be posted from: this request's own, and the configured public URL's.
/// The request's own origin comes from its `Host` header, or from the proxy headers
/// (`X-Forwarded-Host`, `Forwarded`) only when `server.trust_forwarded_host` says a proxy sets them.
fn origin_allowed(req: &ServiceRequest, public_url: &str, trust_forwarded: bool) -> bool {
    if let Some(site) = req.headers().get("sec-fetch-site").and_then(|v| v.to_str().ok())
        && (site == "cross-site" || site == "same-site")
    {
        return false;
    }
    let Some(origin) = req.headers().get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let own = if trust_forwarded {
        let info = req.connection_info();
        format!("{}://{}", info.scheme(), info.host())
    } else {
        let scheme = if req.app_config().secure() { "https" } else { "http" };
        let host = req
            .headers()
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .or_else(|| req.uri().authority().map(|a| a.as_str()))
            .unwrap_or_else(|| req.app_config().host());
        format!("{scheme}://{host}")
    };
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
    let Some(cookies) = req.app_data::<actix_web::web::Data<CookieSettings>>().map(|d| d.get_ref().clone()) else {
        tracing::error!("the CSRF cookie settings are missing");
        return Ok(req.into_response(HttpResponse::InternalServerError().finish()).map_into_right_body());
    };
    let from_cookie = cookie_token(&req, &cookies.key);
    if is_safe(req.method()) {
        let visitor = VisitorToken {
            in_cookie: from_cookie.is_some(),
            token: from_cookie.unwrap_or_else(tokens::new_token),
            used: Rc::new(Cell::new(false)),
        };
        req.extensions_mut().insert(visitor.clone());
        let mut response = next.call(req).await?;
        if visitor.used.get()
            && !visitor.in_cookie
            && let Some(value) = signed_cookie(&visitor.token, &cookies)
        {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
        return Ok(response.map_into_left_body());
    }
    let (public_url, trust_forwarded) = req
        .app_data::<actix_web::web::Data<crate::web::state::AppState>>()
        .map(|s| (s.public_url.clone(), s.settings.server.trust_forwarded_host))
        .unwrap_or_default();
    if !origin_allowed(&req, &public_url, trust_forwarded) {
        tracing::warn!(path = %crate::telemetry::redact_target(req.path()), "refused a cross-origin unsafe request");
        return Ok(req.into_response(HttpResponse::Forbidden().finish()).map_into_right_body());
    }
    // The session's token when there is one, else the visitor's signed cookie.
    let expected = session::stored_csrf_token(&req.get_session()).or(from_cookie.clone());
    let submitted = submitted_token(&mut req).await.unwrap_or_default();
    let valid = matches!((&expected, &submitted), (Some(e), Some(s)) if constant_time_eq(e, s));
    if !valid {
        tracing::warn!(path = %crate::telemetry::redact_target(req.path()), "refused an unsafe request without a valid CSRF token");
        return Ok(req.into_response(HttpResponse::Forbidden().finish()).map_into_right_body());
    }
    // A page rendered by this request (a refused form) still needs the visitor's token.
    if let Some(token) = from_cookie {
        req.extensions_mut().insert(VisitorToken { token, in_cookie: true, used: Rc::new(Cell::new(false)) });
    }
    next.call(req).await.map(ServiceResponse::map_into_left_body)
}
