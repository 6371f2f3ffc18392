//! A per-organisation cache of what the controls page, the PMS calendar and the dashboard read:
//! controls, evidence counts, members, duties and recent records. An entry is valid for one
//! `organisations.data_version`, which database triggers bump on every change, and which every
//! page already reads with the viewer's memberships. So a fresh entry costs no query, and several
//! instances on one database never serve stale data.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use sea_orm::{ConnectionTrait, DbErr};

use crate::entities::{audit_event, certification, duty, duty_record, invitation, organisation, organisation_control};
use crate::store::evidence_counts::EvidenceSummary;
use crate::store::organisations::Member;

/// An organisation's data at one version.
#[derive(Debug)]
pub struct OrgSnapshot {
    pub version: i64,
    pub controls: Vec<organisation_control::Model>,
    /// Evidence per control row, with what its duty records and trainings carry
    /// (`store::evidence_counts`).
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
    /// The latest training that has started, with its counts (for the dashboard's training card).
    pub training: Option<(crate::entities::training::Model, crate::domain::training::Counts)>,
    /// Every training (教育計画): a training duty's occurrence is done by its year's.
    pub trainings: Vec<crate::entities::training::Model>,
    /// The PMS 体制, once recorded.
    pub pms_structure: Option<crate::entities::pms_structure::Model>,
    /// The controls an incident flagged whose check is not decided (they need review).
    pub open_check_controls: std::collections::HashSet<String>,
    /// Page fragments rendered from this snapshot (the same for every viewer), by a key that
    /// names everything else they depend on (language, filters, day).
    fragments: Mutex<Fragments>,
    /// The fragments being built, each with the lock its builder holds (one build per key).
    building: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

/// The rendered fragments of a snapshot and their size.
#[derive(Debug, Default)]
struct Fragments {
    by_key: HashMap<String, Arc<Fragment>>,
    bytes: usize,
}

/// A rendered piece of a page and a number that goes with it (rows shown); a whole page's
/// content also keeps its title and head blocks (`web::cached`).
#[derive(Debug, Default)]
pub struct Fragment {
    pub html: String,
    pub count: usize,
    pub title: String,
    pub head: String,
}

/// Fragments kept per organisation before the oldest are dropped.
const MAX_FRAGMENTS: usize = 64;

impl OrgSnapshot {
    /// The fragment for `key` if it was rendered already (for a fragment whose rendering needs
    /// to load more first).
    pub fn cached(&self, key: &str) -> Option<Arc<Fragment>> {
        self.fragments.lock().ok().and_then(|f| f.by_key.get(key).cloned())
    }

    /// The lock to hold while building the fragment `key` when that needs to load more first:
    /// one request builds it while the others wait and then find it cached.
    pub fn build_lock(&self, key: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut building = self.building.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        building.entry(key.to_owned()).or_default().clone()
    }

    /// Forgets the build lock of `key` (its fragment is cached, or its build failed).
    pub fn built(&self, key: &str) {
        self.building.lock().unwrap_or_else(std::sync::PoisonError::into_inner).remove(key);
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
            if fragments.by_key.len() >= MAX_FRAGMENTS || fragments.bytes + fragment.html.len() > MAX_FRAGMENT_BYTES {
                *fragments = Fragments::default();
            }
            fragments.bytes += fragment.html.len();
            fragments.by_key.insert(key, fragment.clone());
        }
        Ok(fragment)
    }
}

/// How many audit entries the dashboard shows.
pub const RECENT_CHANGES: u64 = 5;

/// Fragment bytes kept per organisation before its fragments are dropped.
const MAX_FRAGMENT_BYTES: usize = 4 * 1024 * 1024;

/// How many organisations the cache keeps by default (the least recently used go first).
pub const DEFAULT_MAX_ORGANISATIONS: usize = 64;

/// One organisation's place in the cache: its snapshot once loaded, when it was last used, and
/// the lock that lets one request load it while the others wait for that load.
#[derive(Debug)]
struct Slot {
    snapshot: Option<Arc<OrgSnapshot>>,
    last_used: u64,
    load: Arc<tokio::sync::Mutex<()>>,
}

#[derive(Debug, Default)]
struct Entries {
    slots: HashMap<i32, Slot>,
    /// A counter that orders uses (least recently used first).
    clock: u64,
}

#[derive(Debug)]
struct Shared {
    entries: Mutex<Entries>,
    max_organisations: usize,
    loads: AtomicU64,
}

/// The cache, shared by the workers of one instance. After a change to an organisation, one
/// request loads its new snapshot and the others asking for it meanwhile wait for that load
/// (single flight), so a save under load costs one reload, not one per waiting request. At most
/// `max_organisations` organisations are kept; the least recently used are dropped first.
#[derive(Debug, Clone)]
pub struct SnapshotCache {
    shared: Arc<Shared>,
}

impl Default for SnapshotCache {
    fn default() -> Self {
        Self::new(DEFAULT_MAX_ORGANISATIONS)
    }
}

impl SnapshotCache {
    /// A cache that keeps at most `max_organisations` organisations (at least one).
    pub fn new(max_organisations: usize) -> Self {
        Self {
            shared: Arc::new(Shared {
                entries: Mutex::new(Entries::default()),
                max_organisations: max_organisations.max(1),
                loads: AtomicU64::new(0),
            }),
        }
    }

