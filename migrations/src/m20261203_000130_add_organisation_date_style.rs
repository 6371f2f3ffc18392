//! `organisations.date_style`: how the organisation's dates are written in Japanese, 西暦
//! (`western`, 2026年12月1日, the default) or 和暦 (`japanese_era`, 令和8年12月1日).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter().table("organisations").add_column(string("date_style").default("western")).take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table("organisations").drop_column("date_style").take()).await
    }
}
