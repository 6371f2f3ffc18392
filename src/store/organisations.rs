//! Organisations and their members.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};

use crate::domain::catalog::Catalog;
use crate::domain::lang::DateStyle;
use crate::domain::pms_year::Month;
use crate::domain::{OrganisationName, Role};
use crate::entities::{membership, organisation, user};
use crate::store::audit::{self, Actor, Changes, Entry};
use crate::store::edit::Edit;

/// One organisation a user belongs to, with the user's role there.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MembershipOf {
    pub organisation: organisation::Model,
    pub role: Role,
}

/// One member of an organisation.
#[derive(Debug, Clone)]
pub struct Member {
    pub membership_id: i32,
    pub user: user::Model,
    pub role: Role,
    pub since: chrono::DateTime<Utc>,
    /// The member receives no reminders that are not a legal duty.
    pub reminders_opt_out: bool,
}

/// Why a membership change was refused.
#[derive(Debug, thiserror::Error)]
pub enum MembershipChangeError {
    #[error("no such member")]
    NotFound,
    #[error("an organisation must keep at least one admin")]
    LastAdmin,
    #[error(transparent)]
    Database(#[from] DbErr),
}

pub(crate) fn parse_role(stored: &str) -> Result<Role, DbErr> {
    Role::parse(stored).map_err(|_| DbErr::Type(format!("unknown role `{stored}` in memberships")))
}

/// Creates an organisation with `admin_user_id` as its first admin.
///
/// # Errors
/// When an insert fails.
pub async fn create<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    name: &OrganisationName,
    admin_user_id: i32,
    catalog: &Catalog,
) -> Result<organisation::Model, DbErr> {
    let now = Utc::now();
    let org = organisation::ActiveModel {
        name: Set(name.as_str().to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::record(
        db,
        actor,
        Entry::new(Some(org.id), "organisation", org.id, "create", Changes::new().created("name", org.name.clone())),
    )
    .await?;
    add_member(db, actor, org.id, admin_user_id, Role::Admin).await?;
    crate::store::controls::seed(db, org.id, catalog).await?;
    let start = Month::new(u32::try_from(org.pms_year_start_month).unwrap_or(4)).unwrap_or(Month::APRIL);
    crate::store::duties::seed(db, org.id, start, catalog).await?;
    Ok(org)
}

/// Adds a member (or does nothing when they already belong).
///
/// # Errors
/// When an insert fails.
pub async fn add_member<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    organisation_id: i32,
    user_id: i32,
    role: Role,
) -> Result<(), DbErr> {
    let exists = membership::Entity::find()
        .filter(membership::Column::OrganisationId.eq(organisation_id))
        .filter(membership::Column::UserId.eq(user_id))
        .count(db)
        .await?
        > 0;
    if exists {
        return Ok(());
    }
    let created = membership::ActiveModel {
        organisation_id: Set(organisation_id),
        user_id: Set(user_id),
        role: Set(role),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::record(
        db,
        actor,
        Entry::new(
            Some(organisation_id),
            "membership",
            created.id,
            "create",
            Changes::new().created("user_id", user_id).created("role", role.as_str()),
        ),
    )
    .await
}

/// Every organisation.
///
/// # Errors
/// When the query fails.
pub async fn all<C: ConnectionTrait>(db: &C) -> Result<Vec<organisation::Model>, DbErr> {
    organisation::Entity::find().all(db).await
}

/// The members of an organisation with their accounts, in one query.
///
/// # Errors
/// When the query fails.
pub async fn members<C: ConnectionTrait>(db: &C, organisation_id: i32) -> Result<Vec<Member>, DbErr> {
    let rows = membership::Entity::find()
        .filter(membership::Column::OrganisationId.eq(organisation_id))
        .find_also_related(user::Entity)
        .order_by_asc(user::Column::DisplayName)
        .all(db)
        .await?;
    rows.into_iter()
        .filter_map(|(m, u)| u.map(|u| (m, u)))
        .map(|(m, user)| {
            Ok(Member {
                membership_id: m.id,
                role: m.role,
                user,
                since: m.created_at,
                reminders_opt_out: m.reminders_opt_out,
            })
        })
        .collect()
}

/// The members of many organisations with their accounts, by organisation: one query per
/// [`crate::store::outbox::BATCH_ROWS`] organisations (for the reminder pass).
///
/// # Errors
/// When a query fails.
pub async fn members_of_many<C: ConnectionTrait>(
    db: &C,
    organisation_ids: &[i32],
) -> Result<std::collections::HashMap<i32, Vec<Member>>, DbErr> {
    let mut by_organisation: std::collections::HashMap<i32, Vec<Member>> = std::collections::HashMap::new();
    for chunk in organisation_ids.chunks(crate::store::outbox::BATCH_ROWS) {
        let rows = membership::Entity::find()
            .filter(membership::Column::OrganisationId.is_in(chunk.iter().copied()))
            .find_also_related(user::Entity)
            .order_by_asc(user::Column::DisplayName)
            .all(db)
            .await?;
        for (m, user) in rows.into_iter().filter_map(|(m, u)| u.map(|u| (m, u))) {
            by_organisation.entry(m.organisation_id).or_default().push(Member {
                membership_id: m.id,
                role: m.role,
                user,
                since: m.created_at,
                reminders_opt_out: m.reminders_opt_out,
            });
        }
    }
    Ok(by_organisation)
}

async fn admin_count<C: ConnectionTrait>(db: &C, organisation_id: i32) -> Result<u64, DbErr> {
    membership::Entity::find()
        .filter(membership::Column::OrganisationId.eq(organisation_id))
        .filter(membership::Column::Role.eq(Role::Admin.as_str()))
        .count(db)
        .await
}

/// Takes the organisation's row lock for the rest of the transaction (a no-op write), so that
/// checks like "at least one admin remains" cannot be raced by a concurrent transaction: on
/// PostgreSQL the row lock serialises them, on SQLite the write lock does.
async fn lock_organisation<C: ConnectionTrait>(db: &C, organisation_id: i32) -> Result<(), DbErr> {
    organisation::Entity::update_many()
        .col_expr(organisation::Column::UpdatedAt, sea_orm::sea_query::Expr::col(organisation::Column::UpdatedAt))
        .filter(organisation::Column::Id.eq(organisation_id))
        .exec(db)
        .await
        .map(|_| ())
}

async fn find_membership<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
    membership_id: i32,
) -> Result<membership::Model, MembershipChangeError> {
    membership::Entity::find_by_id(membership_id)
        .filter(membership::Column::OrganisationId.eq(organisation_id))
        .one(db)
        .await?
        .ok_or(MembershipChangeError::NotFound)
}

/// Changes a member's role; the last admin cannot be demoted. Run it in a transaction.
///
/// # Errors
/// `NotFound` for a membership of another organisation, `LastAdmin`, or a database error.
pub async fn change_role<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    organisation_id: i32,
    membership_id: i32,
    role: Role,
) -> Result<(), MembershipChangeError> {
    lock_organisation(db, organisation_id).await?;
    let current = find_membership(db, organisation_id, membership_id).await?;
    let before = current.role;
    if before == role {
        return Ok(());
    }
    if before == Role::Admin && admin_count(db, organisation_id).await? <= 1 {
        return Err(MembershipChangeError::LastAdmin);
    }
    let mut active = current.into_active_model();
    active.role = Set(role);
    active.update(db).await?;
    audit::record(
        db,
        actor,
        Entry::new(
            Some(organisation_id),
            "membership",
            membership_id,
            "update",
            Changes::new().changed("role", before.as_str(), role.as_str()),
        ),
    )
    .await?;
    Ok(())
}

