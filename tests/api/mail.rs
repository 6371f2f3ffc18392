//! The admin's mail page: extra recipients, members' opt-out, the outbox with its filter and
//! retry, the test e-mail, and the scheduler's last pass on the page and the dashboard.

use chrono::Utc;
use pmark::domain::Role;
use pmark::jobs::pass::run_once;
use pmark::mail::Mailer;
use reqwest::StatusCode;
use sea_orm::EntityTrait;

use crate::helpers::{TestApp, count, input_value, spawn_app, spawn_app_with, texts};
use crate::outbox::failed_row;

async fn outbox_rows(app: &TestApp) -> Vec<pmark::entities::outbox::Model> {
    pmark::entities::outbox::Entity::find().all(&app.db).await.unwrap()
}

#[tokio::test]
async fn an_admin_adds_and_removes_extra_recipients_and_bad_input_keeps_the_values() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let path = format!("/orgs/{org}/mail/recipients");

    let bad = app.post_form(&app.client, &path, &[("email", "not an address"), ("lang", "en")]).await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = bad.text().await.unwrap();
    assert_eq!(input_value(&html, "email").as_deref(), Some("not an address"), "the value is kept");
    assert_eq!(count(&html, "#f-lang option[value=en][selected]"), 1, "the language is kept");
    assert_eq!(count(&html, ".has-error #f-email"), 1, "{html}");

    let added = app.post_form(&app.client, &path, &[("email", "Dpo@Example.jp"), ("lang", "en")]).await;
    assert_eq!(added.status(), StatusCode::SEE_OTHER);
    let duplicate = app.post_form(&app.client, &path, &[("email", "dpo@example.jp"), ("lang", "ja")]).await;
    assert_eq!(duplicate.status(), StatusCode::UNPROCESSABLE_ENTITY, "the same address twice");
    let page = app.get(&app.client, &format!("/orgs/{org}/mail")).await.text().await.unwrap();
    assert_eq!(texts(&page, "#recipients tbody td:first-child"), vec!["dpo@example.jp"]);

    let id = pmark::store::reminder_recipients::list(&app.db, org).await.unwrap()[0].id;
    let removed = app.post_form(&app.client, &format!("/orgs/{org}/mail/recipients/{id}/remove"), &[]).await;
    assert_eq!(removed.status(), StatusCode::SEE_OTHER);
    assert!(pmark::store::reminder_recipients::list(&app.db, org).await.unwrap().is_empty());
    let trail = app.get(&app.client, &format!("/orgs/{org}/audit")).await.text().await.unwrap();
    assert!(trail.contains("reminder_recipient"), "both changes are in the audit trail");
}

