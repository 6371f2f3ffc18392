//! What is done to an incident after it is recorded: filing a filing, deciding a control check,
//! adding a timeline entry, and moving its status (closing only once every due filing is filed and
//! every flagged check is decided).

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::domain::incident::filings::Track;
use crate::domain::incident::{CheckState, IncidentStatus, TimelineKind};
use crate::entities::{control_check, incident, incident_filing, incident_timeline};
use crate::store::audit::{self, Actor, Changes, Entry};
use crate::store::edit::Edit;
use crate::store::incidents::{checks_of_incident, filings_of};

/// A filing as made: when, and the receipt or case number the body gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilingMade {
    pub submitted_on: NaiveDate,
    pub reference: Option<String>,
}

/// Records that a filing was made.
///
/// # Errors
/// When a write fails.
pub async fn record_filing<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    filing: incident_filing::Model,
    made: &FilingMade,
) -> Result<incident_filing::Model, DbErr> {
    use incident_filing::Column as Col;
    // Exhaustive: a field added to `FilingMade` is a compile error here until written and recorded.
    let FilingMade { submitted_on, reference } = made;
    let edit = Edit::new().field("submitted_on", Col::SubmittedOn, filing.submitted_on.as_ref(), submitted_on).field(
        "reference",
        Col::Reference,
        Some(&filing.reference),
        reference,
    );
    let (organisation_id, incident_id, track) = (filing.organisation_id, filing.incident_id, filing.track);
    let mut active: incident_filing::ActiveModel = filing.into();
    edit.apply(&mut active);
    active.submitted_by = Set(actor.user_id);
    active.recorded_at = Set(Some(Utc::now()));
    let saved = active.update(db).await?;
    audit::record(
        db,
        actor,
        Entry::new(
            Some(organisation_id),
            "incident",
            incident_id,
            "record_filing",
            edit.changes().created("track", track),
        ),
    )
    .await?;
    Ok(saved)
}

/// One filing of an incident of the organisation.
///
/// # Errors
/// When the query fails.
pub async fn find_filing<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
    incident_id: i32,
    track: &str,
) -> Result<Option<incident_filing::Model>, DbErr> {
    incident_filing::Entity::find()
        .filter(incident_filing::Column::OrganisationId.eq(organisation_id))
        .filter(incident_filing::Column::IncidentId.eq(incident_id))
        .filter(incident_filing::Column::Track.eq(track))
        .one(db)
        .await
}

/// One check of an incident of the organisation.
///
/// # Errors
/// When the query fails.
pub async fn find_check<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
    incident_id: i32,
    check_id: i32,
) -> Result<Option<control_check::Model>, DbErr> {
    control_check::Entity::find_by_id(check_id)
        .filter(control_check::Column::OrganisationId.eq(organisation_id))
        .filter(control_check::Column::IncidentId.eq(incident_id))
        .one(db)
        .await
}

/// The decision on a check: `no_change_needed` or `changed`, what changed or why nothing needed
/// to, and the corrective action it led to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckDecision {
    pub state: CheckState,
    pub note: String,
    pub corrective_action_id: Option<i32>,
}

/// Decides a check.
///
/// # Errors
/// When a write fails.
pub async fn decide_check<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    check: control_check::Model,
    decision: &CheckDecision,
) -> Result<control_check::Model, DbErr> {
    use control_check::Column as Col;
    // Exhaustive: a field added to `CheckDecision` is a compile error here until written and recorded.
    let CheckDecision { state, note, corrective_action_id } = decision;
    let note = Some(note.clone());
    let edit = Edit::new()
        .field("state", Col::State, Some(&check.state), state)
        .field("decision_note", Col::DecisionNote, Some(&check.decision_note), &note)
        .field(
            "corrective_action_id",
            Col::CorrectiveActionId,
            Some(&check.corrective_action_id),
            corrective_action_id,
        );
    let changes = edit.changes().created("control_id", check.control_id.clone());
    let (organisation_id, incident_id) = (check.organisation_id, check.incident_id);
    let mut active: control_check::ActiveModel = check.into();
    edit.apply(&mut active);
    active.decided_by = Set(actor.user_id);
    active.decided_at = Set(Some(Utc::now()));
    let saved = active.update(db).await?;
    audit::record(db, actor, Entry::new(Some(organisation_id), "incident", incident_id, "decide_check", changes))
        .await?;
    Ok(saved)
}

/// A dated step of the response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineEntry {
    pub occurred_on: NaiveDate,
    pub kind: TimelineKind,
    pub note: String,
}

