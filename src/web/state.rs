//! What every handler can reach, shared through `web::Data`.

use std::sync::{Arc, Mutex};

use sea_orm::DatabaseConnection;

use crate::domain::catalog::Catalogs;
use crate::domain::incident::CheckRules;
use crate::security::password::PasswordHashing;
use crate::settings::Settings;
use crate::store::evidence_store::EvidenceStore;
use crate::store::snapshot::{OrgSnapshot, SnapshotCache};

/// Application state. Cheap to clone: everything inside is shared.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub settings: Arc<Settings>,
    pub hashing: PasswordHashing,
    /// The base URL for links, without a trailing slash.
    pub public_url: String,
    /// The one-time first-run token while no administrator exists.
    pub setup_token: Arc<Mutex<Option<String>>>,
    /// The control catalogs, loaded and validated at start.
    pub catalogs: Arc<Catalogs>,
    /// The incident check rules, loaded and validated against the current catalog at start.
    pub check_rules: Arc<CheckRules>,
    /// Where evidence files are staged and kept (`uploads.storage`).
    pub evidence: EvidenceStore,
    /// Per-organisation page data, valid for one data version.
    pub snapshots: SnapshotCache,
    /// Whether the database took a write lately (`/healthz`), checked at most every few seconds.
    pub write_health: crate::store::write_health::WriteHealth,
    /// The reminder scheduler of this server: what its last pass did, and a way to wake it.
    pub scheduler: crate::jobs::scheduler::Scheduler,
    /// The one clock: every "now" and "today" of a request.
    pub clock: crate::clock::Clock,
}

impl AppState {
    /// The organisation's page data at its current version (no query when cached), with duty
    /// records from the previous PMS year on.
    ///
    /// # Errors
    /// When a query fails.
    pub async fn snapshot(
        &self,
        org: &crate::entities::organisation::Model,
    ) -> Result<std::sync::Arc<OrgSnapshot>, sea_orm::DbErr> {
        let start = crate::domain::pms_year::Month::new(u32::try_from(org.pms_year_start_month).unwrap_or(4))
            .unwrap_or(crate::domain::pms_year::Month::APRIL);
        let current = crate::domain::pms_year::PmsYear::containing(self.clock.today(), start);
        self.snapshots.get(&self.db, org, &self.catalogs.current().version, current.label - 1).await
    }

    /// The setup token, if first-run setup is still open.
    pub fn current_setup_token(&self) -> Option<String> {
        self.setup_token.lock().ok().and_then(|guard| guard.clone())
    }

    /// Closes first-run setup for this instance.
    pub fn close_setup(&self) {
        if let Ok(mut guard) = self.setup_token.lock() {
            *guard = None;
        }
    }

    /// Hashes a password on the blocking pool, off the async runtime.
    ///
    /// # Errors
    /// When hashing fails or the blocking pool is gone.
    pub async fn hash_password(&self, password: String) -> anyhow::Result<String> {
        let hashing = self.hashing.clone();
        Ok(actix_web::web::block(move || hashing.hash(&password)).await??)
    }

    /// Verifies a password on the blocking pool. With no stored hash, spends the same time and fails.
    ///
    /// # Errors
    /// When the blocking pool is gone.
    pub async fn verify_password(&self, password: String, stored: Option<String>) -> anyhow::Result<bool> {
        let hashing = self.hashing.clone();
        Ok(actix_web::web::block(move || match stored {
            Some(hash) => hashing.verify(&password, &hash),
            None => {
                hashing.burn_verification_time(&password);
                false
            }
        })
        .await?)
    }
}
