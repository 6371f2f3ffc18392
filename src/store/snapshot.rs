//! A per-organisation cache of what the controls page, the PMS calendar and the dashboard read:
//! controls, evidence counts, members, duties and recent records. An entry is valid for one
//! `organisations.data_version`, which database triggers bump on every change, and which every
//! page already reads with the viewer's memberships. So a fresh entry costs no query, and several
//! instances on one database never serve stale data.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

use sea_orm::{ConnectionTrait, DbErr};

use crate::entities::{audit_event, certification, duty, duty_record, invitation, organisation, organisation_control};
use crate::store::controls::EvidenceSummary;
use crate::store::organisations::Member;

/// An organisation's data at one version.
#[derive(Debug)]
pub struct OrgSnapshot {
    pub version: i64,
    pub controls: Vec<organisation_control::Model>,
    pub evidence: HashMap<i32, EvidenceSummary>,
    pub members: Vec<Member>,
    /// Display names of the members, by user id.
    pub member_names: HashMap<i32, String>,
    pub duties: Vec<duty::Model>,
    /// Records from `records_from_year` on.
    pub records: Vec<duty_record::Model>,
    pub records_from_year: i32,
    /// Invitations not accepted or revoked (expiry is checked when shown).
    pub open_invitations: Vec<invitation::Model>,
    /// The latest audit entries, newest first.
    pub recent_changes: Vec<audit_event::Model>,
    /// The current Privacy Mark cycle, if recorded.
    pub certification: Option<certification::Model>,
    /// Incidents not closed yet, newest discovery first.
    pub open_incidents: Vec<crate::entities::incident::Model>,
    /// Filings required and not filed, of any incident.
    pub outstanding_filings: Vec<crate::entities::incident_filing::Model>,
    /// Corrective actions not done, by due date.
    pub open_actions: Vec<crate::entities::corrective_action::Model>,
    /// Page fragments rendered from this snapshot (the same for every viewer), by a key that
    /// names everything else they depend on (language, filters, day).
    fragments: Mutex<HashMap<String, Arc<Fragment>>>,
}

/// A rendered piece of a page and a number that goes with it (rows shown).
#[derive(Debug)]
pub struct Fragment {
    pub html: String,
    pub count: usize,
}

/// Fragments kept per organisation before the oldest are dropped.
const MAX_FRAGMENTS: usize = 64;

impl OrgSnapshot {
    /// The fragment for `key` if it was rendered already (for a fragment whose rendering needs
    /// to load more first).
    pub fn cached(&self, key: &str) -> Option<Arc<Fragment>> {
        self.fragments.lock().ok().and_then(|f| f.get(key).cloned())
    }

    /// The fragment for `key`, rendering it with `render` on a miss.
    ///
    /// # Errors
    /// The rendering error.
    pub fn fragment<E>(&self, key: String, render: impl FnOnce() -> Result<Fragment, E>) -> Result<Arc<Fragment>, E> {
        if let Some(found) = self.cached(&key) {
            return Ok(found);
        }
        let fragment = Arc::new(render()?);
        if let Ok(mut fragments) = self.fragments.lock() {
            if fragments.len() >= MAX_FRAGMENTS {
                fragments.clear();
            }
            fragments.insert(key, fragment.clone());
        }
        Ok(fragment)
    }
}

/// How many audit entries the dashboard shows.
pub const RECENT_CHANGES: u64 = 5;

/// The cache, shared by the workers of one instance.
#[derive(Debug, Default, Clone)]
pub struct SnapshotCache {
    entries: Arc<RwLock<HashMap<i32, Arc<OrgSnapshot>>>>,
}

impl SnapshotCache {
    /// The snapshot of `org` at its current version, loading it when the cached one is older
    /// or does not reach back to `records_from_year`.
    ///
    /// # Errors
    /// When a query fails.
    pub async fn get<C: ConnectionTrait>(
        &self,
        db: &C,
        org: &organisation::Model,
        catalog_version: &str,
        records_from_year: i32,
    ) -> Result<Arc<OrgSnapshot>, DbErr> {
        let cached = self.entries.read().ok().and_then(|entries| entries.get(&org.id).cloned());
        if let Some(snapshot) =
            cached.filter(|s| s.version == org.data_version && s.records_from_year <= records_from_year)
        {
            return Ok(snapshot);
        }
        let members = crate::store::organisations::members(db, org.id).await?;
        let snapshot = Arc::new(OrgSnapshot {
            version: org.data_version,
            controls: crate::store::controls::list(db, org.id, catalog_version).await?,
            evidence: crate::store::controls::evidence_summaries(db, org.id).await?,
            member_names: members.iter().map(|m| (m.user.id, m.user.display_name.clone())).collect(),
            members,
            duties: crate::store::duties::list(db, org.id).await?,
            records: crate::store::duties::records_from(db, org.id, records_from_year).await?,
            records_from_year,
            open_invitations: crate::store::invitations::open(db, org.id).await?,
            recent_changes: crate::store::audit::latest_for_organisation(db, org.id, RECENT_CHANGES).await?,
            certification: crate::store::certifications::history(db, org.id).await?.into_iter().next(),
            open_incidents: crate::store::incidents::open_of_organisation(db, org.id).await?,
            outstanding_filings: crate::store::incidents::outstanding_filings_of_organisation(db, org.id).await?,
            open_actions: crate::store::corrective_actions::open_of_organisation(db, org.id).await?,
            fragments: Mutex::new(HashMap::new()),
        });
        if let Ok(mut entries) = self.entries.write() {
            // Never replace a newer entry another request loaded meanwhile.
            let keep_existing = entries.get(&org.id).is_some_and(|e| e.version > snapshot.version);
            if !keep_existing {
                entries.insert(org.id, snapshot.clone());
            }
        }
        Ok(snapshot)
    }
}
