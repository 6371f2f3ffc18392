//! Evidence rows: files and links attached to a control or a duty record.

use chrono::{NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::domain::evidence::EvidenceKind;
use crate::entities::evidence;
use crate::store::audit::{self, Actor, Entry};
use crate::store::edit::Edit;

/// What the evidence is attached to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Control(i32),
    DutyRecord(i32),
    CorrectiveAction(i32),
    IncidentFiling(i32),
    IncidentTimeline(i32),
    /// A training: its materials, attendance sheets, test.
    Training(i32),
}

/// A stored file's facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFile {
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub storage_key: String,
}

/// A new evidence row: a file or a link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvidence {
    pub subject: Subject,
    pub description: String,
    pub effective_on: NaiveDate,
    pub supersedes_id: Option<i32>,
    pub content: Content,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    File(StoredFile),
    Link(String),
}

/// Inserts an evidence row and records it in the audit trail of its subject.
///
/// # Errors
/// When the insert fails.
pub async fn insert<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    organisation_id: i32,
    new: NewEvidence,
) -> Result<evidence::Model, DbErr> {
    use evidence::Column as Col;
    // Exhaustive: a field added to `NewEvidence` or `StoredFile` is a compile error here until it
    // is written (and recorded, or said why not).
    let NewEvidence { subject, description, effective_on, supersedes_id, content } = &new;
    let mut edit = Edit::new()
        .field("description", Col::Description, None, description)
        .field("effective_on", Col::EffectiveOn, None, effective_on)
        .field("supersedes_id", Col::SupersedesId, None, supersedes_id);
    let mut row = <evidence::ActiveModel as Default>::default();
    match content {
        Content::File(StoredFile { file_name, content_type, size_bytes, sha256, storage_key }) => {
            row.kind = Set(EvidenceKind::File);
            edit = edit
                .field("file_name", Col::FileName, None, &Some(file_name.clone()))
                .field("sha256", Col::Sha256, None, &Some(sha256.clone()))
                .field("size_bytes", Col::SizeBytes, None, &Some(*size_bytes));
            // Not recorded: the type is served from a list of inert types, and the storage key is
            // where this instance keeps the bytes, which the SHA-256 already identifies.
            row.content_type = Set(Some(content_type.clone()));
            row.storage_key = Set(Some(storage_key.clone()));
        }
        Content::Link(url) => {
            row.kind = Set(EvidenceKind::Link);
            edit = edit.field("url", Col::Url, None, &Some(url.clone()));
        }
    }
    edit.apply(&mut row);
    match *subject {
        Subject::Control(id) => row.control_row_id = Set(Some(id)),
        Subject::DutyRecord(id) => row.duty_record_id = Set(Some(id)),
        Subject::CorrectiveAction(id) => row.corrective_action_id = Set(Some(id)),
        Subject::IncidentFiling(id) => row.incident_filing_id = Set(Some(id)),
        Subject::IncidentTimeline(id) => row.incident_timeline_id = Set(Some(id)),
        Subject::Training(id) => row.training_id = Set(Some(id)),
    }
    row.organisation_id = Set(organisation_id);
    row.uploaded_by = Set(actor.user_id.unwrap_or_default());
    row.created_at = Set(Utc::now());
    let created = row.insert(db).await?;
    let changes = edit.changes().created("evidence_id", created.id);
    let (entity, entity_id) = match new.subject {
        Subject::Control(id) => ("control", id),
        Subject::DutyRecord(id) => ("duty_record", id),
        Subject::CorrectiveAction(id) => ("corrective_action", id),
        Subject::IncidentFiling(id) => ("incident_filing", id),
        Subject::IncidentTimeline(id) => ("incident_timeline", id),
        Subject::Training(id) => ("training", id),
    };
    audit::record(db, actor, Entry::new(Some(organisation_id), entity, entity_id, "add_evidence", changes)).await?;
    Ok(created)
}

/// The evidence of one subject, newest effective date first.
///
/// # Errors
/// When the query fails.
pub async fn list_for<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
    subject: Subject,
) -> Result<Vec<evidence::Model>, DbErr> {
    let query = evidence::Entity::find().filter(evidence::Column::OrganisationId.eq(organisation_id));
    let query = match subject {
        Subject::Control(id) => query.filter(evidence::Column::ControlRowId.eq(id)),
        Subject::DutyRecord(id) => query.filter(evidence::Column::DutyRecordId.eq(id)),
        Subject::CorrectiveAction(id) => query.filter(evidence::Column::CorrectiveActionId.eq(id)),
        Subject::IncidentFiling(id) => query.filter(evidence::Column::IncidentFilingId.eq(id)),
        Subject::IncidentTimeline(id) => query.filter(evidence::Column::IncidentTimelineId.eq(id)),
        Subject::Training(id) => query.filter(evidence::Column::TrainingId.eq(id)),
    };
    query.order_by_desc(evidence::Column::EffectiveOn).order_by_desc(evidence::Column::Id).all(db).await
}

/// One evidence row of an organisation.
///
/// # Errors
/// When the query fails.
pub async fn find<C: ConnectionTrait>(db: &C, organisation_id: i32, id: i32) -> Result<Option<evidence::Model>, DbErr> {
    evidence::Entity::find_by_id(id).filter(evidence::Column::OrganisationId.eq(organisation_id)).one(db).await
}

/// The evidence attached to any of the given filings or timeline entries (one incident's).
///
/// # Errors
/// When the query fails.
pub async fn list_for_incident<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
    filing_ids: Vec<i32>,
    timeline_ids: Vec<i32>,
) -> Result<Vec<evidence::Model>, DbErr> {
    evidence::Entity::find()
        .filter(evidence::Column::OrganisationId.eq(organisation_id))
        .filter(
            sea_orm::Condition::any()
                .add(evidence::Column::IncidentFilingId.is_in(filing_ids))
                .add(evidence::Column::IncidentTimelineId.is_in(timeline_ids)),
        )
        .order_by_asc(evidence::Column::EffectiveOn)
        .order_by_asc(evidence::Column::Id)
        .all(db)
        .await
}
