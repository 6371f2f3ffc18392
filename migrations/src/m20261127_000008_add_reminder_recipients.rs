//! Who receives reminders besides the organisation's admins and officers: extra addresses per
//! organisation (with the language their mail is written in), and a member's opt-out from the
//! reminders that are not a legal duty.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("reminder_recipients")
                    .col(pk_auto("id"))
                    .col(integer("organisation_id"))
                    .col(string("email"))
                    .col(string("lang"))
                    .col(integer("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_reminder_recipients_organisation_id")
                            .from("reminder_recipients", "organisation_id")
                            .to("organisations", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_reminder_recipients_org_email")
                    .table("reminder_recipients")
                    .col("organisation_id")
                    .col("email")
                    .unique()
                    .take(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter().table("memberships").add_column(boolean("reminders_opt_out").default(false)).take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table("memberships").drop_column("reminders_opt_out").take()).await?;
        manager.drop_table(Table::drop().table("reminder_recipients").take()).await
    }
}
