//! User accounts.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter,
    Set,
};

use crate::domain::{DisplayName, EmailAddress, Lang};
use crate::entities::user;
use crate::store::audit::{self, Actor, Changes, Entry};
use crate::store::edit::Edit;

/// Why a user could not be created.
#[derive(Debug, thiserror::Error)]
pub enum CreateUserError {
    #[error("an account with this e-mail address exists")]
    EmailTaken,
    #[error(transparent)]
    Database(#[from] DbErr),
}

/// How many accounts exist.
///
/// # Errors
/// When the query fails.
pub async fn count<C: ConnectionTrait>(db: &C) -> Result<u64, DbErr> {
    user::Entity::find().count(db).await
}

/// # Errors
/// When the query fails.
pub async fn find_by_email<C: ConnectionTrait>(db: &C, email: &EmailAddress) -> Result<Option<user::Model>, DbErr> {
    user::Entity::find().filter(user::Column::Email.eq(email.as_str())).one(db).await
}

/// # Errors
/// When the query fails.
pub async fn find_by_id<C: ConnectionTrait>(db: &C, id: i32) -> Result<Option<user::Model>, DbErr> {
    user::Entity::find_by_id(id).one(db).await
}

/// Inserts an account and records it in the audit trail of `organisation_id` when given.
///
/// # Errors
/// `EmailTaken` when the address is in use, or a database error.
pub async fn create<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    email: &EmailAddress,
    name: &DisplayName,
    password_hash: String,
    lang: Lang,
) -> Result<user::Model, CreateUserError> {
    let now = Utc::now();
    let created = user::ActiveModel {
        email: Set(email.as_str().to_owned()),
        display_name: Set(name.as_str().to_owned()),
        password_hash: Set(password_hash),
        locale: Set(lang),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
    .map_err(|e| if super::is_unique_violation(&e) { CreateUserError::EmailTaken } else { e.into() })?;
    audit::record(
        db,
        actor,
        Entry::new(
            None,
            "user",
            created.id,
            "create",
            Changes::new()
                .created("email", created.email.clone())
                .created("display_name", created.display_name.clone())
                .created("locale", created.locale),
        ),
    )
    .await?;
    Ok(created)
}

/// Replaces a user's password hash.
///
/// # Errors
/// When the update fails.
pub async fn set_password_hash<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    user: user::Model,
    hash: String,
) -> Result<(), DbErr> {
    let id = user.id;
    let mut active = user.into_active_model();
    active.password_hash = Set(hash);
    active.updated_at = Set(Utc::now());
    active.update(db).await?;
    audit::record(db, actor, Entry::new(None, "user", id, "change_password", Changes::new().redacted("password"))).await
}

/// Updates the name and language a user chose.
///
/// # Errors
/// When the update fails.
pub async fn update_profile<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    user: user::Model,
    name: &DisplayName,
    lang: Lang,
) -> Result<user::Model, DbErr> {
    use user::Column as Col;
    let edit = Edit::new()
        .field("display_name", Col::DisplayName, Some(&user.display_name), &name.as_str().to_owned())
        .field("locale", Col::Locale, Some(&user.locale), &lang);
    let changes = edit.changes();
    if changes.is_empty() {
        return Ok(user);
    }
    let id = user.id;
    let mut active = user.into_active_model();
    edit.apply(&mut active);
    active.updated_at = Set(Utc::now());
    let updated = active.update(db).await?;
    audit::record(db, actor, Entry::new(None, "user", id, "update", changes)).await?;
    Ok(updated)
}
