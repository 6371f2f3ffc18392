//! The day the examination body decided the renewal (更新決定日) that started a cycle. Empty for a
//! first cycle, and for the cycles recorded before the decision took its date.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(Table::alter().table("certifications").add_column(date_null("renewal_decided_on")).take())
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table("certifications").drop_column("renewal_decided_on").take()).await
    }
}
