//! Each organisation's controls: seeded from the current catalog, edited with an optimistic lock.

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, QueryFilter, QuerySelect, Set};

use crate::domain::catalog::Catalog;
use crate::domain::control::ControlStatus;
use crate::entities::{evidence, organisation, organisation_control};
use crate::store::audit::{self, Actor, Changes, Entry};

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

/// Evidence count and latest effective date of one control.
#[derive(Debug, Clone, Copy, PartialEq, Eq, FromQueryResult)]
pub struct EvidenceSummary {
    pub control_row_id: i32,
    pub count: i64,
    pub latest: Option<NaiveDate>,
}

/// Evidence counts of every control of an organisation, in one grouped query.
///
/// # Errors
/// When the query fails.
pub async fn evidence_summaries<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
) -> Result<HashMap<i32, EvidenceSummary>, DbErr> {
    let rows = evidence::Entity::find()
        .select_only()
        .column(evidence::Column::ControlRowId)
        .column_as(evidence::Column::Id.count(), "count")
        .column_as(evidence::Column::EffectiveOn.max(), "latest")
        .filter(evidence::Column::OrganisationId.eq(organisation_id))
        .filter(evidence::Column::ControlRowId.is_not_null())
        .group_by(evidence::Column::ControlRowId)
        .into_model::<EvidenceSummary>()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|s| (s.control_row_id, s)).collect())
}

fn date_value(date: Option<NaiveDate>) -> serde_json::Value {
    date.map_or(serde_json::Value::Null, |d| serde_json::Value::String(d.to_string()))
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
    let now = Utc::now();
    let result = organisation_control::Entity::update_many()
        .col_expr(organisation_control::Column::Applicable, Expr::value(changes.applicable))
        .col_expr(organisation_control::Column::NotApplicableReason, Expr::value(changes.not_applicable_reason.clone()))
        .col_expr(organisation_control::Column::Status, Expr::value(changes.status.as_str()))
        .col_expr(organisation_control::Column::OwnerUserId, Expr::value(changes.owner_user_id))
        .col_expr(organisation_control::Column::InternalRule, Expr::value(changes.internal_rule.clone()))
        .col_expr(organisation_control::Column::Notes, Expr::value(changes.notes.clone()))
        .col_expr(organisation_control::Column::LastReviewedOn, Expr::value(changes.last_reviewed_on))
        .col_expr(organisation_control::Column::NextReviewDue, Expr::value(changes.next_review_due))
        .col_expr(
            organisation_control::Column::LockVersion,
            Expr::col(organisation_control::Column::LockVersion).add(1),
        )
        .col_expr(organisation_control::Column::UpdatedAt, Expr::value(now))
        .filter(organisation_control::Column::Id.eq(current.id))
        .filter(organisation_control::Column::LockVersion.eq(expected_version))
        .exec(db)
        .await?;
    let saved = organisation_control::Entity::find_by_id(current.id).one(db).await?.ok_or(UpdateError::NotFound)?;
    if result.rows_affected == 0 {
        return Err(UpdateError::Conflict(Box::new(saved)));
    }
    let audit_changes = Changes::new()
        .changed("applicable", current.applicable, saved.applicable)
        .changed("not_applicable_reason", current.not_applicable_reason.clone(), saved.not_applicable_reason.clone())
        .changed("status", current.status, saved.status)
        .changed("owner_user_id", current.owner_user_id, saved.owner_user_id)
        .changed("internal_rule", current.internal_rule.clone(), saved.internal_rule.clone())
        .changed("notes", current.notes.clone(), saved.notes.clone())
        .changed("last_reviewed_on", date_value(current.last_reviewed_on), date_value(saved.last_reviewed_on))
        .changed("next_review_due", date_value(current.next_review_due), date_value(saved.next_review_due));
    audit::record(
        db,
        actor,
        Entry {
            organisation_id: Some(saved.organisation_id),
            entity: "control",
            entity_id: saved.id.to_string(),
            action: "update",
            changes: audit_changes,
        },
    )
    .await?;
    Ok(saved)
}
