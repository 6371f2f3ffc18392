//! `pms_structures`: an organisation's PMS 体制, one row per organisation. Each post (代表者,
//! 個人情報保護管理者 and its deputy, 個人情報保護監査責任者 and its deputy) is held by a member
//! (`<post>_user_id`) or by someone outside the tool (`<post>_name`), or is not recorded. The
//! dashboard shows it, so the row moves the organisation's data version like every other table.

use sea_orm_migration::{prelude::*, schema::*, sea_orm::DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

const POSTS: &[&str] = &["representative", "pi_manager", "pi_manager_deputy", "audit_lead", "audit_lead_deputy"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut table = Table::create();
        table.table("pms_structures").col(integer("organisation_id").primary_key());
        for post in POSTS {
            table
                .col(integer_null(Alias::new(format!("{post}_user_id"))))
                .col(string_null(Alias::new(format!("{post}_name"))));
        }
        table.col(integer("lock_version").default(1)).col(timestamp_with_time_zone("updated_at")).foreign_key(
            ForeignKey::create()
                .name("fk_pms_structures_organisation_id")
                .from("pms_structures", "organisation_id")
                .to("organisations", "id")
                .on_delete(ForeignKeyAction::Cascade),
        );
        manager.create_table(table.take()).await?;
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DatabaseBackend::Postgres => {
                db.execute_unprepared(
                    "CREATE TRIGGER pms_structures_bumps_version AFTER INSERT OR UPDATE OR DELETE ON pms_structures \
                     FOR EACH ROW EXECUTE FUNCTION bump_organisation_version()",
                )
                .await?;
            }
            _ => {
                for (event, row) in [("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")] {
                    db.execute_unprepared(&format!(
                        "CREATE TRIGGER pms_structures_{lower}_bumps_version AFTER {event} ON pms_structures \
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
        manager.drop_table(Table::drop().table("pms_structures").to_owned()).await
    }
}
