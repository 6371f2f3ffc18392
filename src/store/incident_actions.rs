//! What is done to an incident after it is recorded: filing a report, deciding a control review,
//! adding a timeline entry, and moving its status (closing only once every due report is filed and
//! every flagged review is decided).

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::domain::incident::reports::Track;
use crate::domain::incident::{IncidentStatus, ReviewState, TimelineKind};
use crate::entities::{control_review, incident, incident_report, incident_timeline};
use crate::store::audit::{self, Actor, Changes, Entry};
use crate::store::incidents::{reports_of, reviews_of_incident};

/// Records that a report was filed.
///
/// # Errors
/// When a write fails.
pub async fn submit_report<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    report: incident_report::Model,
    submitted_on: NaiveDate,
    reference: Option<String>,
) -> Result<incident_report::Model, DbErr> {
    let changes = Changes::new()
        .changed("submitted_on", report.submitted_on.map(|d| d.to_string()), submitted_on.to_string())
        .changed("reference", report.reference.clone(), reference.clone());
    let (organisation_id, incident_id, track) = (report.organisation_id, report.incident_id, report.track);
    let mut active: incident_report::ActiveModel = report.into();
    active.submitted_on = Set(Some(submitted_on));
    active.reference = Set(reference);
    active.submitted_by = Set(actor.user_id);
    active.recorded_at = Set(Some(Utc::now()));
    let saved = active.update(db).await?;
    audit::record(
        db,
        actor,
        Entry {
            organisation_id: Some(organisation_id),
            entity: "incident",
            entity_id: incident_id.to_string(),
            action: "submit_report",
            changes: changes.created("track", track),
        },
    )
    .await?;
    Ok(saved)
}

/// One report of an incident of the organisation.
///
/// # Errors
/// When the query fails.
pub async fn find_report<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
    incident_id: i32,
    track: &str,
) -> Result<Option<incident_report::Model>, DbErr> {
    incident_report::Entity::find()
        .filter(incident_report::Column::OrganisationId.eq(organisation_id))
        .filter(incident_report::Column::IncidentId.eq(incident_id))
        .filter(incident_report::Column::Track.eq(track))
        .one(db)
        .await
}

/// One review of an incident of the organisation.
///
/// # Errors
/// When the query fails.
pub async fn find_review<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
    incident_id: i32,
    review_id: i32,
) -> Result<Option<control_review::Model>, DbErr> {
    control_review::Entity::find_by_id(review_id)
        .filter(control_review::Column::OrganisationId.eq(organisation_id))
        .filter(control_review::Column::IncidentId.eq(incident_id))
        .one(db)
        .await
}

/// Decides a review: `no_change_needed` or `changed`, with a note.
///
/// # Errors
/// When a write fails.
pub async fn decide_review<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    review: control_review::Model,
    state: ReviewState,
    note: &str,
    corrective_action_id: Option<i32>,
) -> Result<control_review::Model, DbErr> {
    let changes = Changes::new()
        .changed("state", review.state, state)
        .changed("decision_note", review.decision_note.clone(), note)
        .changed("corrective_action_id", review.corrective_action_id, corrective_action_id)
        .created("control_id", review.control_id.clone());
    let (organisation_id, incident_id) = (review.organisation_id, review.incident_id);
    let mut active: control_review::ActiveModel = review.into();
    active.state = Set(state);
    active.decision_note = Set(Some(note.to_owned()));
    active.corrective_action_id = Set(corrective_action_id);
    active.decided_by = Set(actor.user_id);
    active.decided_at = Set(Some(Utc::now()));
    let saved = active.update(db).await?;
    audit::record(
        db,
        actor,
        Entry {
            organisation_id: Some(organisation_id),
            entity: "incident",
            entity_id: incident_id.to_string(),
            action: "decide_review",
            changes,
        },
    )
    .await?;
    Ok(saved)
}

/// Adds a dated entry to the response timeline.
///
/// # Errors
/// When the insert fails.
pub async fn add_timeline_entry<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    incident: &incident::Model,
    occurred_on: NaiveDate,
    kind: TimelineKind,
    note: &str,
) -> Result<incident_timeline::Model, DbErr> {
    let created = incident_timeline::ActiveModel {
        organisation_id: Set(incident.organisation_id),
        incident_id: Set(incident.id),
        occurred_on: Set(occurred_on),
        kind: Set(kind),
        note: Set(note.to_owned()),
        created_by: Set(actor.user_id.unwrap_or_default()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::record(
        db,
        actor,
        Entry {
            organisation_id: Some(incident.organisation_id),
            entity: "incident",
            entity_id: incident.id.to_string(),
            action: "add_timeline_entry",
            changes: Changes::new()
                .created("occurred_on", occurred_on.to_string())
                .created("kind", kind)
                .created("note", note),
        },
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
    /// Tracks of required reports not yet filed.
    pub unfiled_reports: Vec<Track>,
    /// Controls whose flagged review is still open.
    pub open_reviews: Vec<String>,
}

impl CloseBlockers {
    /// What stops closing, from the incident's report and review rows.
    pub fn of(reports: &[incident_report::Model], reviews: &[control_review::Model]) -> Self {
        Self {
            unfiled_reports: reports
                .iter()
                .filter(|r| r.required && r.submitted_on.is_none())
                .map(|r| r.track)
                .collect(),
            open_reviews: reviews
                .iter()
                .filter(|r| r.flagged && r.state == ReviewState::Open)
                .map(|r| r.control_id.clone())
                .collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.unfiled_reports.is_empty() && self.open_reviews.is_empty()
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
    Ok(CloseBlockers::of(&reports_of(db, incident_id).await?, &reviews_of_incident(db, incident_id).await?))
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
    // report due) makes this change fail instead of closing over it.
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
    audit::record(
        db,
        actor,
        Entry {
            organisation_id: Some(organisation_id),
            entity: "incident",
            entity_id: id.to_string(),
            action: "change_status",
            changes,
        },
    )
    .await?;
    Ok(saved)
}
