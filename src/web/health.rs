//! `GET /healthz`: 200 when the database answers and takes writes, 503 with the reason when it
//! does not (unreachable, or read-only, full, locked). The write check commits one small row,
//! so its result is kept for a few seconds: a load balancer polling every second costs one write
//! every five.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix_web::{HttpResponse, web};
use serde_json::json;

use crate::store::database::{WriteFailure, ping, probe_write};
use crate::web::state::AppState;

/// How long a write check's result is reused.
const WRITE_CHECK_FOR: Duration = Duration::from_secs(5);

/// A write check: when, and the failure's name if it failed.
type Checked = (Instant, Result<(), &'static str>);

/// The last write check.
#[derive(Clone, Default)]
pub struct WriteHealth {
    last: Arc<Mutex<Option<Checked>>>,
}

impl WriteHealth {
    /// Whether the database takes writes, from a check at most `WRITE_CHECK_FOR` old.
    async fn check(&self, db: &sea_orm::DatabaseConnection) -> Result<(), &'static str> {
        if let Ok(last) = self.last.lock()
            && let Some((at, result)) = *last
            && at.elapsed() < WRITE_CHECK_FOR
        {
            return result;
        }
        let result = probe_write(db).await.map_err(|err| {
            let failure = WriteFailure::of(&err).map_or("error", WriteFailure::as_str);
            tracing::error!(error = %err, reason = failure, "health check: the database cannot be written");
            failure
        });
        if let Ok(mut last) = self.last.lock() {
            *last = Some((Instant::now(), result));
        }
        result
    }
}

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