    /// How many snapshots were loaded from the database since the cache was made.
    pub fn loads(&self) -> u64 {
        self.shared.loads.load(Ordering::Relaxed)
    }

    /// How many organisations the cache holds a snapshot of.
    pub fn len(&self) -> usize {
        self.lock().slots.values().filter(|s| s.snapshot.is_some()).count()
    }

    /// Whether the cache holds no snapshot.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        // A panic while the lock was held leaves nothing half-written worth refusing.
        self.shared.entries.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// A fresh snapshot of `org` (marking it used), or the lock to take before loading one.
    fn fresh_or_load_lock(
        &self,
        org: &organisation::Model,
        records_from_year: i32,
    ) -> Result<Arc<OrgSnapshot>, Arc<tokio::sync::Mutex<()>>> {
        let mut entries = self.lock();
        entries.clock += 1;
        let now = entries.clock;
        let slot = entries.slots.entry(org.id).or_insert_with(|| Slot {
            snapshot: None,
            last_used: now,
            load: Arc::new(tokio::sync::Mutex::new(())),
        });
        slot.last_used = now;
        match &slot.snapshot {
            Some(s) if s.version >= org.data_version && s.records_from_year <= records_from_year => Ok(s.clone()),
            _ => Err(slot.load.clone()),
        }
    }

    /// Keeps `snapshot` for its organisation (never replacing a newer one), then drops the
    /// least recently used organisations beyond the bound.
    fn store(&self, org_id: i32, snapshot: &Arc<OrgSnapshot>) {
        let mut entries = self.lock();
        entries.clock += 1;
        let now = entries.clock;
        let slot = entries.slots.entry(org_id).or_insert_with(|| Slot {
            snapshot: None,
            last_used: now,
            load: Arc::new(tokio::sync::Mutex::new(())),
        });
        slot.last_used = now;
        if slot.snapshot.as_ref().is_none_or(|e| e.version <= snapshot.version) {
            slot.snapshot = Some(snapshot.clone());
        }
        while entries.slots.len() > self.shared.max_organisations {
            let oldest = entries.slots.iter().filter(|(id, _)| **id != org_id).min_by_key(|(_, s)| s.last_used);
            let Some(oldest) = oldest.map(|(id, _)| *id) else { break };
            entries.slots.remove(&oldest);
        }
    }

    /// The snapshot of `org` at its current version, loading it when the cached one is older
    /// or does not reach back to `records_from_year`. Concurrent requests for the same stale
    /// organisation wait for one load.
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
        let load_lock = match self.fresh_or_load_lock(org, records_from_year) {
            Ok(fresh) => return Ok(fresh),
            Err(lock) => lock,
        };
        // One loader at a time per organisation; who waited finds its snapshot loaded. A loader
        // whose request is dropped releases the lock, and the next waiter loads instead.
        let _loading = load_lock.lock().await;
        if let Ok(fresh) = self.fresh_or_load_lock(org, records_from_year) {
            return Ok(fresh);
        }
        self.shared.loads.fetch_add(1, Ordering::Relaxed);
        let snapshot = Arc::new(load(db, org, catalog_version, records_from_year).await?);
        self.store(org.id, &snapshot);
        Ok(snapshot)
    }
}

/// Reads an organisation's snapshot from the database.
async fn load<C: ConnectionTrait>(
    db: &C,
    org: &organisation::Model,
    catalog_version: &str,
    records_from_year: i32,
) -> Result<OrgSnapshot, DbErr> {
    let members = crate::store::organisations::members(db, org.id).await?;
    let controls = crate::store::controls::list(db, org.id, catalog_version).await?;
    let duties = crate::store::duties::list(db, org.id).await?;
    Ok(OrgSnapshot {
        version: org.data_version,
        evidence: crate::store::evidence_counts::load(db, org.id).await?.by_control(&controls, &duties),
        controls,
        member_names: members.iter().map(|m| (m.user.id, m.user.display_name.clone())).collect(),
        members,
        duties,
        records: crate::store::duties::records_from(db, org.id, records_from_year).await?,
        records_from_year,
        open_invitations: crate::store::invitations::open(db, org.id).await?,
        recent_changes: crate::store::audit::latest_for_organisation(db, org.id, RECENT_CHANGES).await?,
        certification: crate::store::certifications::history(db, org.id).await?.into_iter().next(),
        open_incidents: crate::store::incidents::open_of_organisation(db, org.id).await?,
        outstanding_filings: crate::store::incidents::outstanding_filings_of_organisation(db, org.id).await?,
        open_actions: crate::store::corrective_actions::open_of_organisation(db, org.id).await?,
        training: crate::store::trainings::latest_counts(db, org.id).await?,
        trainings: crate::store::trainings::list(db, org.id).await?,
        pms_structure: crate::store::pms_structure::find(db, org.id).await?,
        open_check_controls: crate::store::incidents::controls_with_open_checks(db, org.id, catalog_version)
            .await?
            .into_iter()
            .collect(),
        fragments: Mutex::new(Fragments::default()),
        building: Mutex::new(HashMap::new()),
    })
}
