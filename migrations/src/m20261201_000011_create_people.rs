//! Departments (部門, nestable) and people (従業者): who works for the organisation, in which
//! department, on which employment type (雇用区分), since and until when, and the PMS roles they
//! hold. People are not app users; a member can be linked to one. A leaver keeps their row (and
//! its history) with `left_on` set.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn organisation_fk(table: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_organisation_id"))
        .from(table, "organisation_id")
        .to("organisations", "id")
        .on_delete(ForeignKeyAction::Cascade)
        .take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("departments")
                    .col(pk_auto("id"))
                    .col(integer("organisation_id"))
                    .col(integer_null("parent_id"))
                    .col(string("name"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut organisation_fk("departments"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_departments_parent_id")
                            .from("departments", "parent_id")
                            .to("departments", "id")
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("people")
                    .col(pk_auto("id"))
                    .col(integer("organisation_id"))
                    .col(string("employee_number"))
                    .col(string("name"))
                    .col(string_null("kana"))
                    .col(integer_null("department_id"))
                    .col(string("employment"))
                    .col(string_null("employment_label"))
                    .col(date_null("joined_on"))
                    .col(date_null("left_on"))
                    .col(string_null("email"))
                    .col(integer_null("user_id"))
                    .col(text("roles"))
                    .col(integer("lock_version"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut organisation_fk("people"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_people_department_id")
                            .from("people", "department_id")
                            .to("departments", "id")
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_people_user_id")
                            .from("people", "user_id")
                            .to("users", "id")
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .take(),
            )
            .await?;
        for index in [
            Index::create()
                .name("ix_departments_org")
                .table("departments")
                .col("organisation_id")
                .col("parent_id")
                .take(),
            Index::create()
                .name("ux_people_employee_number")
                .table("people")
                .col("organisation_id")
                .col("employee_number")
                .unique()
                .take(),
            Index::create().name("ix_people_org_kana").table("people").col("organisation_id").col("kana").take(),
            Index::create().name("ix_people_department").table("people").col("department_id").take(),
        ] {
            manager.create_index(index).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["people", "departments"] {
            manager.drop_table(Table::drop().table(table).take()).await?;
        }
        Ok(())
    }
}
