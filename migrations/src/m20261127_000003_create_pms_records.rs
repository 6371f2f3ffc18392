//! The PMS: each organisation's controls (with their catalog version), yearly duties and their
//! records, and evidence (files and links), plus the organisation's PMS year start.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn fk(
    from_table: &'static str,
    from_col: &'static str,
    to_table: &'static str,
    on_delete: ForeignKeyAction,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{from_table}_{from_col}"))
        .from(from_table, from_col)
        .to(to_table, "id")
        .on_delete(on_delete)
        .take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter().table("organisations").add_column(integer("pms_year_start_month").default(4)).take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("organisation_controls")
                    .col(pk_auto("id"))
                    .col(integer("organisation_id"))
                    .col(string("catalog_version"))
                    .col(string("control_id"))
                    .col(boolean("applicable"))
                    .col(text_null("not_applicable_reason"))
                    .col(string("status"))
                    .col(integer_null("owner_user_id"))
                    .col(text("internal_rule"))
                    .col(text("notes"))
                    .col(date_null("last_reviewed_on"))
                    .col(date_null("next_review_due"))
                    .col(integer("lock_version"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk(
                        "organisation_controls",
                        "organisation_id",
                        "organisations",
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk("organisation_controls", "owner_user_id", "users", ForeignKeyAction::SetNull))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_organisation_controls_org_version_control")
                    .table("organisation_controls")
                    .col("organisation_id")
                    .col("catalog_version")
                    .col("control_id")
                    .unique()
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("duties")
                    .col(pk_auto("id"))
                    .col(integer("organisation_id"))
                    .col(string_null("builtin_key"))
                    .col(string_null("name"))
                    .col(string("catalog_version"))
                    .col(string("control_id"))
                    .col(string("frequency"))
                    .col(integer("due_month"))
                    .col(string("record_kind"))
                    .col(boolean("enabled"))
                    .col(integer("lock_version"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("duties", "organisation_id", "organisations", ForeignKeyAction::Cascade))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_duties_org_builtin")
                    .table("duties")
                    .col("organisation_id")
                    .col("builtin_key")
                    .unique()
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("duty_records")
                    .col(pk_auto("id"))
                    .col(integer("organisation_id"))
                    .col(integer("duty_id"))
                    .col(integer("pms_year"))
                    .col(integer("slot"))
                    .col(date("performed_on"))
                    .col(string("performed_by"))
                    .col(text("summary"))
                    .col(integer_null("people_in_scope"))
                    .col(integer_null("people_trained"))
                    .col(text_null("absentee_follow_up"))
                    .col(integer_null("findings_count"))
                    .col(text_null("decisions"))
                    .col(integer("recorded_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("duty_records", "organisation_id", "organisations", ForeignKeyAction::Cascade))
                    .foreign_key(&mut fk("duty_records", "duty_id", "duties", ForeignKeyAction::Cascade))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_duty_records_occurrence")
                    .table("duty_records")
                    .col("duty_id")
                    .col("pms_year")
                    .col("slot")
                    .unique()
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_duty_records_org_year")
                    .table("duty_records")
                    .col("organisation_id")
                    .col("pms_year")
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("evidence")
                    .col(pk_auto("id"))
                    .col(integer("organisation_id"))
                    .col(integer_null("control_row_id"))
                    .col(integer_null("duty_record_id"))
                    .col(string("kind"))
                    .col(text("description"))
                    .col(date("effective_on"))
                    .col(text_null("url"))
                    .col(string_null("file_name"))
                    .col(string_null("content_type"))
                    .col(big_integer_null("size_bytes"))
                    .col(string_null("sha256"))
                    .col(string_null("storage_key"))
                    .col(integer_null("supersedes_id"))
                    .col(integer("uploaded_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("evidence", "organisation_id", "organisations", ForeignKeyAction::Cascade))
                    .foreign_key(&mut fk(
                        "evidence",
                        "control_row_id",
                        "organisation_controls",
                        ForeignKeyAction::Cascade,
                    ))
                    .foreign_key(&mut fk("evidence", "duty_record_id", "duty_records", ForeignKeyAction::Cascade))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_evidence_org_control")
                    .table("evidence")
                    .col("organisation_id")
                    .col("control_row_id")
                    .take(),
            )
            .await?;
        manager
            .create_index(Index::create().name("ix_evidence_record").table("evidence").col("duty_record_id").take())
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["evidence", "duty_records", "duties", "organisation_controls"] {
            manager.drop_table(Table::drop().table(table).take()).await?;
        }
        manager.alter_table(Table::alter().table("organisations").drop_column("pms_year_start_month").take()).await
    }
}
