//! Failed sign-in counting per e-mail address (existing or not), so that guessing is slow and an
//! attacker cannot tell which addresses have accounts.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};

use crate::entities::login_throttle;

/// The limits in force.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    pub max_failures: u32,
    pub lockout: Duration,
}

/// Until when sign-in for this address is refused, if it is.
///
/// # Errors
/// When the query fails.
pub async fn locked_until<C: ConnectionTrait>(
    db: &C,
    email_key: &str,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, DbErr> {
    let row = login_throttle::Entity::find_by_id(email_key.to_owned()).one(db).await?;
    Ok(row.and_then(|r| r.locked_until).filter(|until| *until > now))
}

/// Counts one failure; the `max_failures`-th starts a lockout. A lockout that has run out starts
/// the count again. The increment is atomic, so parallel guesses are all counted.
///
/// # Errors
/// When a write fails.
pub async fn record_failure<C: ConnectionTrait>(
    db: &C,
    email_key: &str,
    now: DateTime<Utc>,
    policy: Policy,
) -> Result<(), DbErr> {
    login_throttle::Entity::insert(login_throttle::ActiveModel {
        email_key: Set(email_key.to_owned()),
        failed_count: Set(0),
        locked_until: Set(None),
        updated_at: Set(now),
    })
    .on_conflict_do_nothing_on([login_throttle::Column::EmailKey])
    .exec(db)
    .await?;
    // A lockout that has expired: start counting afresh.
    login_throttle::Entity::update_many()
        .col_expr(login_throttle::Column::FailedCount, Expr::value(0))
        .col_expr(login_throttle::Column::LockedUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .filter(login_throttle::Column::EmailKey.eq(email_key))
        .filter(login_throttle::Column::LockedUntil.lte(now))
        .exec(db)
        .await?;
    login_throttle::Entity::update_many()
        .col_expr(login_throttle::Column::FailedCount, Expr::col(login_throttle::Column::FailedCount).add(1))
        .col_expr(login_throttle::Column::UpdatedAt, Expr::value(now))
        .filter(login_throttle::Column::EmailKey.eq(email_key))
        .exec(db)
        .await?;
    let Some(row) = login_throttle::Entity::find_by_id(email_key.to_owned()).one(db).await? else {
        return Ok(());
    };
    let max = i32::try_from(policy.max_failures).unwrap_or(i32::MAX);
    if row.failed_count >= max && row.locked_until.is_none() {
        let mut active: login_throttle::ActiveModel = row.into();
        active.locked_until = Set(Some(now + policy.lockout));
        active.update(db).await?;
    }
    Ok(())
}

/// Forgets the failures of an address after a successful sign-in.
///
/// # Errors
/// When the delete fails.
pub async fn clear<C: ConnectionTrait>(db: &C, email_key: &str) -> Result<(), DbErr> {
    login_throttle::Entity::delete_by_id(email_key.to_owned()).exec(db).await.map(|_| ())
}
