//! Users, organisations, memberships, invitations, sessions, login throttling and instance flags.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn fk(from_table: &'static str, from_col: &'static str, to_table: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{from_table}_{from_col}"))
        .from(from_table, from_col)
        .to(to_table, "id")
        .on_delete(ForeignKeyAction::Cascade)
        .take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("organisations")
                    .col(pk_auto("id"))
                    .col(string("name"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("users")
                    .col(pk_auto("id"))
                    .col(string_uniq("email"))
                    .col(string("display_name"))
                    .col(string("password_hash"))
                    .col(string("locale"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("memberships")
                    .col(pk_auto("id"))
                    .col(integer("organisation_id"))
                    .col(integer("user_id"))
                    .col(string("role"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("memberships", "organisation_id", "organisations"))
                    .foreign_key(&mut fk("memberships", "user_id", "users"))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_memberships_org_user")
                    .table("memberships")
                    .col("organisation_id")
                    .col("user_id")
                    .unique()
                    .take(),
            )
            .await?;
        manager
            .create_index(Index::create().name("ix_memberships_user").table("memberships").col("user_id").take())
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("invitations")
                    .col(pk_auto("id"))
                    .col(integer("organisation_id"))
                    .col(string("email"))
                    .col(string("role"))
                    .col(string_uniq("token_hash"))
                    .col(integer("invited_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .col(timestamp_with_time_zone_null("accepted_at"))
                    .col(integer_null("accepted_by"))
                    .col(timestamp_with_time_zone_null("revoked_at"))
                    .foreign_key(&mut fk("invitations", "organisation_id", "organisations"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("sessions")
                    .col(string("key_hash").primary_key())
                    .col(text("state"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .take(),
            )
            .await?;
        manager
            .create_index(Index::create().name("ix_sessions_expires_at").table("sessions").col("expires_at").take())
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("login_throttles")
                    .col(string("email_key").primary_key())
                    .col(integer("failed_count"))
                    .col(timestamp_with_time_zone_null("locked_until"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("instance_flags")
                    .col(string("name").primary_key())
                    .col(timestamp_with_time_zone("set_at"))
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in
            ["instance_flags", "login_throttles", "sessions", "invitations", "memberships", "users", "organisations"]
        {
            manager.drop_table(Table::drop().table(table).take()).await?;
        }
        Ok(())
    }
}