/// Removes a member; the last admin cannot be removed. Run it in a transaction.
///
/// # Errors
/// `NotFound`, `LastAdmin`, or a database error.
pub async fn remove_member<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    organisation_id: i32,
    membership_id: i32,
) -> Result<(), MembershipChangeError> {
    lock_organisation(db, organisation_id).await?;
    let current = find_membership(db, organisation_id, membership_id).await?;
    let role = current.role;
    if role == Role::Admin && admin_count(db, organisation_id).await? <= 1 {
        return Err(MembershipChangeError::LastAdmin);
    }
    let user_id = current.user_id;
    membership::Entity::delete_by_id(membership_id).exec(db).await?;
    audit::record(
        db,
        actor,
        Entry::new(
            Some(organisation_id),
            "membership",
            membership_id,
            "delete",
            Changes::new().changed("user_id", user_id, serde_json::Value::Null).changed(
                "role",
                role.as_str(),
                serde_json::Value::Null,
            ),
        ),
    )
    .await?;
    Ok(())
}

/// Renames an organisation, sets the month its PMS year starts in and how it writes dates.
///
/// # Errors
/// When the update fails.
pub async fn update_settings<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    org: organisation::Model,
    name: &OrganisationName,
    pms_year_start: Month,
    dates: DateStyle,
) -> Result<organisation::Model, DbErr> {
    use organisation::Column as Col;
    let start = i32::try_from(pms_year_start.get()).unwrap_or(4);
    let edit = Edit::new()
        .field("name", Col::Name, Some(&org.name), &name.as_str().to_owned())
        .field("pms_year_start_month", Col::PmsYearStartMonth, Some(&org.pms_year_start_month), &start)
        .field("date_style", Col::DateStyle, Some(&org.date_style), &dates);
    let changes = edit.changes();
    if changes.is_empty() {
        return Ok(org);
    }
    let id = org.id;
    let mut active = org.into_active_model();
    edit.apply(&mut active);
    active.updated_at = Set(Utc::now());
    let updated = active.update(db).await?;
    audit::record(db, actor, Entry::new(Some(id), "organisation", id, "update", changes)).await?;
    Ok(updated)
}

/// # Errors
/// When the query fails.
pub async fn find<C: ConnectionTrait>(db: &C, id: i32) -> Result<Option<organisation::Model>, DbErr> {
    organisation::Entity::find_by_id(id).one(db).await
}

/// A user and every organisation they belong to, with their roles, in one query (the request's
/// viewer). `None` when the account does not exist.
///
/// # Errors
/// When the query fails.
pub async fn user_with_memberships<C: ConnectionTrait>(
    db: &C,
    user_id: i32,
) -> Result<Option<(user::Model, Vec<MembershipOf>)>, DbErr> {
    let rows = user::Entity::find_by_id(user_id)
        .find_also_related(membership::Entity)
        .and_also_related(organisation::Entity)
        .order_by_asc(organisation::Column::Name)
        .all(db)
        .await?;
    let mut user = None;
    let mut memberships = Vec::new();
    for (found, membership, organisation) in rows {
        if let (Some(m), Some(organisation)) = (membership, organisation) {
            memberships.push(MembershipOf { organisation, role: m.role });
        }
        user.get_or_insert(found);
    }
    Ok(user.map(|u| (u, memberships)))
}
