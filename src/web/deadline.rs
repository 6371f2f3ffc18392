//! Bounded work per request: a request still running after `server.request_timeout_secs` is
//! abandoned (its future dropped, so the database connections and the transaction it holds are
//! released) and answered 503 with `Retry-After`. actix-web does not notice by itself that a
//! client has gone while a handler runs, so this is also what stops such a request.

use std::time::Duration;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::web;

use crate::web::state::AppState;

/// The limit when the application state is missing (never in the application itself).
const FALLBACK: Duration = Duration::from_secs(15);

/// The middleware (`from_fn`) of every resource (`web::routes`), inside the error-page handler,
/// which renders the 503.
///
/// # Errors
/// Only errors of the inner service.
pub async fn limit(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> actix_web::Result<ServiceResponse<EitherBody<impl MessageBody>>> {
    let limit = req
        .app_data::<web::Data<AppState>>()
        .map_or(FALLBACK, |state| Duration::from_secs(state.settings.server.request_timeout_secs));
    let request = req.request().clone();
    match tokio::time::timeout(limit, next.call(req)).await {
        Ok(result) => result.map(ServiceResponse::map_into_left_body),
        Err(_) => {
            tracing::warn!(limit_secs = limit.as_secs(), "request abandoned: it ran past its time");
            Ok(ServiceResponse::new(request, crate::web::error::unavailable()).map_into_right_body())
        }
    }
}
