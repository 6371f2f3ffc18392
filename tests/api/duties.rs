use chrono::Datelike;
use pmark::domain::Role;
use reqwest::StatusCode;

use crate::helpers::{TestApp, count, input_value, spawn_app, texts};

async fn duty_id(app: &TestApp, org: i32, key: &str) -> i32 {
    pmark::store::duties::list(&app.db, org)
        .await
        .unwrap()
        .into_iter()
        .find(|d| d.builtin_key.as_deref() == Some(key))
        .unwrap()
        .id
}

fn current_pms_year() -> i32 {
    let today = pmark::clock::Clock::system().today();
    if today.month() >= 4 { today.year() } else { today.year() - 1 }
}

#[tokio::test]
async fn a_new_organisation_gets_the_builtin_duties_in_an_april_pms_year() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let year = current_pms_year();
    let html = app.get(&app.client, &format!("/orgs/{org}/duties?year={year}")).await.text().await.unwrap();
    assert!(texts(&html, "#pms-year")[0].contains(&format!("{year}年4月1日 – {}年3月31日", year + 1)));
    assert_eq!(count(&html, "#calendar tbody tr"), 8);
    let names = texts(&html, "#calendar tbody th");
    assert!(names.iter().any(|n| n.starts_with("マネジメントレビュー")), "{names:?}");
    assert_eq!(count(&html, "#calendar li.occurrence"), 7 + 12, "seven yearly duties and a monthly one");
    let review = texts(&html, "#calendar tr li.occurrence a");
    assert!(review.contains(&format!(
        "{}年2月{}日",
        year + 1,
        if chrono::NaiveDate::from_ymd_opt(year + 1, 2, 29).is_some() { 29 } else { 28 }
    )));
}

#[tokio::test]
async fn a_training_record_completes_its_occurrence_with_counts_and_follow_up() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let training = duty_id(&app, org, "training").await;
    let year = current_pms_year();
    let path = format!("/orgs/{org}/duties/{training}/{year}/0");
    let page = app.get(&app.client, &path).await.text().await.unwrap();
    assert_eq!(count(&page, "#record-form input[name=people_in_scope]"), 1, "training asks for counts");
    assert_eq!(input_value(&page, "performed_by").as_deref(), Some("山田 花子"), "defaults to the person recording");

    let today = app.clock.today().to_string();
    let refused = app
        .post_form(
            &app.client,
            &path,
            &[
                ("performed_on", &today),
                ("performed_by", "山田"),
                ("summary", "全従業者教育"),
                ("people_in_scope", "40"),
                ("people_trained", "38"),
            ],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.unwrap();
    assert_eq!(count(&html, "#e-absentee_follow_up"), 1);
    assert_eq!(input_value(&html, "people_trained").as_deref(), Some("38"));

    let saved = app
        .post_form(
            &app.client,
            &path,
            &[
                ("performed_on", &today),
                ("performed_by", "山田"),
                ("summary", "全従業者教育"),
                ("people_in_scope", "40"),
                ("people_trained", "38"),
                ("absentee_follow_up", "2名は後日個別に実施"),
            ],
        )
        .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let html = app.get(&app.client, &path).await.text().await.unwrap();
    assert_eq!(texts(&html, "#occurrence-state"), vec!["実施済み"]);
    assert!(texts(&html, "#record dd").contains(&"2名は後日個別に実施".to_owned()));
    let record = pmark::store::duties::record_of(&app.db, training, year, 0).await.unwrap().unwrap();
    assert_eq!((record.people_in_scope, record.people_trained), (Some(40), Some(38)));
    assert_eq!(record.performed_on.to_string(), today, "performed_on is kept apart from created_at");
    // Every field of the record reaches the audit trail, counts and follow-up included.
    let trail = app.get(&app.client, &format!("/orgs/{org}/audit")).await.text().await.unwrap();
    let after = |field: &str| texts(&trail, &format!("#audit-trail li[data-field={field}] .change-after"));
    assert_eq!(after("people_trained"), vec!["38"]);
    assert_eq!(after("absentee_follow_up"), vec!["2名は後日個別に実施"]);

    // A second record for the same occurrence is refused and the first is kept.
    let again = app
        .post_form(&app.client, &path, &[("performed_on", &today), ("performed_by", "別人"), ("summary", "二重登録")])
        .await;
    assert_eq!(again.status(), StatusCode::SEE_OTHER);
    let record = pmark::store::duties::record_of(&app.db, training, year, 0).await.unwrap().unwrap();
    assert_eq!(record.performed_by, "山田");
    // Evidence can be attached to the record.
    let form = reqwest::multipart::Form::new()
        .text("kind", "file")
        .text("description", "受講者名簿")
        .text("effective_on", today.clone())
        .part("file", reqwest::multipart::Part::bytes(b"name,signed".to_vec()).file_name("roster.csv"));
    let uploaded = app.post_multipart(&app.client, &format!("{path}/evidence"), form).await;
    let status = uploaded.status();
    assert_eq!(status, StatusCode::SEE_OTHER, "{:?}", texts(&uploaded.text().await.unwrap(), ".field-error"));
    let html = app.get(&app.client, &path).await.text().await.unwrap();
    assert_eq!(count(&html, "#evidence-list tbody tr"), 1);
}

