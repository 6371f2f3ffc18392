//! `POST /api/v1/assess`: incident facts in, the check assessment out (the same JSON as
//! `pmark assess FILE --format json`). For signed-in members of at least one organisation.

use actix_web::http::StatusCode;
use actix_web::http::header::CONTENT_LENGTH;
use actix_web::{HttpRequest, HttpResponse, web};
use futures_util::StreamExt;

use super::error;
use crate::domain::incident::IncidentFacts;
use crate::web::state::AppState;
use crate::web::viewer::Viewer;

/// The largest request body accepted: incident facts are a few hundred bytes.
pub const BODY_LIMIT: usize = 64 * 1024;

/// Why a body could not be read.
enum BodyError {
    TooLarge,
    Broken,
}

async fn read_body(req: &HttpRequest, mut payload: web::Payload) -> Result<Vec<u8>, BodyError> {
    let announced = req.headers().get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<usize>().ok());
    if announced.is_some_and(|n| n > BODY_LIMIT) {
        return Err(BodyError::TooLarge);
    }
    let mut body = Vec::with_capacity(announced.unwrap_or(1024));
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| BodyError::Broken)?;
        if body.len() + chunk.len() > BODY_LIMIT {
            return Err(BodyError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// The handler.
pub async fn assess(
    state: web::Data<AppState>,
    viewer: Viewer,
    req: HttpRequest,
    payload: web::Payload,
) -> HttpResponse {
    if viewer.user.is_none() {
        return error(StatusCode::UNAUTHORIZED, "sign in first", None);
    }
    if viewer.memberships.is_empty() {
        return error(StatusCode::FORBIDDEN, "only members of an organisation may assess incidents", None);
    }
    let body = match read_body(&req, payload).await {
        Ok(body) => body,
        Err(BodyError::TooLarge) => {
            let message = format!("the request body is larger than {} KiB", BODY_LIMIT / 1024);
            return error(StatusCode::PAYLOAD_TOO_LARGE, &message, None);
        }
        Err(BodyError::Broken) => return error(StatusCode::BAD_REQUEST, "the request body could not be read", None),
    };
    let Ok(text) = std::str::from_utf8(&body) else {
        return error(StatusCode::UNPROCESSABLE_ENTITY, "the request body is not UTF-8 text", None);
    };
    match IncidentFacts::from_json_text(text) {
        Ok(facts) => HttpResponse::Ok().json(state.check_rules.assess(&facts)),
        Err(e) => error(StatusCode::UNPROCESSABLE_ENTITY, &e.to_string(), e.field()),
    }
}
