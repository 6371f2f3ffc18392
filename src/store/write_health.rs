//! Whether the database takes writes, for `/healthz`: a check commits one small row, so its
//! result is kept for a few seconds (a load balancer polling every second costs one write every
//! five). Shared by the instance's workers through the application state.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::store::database::{WriteFailure, probe_write};

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
    pub async fn check(&self, db: &sea_orm::DatabaseConnection) -> Result<(), &'static str> {
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
