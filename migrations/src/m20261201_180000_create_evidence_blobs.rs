//! The content of evidence files for `uploads.storage = "database"`: one row per storage key, so
//! that every instance on the same database can serve every upload. Written in the transaction of
//! the evidence row; never updated (a new version of a document is a new evidence row).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("evidence_blobs")
                    .col(ColumnDef::new("storage_key").string_len(100).not_null().primary_key())
                    // `bytea` on PostgreSQL, `blob` on SQLite.
                    .col(ColumnDef::new("content").blob().not_null())
                    .col(ColumnDef::new("size_bytes").big_integer().not_null())
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("evidence_blobs").to_owned()).await
    }
}
