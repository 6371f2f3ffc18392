//! Yearly duties of an organisation and the records that complete their occurrences.

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set,
};

use crate::domain::catalog::Catalog;
use crate::domain::duties::{BUILTIN_DUTIES, RecordKind};
use crate::domain::pms_year::{Frequency, Month};
use crate::entities::{duty, duty_record};
use crate::store::audit::{self, Actor, Entry};
use crate::store::edit::{CorrectionError, Edit};

/// Adds the built-in duties an organisation does not have yet, due in their default months.
///
/// # Errors
/// When a query fails.
pub async fn seed<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
    start: Month,
    catalog: &Catalog,
) -> Result<usize, DbErr> {
    let existing: Vec<Option<String>> = duty::Entity::find()
        .filter(duty::Column::OrganisationId.eq(organisation_id))
        .all(db)
        .await?
        .into_iter()
        .map(|d| d.builtin_key)
        .collect();
    let now = Utc::now();
    let mut added = 0;
    for builtin in BUILTIN_DUTIES.iter().filter(|b| !existing.contains(&Some(b.key.to_owned()))) {
        duty::ActiveModel {
            organisation_id: Set(organisation_id),
            builtin_key: Set(Some(builtin.key.to_owned())),
            name: Set(None),
            catalog_version: Set(catalog.version.clone()),
            control_id: Set(builtin.control_id.to_owned()),
            frequency: Set(builtin.frequency),
            due_month: Set(i32::try_from(builtin.default_due_month(start).get()).unwrap_or(4)),
            record_kind: Set(builtin.record_kind),
            enabled: Set(true),
            lock_version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
        added += 1;
    }
    Ok(added)
}

/// Every duty of an organisation, built-in ones first in their fixed order, then its own by id.
///
/// # Errors
/// When the query fails.
pub async fn list<C: ConnectionTrait>(db: &C, organisation_id: i32) -> Result<Vec<duty::Model>, DbErr> {
    let mut duties = duty::Entity::find().filter(duty::Column::OrganisationId.eq(organisation_id)).all(db).await?;
    let position = |d: &duty::Model| {
        d.builtin_key
            .as_deref()
            .and_then(|k| BUILTIN_DUTIES.iter().position(|b| b.key == k))
            .unwrap_or(BUILTIN_DUTIES.len())
    };
    duties.sort_by_key(|d| (position(d), d.id));
    Ok(duties)
}

/// # Errors
/// When the query fails.
pub async fn find<C: ConnectionTrait>(db: &C, organisation_id: i32, id: i32) -> Result<Option<duty::Model>, DbErr> {
    duty::Entity::find_by_id(id).filter(duty::Column::OrganisationId.eq(organisation_id)).one(db).await
}

/// An organisation's own duty.
#[derive(Debug, Clone)]
pub struct NewDuty {
    pub name: String,
    pub control_id: String,
    pub frequency: Frequency,
    pub due_month: Month,
}

/// # Errors
/// When the insert fails.
pub async fn create<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    organisation_id: i32,
    catalog: &Catalog,
    new: &NewDuty,
) -> Result<duty::Model, DbErr> {
    use duty::Column as Col;
    let now = Utc::now();
    // Exhaustive: a field added to `NewDuty` is a compile error here until written and recorded.
    let NewDuty { name, control_id, frequency, due_month } = new;
    let edit = Edit::new()
        .field("name", Col::Name, None, &Some(name.clone()))
        .field("control_id", Col::ControlId, None, control_id)
        .field("frequency", Col::Frequency, None, frequency)
        .field("due_month", Col::DueMonth, None, &month_number(*due_month));
    let mut created = duty::ActiveModel {
        organisation_id: Set(organisation_id),
        builtin_key: Set(None),
        catalog_version: Set(catalog.version.clone()),
        record_kind: Set(RecordKind::Plain),
        enabled: Set(true),
        lock_version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    edit.apply(&mut created);
    let created = created.insert(db).await?;
    audit::record(db, actor, Entry::new(Some(organisation_id), "duty", created.id, "create", edit.changes())).await?;
    Ok(created)
}

/// The stored form of a due month (1–12).
fn month_number(month: Month) -> i32 {
    i32::try_from(month.get()).unwrap_or(1)
}

/// When a duty falls due, and whether it is done at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    pub enabled: bool,
    pub due_month: Month,
}

