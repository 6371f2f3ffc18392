//! `GET /healthz`: 200 with the database reachable, 503 when it is not.

use actix_web::{HttpResponse, web};
use serde_json::json;

use crate::store::database::ping;
use crate::web::state::AppState;

pub async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    let version = env!("CARGO_PKG_VERSION");
    match ping(&state.db).await {
        Ok(()) => HttpResponse::Ok().json(json!({ "status": "ok", "database": "ok", "version": version })),
        Err(err) => {
            tracing::error!(error = %err, "health check: database unreachable");
            HttpResponse::ServiceUnavailable()
                .json(json!({ "status": "error", "database": "unreachable", "version": version }))
        }
    }
}

/// The routes of this resource, with the access each needs (see `web::routes`).
pub fn routes(r: &mut crate::web::routes::Routes) {
    use crate::web::routes::Access::*;
    r.get("/healthz", Anyone, healthz);
}
