//! The first-run state: whether the first administrator has been created.

use chrono::Utc;
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, Set};

use crate::entities::instance_flag;

const SETUP_COMPLETED: &str = "setup_completed";

/// Whether first-run setup has been completed (by the web form or `pmark user create`).
///
/// # Errors
/// When the query fails.
pub async fn is_completed<C: ConnectionTrait>(db: &C) -> Result<bool, DbErr> {
    Ok(instance_flag::Entity::find_by_id(SETUP_COMPLETED).one(db).await?.is_some())
}

/// Marks setup completed. Returns false when it already was: the primary key makes two
/// concurrent setups impossible, even across instances. Run it in the setup's transaction.
/// `ON CONFLICT DO NOTHING` rather than a caught unique violation: on PostgreSQL a failed
/// statement aborts the whole transaction, whose COMMIT then silently rolls back (a second
/// `pmark user create` printed its new account and kept nothing).
///
/// # Errors
/// When the insert fails for another reason.
pub async fn mark_completed<C: ConnectionTrait>(db: &C) -> Result<bool, DbErr> {
    let row = instance_flag::ActiveModel { name: Set(SETUP_COMPLETED.to_owned()), set_at: Set(Utc::now()) };
    let result = instance_flag::Entity::insert(row)
        .on_conflict_do_nothing_on([instance_flag::Column::Name])
        .exec_without_returning(db)
        .await?;
    Ok(matches!(result, sea_orm::TryInsertResult::Inserted(n) if n > 0))
}
