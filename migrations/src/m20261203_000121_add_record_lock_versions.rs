//! `lock_version` on duty records and corrective actions: both can now be corrected after they
//! were saved, and a correction saved over a newer one is a conflict, as on controls.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLES: &[&str] = &["duty_records", "corrective_actions"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES {
            manager
                .alter_table(
                    Table::alter().table(Alias::new(*table)).add_column(integer("lock_version").default(1)).take(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES {
            manager.alter_table(Table::alter().table(Alias::new(*table)).drop_column("lock_version").take()).await?;
        }
        Ok(())
    }
}
