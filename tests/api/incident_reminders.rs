//! The daily incident digest through the outbox: sent once a day, legal reports also to members
//! who opted out of other reminders, and the dashboard's incidents card.

use chrono::Utc;
use pmark::domain::Role;
use pmark::jobs::pass::run_once;
use pmark::mail::Mailer;
use sea_orm::EntityTrait;

use crate::helpers::{count, spawn_app};
use crate::incidents::{jimos, record};

#[tokio::test]
async fn an_overdue_incident_is_mailed_once_a_day_and_legal_reports_reach_those_who_opted_out() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let officer = app.add_member(Some(org), Role::Officer, "officer@example.jp").await;
    app.post_form(&officer.client, "/account/reminders", &[("organisation_id", &org.to_string()), ("opt_out", "true")])
        .await;
    record(&app, org, &jimos()).await;

    let (mailer, from) = Mailer::from_settings(&app.settings.mail).unwrap();
    let now = Utc::now();
    let report = run_once(&app.db, &app.settings, &app.address, &mailer, &from, "a", now).await.unwrap();
    assert_eq!(report.sent, 2, "{report:?}: the full digest to the admin, the legal part to the officer");
    let rows: Vec<_> = pmark::entities::outbox::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.kind.as_str() == "incident_digest")
        .collect();
    let full = rows.iter().find(|r| r.recipients.contains("admin@example.jp")).unwrap();
    assert!(full.body_text.contains("Pマーク：確報（審査機関）"), "the Privacy Mark report is in the full digest");
    assert!(full.body_text.contains(&format!("{}/orgs/{org}/incidents/", app.address)), "with links");
    assert!(full.subject.starts_with("【pmark】株式会社ジモス検証：事故対応の期限"), "{}", full.subject);
    let legal = rows.iter().find(|r| r.recipients.contains("officer@example.jp")).unwrap();
    assert!(legal.body_text.contains("個人情報保護委員会：確報"), "the PPC report is a legal duty");
    assert!(!legal.body_text.contains("Pマーク：確報"), "the Privacy Mark report is not, and the officer opted out");

    // Later the same day, and from another instance: nothing more.
    let again = run_once(&app.db, &app.settings, &app.address, &mailer, &from, "b", now + chrono::Duration::minutes(5))
        .await
        .unwrap();
    assert_eq!((again.enqueued, again.sent), (0, 0));
    // The next day: a new digest.
    let tomorrow = run_once(&app.db, &app.settings, &app.address, &mailer, &from, "a", now + chrono::Duration::days(1))
        .await
        .unwrap();
    assert_eq!(tomorrow.sent, 2);
}

#[tokio::test]
async fn the_dashboard_puts_open_incidents_and_overdue_filings_first() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    record(&app, org, &jimos()).await;
    let page = app.get(&app.client, &format!("/orgs/{org}")).await.text().await.unwrap();
    assert_eq!(count(&page, ".cards > section:first-child#dashboard-incidents.attention"), 1, "{page}");
    assert_eq!(count(&page, "#filings-due li.overdue[data-track=ppc_final]"), 1);
}
