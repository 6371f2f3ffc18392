//! The reminder pass end to end through lettre: due reminders go out once per recipient language
//! and never twice; a failing SMTP server is retried with backoff until delivery.

use chrono::{Duration, Utc};
use pmark::domain::Role;
use pmark::jobs::pass::run_once;
use pmark::mail::Mailer;
use sea_orm::EntityTrait;

use crate::helpers::{TestApp, spawn_app};

fn eml_files(app: &TestApp) -> Vec<String> {
    let mut found: Vec<String> = std::fs::read_dir(&app.settings.mail.file_dir)
        .map(|dir| dir.flatten().map(|e| std::fs::read_to_string(e.path()).unwrap_or_default()).collect())
        .unwrap_or_default();
    found.sort();
    found
}

#[tokio::test]
async fn due_reminders_are_mailed_once_per_language_and_never_twice() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let officer = app.add_member(Some(org), Role::Officer, "officer@example.jp").await;
    app.post_form(&officer.client, "/account/profile", &[("display_name", "Officer"), ("lang", "en")]).await;
    app.add_member(Some(org), Role::Viewer, "viewer@example.jp").await;
    app.certify_with_window_open(org).await;

    let (mailer, from) = Mailer::from_settings(&app.settings.mail).unwrap();
    let now = Utc::now();
    let first = run_once(&app.db, &app.settings, &app.address, &mailer, &from, "instance-a", now).await.unwrap();
    assert_eq!(first.sent, 2, "{first:?}: one message in Japanese (admin), one in English (officer)");
    assert!(first.skipped >= 2, "{first:?}: the earlier milestones are recorded as skipped");
    let mails = eml_files(&app);
    assert_eq!(mails.len(), 2);
    let japanese = mails.iter().find(|m| m.contains("admin@example.jp")).expect("the admin's mail");
    assert!(japanese.contains("Subject: =?utf-8?b?"), "encoded Japanese subject");
    let sent = pmark::entities::outbox::Entity::find().all(&app.db).await.unwrap();
    let ja =
        sent.iter().find(|r| r.state.as_str() == "sent" && r.lang.as_str() == "ja").expect("a Japanese row was sent");
    assert!(ja.body_text.contains(&format!("{}/orgs/{org}/certification", app.address)), "a link to the page");
    assert!(ja.subject.starts_with("【pmark】株式会社ジモス検証："), "{}", ja.subject);
    let en =
        sent.iter().find(|r| r.state.as_str() == "sent" && r.lang.as_str() == "en").expect("an English row was sent");
    assert!(en.subject.starts_with("[Privacy Mark]"), "{}", en.subject);
    assert!(!mails.iter().any(|m| m.contains("viewer@example.jp")), "viewers are not reminded");

    // Another pass, and another instance after a restart: nothing new.
    let again =
        run_once(&app.db, &app.settings, &app.address, &mailer, &from, "instance-a", now + Duration::minutes(5))
            .await
            .unwrap();
    let restarted =
        run_once(&app.db, &app.settings, &app.address, &mailer, &from, "instance-b", now + Duration::minutes(10))
            .await
            .unwrap();
    assert_eq!((again.enqueued, again.sent, restarted.enqueued, restarted.sent), (0, 0, 0, 0));
    assert_eq!(eml_files(&app).len(), 2);
}

#[tokio::test]
async fn a_failing_smtp_server_is_retried_until_delivery_with_the_attempts_recorded() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    app.certify_with_window_open(org).await;
    // A port on loopback where nothing listens: connection refused.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut down = app.settings.mail.clone();
    down.transport = "smtp".into();
    down.smtp_host = "127.0.0.1".into();
    down.smtp_port = closed;
    down.smtp_security = "none".into();
    let (smtp, from) = Mailer::from_settings(&down).unwrap();
    let now = Utc::now();
    let failed = run_once(&app.db, &app.settings, &app.address, &smtp, &from, "a", now).await.unwrap();
    assert_eq!((failed.sent, failed.failed), (0, 1));
    let row = pmark::entities::outbox::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.state.as_str() == "pending")
        .expect("still pending");
    assert_eq!(row.attempts, 1);
    assert!(row.last_error.is_some());
    // Before the backoff has passed nothing is tried; after it, the (now working) transport delivers.
    let (file, from) = Mailer::from_settings(&app.settings.mail).unwrap();
    let early =
        run_once(&app.db, &app.settings, &app.address, &file, &from, "a", now + Duration::seconds(30)).await.unwrap();
    assert_eq!(early.sent, 0);
    let later =
        run_once(&app.db, &app.settings, &app.address, &file, &from, "a", now + Duration::minutes(2)).await.unwrap();
    assert_eq!(later.sent, 1);
    assert_eq!(eml_files(&app).len(), 1);
}

#[tokio::test]
async fn pmark_remind_lists_then_sends_what_is_due() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    app.certify_with_window_open(org).await;
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_pmark"))
            .args(args)
            .env("PMARK__DATABASE__URL", &app.settings.database.url)
            .env("PMARK__DATA__DIR", &app.settings.data.dir)
            .env("PMARK__MAIL__FILE_DIR", &app.settings.mail.file_dir)
            .env("PMARK__LOG__LEVEL", "off")
            .output()
            .unwrap()
    };
    let dry = run(&["remind", "--dry-run"]);
    assert!(dry.status.success(), "{}", String::from_utf8_lossy(&dry.stderr));
    let listed = String::from_utf8_lossy(&dry.stdout).to_string();
    assert!(listed.lines().any(|l| l.ends_with(" send")), "{listed}");
    assert!(eml_files(&app).is_empty(), "a dry run sends nothing");
    let real = run(&["remind"]);
    assert!(real.status.success(), "{}", String::from_utf8_lossy(&real.stderr));
    assert!(String::from_utf8_lossy(&real.stdout).contains("sent 1"), "{}", String::from_utf8_lossy(&real.stdout));
    assert_eq!(eml_files(&app).len(), 1);
    let again = run(&["remind"]);
    assert!(String::from_utf8_lossy(&again.stdout).contains("sent 0"));
    assert_eq!(eml_files(&app).len(), 1);
}
