//! Queries and transactions. Functions take `&C where C: ConnectionTrait`, so they run on the pool
//! or inside a transaction opened by the use case.

pub mod audit;
pub mod audit_fields;
pub mod audit_refs;
pub mod certifications;
pub mod controls;
pub mod corrective_actions;
pub mod database;
pub mod digest_sources;
pub mod duties;
pub mod edit;
pub mod evidence;
pub mod evidence_counts;
pub mod evidence_store;
pub mod files;
pub mod incident_list;
pub mod incident_progress;
pub mod incidents;
pub mod invitations;
pub mod organisations;
pub mod outbox;
pub mod paging;
pub mod people;
pub mod pms_structure;
pub mod reminder_recipients;
pub mod report;
pub mod sessions;
pub mod setup;
pub mod snapshot;
pub mod throttle;
pub mod trainings;
pub mod users;
pub mod write_health;

pub use database::{connect, migrate};

/// Whether a database error is a unique-constraint violation (on SQLite or PostgreSQL).
pub fn is_unique_violation(err: &sea_orm::DbErr) -> bool {
    matches!(err.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_)))
}

/// Inserts `rows` a few hundred per statement (an import's thousands of rows in a few dozen
/// statements, well under SQLite's and PostgreSQL's bound-parameter limits for the widest table).
///
/// # Errors
/// When an insert fails.
pub async fn insert_in_chunks<A, C>(db: &C, rows: Vec<A>) -> Result<(), sea_orm::DbErr>
where
    A: sea_orm::ActiveModelTrait + Send,
    C: sea_orm::ConnectionTrait,
{
    use sea_orm::EntityTrait;
    /// Rows per INSERT: 500 rows of up to 60 columns stay under SQLite's 32,766 parameters.
    const ROWS_PER_STATEMENT: usize = 500;
    let mut rest = rows.into_iter().peekable();
    while rest.peek().is_some() {
        let chunk: Vec<A> = rest.by_ref().take(ROWS_PER_STATEMENT).collect();
        A::Entity::insert_many(chunk).exec_without_returning(db).await?;
    }
    Ok(())
}
