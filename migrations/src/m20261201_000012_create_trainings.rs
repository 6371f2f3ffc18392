//! Training (教育): a plan per PMS year (topics, method, audience, period, pass mark) and each
//! person's attendances with their test score. Who is trained, who failed, who is missing and the
//! 教育実施サマリー are computed from these rows, never stored.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("trainings")
                    .col(pk_auto("id"))
                    .col(integer("organisation_id"))
                    .col(integer("pms_year"))
                    .col(string("title"))
                    .col(text("topics"))
                    .col(string("method"))
                    .col(text("audience_departments"))
                    .col(text("audience_employments"))
                    .col(date("starts_on"))
                    .col(date("ends_on"))
                    .col(integer_null("pass_mark"))
                    .col(text("notes"))
                    .col(integer("lock_version"))
                    .col(integer("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_trainings_organisation_id")
                            .from("trainings", "organisation_id")
                            .to("organisations", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("training_attendances")
                    .col(pk_auto("id"))
                    .col(integer("organisation_id"))
                    .col(integer("training_id"))
                    .col(integer("person_id"))
                    .col(date("attended_on"))
                    .col(integer_null("score"))
                    .col(string_null("note"))
                    .col(integer("recorded_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_training_attendances_training_id")
                            .from("training_attendances", "training_id")
                            .to("trainings", "id")
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_training_attendances_person_id")
                            .from("training_attendances", "person_id")
                            .to("people", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .take(),
            )
            .await?;
        for index in [
            Index::create()
                .name("ix_trainings_org_year")
                .table("trainings")
                .col("organisation_id")
                .col("pms_year")
                .take(),
            Index::create()
                .name("ix_training_attendances_training_person")
                .table("training_attendances")
                .col("training_id")
                .col("person_id")
                .take(),
            Index::create()
                .name("ix_training_attendances_person")
                .table("training_attendances")
                .col("person_id")
                .take(),
        ] {
            manager.create_index(index).await?;
        }
        manager.alter_table(Table::alter().table("evidence").add_column(integer_null("training_id")).take()).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table("evidence").drop_column("training_id").take()).await?;
        for table in ["training_attendances", "trainings"] {
            manager.drop_table(Table::drop().table(table).take()).await?;
        }
        Ok(())
    }
}
