//! On PostgreSQL, people, departments, trainings and attendances move the organisation's data
//! version once per statement instead of once per row: an import inserts hundreds of people per
//! statement, and a row-level trigger updated the organisation's row once for each of them (5,000
//! updates of one row in one transaction, most of a 5,000-person import's time). The statement's
//! rows are read from its transition table. SQLite keeps its row-level triggers (it has no
//! statement-level ones, and its updates of one row are cheap).

use sea_orm_migration::{prelude::*, sea_orm::DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

const TRACKED: &[&str] = &["departments", "people", "trainings", "training_attendances"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        for rows in ["new_rows", "old_rows"] {
            db.execute_unprepared(&format!(
                "CREATE FUNCTION bump_organisation_version_of_{rows}() RETURNS trigger AS $$ BEGIN \
                 UPDATE organisations SET data_version = data_version + 1 \
                 WHERE id IN (SELECT DISTINCT organisation_id FROM {rows}); RETURN NULL; END $$ LANGUAGE plpgsql"
            ))
            .await?;
        }
        for table in TRACKED {
            db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS {table}_bumps_version ON {table}")).await?;
            for (event, transition, rows) in
                [("INSERT", "NEW", "new_rows"), ("UPDATE", "NEW", "new_rows"), ("DELETE", "OLD", "old_rows")]
            {
                db.execute_unprepared(&format!(
                    "CREATE TRIGGER {table}_{lower}_bumps_version AFTER {event} ON {table} \
                     REFERENCING {transition} TABLE AS {rows} FOR EACH STATEMENT \
                     EXECUTE FUNCTION bump_organisation_version_of_{rows}()",
                    lower = event.to_lowercase()
                ))
                .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        for table in TRACKED {
            for event in ["insert", "update", "delete"] {
                db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS {table}_{event}_bumps_version ON {table}"))
                    .await?;
            }
            db.execute_unprepared(&format!(
                "CREATE TRIGGER {table}_bumps_version AFTER INSERT OR UPDATE OR DELETE ON {table} \
                 FOR EACH ROW EXECUTE FUNCTION bump_organisation_version()"
            ))
            .await?;
        }
        for rows in ["new_rows", "old_rows"] {
            db.execute_unprepared(&format!("DROP FUNCTION IF EXISTS bump_organisation_version_of_{rows}()")).await?;
        }
        Ok(())
    }
}
