//! Who receives an organisation's reminders besides its admins and officers: extra addresses, and
//! each member's opt-out from the reminders that are not a legal duty.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::domain::{EmailAddress, Lang};
use crate::entities::{membership, reminder_recipient};
use crate::store::audit::{self, Actor, Changes, Entry};

/// The organisation's extra addresses, in the order they were added.
///
/// # Errors
/// When the query fails.
pub async fn list<C: ConnectionTrait>(db: &C, organisation_id: i32) -> Result<Vec<reminder_recipient::Model>, DbErr> {
    reminder_recipient::Entity::find()
        .filter(reminder_recipient::Column::OrganisationId.eq(organisation_id))
        .order_by_asc(reminder_recipient::Column::Id)
        .all(db)
        .await
}

/// The extra addresses of many organisations, by organisation: one query per
/// [`crate::store::outbox::BATCH_ROWS`] organisations (for the reminder pass).
///
/// # Errors
/// When a query fails.
pub async fn of_many<C: ConnectionTrait>(
    db: &C,
    organisation_ids: &[i32],
) -> Result<std::collections::HashMap<i32, Vec<reminder_recipient::Model>>, DbErr> {
    let mut by_organisation: std::collections::HashMap<i32, Vec<reminder_recipient::Model>> =
        std::collections::HashMap::new();
    for chunk in organisation_ids.chunks(crate::store::outbox::BATCH_ROWS) {
        let rows = reminder_recipient::Entity::find()
            .filter(reminder_recipient::Column::OrganisationId.is_in(chunk.iter().copied()))
            .order_by_asc(reminder_recipient::Column::Id)
            .all(db)
            .await?;
        for row in rows {
            by_organisation.entry(row.organisation_id).or_default().push(row);
        }
    }
    Ok(by_organisation)
}

/// Adds an address. Returns `false` when the organisation already has it.
///
/// # Errors
/// When the insert fails for another reason than a duplicate.
pub async fn add<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    organisation_id: i32,
    email: &EmailAddress,
    lang: Lang,
) -> Result<bool, DbErr> {
    let inserted = reminder_recipient::ActiveModel {
        organisation_id: Set(organisation_id),
        email: Set(email.as_str().to_owned()),
        lang: Set(lang),
        created_by: Set(actor.user_id.unwrap_or_default()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await;
    let created = match inserted {
        Ok(created) => created,
        Err(e) if crate::store::is_unique_violation(&e) => return Ok(false),
        Err(e) => return Err(e),
    };
    audit::record(
        db,
        actor,
        Entry::new(
            Some(organisation_id),
            "reminder_recipient",
            created.id,
            "create",
            Changes::new().created("email", created.email.clone()).created("lang", created.lang),
        ),
    )
    .await?;
    Ok(true)
}

/// Removes an address of the organisation. Returns `false` when there was none with that id.
///
/// # Errors
/// When the delete fails.
pub async fn remove<C: ConnectionTrait>(db: &C, actor: &Actor, organisation_id: i32, id: i32) -> Result<bool, DbErr> {
    let Some(found) = reminder_recipient::Entity::find_by_id(id)
        .filter(reminder_recipient::Column::OrganisationId.eq(organisation_id))
        .one(db)
        .await?
    else {
        return Ok(false);
    };
    reminder_recipient::Entity::delete_by_id(found.id).exec(db).await?;
    audit::record(
        db,
        actor,
        Entry::new(
            Some(organisation_id),
            "reminder_recipient",
            found.id,
            "delete",
            Changes::new().changed("email", found.email, serde_json::Value::Null),
        ),
    )
    .await?;
    Ok(true)
}

/// Sets whether a user receives the organisation's reminders that are not a legal duty. Returns
/// `false` when the user is not a member.
///
/// # Errors
/// When the update fails.
pub async fn set_opt_out<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    organisation_id: i32,
    user_id: i32,
    opt_out: bool,
) -> Result<bool, DbErr> {
    let Some(found) = membership::Entity::find()
        .filter(membership::Column::OrganisationId.eq(organisation_id))
        .filter(membership::Column::UserId.eq(user_id))
        .one(db)
        .await?
    else {
        return Ok(false);
    };
    if found.reminders_opt_out == opt_out {
        return Ok(true);
    }
    let id = found.id;
    let mut active: membership::ActiveModel = found.into();
    active.reminders_opt_out = Set(opt_out);
    active.update(db).await?;
    audit::record(
        db,
        actor,
        Entry::new(
            Some(organisation_id),
            "membership",
            id,
            "update",
            Changes::new().changed("reminders_opt_out", !opt_out, opt_out),
        ),
    )
    .await?;
    Ok(true)
}

/// The organisations whose reminders that are not a legal duty the user opted out of.
///
/// # Errors
/// When the query fails.
pub async fn opted_out_organisations<C: ConnectionTrait>(db: &C, user_id: i32) -> Result<Vec<i32>, DbErr> {
    use sea_orm::QuerySelect;
    membership::Entity::find()
        .select_only()
        .column(membership::Column::OrganisationId)
        .filter(membership::Column::UserId.eq(user_id))
        .filter(membership::Column::RemindersOptOut.eq(true))
        .into_tuple()
        .all(db)
        .await
}
