//! An organisation's Privacy Mark certification cycles.

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::domain::certification::{CertificationStatus, ExaminationBody};
use crate::domain::reminders;
use crate::entities::certification;
use crate::store::audit::{self, Actor, Changes, Entry};
use crate::store::edit::Edit;

/// What the certification form sets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificationValues {
    pub registration_number: String,
    pub examination_body: ExaminationBody,
    pub examination_body_other: Option<String>,
    pub first_granted_on: NaiveDate,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
    pub status: CertificationStatus,
    pub applied_on: Option<NaiveDate>,
    pub notes: String,
}

/// Why a save did not happen.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("the certification was changed by someone else")]
    Conflict,
    #[error(transparent)]
    Database(#[from] DbErr),
}

/// Every cycle, newest first.
///
/// # Errors
/// When the query fails.
pub async fn history<C: ConnectionTrait>(db: &C, organisation_id: i32) -> Result<Vec<certification::Model>, DbErr> {
    certification::Entity::find()
        .filter(certification::Column::OrganisationId.eq(organisation_id))
        .order_by_desc(certification::Column::ValidFrom)
        .all(db)
        .await
}

/// Creates the first cycle, or updates `current` if nobody saved it since `expected_version`.
///
/// # Errors
/// `Conflict`, or a database error.
pub async fn save<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    organisation_id: i32,
    current: Option<&certification::Model>,
    expected_version: i32,
    values: &CertificationValues,
) -> Result<(), SaveError> {
    use certification::Column as Col;
    let now = Utc::now();
    // Exhaustive: a field added to `CertificationValues` is a compile error here until it is
    // written and recorded.
    let CertificationValues {
        registration_number,
        examination_body,
        examination_body_other,
        first_granted_on,
        valid_from,
        valid_until,
        status,
        applied_on,
        notes,
    } = values;
    let b = current;
    let edit = Edit::new()
        .field("registration_number", Col::RegistrationNumber, b.map(|b| &b.registration_number), registration_number)
        .field("examination_body", Col::ExaminationBody, b.map(|b| &b.examination_body), examination_body)
        .field(
            "examination_body_other",
            Col::ExaminationBodyOther,
            b.map(|b| &b.examination_body_other),
            examination_body_other,
        )
        .field("first_granted_on", Col::FirstGrantedOn, b.map(|b| &b.first_granted_on), first_granted_on)
        .field("valid_from", Col::ValidFrom, b.map(|b| &b.valid_from), valid_from)
        .field("valid_until", Col::ValidUntil, b.map(|b| &b.valid_until), valid_until)
        .field("status", Col::Status, b.map(|b| &b.status), status)
        .field("applied_on", Col::AppliedOn, b.map(|b| &b.applied_on), applied_on)
        .field("notes", Col::Notes, b.map(|b| &b.notes), notes);
    let (id, action) = match current {
        None => {
            let mut created = certification::ActiveModel {
                organisation_id: Set(organisation_id),
                lock_version: Set(1),
                recorded_by: Set(actor.user_id.unwrap_or_default()),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            };
            edit.apply(&mut created);
            let created = created.insert(db).await?;
            (created.id, "create")
        }
        Some(current) => {
            let result = edit
                .update(certification::Entity::update_many())
                .col_expr(certification::Column::LockVersion, Expr::col(certification::Column::LockVersion).add(1))
                .col_expr(certification::Column::UpdatedAt, Expr::value(now))
                .filter(certification::Column::Id.eq(current.id))
                .filter(certification::Column::LockVersion.eq(expected_version))
                .exec(db)
                .await?;
            if result.rows_affected == 0 {
                return Err(SaveError::Conflict);
            }
            (current.id, "update")
        }
    };
    audit::record(db, actor, Entry::new(Some(organisation_id), "certification", id, action, edit.changes())).await?;
    Ok(())
}

/// A renewal decision as the examination body gave it: the day it was decided (更新決定日) and
/// the new validity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RenewalDecision {
    pub decided_on: NaiveDate,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
}

