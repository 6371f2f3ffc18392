//! `pmark demo --orgs N`: a consultancy's worth of small organisations, for measuring the
//! reminder pass at scale. Each has an admin (`admin-<n>@demo.example.jp`, one shared password)
//! and a current Privacy Mark cycle; the cycles start on days spread evenly over two years, so
//! about as many organisations are in each part of their cycle as in real life (some 37 % within
//! the nine months before expiry, with renewal reminders due). One in twenty has an open incident
//! discovered two to four days ago, so its digest lists reports due and reviews open.

use chrono::{Duration, NaiveDate};
use sea_orm::{DatabaseConnection, TransactionTrait};

use crate::domain::catalog::Catalog;
use crate::domain::{DisplayName, EmailAddress, Lang, OrganisationName};
use crate::store::{self, audit::Actor};

/// Organisations created per transaction.
const PER_TRANSACTION: usize = 250;
/// Every this many organisations, one gets an open incident.
const INCIDENT_EVERY: usize = 20;

/// What `seed` made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeededOrgs {
    pub organisations: usize,
    pub incidents: usize,
}

/// Where organisation `n` of `count` is in its two-year cycle on `today`: its validity started
/// this many days ago.
pub fn days_into_cycle(n: usize, count: usize) -> i64 {
    i64::try_from(n * 730 / count.max(1)).unwrap_or(0)
}

/// Creates `count` organisations, numbered after the existing ones, whose admins sign in with the
/// password hashed as `password_hash`.
///
/// # Errors
/// When a write fails or a demo address is already taken.
pub async fn seed(
    db: &DatabaseConnection,
    catalog: &Catalog,
    count: usize,
    password_hash: &str,
    today: NaiveDate,
) -> anyhow::Result<SeededOrgs> {
    let actor = Actor::command_line();
    let first = store::organisations::all(db).await?.len() + 1;
    let mut with_incident = Vec::new();
    for chunk_start in (0..count).step_by(PER_TRANSACTION) {
        let txn = db.begin().await?;
        for n in chunk_start..(chunk_start + PER_TRANSACTION).min(count) {
            let number = first + n;
            let email = EmailAddress::parse(&format!("admin-{number}@demo.example.jp"))
                .map_err(|_| anyhow::anyhow!("demo address {number}"))?;
            let name = DisplayName::parse(&format!("管理者 {number}")).map_err(|_| anyhow::anyhow!("demo name"))?;
            let org_name = OrganisationName::parse(&format!("デモ事業者 {number:05}"))
                .map_err(|_| anyhow::anyhow!("demo organisation name"))?;
            let user = store::users::create(&txn, &actor, &email, &name, password_hash.to_owned(), Lang::Ja)
                .await
                .map_err(|e| match e {
                    store::users::CreateUserError::EmailTaken => {
                        anyhow::anyhow!("--orgs: {} already exists", email.as_str())
                    }
                    store::users::CreateUserError::Database(e) => e.into(),
                })?;
            let org = store::organisations::create(&txn, &actor, &org_name, user.id, catalog).await?;
            let valid_from = today - Duration::days(days_into_cycle(n, count));
            super::demo_incidents::certify(&txn, org.id, valid_from).await?;
            if n % INCIDENT_EVERY == 0 {
                with_incident.push((org.id, n));
            }
        }
        store::setup::mark_completed(&txn).await?;
        txn.commit().await?;
    }
    let rules = crate::domain::incident::CheckRules::builtin(catalog)?;
    for (organisation_id, n) in &with_incident {
        let discovered = today - Duration::days(2 + i64::try_from(n / INCIDENT_EVERY % 3).unwrap_or(0));
        // One incident discovered on `discovered`, of a kind that varies with the organisation.
        super::demo_incidents::seed_one(db, catalog, &rules, *organisation_id, n / INCIDENT_EVERY, discovered).await?;
    }
    Ok(SeededOrgs { organisations: count, incidents: with_incident.len() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycles_are_spread_over_two_years() {
        assert_eq!(days_into_cycle(0, 10_000), 0);
        assert_eq!(days_into_cycle(5_000, 10_000), 365);
        assert_eq!(days_into_cycle(9_999, 10_000), 729);
        assert_eq!(days_into_cycle(3, 4), 547);
    }
}
