//! `GET /healthz`: 200 when the database answers and takes writes, 503 with the reason when it
//! does not (unreachable, or read-only, full, locked). The write check commits one small row,
//! so its result is kept for a few seconds: a load balancer polling every second costs one write
//! every five.

use actix_web::{HttpResponse, web};
use serde_json::json;

use crate::store::database::ping;
use crate::web::state::AppState;

pub async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    let version = env!("CARGO_PKG_VERSION");
    if let Err(err) = ping(&state.db).await {
        tracing::error!(error = %err, "health check: database unreachable");
        return HttpResponse::ServiceUnavailable()
            .json(json!({ "status": "error", "database": "unreachable", "version": version }));
    }
    match state.write_health.check(&state.db).await {
        Ok(()) => HttpResponse::Ok().json(json!({ "status": "ok", "database": "ok", "version": version })),
        Err(reason) => HttpResponse::ServiceUnavailable().json(json!({
            "status": "error",
            "database": "not_writable",
            "reason": reason,
            "version": version
        })),
    }
}

/// The routes of this resource, with the access each needs (see `web::routes`).
pub fn routes(r: &mut crate::web::routes::Routes) {
    use crate::web::routes::Access::*;
    r.get("/healthz", Anyone, healthz);
}
