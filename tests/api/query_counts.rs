//! Pages are built from a fixed number of queries, whatever the number of rows (no query per
//! row), and from their cache when nothing changed.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::Datelike;
use pmark::store::audit::Actor;
use pmark::store::evidence::{Content, NewEvidence, Subject};
use reqwest::StatusCode;
use sea_orm::ConnectionTrait;

use crate::helpers::{TestApp, spawn_app_with};

async fn queries_for(app: &TestApp, counter: &AtomicUsize, path: &str) -> usize {
    counter.store(0, Ordering::SeqCst);
    let response = app.get(&app.client, path).await;
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.bytes().await.unwrap();
    counter.load(Ordering::SeqCst)
}

/// Queries of the first request after a change (the cache reloads) and of the next one.
async fn cold_and_warm(app: &TestApp, counter: &AtomicUsize, path: &str) -> (usize, usize) {
    (queries_for(app, counter, path).await, queries_for(app, counter, path).await)
}

async fn add_link_evidence_everywhere(app: &TestApp, org: i32) {
    let controls = pmark::store::controls::list(&app.db, org, "JIS Q 15001:2017").await.unwrap();
    for control in controls {
        for n in 0..2 {
            let new = NewEvidence {
                subject: Subject::Control(control.id),
                description: format!("証跡{n}"),
                effective_on: chrono::NaiveDate::from_ymd_opt(2026, 4, 1 + n).unwrap(),
                supersedes_id: None,
                content: Content::Link("https://example.jp/doc".into()),
            };
            pmark::store::evidence::insert(&app.db, &Actor::command_line(), org, new).await.unwrap();
        }
    }
}

#[tokio::test]
async fn the_controls_page_query_count_does_not_grow_with_controls_or_evidence() {
    let counter = Arc::new(AtomicUsize::new(0));
    let app = spawn_app_with(|_| {}, Some(counter.clone())).await;
    let org = app.set_up_admin().await;
    let path = format!("/orgs/{org}/controls");
    // The first page after setup also consumes the welcome message (a session write): not counted.
    app.get(&app.client, &path).await;
    let full_catalog = cold_and_warm(&app, &counter, &path).await;

    add_link_evidence_everywhere(&app, org).await;
    app.db
        .execute_unprepared(&format!(
            "UPDATE organisation_controls SET owner_user_id = (SELECT MIN(id) FROM users) WHERE organisation_id = {org}"
        ))
        .await
        .unwrap();
    let with_evidence = cold_and_warm(&app, &counter, &path).await;
    // A change made by hand in the database is seen too (the triggers bump the version).
    app.db
        .execute_unprepared(&format!(
            "DELETE FROM organisation_controls WHERE organisation_id = {org} AND control_id NOT IN ('A.3.3.1', 'A.3.3.2')"
        ))
        .await
        .unwrap();
    let two_controls = cold_and_warm(&app, &counter, &path).await;
    let html = app.get(&app.client, &path).await.text().await.unwrap();
    assert_eq!(crate::helpers::count(&html, "tr.control-row"), 2, "the cache did not serve stale rows");

    assert_eq!(with_evidence, two_controls, "43 controls with evidence cost what 2 cost");
    // The session and fifteen loads: the snapshot's thirteen, the PMS 体制 (the dashboard's card)
    // and the controls with open incident checks (counted as needing review, and a filter here).
    assert!(with_evidence.0 <= 16, "{with_evidence:?} queries when the data changed: the session and fifteen loads");
    assert_eq!(with_evidence.1, 1, "unchanged data: one query loads the session with its viewer");
    assert_eq!(full_catalog.1, 1);
}

#[tokio::test]
async fn the_dashboard_and_calendar_query_counts_do_not_grow_with_years_of_records() {
    let counter = Arc::new(AtomicUsize::new(0));
    let app = spawn_app_with(|_| {}, Some(counter.clone())).await;
    let org = app.set_up_admin().await;
    let dashboard = format!("/orgs/{org}");
    let calendar = format!("/orgs/{org}/duties");
    app.get(&app.client, &dashboard).await;
    let invalidate = format!("UPDATE organisations SET data_version = data_version + 1 WHERE id = {org}");
    app.db.execute_unprepared(&invalidate).await.unwrap();
    let empty = (cold_and_warm(&app, &counter, &dashboard).await, cold_and_warm(&app, &counter, &calendar).await);
    let duties = pmark::store::duties::list(&app.db, org).await.unwrap();
    let this_year = app.clock.today().year();
    for year in this_year - 4..=this_year {
        for duty in &duties {
            let per_year = if duty.frequency.as_str() == "monthly" { 12 } else { 1 };
            for slot in 0..per_year {
                let record = pmark::store::duties::NewRecord {
                    performed_on: chrono::NaiveDate::from_ymd_opt(year, 5, 1).unwrap(),
                    performed_by: "担当".into(),
                    summary: "実施".into(),
                    ..Default::default()
                };
                pmark::store::duties::record(&app.db, &Actor::command_line(), duty, year, slot, &record).await.unwrap();
            }
        }
    }
    app.db.execute_unprepared(&invalidate).await.unwrap();
    let full = (cold_and_warm(&app, &counter, &dashboard).await, cold_and_warm(&app, &counter, &calendar).await);
    assert_eq!(full.0.1, empty.0.1);
    assert_eq!(full.1.1, empty.1.1);
    assert_eq!(full.0.0, empty.0.0, "a reload costs the same with five years of records");
    assert_eq!((full.0.1, full.1.1), (1, 1), "unchanged data: one query loads the session with its viewer");
}

#[tokio::test]
async fn incident_pages_audit_trail_and_report_cost_one_query_while_nothing_changed_however_many_incidents() {
    let counter = Arc::new(AtomicUsize::new(0));
    let app = spawn_app_with(|_| {}, Some(counter.clone())).await;
    let org = app.set_up_admin().await;
    app.get(&app.client, &format!("/orgs/{org}")).await; // consumes the welcome message
    let catalogs = pmark::domain::catalog::Catalogs::builtin().unwrap();
    let today = app.clock.today();
    let seed = |count| pmark::cli::demo_incidents::seed(&app.db, catalogs.current(), org, count, 2, today);
    seed(3).await.unwrap();
    let incident: i32 = pmark::store::incidents::list(&app.db, org).await.unwrap()[0].id;
    let pages = [
        format!("/orgs/{org}/incidents"),
        format!("/orgs/{org}/incidents/{incident}"),
        format!("/orgs/{org}/controls/A.3.3.7"),
        format!("/orgs/{org}/corrective-actions"),
        format!("/orgs/{org}/audit"),
        format!("/orgs/{org}/report"),
    ];
    let mut few = Vec::new();
    for path in &pages {
        few.push(cold_and_warm(&app, &counter, path).await);
    }
    seed(60).await.unwrap();
    for (path, (cold_few, warm_few)) in pages.iter().zip(few) {
        let (cold, warm) = cold_and_warm(&app, &counter, path).await;
        assert_eq!(warm, 1, "{path}: unchanged data, one query loads the session with its viewer");
        assert_eq!(warm_few, 1, "{path}");
        assert!(
            cold <= cold_few,
            "{path}: a reload after 60 more incidents costs {cold} queries, not more than {cold_few}"
        );
    }
}