#[tokio::test]
async fn audit_and_review_records_ask_for_findings_and_decisions() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let year = current_pms_year();
    let today = app.clock.today().to_string();
    let audit = duty_id(&app, org, "internal_audit").await;
    let response = app
        .post_form(
            &app.client,
            &format!("/orgs/{org}/duties/{audit}/{year}/0"),
            &[("performed_on", &today), ("performed_by", "監査員A"), ("summary", "全部門監査"), ("findings_count", "")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(count(&response.text().await.unwrap(), "#e-findings_count"), 1);
    let review = duty_id(&app, org, "management_review").await;
    let response = app
        .post_form(
            &app.client,
            &format!("/orgs/{org}/duties/{review}/{year}/0"),
            &[("performed_on", &today), ("performed_by", "代表取締役"), ("summary", "年次レビュー"), ("decisions", "")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(count(&response.text().await.unwrap(), "#e-decisions"), 1);
    let future = app.clock.today().succ_opt().unwrap().to_string();
    let response = app
        .post_form(
            &app.client,
            &format!("/orgs/{org}/duties/{review}/{year}/0"),
            &[("performed_on", &future), ("performed_by", "x"), ("summary", "x"), ("decisions", "x")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "a record cannot be dated in the future");
    // Slots that do not exist are 404.
    assert_eq!(
        app.get(&app.client, &format!("/orgs/{org}/duties/{review}/{year}/1")).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&app.client, &format!("/orgs/{org}/duties/{review}/99999/0")).await.status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn editors_switch_duties_off_move_their_month_and_add_their_own() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let officer = app.add_member(Some(org), Role::Officer, "officer@example.jp").await;
    let year = current_pms_year();
    let contractor = duty_id(&app, org, "contractor_evaluation").await;
    let off = app.post_form(&officer.client, &format!("/orgs/{org}/duties/{contractor}"), &[("due_month", "8")]).await;
    assert_eq!(off.status(), StatusCode::SEE_OTHER);
    let audit = duty_id(&app, org, "internal_audit").await;
    app.post_form(&officer.client, &format!("/orgs/{org}/duties/{audit}"), &[("enabled", "on"), ("due_month", "10")])
        .await;
    let html = app.get(&officer.client, &format!("/orgs/{org}/duties?year={year}")).await.text().await.unwrap();
    assert_eq!(count(&html, &format!("#calendar tr[data-duty='{contractor}']")), 0, "switched off");
    let audit_dates = texts(&html, &format!("#calendar tr[data-duty='{audit}'] li.occurrence a"));
    assert_eq!(audit_dates, vec![format!("{year}年10月31日")]);

    let created = app
        .post_form(
            &officer.client,
            &format!("/orgs/{org}/duties"),
            &[
                ("name", "入退室記録の確認"),
                ("control_id", "A.3.4.3.2"),
                ("frequency", "quarterly"),
                ("due_month", "6"),
            ],
        )
        .await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let html = app.get(&officer.client, &format!("/orgs/{org}/duties?year={year}")).await.text().await.unwrap();
    let own =
        texts(&html, "#calendar tbody th").into_iter().find(|n| n.starts_with("入退室記録の確認")).expect("listed");
    assert!(own.contains("四半期ごと"), "{own}");

    let refused = app
        .post_form(
            &officer.client,
            &format!("/orgs/{org}/duties"),
            &[("name", ""), ("control_id", "A.9"), ("frequency", "weekly"), ("due_month", "13")],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.unwrap();
    for field in ["name", "control_id", "frequency", "due_month"] {
        assert_eq!(count(&html, &format!("#e-{field}")), 1, "{field}");
    }
    let bad_month = app
        .post_form(&officer.client, &format!("/orgs/{org}/duties/{audit}"), &[("enabled", "on"), ("due_month", "0")])
        .await;
    assert_eq!(bad_month.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_calendar_year_organisation_sees_january_to_december() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let response = app
        .post_form(
            &app.client,
            &format!("/orgs/{org}/settings"),
            &[("name", "株式会社ジモス検証"), ("pms_year_start_month", "1")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let html = app.get(&app.client, &format!("/orgs/{org}/duties?year=2027")).await.text().await.unwrap();
    assert!(texts(&html, "#pms-year")[0].contains("2027年1月1日 – 2027年12月31日"));
    let refused = app
        .post_form(
            &app.client,
            &format!("/orgs/{org}/settings"),
            &[("name", "株式会社ジモス検証"), ("pms_year_start_month", "13")],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_dashboard_lists_overdue_duties_and_reviews_and_draws_the_year() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    // Pretend the monthly check has been tracked since two years ago.
    use sea_orm::ConnectionTrait;
    app.db.execute_unprepared("UPDATE duties SET created_at = '2020-01-01T00:00:00Z'").await.unwrap();
    let path = format!("/orgs/{org}/controls/A.3.3.1");
    let version = input_value(&app.get(&app.client, &path).await.text().await.unwrap(), "lock_version").unwrap();
    app.post_form(
        &app.client,
        &path,
        &[
            ("lock_version", &version),
            ("applicable", "yes"),
            ("status", "implemented"),
            ("last_reviewed_on", "2020-01-10"),
        ],
    )
    .await;

    let html = app.get(&app.client, &format!("/orgs/{org}")).await.text().await.unwrap();
    assert_eq!(texts(&html, "#status-counts strong[data-status=implemented]"), vec!["1"]);
    assert!(texts(&html, "#reviews-due li.overdue")[0].starts_with("A.3.3.1"));
    assert!(count(&html, "#duties-due li.overdue") >= 1, "the monthly operational check of last month is overdue");
    assert_eq!(count(&html, "svg#pms-timeline"), 1);
    assert_eq!(count(&html, "svg#pms-timeline line#today-line"), 1);
    assert_eq!(count(&html, "svg#pms-timeline text"), 12 + 8, "month labels and duty names");
    assert!(count(&html, "svg#pms-timeline circle.mark-overdue") >= 1);
}
