//! People, departments, trainings and attendances move the organisation's data version, like
//! every other table its pages show: the dashboard's training card is cached by it.

use sea_orm_migration::{prelude::*, sea_orm::DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

const TRACKED: &[&str] = &["departments", "people", "trainings", "training_attendances"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for table in TRACKED {
            match manager.get_database_backend() {
                DatabaseBackend::Postgres => {
                    db.execute_unprepared(&format!(
                        "CREATE TRIGGER {table}_bumps_version AFTER INSERT OR UPDATE OR DELETE ON {table} \
                         FOR EACH ROW EXECUTE FUNCTION bump_organisation_version()"
                    ))
                    .await?;
                }
                _ => {
                    for (event, row) in [("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")] {
                        db.execute_unprepared(&format!(
                            "CREATE TRIGGER {table}_{lower}_bumps_version AFTER {event} ON {table} \
                             BEGIN UPDATE organisations SET data_version = data_version + 1 WHERE id = {row}.organisation_id; END",
                            lower = event.to_lowercase()
                        ))
                        .await?;
                    }
                }
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for table in TRACKED {
            match manager.get_database_backend() {
                DatabaseBackend::Postgres => {
                    db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS {table}_bumps_version ON {table}")).await?;
                }
                _ => {
                    for event in ["insert", "update", "delete"] {
                        db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS {table}_{event}_bumps_version")).await?;
                    }
                }
            }
        }
        Ok(())
    }
}