/// Adds a dated entry to the response timeline.
///
/// # Errors
/// When the insert fails.
pub async fn add_timeline_entry<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    incident: &incident::Model,
    entry: &TimelineEntry,
) -> Result<incident_timeline::Model, DbErr> {
    use incident_timeline::Column as Col;
    // Exhaustive: a field added to `TimelineEntry` is a compile error here until written and recorded.
    let TimelineEntry { occurred_on, kind, note } = entry;
    let edit = Edit::new()
        .field("occurred_on", Col::OccurredOn, None, occurred_on)
        .field("kind", Col::Kind, None, kind)
        .field("note", Col::Note, None, note);
    let mut created = incident_timeline::ActiveModel {
        organisation_id: Set(incident.organisation_id),
        incident_id: Set(incident.id),
        created_by: Set(actor.user_id.unwrap_or_default()),
        created_at: Set(Utc::now()),
        ..Default::default()
    };
    edit.apply(&mut created);
    let created = created.insert(db).await?;
    audit::record(
        db,
        actor,
        Entry::new(Some(incident.organisation_id), "incident", incident.id, "add_timeline_entry", edit.changes()),
    )
    .await?;
    Ok(created)
}

/// The timeline of an incident, in date order.
///
/// # Errors
/// When the query fails.
pub async fn timeline_of<C: ConnectionTrait>(db: &C, incident_id: i32) -> Result<Vec<incident_timeline::Model>, DbErr> {
    incident_timeline::Entity::find()
        .filter(incident_timeline::Column::IncidentId.eq(incident_id))
        .order_by_asc(incident_timeline::Column::OccurredOn)
        .order_by_asc(incident_timeline::Column::Id)
        .all(db)
        .await
}

/// What stops an incident from being closed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CloseBlockers {
    /// Tracks of required filings not yet filed.
    pub unfiled_filings: Vec<Track>,
    /// Controls whose flagged check is still open.
    pub open_checks: Vec<String>,
}

impl CloseBlockers {
    /// What stops closing, from the incident's filing and check rows.
    pub fn of(filings: &[incident_filing::Model], checks: &[control_check::Model]) -> Self {
        Self {
            unfiled_filings: filings
                .iter()
                .filter(|r| r.required && r.submitted_on.is_none())
                .map(|r| r.track)
                .collect(),
            open_checks: checks
                .iter()
                .filter(|r| r.flagged && r.state == CheckState::Open)
                .map(|r| r.control_id.clone())
                .collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.unfiled_filings.is_empty() && self.open_checks.is_empty()
    }
}

/// Why a status change was refused.
#[derive(Debug, thiserror::Error)]
pub enum StatusError {
    #[error("the incident cannot be closed yet")]
    Blocked(CloseBlockers),
    #[error("someone else changed the incident meanwhile")]
    Conflict,
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// What stops the incident from being closed now.
///
/// # Errors
/// When a query fails.
pub async fn close_blockers<C: ConnectionTrait>(db: &C, incident_id: i32) -> Result<CloseBlockers, DbErr> {
    Ok(CloseBlockers::of(&filings_of(db, incident_id).await?, &checks_of_incident(db, incident_id).await?))
}

/// Moves the incident to `open`, `contained` or `closed`.
///
/// # Errors
/// `Blocked` with what is missing when closing is not allowed yet; database errors.
pub async fn set_status<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    incident: incident::Model,
    status: IncidentStatus,
) -> Result<incident::Model, StatusError> {
    if status == IncidentStatus::Closed {
        let blockers = close_blockers(db, incident.id).await?;
        if !blockers.is_empty() {
            return Err(StatusError::Blocked(blockers));
        }
    }
    if incident.status == status {
        return Ok(incident);
    }
    let changes = Changes::new().changed("status", incident.status, status);
    let (organisation_id, id) = (incident.organisation_id, incident.id);
    // Conditional on the version read: a concurrent edit of the facts (which may make a new
    // filing due) makes this change fail instead of closing over it.
    let now = Utc::now();
    let result = incident::Entity::update_many()
        .col_expr(incident::Column::Status, Expr::value(status))
        .col_expr(incident::Column::ClosedAt, Expr::value((status == IncidentStatus::Closed).then_some(now)))
        .col_expr(incident::Column::LockVersion, Expr::col(incident::Column::LockVersion).add(1))
        .col_expr(incident::Column::UpdatedBy, Expr::value(actor.user_id.unwrap_or_default()))
        .col_expr(incident::Column::UpdatedAt, Expr::value(now))
        .filter(incident::Column::Id.eq(id))
        .filter(incident::Column::LockVersion.eq(incident.lock_version))
        .exec(db)
        .await?;
    if result.rows_affected != 1 {
        return Err(StatusError::Conflict);
    }
    let saved = incident::Entity::find_by_id(id).one(db).await?.ok_or(StatusError::Conflict)?;
    audit::record(db, actor, Entry::new(Some(organisation_id), "incident", id, "change_status", changes)).await?;
    Ok(saved)
}
