//! The outbox: every e-mail pmark sends is first a row here, with a unique key per (organisation,
//! kind, milestone, cycle), so a reminder is never lost (sent when the server is back) and never
//! sent twice (the key is unique; a row is claimed by one sender at a time).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("outbox")
                    .col(big_pk_auto("id"))
                    .col(integer_null("organisation_id"))
                    .col(string_uniq("dedupe_key"))
                    .col(string("kind"))
                    .col(text("recipients"))
                    .col(string("lang"))
                    .col(text("subject"))
                    .col(text("body_text"))
                    .col(text("body_html"))
                    .col(string("state"))
                    .col(integer("attempts"))
                    .col(text_null("last_error"))
                    .col(text_null("skip_reason"))
                    .col(timestamp_with_time_zone("next_attempt_at"))
                    .col(string_null("claimed_by"))
                    .col(timestamp_with_time_zone_null("claimed_until"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("sent_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_outbox_organisation_id")
                            .from("outbox", "organisation_id")
                            .to("organisations", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create().name("ix_outbox_state_next").table("outbox").col("state").col("next_attempt_at").take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("outbox").take()).await
    }
}