/// Switches a duty on or off and moves its due month.
///
/// # Errors
/// When the update fails.
pub async fn update_schedule<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    current: duty::Model,
    schedule: Schedule,
) -> Result<duty::Model, DbErr> {
    use duty::Column as Col;
    // Exhaustive: a field added to `Schedule` is a compile error here until written and recorded.
    let Schedule { enabled, due_month } = schedule;
    let edit = Edit::new().field("enabled", Col::Enabled, Some(&current.enabled), &enabled).field(
        "due_month",
        Col::DueMonth,
        Some(&current.due_month),
        &month_number(due_month),
    );
    let changes = edit.changes();
    if changes.is_empty() {
        return Ok(current);
    }
    let (id, organisation_id, version) = (current.id, current.organisation_id, current.lock_version);
    let mut active = current.into_active_model();
    edit.apply(&mut active);
    active.lock_version = Set(version + 1);
    active.updated_at = Set(Utc::now());
    let saved = active.update(db).await?;
    audit::record(db, actor, Entry::new(Some(organisation_id), "duty", id, "update", changes)).await?;
    Ok(saved)
}

/// Records of an organisation for the PMS years `from_year..=to_year`, in one query.
///
/// # Errors
/// When the query fails.
pub async fn records_between<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
    from_year: i32,
    to_year: i32,
) -> Result<Vec<duty_record::Model>, DbErr> {
    duty_record::Entity::find()
        .filter(duty_record::Column::OrganisationId.eq(organisation_id))
        .filter(duty_record::Column::PmsYear.between(from_year, to_year))
        .order_by_asc(duty_record::Column::PerformedOn)
        .all(db)
        .await
}

/// The record of one occurrence, if any.
///
/// # Errors
/// When the query fails.
pub async fn record_of<C: ConnectionTrait>(
    db: &C,
    duty_id: i32,
    pms_year: i32,
    slot: u32,
) -> Result<Option<duty_record::Model>, DbErr> {
    duty_record::Entity::find()
        .filter(duty_record::Column::DutyId.eq(duty_id))
        .filter(duty_record::Column::PmsYear.eq(pms_year))
        .filter(duty_record::Column::Slot.eq(i32::try_from(slot).unwrap_or(0)))
        .one(db)
        .await
}

/// What completes an occurrence.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewRecord {
    pub performed_on: NaiveDate,
    pub performed_by: String,
    pub summary: String,
    pub people_in_scope: Option<i32>,
    pub people_trained: Option<i32>,
    pub absentee_follow_up: Option<String>,
    pub findings_count: Option<i32>,
    pub decisions: Option<String>,
}

/// Why a record was not saved.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    #[error("this occurrence already has a record")]
    AlreadyRecorded,
    #[error(transparent)]
    Database(#[from] DbErr),
}

/// Completes an occurrence. One record per occurrence: the unique index refuses a second, even
/// from two simultaneous saves.
///
/// # Errors
/// `AlreadyRecorded`, or a database error.
pub async fn record<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    found: &duty::Model,
    pms_year: i32,
    slot: u32,
    new: &NewRecord,
) -> Result<duty_record::Model, RecordError> {
    use duty_record::Column as Col;
    let slot = i32::try_from(slot).unwrap_or(0);
    let edit = with_values(
        Edit::new()
            .field("duty_id", Col::DutyId, None, &found.id)
            .field("pms_year", Col::PmsYear, None, &pms_year)
            .field("slot", Col::Slot, None, &slot),
        None,
        new,
    );
    let mut created = duty_record::ActiveModel {
        organisation_id: Set(found.organisation_id),
        recorded_by: Set(actor.user_id.unwrap_or_default()),
        created_at: Set(Utc::now()),
        ..Default::default()
    };
    edit.apply(&mut created);
    let created = created
        .insert(db)
        .await
        .map_err(|e| if super::is_unique_violation(&e) { RecordError::AlreadyRecorded } else { e.into() })?;
    audit::record(
        db,
        actor,
        Entry::new(Some(found.organisation_id), "duty_record", created.id, "create", edit.changes()),
    )
    .await?;
    Ok(created)
}

