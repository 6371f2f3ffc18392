//! Indexes for the mail page's outbox: its counts per state and its newest-first page read one
//! organisation's rows. Without them both scanned the whole outbox, every organisation's, so the
//! page got slower as any organisation's mail piled up.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create().name("ix_outbox_org_state").table("outbox").col("organisation_id").col("state").take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_outbox_org_created")
                    .table("outbox")
                    .col("organisation_id")
                    .col("created_at")
                    .col("id")
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name("ix_outbox_org_created").table("outbox").to_owned()).await?;
        manager.drop_index(Index::drop().name("ix_outbox_org_state").table("outbox").to_owned()).await
    }
}
