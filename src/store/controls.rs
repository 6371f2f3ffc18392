//! Each organisation's controls: seeded from the current catalog, edited with an optimistic lock.

use std::collections::HashSet;

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QuerySelect, Set};

use crate::domain::catalog::Catalog;
use crate::domain::control::ControlStatus;
use crate::entities::{organisation, organisation_control};
use crate::store::audit::{self, Actor, Entry};
use crate::store::edit::Edit;

/// The values an editor sets on a control.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ControlChanges {
    pub applicable: bool,
    pub not_applicable_reason: Option<String>,
    pub status: ControlStatus,
    pub owner_user_id: Option<i32>,
    pub internal_rule: String,
    pub notes: String,
    pub last_reviewed_on: Option<NaiveDate>,
    pub next_review_due: Option<NaiveDate>,
}

/// Why an update did not happen.
#[derive(Debug, thiserror::Error)]
pub enum UpdateError {
    /// Someone saved the control since the form was loaded; here is what they saved.
    #[error("the control was changed by someone else")]
    Conflict(Box<organisation_control::Model>),
    #[error("no such control")]
    NotFound,
    #[error(transparent)]
    Database(#[from] DbErr),
}

/// Adds the catalog's controls an organisation does not have yet (all of them for a new one).
/// Returns how many were added.
///
/// # Errors
/// When a query fails.
pub async fn seed<C: ConnectionTrait>(db: &C, organisation_id: i32, catalog: &Catalog) -> Result<usize, DbErr> {
    let existing: HashSet<String> = organisation_control::Entity::find()
        .select_only()
        .column(organisation_control::Column::ControlId)
        .filter(organisation_control::Column::OrganisationId.eq(organisation_id))
        .filter(organisation_control::Column::CatalogVersion.eq(&catalog.version))
        .into_tuple::<String>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let now = Utc::now();
    let missing: Vec<_> = catalog
        .controls()
        .filter(|entry| !existing.contains(&entry.id))
        .map(|entry| organisation_control::ActiveModel {
            organisation_id: Set(organisation_id),
            catalog_version: Set(catalog.version.clone()),
            control_id: Set(entry.id.clone()),
            applicable: Set(true),
            not_applicable_reason: Set(None),
            status: Set(ControlStatus::NotStarted),
            owner_user_id: Set(None),
            internal_rule: Set(String::new()),
            notes: Set(String::new()),
            last_reviewed_on: Set(None),
            next_review_due: Set(None),
            lock_version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        })
        .collect();
    let added = missing.len();
    if added > 0 {
        organisation_control::Entity::insert_many(missing).exec(db).await?;
    }
    Ok(added)
}

/// Seeds every organisation (at start-up: organisations created before a catalog grew).
///
/// # Errors
/// When a query fails.
pub async fn seed_all<C: ConnectionTrait>(db: &C, catalog: &Catalog) -> Result<usize, DbErr> {
    let ids: Vec<i32> =
        organisation::Entity::find().select_only().column(organisation::Column::Id).into_tuple().all(db).await?;
    let mut added = 0;
    for id in ids {
        added += seed(db, id, catalog).await?;
    }
    Ok(added)
}

/// Every control of an organisation in one catalog version (unordered: order by the catalog).
///
/// # Errors
/// When the query fails.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
    version: &str,
) -> Result<Vec<organisation_control::Model>, DbErr> {
    organisation_control::Entity::find()
        .filter(organisation_control::Column::OrganisationId.eq(organisation_id))
        .filter(organisation_control::Column::CatalogVersion.eq(version))
        .all(db)
        .await
}

/// One control of an organisation by clause id.
///
/// # Errors
/// When the query fails.
pub async fn find<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
    version: &str,
    control_id: &str,
) -> Result<Option<organisation_control::Model>, DbErr> {
    organisation_control::Entity::find()
        .filter(organisation_control::Column::OrganisationId.eq(organisation_id))
        .filter(organisation_control::Column::CatalogVersion.eq(version))
        .filter(organisation_control::Column::ControlId.eq(control_id))
        .one(db)
        .await
}

/// Saves an editor's changes if nobody saved the control since `expected_version` was read.
/// The check and the write are one conditional UPDATE, so two simultaneous saves cannot both win.
///
/// # Errors
/// `Conflict` with the current row, `NotFound`, or a database error.
pub async fn update<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    current: &organisation_control::Model,
    expected_version: i32,
    changes: &ControlChanges,
) -> Result<organisation_control::Model, UpdateError> {
    use organisation_control::Column as Col;
    // Exhaustive: a field added to `ControlChanges` is a compile error here until it is written
    // and recorded.
    let ControlChanges {
        applicable,
        not_applicable_reason,
        status,
        owner_user_id,
        internal_rule,
        notes,
        last_reviewed_on,
        next_review_due,
    } = changes;
    let c = current;
    let edit = Edit::new()
        .field("applicable", Col::Applicable, Some(&c.applicable), applicable)
        .field("not_applicable_reason", Col::NotApplicableReason, Some(&c.not_applicable_reason), not_applicable_reason)
        .field("status", Col::Status, Some(&c.status), status)
        .field("owner_user_id", Col::OwnerUserId, Some(&c.owner_user_id), owner_user_id)
        .field("internal_rule", Col::InternalRule, Some(&c.internal_rule), internal_rule)
        .field("notes", Col::Notes, Some(&c.notes), notes)
        .field("last_reviewed_on", Col::LastReviewedOn, Some(&c.last_reviewed_on), last_reviewed_on)
        .field("next_review_due", Col::NextReviewDue, Some(&c.next_review_due), next_review_due);
    let result = edit
        .update_locked(organisation_control::Entity::update_many(), Col::LockVersion, expected_version)
        .col_expr(Col::UpdatedAt, Expr::value(Utc::now()))
        .filter(Col::Id.eq(current.id))
        .exec(db)
        .await?;
    let saved = organisation_control::Entity::find_by_id(current.id).one(db).await?.ok_or(UpdateError::NotFound)?;
    if result.rows_affected == 0 {
        return Err(UpdateError::Conflict(Box::new(saved)));
    }
    let audit_changes = edit.changes();
    audit::record(db, actor, Entry::new(Some(saved.organisation_id), "control", saved.id, "update", audit_changes))
        .await?;
    Ok(saved)
}
