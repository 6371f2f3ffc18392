//! The PMS plan (PMS年間計画) in the daily digest: duty occurrences due within two weeks or
//! overdue and control reviews due, once a day, only to those who keep non-legal reminders on.

use chrono::Utc;
use pmark::domain::Role;
use pmark::entities::{duty, organisation_control, outbox};
use pmark::jobs::pass::run_once;
use pmark::mail::Mailer;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::helpers::spawn_app;

#[tokio::test]
async fn overdue_duties_and_reviews_due_are_mailed_once_a_day_to_those_who_keep_plan_reminders() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let opted_out = app.add_member(Some(org), Role::Officer, "optout@example.jp").await;
    app.add_member(Some(org), Role::Officer, "officer@example.jp").await;
    let opt_out = [("organisation_id", org.to_string()), ("opt_out", "true".to_owned())];
    let opt_out: Vec<(&str, &str)> = opt_out.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(app.post_form(&opted_out.client, "/account/reminders", &opt_out).await.status(), 303);

    let now = Utc::now();
    let today = pmark::domain::calendar::japan_day(now);
    let (mailer, from) = Mailer::from_settings(&app.settings.mail).unwrap();
    // A new organisation has nothing overdue (occurrences before a duty was set up are not
    // expected) and no review dates: no digest.
    let quiet = run_once(&app.db, &app.settings, &app.address, &mailer, &from, "a", now).await.unwrap();
    assert_eq!(quiet.enqueued, 0, "{quiet:?}");

    // One duty, set up three years ago and never recorded; one control review due in a week.
    duty::Entity::update_many()
        .col_expr(duty::Column::Enabled, Expr::value(false))
        .filter(duty::Column::OrganisationId.eq(org))
        .filter(duty::Column::BuiltinKey.ne("register_review"))
        .exec(&app.db)
        .await
        .unwrap();
    duty::Entity::update_many()
        .col_expr(duty::Column::CreatedAt, Expr::value(now - chrono::Duration::days(3 * 365)))
        .filter(duty::Column::OrganisationId.eq(org))
        .exec(&app.db)
        .await
        .unwrap();
    organisation_control::Entity::update_many()
        .col_expr(organisation_control::Column::NextReviewDue, Expr::value(today + chrono::Duration::days(7)))
        .filter(organisation_control::Column::OrganisationId.eq(org))
        .filter(organisation_control::Column::ControlId.eq("A.3.3.1"))
        .exec(&app.db)
        .await
        .unwrap();
    // A review due in a month is not mentioned yet.
    organisation_control::Entity::update_many()
        .col_expr(organisation_control::Column::NextReviewDue, Expr::value(today + chrono::Duration::days(30)))
        .filter(organisation_control::Column::OrganisationId.eq(org))
        .filter(organisation_control::Column::ControlId.eq("A.3.3.3"))
        .exec(&app.db)
        .await
        .unwrap();

    let later = now + chrono::Duration::seconds(1);
    let report = run_once(&app.db, &app.settings, &app.address, &mailer, &from, "a", later).await.unwrap();
    assert_eq!(report.enqueued, 1, "{report:?}: one digest, for those who keep plan reminders");
    let rows = outbox::Entity::find().all(&app.db).await.unwrap();
    let digest = rows.iter().find(|r| r.kind.as_str() == "incident_digest").unwrap();
    assert!(digest.recipients.contains("admin@example.jp") && digest.recipients.contains("officer@example.jp"));
    assert!(!digest.recipients.contains("optout@example.jp"), "the member who stopped plan reminders");
    assert!(digest.subject.starts_with("【pmark】株式会社ジモス検証：PMS年間計画の期限"), "{}", digest.subject);
    let duty_name = pmark::i18n::t(pmark::domain::Lang::Ja, "duty-register_review");
    assert!(digest.body_text.contains(&duty_name), "the overdue duty: {}", digest.body_text);
    assert!(digest.body_text.contains("期限超過"), "{}", digest.body_text);
    let register = pmark::store::duties::list(&app.db, org).await.unwrap();
    let register = register.iter().find(|d| d.builtin_key.as_deref() == Some("register_review")).unwrap().id;
    assert!(digest.body_text.contains(&format!("/orgs/{org}/duties/{register}/")), "with a link to the occurrence");
    assert!(digest.body_text.contains("A.3.3.1"), "the review due in a week");
    assert!(!digest.body_text.contains("A.3.3.3"), "not the review due in a month");

    // Later the same day: nothing more.
    let again =
        run_once(&app.db, &app.settings, &app.address, &mailer, &from, "b", later + chrono::Duration::minutes(5))
            .await
            .unwrap();
    assert_eq!(again.enqueued, 0);
}
