//! Failed sign-in counting per e-mail address (existing or not), so that guessing is slow and an
//! attacker cannot tell which addresses have accounts.
//!
//! An attempt is reserved (counted as a failure) before its password is verified, in one
//! conditional `UPDATE`: parallel guesses cannot all pass a check made before any of them was
//! counted. A right password then clears the count.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};

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

/// Reserves one attempt for this address: counts it as a failure in advance and returns `true`,
/// or returns `false` when the address is locked out (nothing is counted then). The attempt that
/// reaches `max_failures` starts the lockout at once, so attempts still being verified cannot be
/// joined by more. A lockout that has run out starts the count again.
///
/// # Errors
/// When a write fails.
pub async fn reserve_attempt<C: ConnectionTrait>(
    db: &C,
    email_key: &str,
    now: DateTime<Utc>,
    policy: Policy,
) -> Result<bool, DbErr> {
    login_throttle::Entity::insert(login_throttle::ActiveModel {
        email_key: Set(email_key.to_owned()),
        failed_count: Set(0),
        locked_until: Set(None),
        updated_at: Set(now),
    })
    .on_conflict_do_nothing_on([login_throttle::Column::EmailKey])
    .exec_without_returning(db)
    .await?;
    // A lockout that has expired: start counting afresh (only one request matches it).
    login_throttle::Entity::update_many()
        .col_expr(login_throttle::Column::FailedCount, Expr::value(0))
        .col_expr(login_throttle::Column::LockedUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .filter(login_throttle::Column::EmailKey.eq(email_key))
        .filter(login_throttle::Column::LockedUntil.lte(now))
        .exec(db)
        .await?;
    let max = i32::try_from(policy.max_failures).unwrap_or(i32::MAX);
    let count = Expr::col(login_throttle::Column::FailedCount);
    let lock_now = Expr::case(count.clone().add(1).gte(max), Expr::value(Some(now + policy.lockout)))
        .finally(Expr::col(login_throttle::Column::LockedUntil));
    let reserved = login_throttle::Entity::update_many()
        .col_expr(login_throttle::Column::FailedCount, count.add(1))
        .col_expr(login_throttle::Column::LockedUntil, lock_now.into())
        .col_expr(login_throttle::Column::UpdatedAt, Expr::value(now))
        .filter(login_throttle::Column::EmailKey.eq(email_key))
        .filter(login_throttle::Column::FailedCount.lt(max))
        .filter(
            Condition::any()
                .add(login_throttle::Column::LockedUntil.is_null())
                .add(login_throttle::Column::LockedUntil.lte(now)),
        )
        .exec(db)
        .await?;
    Ok(reserved.rows_affected == 1)
}

/// Forgets the failures of an address after a successful sign-in.
///
/// # Errors
/// When the delete fails.
pub async fn clear<C: ConnectionTrait>(db: &C, email_key: &str) -> Result<(), DbErr> {
    login_throttle::Entity::delete_by_id(email_key.to_owned()).exec(db).await.map(|_| ())
}
