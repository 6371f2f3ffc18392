//! `sessions.user_id`: the signed-in user of a session, so one query loads the session, the user
//! and their organisations for every page.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table("sessions").add_column(integer_null("user_id")).take()).await?;
        manager.create_index(Index::create().name("ix_sessions_user").table("sessions").col("user_id").take()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name("ix_sessions_user").table("sessions").to_owned()).await?;
        manager.alter_table(Table::alter().table("sessions").drop_column("user_id").take()).await
    }
}
