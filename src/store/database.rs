//! Opening the database (SQLite or PostgreSQL, chosen by the URL) and running migrations.

use std::time::Duration;

use anyhow::Context;
use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection};

use crate::settings::DatabaseSettings;

/// Connects to the configured database. For SQLite, creates the file's folder, and turns on WAL
/// journaling, a busy timeout and foreign keys on every connection.
///
/// # Errors
/// When the folder cannot be created or the database cannot be reached.
#[tracing::instrument(skip_all)]
pub async fn connect(settings: &DatabaseSettings) -> anyhow::Result<DatabaseConnection> {
    let mut options = ConnectOptions::new(settings.url.clone());
    options
        .max_connections(settings.max_connections)
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false);
    if settings.url.starts_with("sqlite:") {
        if let Some(parent) =
            sqlite_file(&settings.url).and_then(|f| std::path::Path::new(f).parent().map(ToOwned::to_owned))
            && !parent.as_os_str().is_empty()
        {
            std::fs::create_dir_all(&parent).with_context(|| format!("cannot create {}", parent.display()))?;
        }
        let busy = Duration::from_millis(settings.busy_timeout_ms);
        options.map_sqlx_sqlite_opts(move |o| {
            o.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                .busy_timeout(busy)
                .foreign_keys(true)
        });
    }
    let db = Database::connect(options)
        .await
        .with_context(|| format!("cannot open the database at {}", redact(&settings.url)))?;
    Ok(db)
}

/// Applies every pending migration.
///
/// # Errors
/// When a migration fails.
#[tracing::instrument(skip_all)]
pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None).await.context("database migration failed")
}

/// A round trip to the database, for the health check.
///
/// # Errors
/// When the database does not answer.
pub async fn ping<C: ConnectionTrait>(db: &C) -> Result<(), sea_orm::DbErr> {
    db.execute_unprepared("SELECT 1").await.map(|_| ())
}

/// Writes a consistent copy of a live SQLite database to `target` (`VACUUM INTO`: one read
/// transaction, so writers carry on, and the copy is compact and has no WAL beside it).
///
/// # Errors
/// When the copy cannot be written (the target must not exist).
pub async fn snapshot_sqlite<C: ConnectionTrait>(db: &C, target: &std::path::Path) -> Result<(), sea_orm::DbErr> {
    let path = target.to_string_lossy().replace('\'', "''");
    db.execute_unprepared(&format!("VACUUM INTO '{path}'")).await.map(|_| ())
}

/// The database file of an `sqlite:` URL (None for an in-memory database).
pub fn sqlite_file(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next()?;
    (!path.is_empty() && path != ":memory:").then_some(path)
}

/// The URL without a password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_file_is_read_from_the_url() {
        assert_eq!(sqlite_file("sqlite://data/pmark.db?mode=rwc"), Some("data/pmark.db"));
        assert_eq!(sqlite_file("sqlite:///tmp/x.db"), Some("/tmp/x.db"));
        assert_eq!(sqlite_file("sqlite::memory:"), None);
    }

    #[test]
    fn passwords_are_redacted_from_urls() {
        assert_eq!(redact("postgres://pm:secret@db:5432/pmark"), "postgres://pm:***@db:5432/pmark");
        assert_eq!(redact("postgres://pm@db/pmark"), "postgres://pm@db/pmark");
    }
}