#[tokio::test]
async fn reminders_reach_extra_recipients_in_their_language_and_skip_members_who_opted_out() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let officer = app.add_member(Some(org), Role::Officer, "officer@example.jp").await;
    app.post_form(&app.client, &format!("/orgs/{org}/mail/recipients"), &[("email", "dpo@example.jp"), ("lang", "en")])
        .await;
    let opt_out = app
        .post_form(&officer.client, "/account/reminders", &[("organisation_id", &org.to_string()), ("opt_out", "true")])
        .await;
    assert_eq!(opt_out.status(), StatusCode::SEE_OTHER);
    let account = app.get(&officer.client, "/account").await.text().await.unwrap();
    assert_eq!(
        texts(&account, &format!("#reminder-preferences tr[data-organisation='{org}'] .reminder-state")),
        vec!["法令上必要な通知のみ"]
    );
    app.certify_with_window_open(org).await;

    let (mailer, from) = Mailer::from_settings(&app.settings.mail).unwrap();
    let report = run_once(&app.db, &app.settings, &app.address, &mailer, &from, "a", Utc::now()).await.unwrap();
    assert_eq!(report.sent, 2, "{report:?}: the admin in Japanese, the extra address in English");
    let sent: Vec<_> = outbox_rows(&app).await.into_iter().filter(|r| r.state.as_str() == "sent").collect();
    let english = sent.iter().find(|r| r.lang.as_str() == "en").unwrap();
    assert_eq!(english.recipients, r#"["dpo@example.jp"]"#);
    let japanese = sent.iter().find(|r| r.lang.as_str() == "ja").unwrap();
    assert_eq!(japanese.recipients, r#"["admin@example.jp"]"#, "the officer opted out");
}

#[tokio::test]
async fn the_outbox_filters_by_state_and_a_failed_row_can_be_retried_once() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let failed = failed_row(&app, org).await;

    let page = app.get(&app.client, &format!("/orgs/{org}/mail?state=failed")).await.text().await.unwrap();
    assert_eq!(count(&page, "#outbox tbody tr"), 1);
    assert_eq!(count(&page, &format!("#outbox tr[data-id='{failed}'][data-state=failed] button")), 1, "{page}");
    assert!(page.contains("550 mailbox unavailable"), "the last error is shown");
    let pending = app.get(&app.client, &format!("/orgs/{org}/mail?state=pending")).await.text().await.unwrap();
    assert_eq!(count(&pending, "#outbox tbody tr"), 0);

    let retry = app.post_form(&app.client, &format!("/orgs/{org}/mail/outbox/{failed}/retry"), &[]).await;
    assert_eq!(retry.status(), StatusCode::SEE_OTHER);
    let row = pmark::entities::outbox::Entity::find_by_id(failed).one(&app.db).await.unwrap().unwrap();
    assert_eq!((row.state.as_str(), row.attempts), ("pending", 0), "a fresh round of attempts");
    let again = app.post_form(&app.client, &format!("/orgs/{org}/mail/outbox/{failed}/retry"), &[]).await;
    assert_eq!(again.status(), StatusCode::SEE_OTHER);
    let page = app.get(&app.client, &format!("/orgs/{org}/mail")).await.text().await.unwrap();
    assert_eq!(count(&page, ".flash-error"), 1, "a second retry is refused with a message");

    // Another organisation's admin cannot retry this row.
    let (other_org, other) = app.add_organisation("第三株式会社", "third@example.jp").await;
    let foreign = failed_row(&app, org).await;
    let refused = app.post_form(&other.client, &format!("/orgs/{other_org}/mail/outbox/{foreign}/retry"), &[]).await;
    assert_eq!(refused.status(), StatusCode::SEE_OTHER);
    let row = pmark::entities::outbox::Entity::find_by_id(foreign).one(&app.db).await.unwrap().unwrap();
    assert_eq!(row.state.as_str(), "failed", "a row of another organisation is not touched");
}

#[tokio::test]
async fn the_dashboard_shows_a_stopped_scheduler_to_admins_and_officers_only() {
    let app = spawn_app().await; // interval_minutes = 0: the scheduler is off
    let org = app.set_up_admin().await;
    let viewer = app.add_member(Some(org), Role::Viewer, "viewer@example.jp").await;
    let dashboard = app.get(&app.client, &format!("/orgs/{org}")).await.text().await.unwrap();
    assert_eq!(count(&dashboard, "#scheduler-status.warning [data-state=scheduler-disabled]"), 1, "{dashboard}");
    let theirs = app.get(&viewer.client, &format!("/orgs/{org}")).await.text().await.unwrap();
    assert_eq!(count(&theirs, "#scheduler-status"), 0);
}

#[tokio::test]
async fn a_test_email_is_sent_by_the_running_scheduler_and_its_pass_is_shown() {
    let app = spawn_app_with(|s| s.reminders.interval_minutes = 60, None).await;
    let org = app.set_up_admin().await;
    let queued = app.post_form(&app.client, &format!("/orgs/{org}/mail/test"), &[]).await;
    assert_eq!(queued.status(), StatusCode::SEE_OTHER);
    let mut row = None;
    for _ in 0..100 {
        row = outbox_rows(&app).await.into_iter().find(|r| r.kind.as_str() == "test" && r.state.as_str() == "sent");
        if row.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let row = row.expect("the woken scheduler sent the test e-mail");
    assert_eq!(row.recipients, r#"["admin@example.jp"]"#);
    assert!(row.subject.contains("テストメール"), "{}", row.subject);
    let mails = std::fs::read_dir(&app.settings.mail.file_dir).unwrap().count();
    assert_eq!(mails, 1, "one .eml file");

    let mut state = String::new();
    for _ in 0..50 {
        let page = app.get(&app.client, &format!("/orgs/{org}/mail")).await.text().await.unwrap();
        state = texts(&page, "#scheduler .scheduler-state").join("");
        if count(&page, "#scheduler:not(.warning) [data-state=scheduler-ran]") == 1 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the page never showed a finished pass: {state}");
}