/// `edit` with the entered values of a record (`before`: the stored record, `None` on creation).
fn with_values(
    edit: Edit<duty_record::Column>,
    before: Option<&duty_record::Model>,
    values: &NewRecord,
) -> Edit<duty_record::Column> {
    use duty_record::Column as Col;
    // Exhaustive: a field added to `NewRecord` is a compile error here until it is written and
    // recorded.
    let NewRecord {
        performed_on,
        performed_by,
        summary,
        people_in_scope,
        people_trained,
        absentee_follow_up,
        findings_count,
        decisions,
    } = values;
    let b = before;
    edit.field("performed_on", Col::PerformedOn, b.map(|b| &b.performed_on), performed_on)
        .field("performed_by", Col::PerformedBy, b.map(|b| &b.performed_by), performed_by)
        .field("summary", Col::Summary, b.map(|b| &b.summary), summary)
        .field("people_in_scope", Col::PeopleInScope, b.map(|b| &b.people_in_scope), people_in_scope)
        .field("people_trained", Col::PeopleTrained, b.map(|b| &b.people_trained), people_trained)
        .field("absentee_follow_up", Col::AbsenteeFollowUp, b.map(|b| &b.absentee_follow_up), absentee_follow_up)
        .field("findings_count", Col::FindingsCount, b.map(|b| &b.findings_count), findings_count)
        .field("decisions", Col::Decisions, b.map(|b| &b.decisions), decisions)
}

/// Corrects a record if nobody corrected it since `expected_version` was read: the changed
/// fields are written and recorded with their values before (`update` in the audit trail).
///
/// # Errors
/// `Conflict` with the stored record, or a database error.
pub async fn correct_record<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    current: &duty_record::Model,
    expected_version: i32,
    values: &NewRecord,
) -> Result<duty_record::Model, CorrectionError<duty_record::Model>> {
    use duty_record::Column as Col;
    let edit = with_values(Edit::new(), Some(current), values);
    let result = edit
        .update_locked(duty_record::Entity::update_many(), Col::LockVersion, expected_version)
        .filter(Col::Id.eq(current.id))
        .exec(db)
        .await?;
    let saved = duty_record::Entity::find_by_id(current.id)
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("duty_records".into()))?;
    if result.rows_affected == 0 {
        return Err(CorrectionError::Conflict(Box::new(saved)));
    }
    if !edit.changed_names().is_empty() {
        let entry = Entry::new(Some(saved.organisation_id), "duty_record", saved.id, "update", edit.changes());
        audit::record(db, actor, entry).await?;
    }
    Ok(saved)
}

/// The frequency and due month of a stored duty (a bad stored month falls back to April).
pub fn schedule_of(duty: &duty::Model) -> (Frequency, Month) {
    let frequency = duty.frequency;
    let month = u32::try_from(duty.due_month).ok().and_then(|m| Month::new(m).ok()).unwrap_or(Month::APRIL);
    (frequency, month)
}

/// Records of an organisation from PMS year `from_year` on, in one query.
///
/// # Errors
/// When the query fails.
pub async fn records_from<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
    from_year: i32,
) -> Result<Vec<duty_record::Model>, DbErr> {
    duty_record::Entity::find()
        .filter(duty_record::Column::OrganisationId.eq(organisation_id))
        .filter(duty_record::Column::PmsYear.gte(from_year))
        .order_by_asc(duty_record::Column::PerformedOn)
        .all(db)
        .await
}
