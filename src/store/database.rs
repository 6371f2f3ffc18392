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
        .acquire_timeout(Duration::from_millis(settings.acquire_timeout_ms))
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
        options.map_sqlx_sqlite_before_acquire(|conn, _| Box::pin(async move { Ok(!is_poisoned(conn)) }));
    }
    let db = Database::connect(options)
        .await
        .with_context(|| format!("cannot open the database at {}", redact(&settings.url)))?;
    Ok(db)
}

/// Whether a pooled SQLite connection must be closed instead of handed out: one that sqlx still
/// counts as inside a transaction although nobody holds one. A COMMIT that fails (a full disk)
/// leaves the count up, and when SQLite had already rolled back itself, the ROLLBACK that
/// follows fails too. The next transaction on that connection is then a SAVEPOINT, and
/// rolling it back (`ROLLBACK TO`) leaves SQLite's transaction open with the write lock held:
/// every other connection answered "database is locked" until a restart. Closing the connection
/// rolls back whatever it holds; the pool opens a fresh one.
fn is_poisoned(conn: &mut sea_orm::sqlx::SqliteConnection) -> bool {
    use sea_orm::sqlx::Connection;
    let poisoned = conn.is_in_transaction();
    if poisoned {
        tracing::warn!("closing a database connection left inside a failed transaction");
    }
    poisoned
}

/// Applies every pending migration.
///
/// # Errors
/// When a migration fails.
#[tracing::instrument(skip_all)]
pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None).await.context("database migration failed")
}

/// Why the database refused a write, when the cause is the storage rather than the statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteFailure {
    /// The file, its folder or the database is read-only.
    ReadOnly,
    /// The disk (or the database's size limit) is full.
    DiskFull,
    /// Another connection holds the write lock past the busy timeout.
    Locked,
    /// The storage failed (an I/O error, a file that cannot be opened).
    Storage,
}

impl WriteFailure {
    /// What `/healthz` reports.
    pub fn as_str(self) -> &'static str {
        match self {
            WriteFailure::ReadOnly => "read_only",
            WriteFailure::DiskFull => "disk_full",
            WriteFailure::Locked => "locked",
            WriteFailure::Storage => "storage_error",
        }
    }

    /// The failure behind a database error, if it is one of the storage (SQLite result codes
    /// READONLY, FULL, BUSY, IOERR, CANTOPEN; PostgreSQL SQLSTATE 25006, class 53).
    pub fn of(err: &sea_orm::DbErr) -> Option<Self> {
        use sea_orm::{DbErr, RuntimeErr};
        let (DbErr::Exec(RuntimeErr::SqlxError(e))
        | DbErr::Query(RuntimeErr::SqlxError(e))
        | DbErr::Conn(RuntimeErr::SqlxError(e))) = err
        else {
            return None;
        };
        let code = e.as_database_error()?.code()?;
        if let Ok(number) = code.parse::<i32>() {
            // SQLite: the primary result code is the low byte of the extended one.
            return match number & 0xff {
                8 => Some(WriteFailure::ReadOnly),
                13 => Some(WriteFailure::DiskFull),
                5 | 6 => Some(WriteFailure::Locked),
                10 | 14 => Some(WriteFailure::Storage),
                _ => None,
            };
        }
        match &code[..] {
            "25006" => Some(WriteFailure::ReadOnly),
            "53100" => Some(WriteFailure::DiskFull),
            "55P03" => Some(WriteFailure::Locked),
            c if c.starts_with("53") || c.starts_with("58") => Some(WriteFailure::Storage),
            _ => None,
        }
    }
}

/// Writes (and commits) one row, to learn whether the database takes writes: the instance flag
/// `write_probe` gets the time. Used at start and, cached, by `/healthz`.
///
/// # Errors
/// The database's refusal.
pub async fn probe_write(db: &DatabaseConnection) -> Result<(), sea_orm::DbErr> {
    use crate::entities::instance_flag;
    use sea_orm::{EntityTrait, Set, TransactionTrait, sea_query::OnConflict};
    let txn = db.begin().await?;
    let row = instance_flag::ActiveModel { name: Set("write_probe".to_owned()), set_at: Set(chrono::Utc::now()) };
    instance_flag::Entity::insert(row)
        .on_conflict(
            OnConflict::column(instance_flag::Column::Name).update_column(instance_flag::Column::SetAt).to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
    txn.commit().await
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
