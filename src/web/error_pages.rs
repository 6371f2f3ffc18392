//! Turns every error response (404, 403, 422 without a page, 500 …) into a page in the site's
//! layout with the request id, in the viewer's language. Never shows internals.

use actix_session::SessionExt;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, ContentType, HeaderValue};
use actix_web::middleware::ErrorHandlerResponse;
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpResponse};
use askama::Template;
use tracing_actix_web::RequestId;

use crate::store::sessions::UNAVAILABLE_KEY;
use crate::web::page::{PageContext, RenderedPage};
use crate::web::session;

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    ctx: PageContext,
    /// The HTTP status code.
    status: u16,
    /// Translation key of the title.
    title_key: &'static str,
    /// Translation key of the explanation.
    message_key: &'static str,
}

fn keys_for(status: u16) -> (&'static str, &'static str) {
    match status {
        400 => ("error-400-title", "error-400-message"),
        403 => ("error-403-title", "error-403-message"),
        404 | 405 => ("error-404-title", "error-404-message"),
        413 => ("error-413-title", "error-413-message"),
        422 => ("error-422-title", "error-422-message"),
        429 => ("error-429-title", "error-429-message"),
        503 => ("error-503-title", "error-503-message"),
        s if s >= 500 => ("error-500-title", "error-500-message"),
        _ => ("error-400-title", "error-400-message"),
    }
}

/// Answers 503 when the session store could not load this request's session (see
/// `store::sessions::UNAVAILABLE_KEY`), before any handler runs; the `ErrorHandlers` page around
/// it then shows the error page with the request id. (actix-session itself would answer a bare
/// 500 that no error page ever sees.)
///
/// # Errors
/// Only errors of the inner service.
pub async fn session_store_unavailable(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> actix_web::Result<ServiceResponse<EitherBody<impl MessageBody>>> {
    if req.get_session().contains_key(UNAVAILABLE_KEY) {
        return Ok(req.into_response(crate::web::error::unavailable()).map_into_right_body());
    }
    next.call(req).await.map(ServiceResponse::map_into_left_body)
}

/// The `ErrorHandlers` default handler.
///
/// # Errors
/// Never: a page that cannot be rendered falls back to plain text.
pub fn render_error_page<B: MessageBody + 'static>(
    res: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    Ok(ErrorHandlerResponse::Response(error_page(res)))
}

/// Answers the error page (503, with the request id) when the session middleware fails after the
/// handler ran, i.e. the session could not be saved (a full disk, a locked table). actix-session
/// returns an error (a 500: nothing else inside it answers with an error rather than a response)
/// that no `ErrorHandlers` inside it sees, and actix would answer it with an empty 500. The
/// handler's own answer is dropped, as its session change was not kept.
///
/// # Errors
/// The session's failure, as [`SessionUnsaved`]; other errors as they are.
pub async fn unsaved_session(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> actix_web::Result<ServiceResponse<impl MessageBody>> {
    let request_id = req.extensions().get::<RequestId>().map(ToString::to_string).unwrap_or_default();
    next.call(req).await.map_err(|e| {
        if e.as_response_error().status_code() != actix_web::http::StatusCode::INTERNAL_SERVER_ERROR {
            return e;
        }
        tracing::error!(error = %e, "the session could not be saved");
        SessionUnsaved { request_id }.into()
    })
}

/// A session that could not be saved: answered by the 503 error page, with the headers every
/// response carries (the middleware that adds them only sees responses, not errors).
#[derive(Debug)]
pub struct SessionUnsaved {
    request_id: String,
}

impl std::fmt::Display for SessionUnsaved {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the session could not be saved")
    }
}

impl actix_web::ResponseError for SessionUnsaved {
    fn status_code(&self) -> actix_web::http::StatusCode {
        actix_web::http::StatusCode::SERVICE_UNAVAILABLE
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        // The session (and its language) is not at hand outside the session middleware.
        let body =
            page_body(crate::domain::Lang::default(), self.request_id.clone(), status, keys_for(status.as_u16()));
        let mut builder = HttpResponse::build(status);
        for (name, value) in crate::web::headers::SECURITY {
            builder.insert_header((*name, *value));
        }
        builder.insert_header((header::RETRY_AFTER, crate::web::error::RETRY_AFTER_SECS));
        if let Ok(id) = HeaderValue::from_str(&self.request_id) {
            builder.insert_header((header::HeaderName::from_static("x-request-id"), id));
        }
        builder.content_type(ContentType::html()).body(body)
    }
}

/// The error page's HTML (plain text should the template fail).
fn page_body(
    lang: crate::domain::Lang,
    request_id: String,
    status: actix_web::http::StatusCode,
    (title_key, message_key): (&'static str, &'static str),
) -> String {
    let page =
        ErrorPage { ctx: PageContext::minimal(lang, request_id), status: status.as_u16(), title_key, message_key };
    page.render().unwrap_or_else(|_| format!("{} {}", status.as_u16(), status.canonical_reason().unwrap_or("")))
}

/// The error response `res` as a page in the layout, keeping its status and headers.
fn error_page<B: MessageBody + 'static>(res: ServiceResponse<B>) -> ServiceResponse<EitherBody<B>> {
    let already_page = res.response().extensions().get::<RenderedPage>().is_some();
    let is_json = res
        .response()
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.to_str().is_ok_and(|s| s.starts_with("application/json")));
    if already_page || is_json {
        return res.map_into_left_body();
    }
    let status = res.status();
    let request = res.request();
    let lang = session::lang(&request.get_session());
    let request_id = request.extensions().get::<RequestId>().map(ToString::to_string).unwrap_or_default();
    let (title_key, message_key) =
        if res.response().extensions().get::<crate::web::error::DatabaseUnwritable>().is_some() {
            ("error-unwritable-title", "error-unwritable-message")
        } else {
            keys_for(status.as_u16())
        };
    let body = page_body(lang, request_id, status, (title_key, message_key));
    let (req, old) = res.into_parts();
    let mut builder = HttpResponse::build(status);
    for (name, value) in old.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            builder.append_header((name.clone(), value.clone()));
        }
    }
    builder.insert_header((header::CACHE_CONTROL, HeaderValue::from_static("no-store")));
    let new = builder.content_type(ContentType::html()).body(body);
    ServiceResponse::new(req, new).map_into_right_body()
}
