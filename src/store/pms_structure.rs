//! An organisation's PMS 体制 (`pms_structures`, one row per organisation): read, and saved
//! through `Edit` with optimistic locking.

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};

use crate::domain::pms_structure::{Holder, PmsStructure};
use crate::entities::pms_structure::{self, Column as Col};
use crate::store::audit::{self, Actor, Entry};
use crate::store::edit::Edit;

/// Why a save was refused.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// Someone saved the 体制 since the form was loaded; here is what they saved.
    #[error("the PMS structure was changed by someone else")]
    Conflict(Box<pms_structure::Model>),
    #[error(transparent)]
    Database(#[from] DbErr),
}

/// The organisation's 体制 as stored, `None` before its first save.
///
/// # Errors
/// When the query fails.
pub async fn find<C: ConnectionTrait>(db: &C, organisation_id: i32) -> Result<Option<pms_structure::Model>, DbErr> {
    pms_structure::Entity::find_by_id(organisation_id).one(db).await
}

/// The stored columns of one holder: a member's id or a typed name.
fn columns(holder: Option<&Holder>) -> (Option<i32>, Option<String>) {
    match holder {
        Some(Holder::Member(id)) => (Some(*id), None),
        Some(Holder::Named(name)) => (None, Some(name.clone())),
        None => (None, None),
    }
}

fn holder(user_id: Option<i32>, name: Option<&String>) -> Option<Holder> {
    match (user_id, name) {
        (Some(id), _) => Some(Holder::Member(id)),
        (None, Some(name)) if !name.is_empty() => Some(Holder::Named(name.clone())),
        _ => None,
    }
}

/// The 体制 a stored row holds.
pub fn structure_of(row: &pms_structure::Model) -> PmsStructure {
    PmsStructure {
        representative: holder(row.representative_user_id, row.representative_name.as_ref()),
        pi_manager: holder(row.pi_manager_user_id, row.pi_manager_name.as_ref()),
        pi_manager_deputy: holder(row.pi_manager_deputy_user_id, row.pi_manager_deputy_name.as_ref()),
        audit_lead: holder(row.audit_lead_user_id, row.audit_lead_name.as_ref()),
        audit_lead_deputy: holder(row.audit_lead_deputy_user_id, row.audit_lead_deputy_name.as_ref()),
    }
}

/// Saves the 体制 if nobody saved it since `expected_version` was read (0: never saved). The
/// check and the write are one conditional statement; the audit entry names every changed post.
///
/// # Errors
/// `Conflict` with the stored row, or a database error.
pub async fn save<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    organisation_id: i32,
    expected_version: i32,
    values: &PmsStructure,
) -> Result<pms_structure::Model, SaveError> {
    let current = find(db, organisation_id).await?;
    if current.as_ref().map_or(0, |c| c.lock_version) != expected_version {
        return match current {
            Some(theirs) => Err(SaveError::Conflict(Box::new(theirs))),
            None => Err(SaveError::Database(DbErr::RecordNotFound("pms_structures".into()))),
        };
    }
    // Exhaustive: a post added to `PmsStructure` is a compile error here until it is written and
    // recorded.
    let PmsStructure { representative, pi_manager, pi_manager_deputy, audit_lead, audit_lead_deputy } = values;
    let c = current.as_ref();
    let (representative_user_id, representative_name) = columns(representative.as_ref());
    let (pi_manager_user_id, pi_manager_name) = columns(pi_manager.as_ref());
    let (pi_manager_deputy_user_id, pi_manager_deputy_name) = columns(pi_manager_deputy.as_ref());
    let (audit_lead_user_id, audit_lead_name) = columns(audit_lead.as_ref());
    let (audit_lead_deputy_user_id, audit_lead_deputy_name) = columns(audit_lead_deputy.as_ref());
    let edit = Edit::new()
        .field(
            "representative_user_id",
            Col::RepresentativeUserId,
            c.map(|c| &c.representative_user_id),
            &representative_user_id,
        )
        .field("representative_name", Col::RepresentativeName, c.map(|c| &c.representative_name), &representative_name)
        .field("pi_manager_user_id", Col::PiManagerUserId, c.map(|c| &c.pi_manager_user_id), &pi_manager_user_id)
        .field("pi_manager_name", Col::PiManagerName, c.map(|c| &c.pi_manager_name), &pi_manager_name)
        .field(
            "pi_manager_deputy_user_id",
            Col::PiManagerDeputyUserId,
            c.map(|c| &c.pi_manager_deputy_user_id),
            &pi_manager_deputy_user_id,
        )
        .field(
            "pi_manager_deputy_name",
            Col::PiManagerDeputyName,
            c.map(|c| &c.pi_manager_deputy_name),
            &pi_manager_deputy_name,
        )
        .field("audit_lead_user_id", Col::AuditLeadUserId, c.map(|c| &c.audit_lead_user_id), &audit_lead_user_id)
        .field("audit_lead_name", Col::AuditLeadName, c.map(|c| &c.audit_lead_name), &audit_lead_name)
        .field(
            "audit_lead_deputy_user_id",
            Col::AuditLeadDeputyUserId,
            c.map(|c| &c.audit_lead_deputy_user_id),
            &audit_lead_deputy_user_id,
        )
        .field(
            "audit_lead_deputy_name",
            Col::AuditLeadDeputyName,
            c.map(|c| &c.audit_lead_deputy_name),
            &audit_lead_deputy_name,
        );
    let changes = edit.changes();
    if edit.changed_names().is_empty() {
        return match current {
            Some(row) => Ok(row),
            None => Ok(insert(db, organisation_id, &edit).await?),
        };
    }
    let (saved, action) = match current {
        None => (insert(db, organisation_id, &edit).await?, "create"),
        Some(_) => {
            let result = edit
                .update_locked(pms_structure::Entity::update_many(), Col::LockVersion, expected_version)
                .col_expr(Col::UpdatedAt, Expr::value(Utc::now()))
                .filter(Col::OrganisationId.eq(organisation_id))
                .exec(db)
                .await?;
            let saved =
                find(db, organisation_id).await?.ok_or_else(|| DbErr::RecordNotFound("pms_structures".into()))?;
            if result.rows_affected == 0 {
                return Err(SaveError::Conflict(Box::new(saved)));
            }
            (saved, "update")
        }
    };
    audit::record(db, actor, Entry::new(Some(organisation_id), "pms_structure", organisation_id, action, changes))
        .await?;
    Ok(saved)
}

async fn insert<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
    edit: &Edit<Col>,
) -> Result<pms_structure::Model, DbErr> {
    let mut active = pms_structure::ActiveModel {
        organisation_id: Set(organisation_id),
        lock_version: Set(1),
        updated_at: Set(Utc::now()),
        ..Default::default()
    };
    edit.apply(&mut active);
    active.insert(db).await
}
