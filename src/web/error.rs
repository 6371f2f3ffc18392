//! Errors a handler returns. Each maps to a status; the page itself is rendered by the error-page
//! middleware (`web::error_pages`), which knows the request id and language. Causes go to the log.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("sign-in required")]
    SignInRequired { next: String },
    #[error("bad request: {0}")]
    BadRequest(&'static str),
    /// Overload: no database connection came free in time, or the request ran past its time.
    #[error("unavailable: {0}")]
    Unavailable(&'static str),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// Seconds a client is asked to wait before trying again after a 503.
pub const RETRY_AFTER_SECS: &str = "5";

impl From<sea_orm::DbErr> for AppError {
    fn from(err: sea_orm::DbErr) -> Self {
        if is_overload(&err) {
            AppError::Unavailable("no database connection came free")
        } else {
            AppError::Internal(err.into())
        }
    }
}

/// Whether a database error says the pool had no connection to give in time (or is closed):
/// the server is overloaded or stopping, so the request is refused with 503, not failed with 500.
pub fn is_overload(err: &sea_orm::DbErr) -> bool {
    matches!(err, sea_orm::DbErr::ConnectionAcquire(_))
}

/// Whether an error chain holds an overloaded pool (see `is_overload`).
fn chain_is_overload(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| cause.downcast_ref::<sea_orm::DbErr>().is_some_and(is_overload))
}

impl From<askama::Error> for AppError {
    fn from(err: askama::Error) -> Self {
        AppError::Internal(err.into())
    }
}

impl From<actix_session::SessionInsertError> for AppError {
    fn from(err: actix_session::SessionInsertError) -> Self {
        AppError::Internal(anyhow::anyhow!("session insert failed: {err}"))
    }
}

/// Marks an error response whose cause is a database that cannot be written (read-only, full,
/// locked), so that the error page says so instead of a generic failure.
#[derive(Debug, Clone, Copy)]
pub struct DatabaseUnwritable;

impl AppError {
    /// The storage failure behind an internal error, if that is what it is.
    fn unwritable(&self) -> Option<crate::store::database::WriteFailure> {
        let AppError::Internal(cause) = self else { return None };
        cause
            .chain()
            .find_map(|e| e.downcast_ref::<sea_orm::DbErr>())
            .and_then(crate::store::database::WriteFailure::of)
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        if self.unwritable().is_some() {
            return StatusCode::SERVICE_UNAVAILABLE;
        }
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::SignInRequired { .. } => StatusCode::SEE_OTHER,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(cause) if chain_is_overload(cause) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            AppError::SignInRequired { next } => {
                let location = format!("/login?next={}", crate::web::urlencode(next));
                HttpResponse::SeeOther().insert_header((header::LOCATION, location)).finish()
            }
            AppError::Unavailable(why) => {
                tracing::warn!(reason = why, "request refused: overloaded");
                unavailable()
            }
            AppError::Internal(cause) if chain_is_overload(cause) => {
                tracing::warn!(error = %cause, "request refused: overloaded");
                unavailable()
            }
            AppError::Internal(cause) => {
                if let Some(failure) = self.unwritable() {
                    tracing::error!(error = ?cause, reason = failure.as_str(), "the database cannot be written");
                    let mut response =
                        HttpResponse::ServiceUnavailable().insert_header((header::RETRY_AFTER, "30")).finish();
                    response.extensions_mut().insert(DatabaseUnwritable);
                    return response;
                }
                tracing::error!(error = ?cause, "request failed");
                HttpResponse::new(self.status_code())
            }
            _ => HttpResponse::new(self.status_code()),
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;

/// 503 with `Retry-After`; the error-page middleware gives it its page.
pub fn unavailable() -> HttpResponse {
    HttpResponse::ServiceUnavailable().insert_header((header::RETRY_AFTER, RETRY_AFTER_SECS)).finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_exhausted_pool_is_a_503_with_retry_after_and_other_database_errors_are_500() {
        let timeout = sea_orm::DbErr::ConnectionAcquire(sea_orm::error::ConnAcquireErr::Timeout);
        let refused = AppError::from(timeout).error_response();
        assert_eq!(refused.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(refused.headers().get(header::RETRY_AFTER).and_then(|v| v.to_str().ok()), Some(RETRY_AFTER_SECS));

        let wrapped = AppError::Internal(
            anyhow::Error::new(sea_orm::DbErr::ConnectionAcquire(sea_orm::error::ConnAcquireErr::Timeout))
                .context("loading the report"),
        );
        assert_eq!(wrapped.error_response().status(), StatusCode::SERVICE_UNAVAILABLE);

        let failed = AppError::from(sea_orm::DbErr::Custom("syntax error".into())).error_response();
        assert_eq!(failed.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(failed.headers().get(header::RETRY_AFTER).is_none());
    }
}
