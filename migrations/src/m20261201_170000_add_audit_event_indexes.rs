//! Indexes for reading the audit trail without scanning it: a record's history (a control's, an
//! incident's) finds its entries by kind and id, and the trail's default order (newest first by
//! time) reads the organisation's entries in that order. Without them both read every entry of
//! the organisation, so a page got slower as the trail grew.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name("ix_audit_events_org_subject")
                    .table("audit_events")
                    .col("organisation_id")
                    .col("entity")
                    .col("entity_id")
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_audit_events_org_time")
                    .table("audit_events")
                    .col("organisation_id")
                    .col("occurred_at")
                    .col("id")
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name("ix_audit_events_org_time").table("audit_events").to_owned()).await?;
        manager.drop_index(Index::drop().name("ix_audit_events_org_subject").table("audit_events").to_owned()).await
    }
}