/// Records a renewal decision: a new, valid cycle after `current`. The current cycle's row is
/// kept as it is (its dates, status, application date and notes) as the previous cycle; the new
/// one starts with empty notes.
///
/// # Errors
/// When a write fails (a second decision for the same cycle hits the unique index).
pub async fn record_renewal<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    current: &certification::Model,
    decision: &RenewalDecision,
) -> Result<certification::Model, DbErr> {
    let RenewalDecision { decided_on, valid_from, valid_until } = *decision;
    let now = Utc::now();
    let created = certification::ActiveModel {
        organisation_id: Set(current.organisation_id),
        registration_number: Set(current.registration_number.clone()),
        examination_body: Set(current.examination_body),
        examination_body_other: Set(current.examination_body_other.clone()),
        first_granted_on: Set(current.first_granted_on),
        valid_from: Set(valid_from),
        valid_until: Set(valid_until),
        status: Set(CertificationStatus::Valid),
        applied_on: Set(None),
        notes: Set(String::new()),
        renewal_decided_on: Set(Some(decided_on)),
        lock_version: Set(1),
        recorded_by: Set(actor.user_id.unwrap_or_default()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::record(
        db,
        actor,
        Entry::new(
            Some(current.organisation_id),
            "certification",
            created.id,
            "renewal_decided",
            Changes::new()
                .created("renewal_decided_on", decided_on)
                .created("valid_from", valid_from)
                .created("valid_until", valid_until)
                .created("previous_cycle", current.id),
        ),
    )
    .await?;
    Ok(created)
}

/// Undoes the renewal decision that started `latest`: the cycle is removed and `previous`, whose
/// row the decision left untouched, is the current cycle again with its dates, status,
/// application date and notes. The removed cycle's values stay in the audit trail. The renewal
/// reminders follow: they are derived from the current cycle, and their keys name the cycle's
/// expiry, so the restored cycle's reminders already sent are not sent again; the removed
/// cycle's reminders not sent yet are recorded as skipped.
///
/// Returns `false` when `latest` was already removed (a second undo).
///
/// # Errors
/// When a write fails.
pub async fn undo_renewal<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    latest: &certification::Model,
    previous: &certification::Model,
) -> Result<bool, DbErr> {
    let removed = certification::Entity::delete_many()
        .filter(certification::Column::Id.eq(latest.id))
        .filter(certification::Column::OrganisationId.eq(previous.organisation_id))
        .exec(db)
        .await?;
    if removed.rows_affected == 0 {
        return Ok(false);
    }
    // The removed cycle's reminders not sent yet never will be.
    let keys = reminders::message_keys_of_cycle(latest.organisation_id, latest.valid_until);
    let reason = reminders::SkipReason::CycleRemoved.as_str();
    crate::store::outbox::skip_unsent(db, latest.organisation_id, &keys, reason).await?;
    audit::record(
        db,
        actor,
        Entry::new(
            Some(previous.organisation_id),
            "certification",
            latest.id,
            "renewal_undone",
            Changes::new()
                .changed("valid_from", latest.valid_from, previous.valid_from)
                .changed("valid_until", latest.valid_until, previous.valid_until)
                .changed("status", latest.status, previous.status)
                .changed("applied_on", latest.applied_on, previous.applied_on)
                .changed("renewal_decided_on", latest.renewal_decided_on, previous.renewal_decided_on)
                .changed("notes", latest.notes.as_str(), previous.notes.as_str())
                .created("previous_cycle", previous.id),
        ),
    )
    .await?;
    Ok(true)
}

/// The current (latest) cycle of every organisation that has one, in one query.
///
/// # Errors
/// When the query fails.
pub async fn current_of_all<C: ConnectionTrait>(db: &C) -> Result<Vec<certification::Model>, DbErr> {
    let all = certification::Entity::find()
        .order_by_asc(certification::Column::OrganisationId)
        .order_by_desc(certification::Column::ValidFrom)
        .all(db)
        .await?;
    let mut current: Vec<certification::Model> = Vec::new();
    for cycle in all {
        if current.last().is_none_or(|c| c.organisation_id != cycle.organisation_id) {
            current.push(cycle);
        }
    }
    Ok(current)
}
