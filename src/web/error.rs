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
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<sea_orm::DbErr> for AppError {
    fn from(err: sea_orm::DbErr) -> Self {
        AppError::Internal(err.into())
    }
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
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            AppError::SignInRequired { next } => {
                let location = format!("/login?next={}", crate::web::urlencode(next));
                HttpResponse::SeeOther().insert_header((header::LOCATION, location)).finish()
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
