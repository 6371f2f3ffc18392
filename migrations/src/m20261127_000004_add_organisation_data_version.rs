//! `organisations.data_version`: bumped by triggers whenever anything an organisation's pages
//! show changes (controls, evidence, duties, records, members, invitations, audit entries, a
//! member's name). Pages cache their data per organisation and reload when the version moved,
//! so every instance on a shared database stays correct, even after a hand-made SQL change.

use sea_orm_migration::{prelude::*, schema::*, sea_orm::DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Tables whose rows carry `organisation_id`.
const TRACKED: &[&str] =
    &["organisation_controls", "evidence", "duties", "duty_records", "memberships", "invitations", "audit_events"];

fn sqlite_statements() -> Vec<String> {
    let mut statements = Vec::new();
    for table in TRACKED {
        for (event, row) in [("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")] {
            if *table == "audit_events" && event != "INSERT" {
                continue;
            }
            statements.push(format!(
                "CREATE TRIGGER {table}_{lower}_bumps_version AFTER {event} ON {table} \
                 WHEN {row}.organisation_id IS NOT NULL \
                 BEGIN UPDATE organisations SET data_version = data_version + 1 WHERE id = {row}.organisation_id; END",
                lower = event.to_lowercase()
            ));
        }
    }
    statements.push(
        "CREATE TRIGGER users_name_bumps_version AFTER UPDATE OF display_name, email ON users \
         BEGIN UPDATE organisations SET data_version = data_version + 1 \
         WHERE id IN (SELECT organisation_id FROM memberships WHERE user_id = NEW.id); END"
            .to_owned(),
    );
    statements
}

fn postgres_statements() -> Vec<String> {
    let mut statements = vec![
        "CREATE FUNCTION bump_organisation_version() RETURNS trigger LANGUAGE plpgsql AS $$ \
         DECLARE org integer; \
         BEGIN \
           IF TG_OP = 'DELETE' THEN org := OLD.organisation_id; ELSE org := NEW.organisation_id; END IF; \
           IF org IS NOT NULL THEN UPDATE organisations SET data_version = data_version + 1 WHERE id = org; END IF; \
           RETURN NULL; \
         END $$"
            .to_owned(),
        "CREATE FUNCTION bump_member_organisations_version() RETURNS trigger LANGUAGE plpgsql AS $$ \
         BEGIN \
           UPDATE organisations SET data_version = data_version + 1 \
           WHERE id IN (SELECT organisation_id FROM memberships WHERE user_id = NEW.id); \
           RETURN NULL; \
         END $$"
            .to_owned(),
    ];
    for table in TRACKED {
        let events = if *table == "audit_events" { "INSERT" } else { "INSERT OR UPDATE OR DELETE" };
        statements.push(format!(
            "CREATE TRIGGER {table}_bumps_version AFTER {events} ON {table} \
             FOR EACH ROW EXECUTE FUNCTION bump_organisation_version()"
        ));
    }
    statements.push(
        "CREATE TRIGGER users_name_bumps_version AFTER UPDATE OF display_name, email ON users \
         FOR EACH ROW EXECUTE FUNCTION bump_member_organisations_version()"
            .to_owned(),
    );
    statements
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter().table("organisations").add_column(big_integer("data_version").default(0)).take(),
            )
            .await?;
        let statements = match manager.get_database_backend() {
            DatabaseBackend::Postgres => postgres_statements(),
            _ => sqlite_statements(),
        };
        let db = manager.get_connection();
        for sql in statements {
            db.execute_unprepared(&sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DatabaseBackend::Postgres => {
                for table in TRACKED {
                    db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS {table}_bumps_version ON {table}")).await?;
                }
                db.execute_unprepared("DROP TRIGGER IF EXISTS users_name_bumps_version ON users").await?;
                db.execute_unprepared("DROP FUNCTION IF EXISTS bump_organisation_version()").await?;
                db.execute_unprepared("DROP FUNCTION IF EXISTS bump_member_organisations_version()").await?;
            }
            _ => {
                for table in TRACKED {
                    for event in ["insert", "update", "delete"] {
                        db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS {table}_{event}_bumps_version")).await?;
                    }
                }
                db.execute_unprepared("DROP TRIGGER IF EXISTS users_name_bumps_version").await?;
            }
        }
        manager.alter_table(Table::alter().table("organisations").drop_column("data_version").take()).await
    }
}
