//! Incidents (事故): the record with its facts (the incident-facts JSON), the reports each
//! reporting track makes due, an append-only response timeline, the review of every control the
//! incident flagged, and corrective actions (是正処置). Timeline entries cannot be updated (a
//! trigger refuses it); they go only with their incident. Evidence can be attached to timeline
//! entries, reports and corrective actions.

use sea_orm_migration::{prelude::*, schema::*, sea_orm::DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Tables whose changes move the organisation's data version (its pages are cached by it).
const TRACKED: &[&str] =
    &["incidents", "incident_reports", "incident_timeline", "control_reviews", "corrective_actions"];

fn organisation_fk(table: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_organisation_id"))
        .from(table, "organisation_id")
        .to("organisations", "id")
        .on_delete(ForeignKeyAction::Cascade)
        .take()
}

fn incident_fk(table: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_incident_id"))
        .from(table, "incident_id")
        .to("incidents", "id")
        .on_delete(ForeignKeyAction::Cascade)
        .take()
}

fn tables() -> Vec<TableCreateStatement> {
    vec![
        Table::create()
            .table("incidents")
            .col(pk_auto("id"))
            .col(integer("organisation_id"))
            .col(string("title"))
            .col(text("description"))
            .col(text("cause_narrative"))
            .col(string("contractor"))
            .col(text("facts"))
            .col(date("discovered_on"))
            .col(string("status"))
            .col(string("catalog_version"))
            .col(integer("lock_version"))
            .col(integer("created_by"))
            .col(timestamp_with_time_zone("created_at"))
            .col(integer("updated_by"))
            .col(timestamp_with_time_zone("updated_at"))
            .col(timestamp_with_time_zone_null("closed_at"))
            .foreign_key(&mut organisation_fk("incidents"))
            .take(),
        Table::create()
            .table("incident_reports")
            .col(pk_auto("id"))
            .col(integer("organisation_id"))
            .col(integer("incident_id"))
            .col(string("track"))
            .col(boolean("required"))
            .col(date_null("due_on"))
            .col(date_null("latest_on"))
            .col(date_null("submitted_on"))
            .col(string_null("reference"))
            .col(integer_null("submitted_by"))
            .col(timestamp_with_time_zone_null("recorded_at"))
            .foreign_key(&mut organisation_fk("incident_reports"))
            .foreign_key(&mut incident_fk("incident_reports"))
            .take(),
        Table::create()
            .table("incident_timeline")
            .col(pk_auto("id"))
            .col(integer("organisation_id"))
            .col(integer("incident_id"))
            .col(date("occurred_on"))
            .col(string("kind"))
            .col(text("note"))
            .col(integer("created_by"))
            .col(timestamp_with_time_zone("created_at"))
            .foreign_key(&mut organisation_fk("incident_timeline"))
            .foreign_key(&mut incident_fk("incident_timeline"))
            .take(),
        Table::create()
            .table("corrective_actions")
            .col(pk_auto("id"))
            .col(integer("organisation_id"))
            .col(integer_null("incident_id"))
            .col(string("title"))
            .col(text("description"))
            .col(string("owner"))
            .col(date("due_on"))
            .col(text("control_ids"))
            .col(string("status"))
            .col(date_null("completed_on"))
            .col(text_null("completion_note"))
            .col(integer_null("completed_by"))
            .col(integer("created_by"))
            .col(timestamp_with_time_zone("created_at"))
            .col(timestamp_with_time_zone("updated_at"))
            .foreign_key(&mut organisation_fk("corrective_actions"))
            .foreign_key(&mut incident_fk("corrective_actions"))
            .take(),
        Table::create()
            .table("control_reviews")
            .col(pk_auto("id"))
            .col(integer("organisation_id"))
            .col(integer("incident_id"))
            .col(string("control_id"))
            .col(string("catalog_version"))
            .col(string("priority"))
            .col(text("reasons_en"))
            .col(text("reasons_ja"))
            .col(boolean("flagged"))
            .col(string("state"))
            .col(text_null("decision_note"))
            .col(integer_null("corrective_action_id"))
            .col(integer_null("decided_by"))
            .col(timestamp_with_time_zone_null("decided_at"))
            .col(timestamp_with_time_zone("created_at"))
            .foreign_key(&mut organisation_fk("control_reviews"))
            .foreign_key(&mut incident_fk("control_reviews"))
            .take(),
    ]
}

fn indexes() -> Vec<IndexCreateStatement> {
    vec![
        Index::create().name("ix_incidents_org").table("incidents").col("organisation_id").col("discovered_on").take(),
        Index::create()
            .name("ux_incident_reports_track")
            .table("incident_reports")
            .col("incident_id")
            .col("track")
            .unique()
            .take(),
        Index::create().name("ix_incident_reports_org").table("incident_reports").col("organisation_id").take(),
        Index::create().name("ix_incident_timeline_incident").table("incident_timeline").col("incident_id").take(),
        Index::create()
            .name("ux_control_reviews_incident_control")
            .table("control_reviews")
            .col("incident_id")
            .col("control_id")
            .unique()
            .take(),
        Index::create()
            .name("ix_control_reviews_org_control")
            .table("control_reviews")
            .col("organisation_id")
            .col("control_id")
            .take(),
        Index::create().name("ix_corrective_actions_org").table("corrective_actions").col("organisation_id").take(),
    ]
}

fn triggers(backend: DatabaseBackend) -> Vec<String> {
    let mut statements = Vec::new();
    match backend {
        DatabaseBackend::Postgres => {
            statements.push(
                "CREATE FUNCTION incident_timeline_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ \
                 BEGIN RAISE EXCEPTION 'incident_timeline is append-only'; END $$"
                    .to_owned(),
            );
            statements.push(
                "CREATE TRIGGER incident_timeline_no_update BEFORE UPDATE ON incident_timeline \
                 FOR EACH ROW EXECUTE FUNCTION incident_timeline_append_only()"
                    .to_owned(),
            );
            for table in TRACKED {
                statements.push(format!(
                    "CREATE TRIGGER {table}_bumps_version AFTER INSERT OR UPDATE OR DELETE ON {table} \
                     FOR EACH ROW EXECUTE FUNCTION bump_organisation_version()"
                ));
            }
        }
        _ => {
            statements.push(
                "CREATE TRIGGER incident_timeline_no_update BEFORE UPDATE ON incident_timeline \
                 BEGIN SELECT RAISE(ABORT, 'incident_timeline is append-only'); END"
                    .to_owned(),
            );
            for table in TRACKED {
                for (event, row) in [("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")] {
                    statements.push(format!(
                        "CREATE TRIGGER {table}_{lower}_bumps_version AFTER {event} ON {table} \
                         BEGIN UPDATE organisations SET data_version = data_version + 1 WHERE id = {row}.organisation_id; END",
                        lower = event.to_lowercase()
                    ));
                }
            }
        }
    }
    statements
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in tables() {
            manager.create_table(table).await?;
        }
        for index in indexes() {
            manager.create_index(index).await?;
        }
        for column in ["incident_timeline_id", "incident_report_id", "corrective_action_id"] {
            manager.alter_table(Table::alter().table("evidence").add_column(integer_null(column)).take()).await?;
        }
        let db = manager.get_connection();
        for statement in triggers(manager.get_database_backend()) {
            db.execute_unprepared(&statement).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in ["incident_timeline_id", "incident_report_id", "corrective_action_id"] {
            manager.alter_table(Table::alter().table("evidence").drop_column(column).take()).await?;
        }
        for table in ["control_reviews", "corrective_actions", "incident_timeline", "incident_reports", "incidents"] {
            manager.drop_table(Table::drop().table(table).take()).await?;
        }
        Ok(())
    }
}
