//! Migrations that rename stored names keep old rows readable: run up to the step before, write
//! rows the old way, migrate, and read them the new way (and back down). The audit trail itself
//! is never rewritten.

use migration::{Migrator, MigratorTrait};
use pmark::entities::audit_event;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, EntityTrait, QueryOrder, Statement};

use crate::helpers::fresh_database_url;

async fn one_text(db: &DatabaseConnection, sql: &str) -> String {
    let row = db.query_one_raw(Statement::from_string(db.get_database_backend(), sql)).await.unwrap().unwrap();
    row.try_get_by_index::<String>(0).unwrap()
}

#[tokio::test]
async fn after_renaming_filings_and_checks_the_trail_is_untouched_and_read_with_the_new_names() {
    let dir = tempfile::tempdir().unwrap();
    let db = Database::connect(fresh_database_url(&dir).await).await.unwrap();
    Migrator::up(&db, Some(9)).await.unwrap();
    let written = r#"{"new_reviews":{"after":["A.3.4.3.2"]},"note":{"after":"see \"reports\": in the binder"}}"#;
    for (entity, action, changes) in [
        ("incident", "decide_review", written),
        ("incident", "submit_report", r#"{"track":{"after":"ppc_final"}}"#),
        ("incident_report", "add_evidence", "{}"),
    ] {
        db.execute_unprepared(&format!(
            "INSERT INTO audit_events (actor_label, occurred_at, entity, entity_id, action, changes) \
             VALUES ('cli', '2026-12-01 00:00:00', '{entity}', '1', '{action}', '{}')",
            changes.replace('\'', "''")
        ))
        .await
        .unwrap();
    }

    Migrator::up(&db, None).await.unwrap();
    assert_eq!(
        one_text(&db, "SELECT action FROM audit_events WHERE id = 1").await,
        "decide_review",
        "the append-only trail keeps what was written"
    );
    let names = pmark::store::audit::renamed::stored_names("incident_filing");
    assert_eq!(names, ["incident_filing", "incident_report"], "a filter on filings finds the old entries too");
    let stored = audit_event::Entity::find().order_by_asc(audit_event::Column::Id).all(&db).await.unwrap();
    let read: Vec<_> = stored.into_iter().map(pmark::store::audit::renamed::read).collect();
    assert_eq!((read[0].entity.as_str(), read[0].action.as_str()), ("incident", "decide_check"));
    let changes: serde_json::Value = serde_json::from_str(&read[0].changes).unwrap();
    assert_eq!(changes["new_checks"]["after"][0], "A.3.4.3.2", "the field is read by its new name");
    assert_eq!(changes["note"]["after"], r#"see "reports": in the binder"#, "what a user wrote is not renamed");
    assert_eq!(read[1].action, "record_filing");
    assert_eq!(read[2].entity, "incident_filing");
    db.execute_unprepared("SELECT count(*) FROM control_checks").await.expect("the table has its new name");
    db.execute_unprepared("SELECT incident_filing_id FROM evidence").await.expect("so has the evidence column");

    let after_nine = u32::try_from(Migrator::migrations().len() - 9).unwrap();
    Migrator::down(&db, Some(after_nine)).await.unwrap();
    db.execute_unprepared("SELECT count(*) FROM incident_reports").await.expect("down restores the old table name");
}
