//! The Privacy Mark certification of an organisation, one row per two-year validity cycle.

use sea_orm_migration::{prelude::*, schema::*, sea_orm::DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("certifications")
                    .col(pk_auto("id"))
                    .col(integer("organisation_id"))
                    .col(string("registration_number"))
                    .col(string("examination_body"))
                    .col(string_null("examination_body_other"))
                    .col(date("first_granted_on"))
                    .col(date("valid_from"))
                    .col(date("valid_until"))
                    .col(string("status"))
                    .col(date_null("applied_on"))
                    .col(text("notes"))
                    .col(integer("lock_version"))
                    .col(integer("recorded_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_certifications_organisation_id")
                            .from("certifications", "organisation_id")
                            .to("organisations", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_certifications_org_valid_from")
                    .table("certifications")
                    .col("organisation_id")
                    .col("valid_from")
                    .unique()
                    .take(),
            )
            .await?;
        // The dashboard shows the certification from the per-organisation cache: bump its version.
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DatabaseBackend::Postgres => {
                db.execute_unprepared(
                    "CREATE TRIGGER certifications_bumps_version AFTER INSERT OR UPDATE OR DELETE ON certifications \
                     FOR EACH ROW EXECUTE FUNCTION bump_organisation_version()",
                )
                .await?;
            }
            _ => {
                for (event, row) in [("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")] {
                    db.execute_unprepared(&format!(
                        "CREATE TRIGGER certifications_{lower}_bumps_version AFTER {event} ON certifications \
                         BEGIN UPDATE organisations SET data_version = data_version + 1 WHERE id = {row}.organisation_id; END",
                        lower = event.to_lowercase()
                    ))
                    .await?;
                }
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("certifications").take()).await
    }
}
