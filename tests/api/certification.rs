use chrono::{Datelike, Days};
use pmark::domain::Role;
use pmark::domain::renewal::{BusinessCalendar, RenewalWindow};
use reqwest::StatusCode;

use crate::helpers::{TestApp, count, input_value, new_client, spawn_app, texts};

async fn record(app: &TestApp, client: &reqwest::Client, org: i32, fields: &[(&str, &str)]) -> reqwest::Response {
    let page = app.get(client, &format!("/orgs/{org}/certification")).await.text().await.unwrap();
    let version = input_value(&page, "lock_version").unwrap_or_default();
    let mut all: Vec<(&str, &str)> = fields.to_vec();
    all.push(("lock_version", &version));
    app.post_form(client, &format!("/orgs/{org}/certification"), &all).await
}

#[tokio::test]
async fn the_certification_shows_the_renewal_window_and_where_today_stands() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let dashboard = app.get(&app.client, &format!("/orgs/{org}")).await.text().await.unwrap();
    assert_eq!(count(&dashboard, "#dashboard-no-certification"), 1);

    let today = app.clock.today();
    let expiry = today + Days::new(150);
    let valid_from = expiry.checked_sub_months(chrono::Months::new(24)).unwrap() + Days::new(1);
    let response = record(
        &app,
        &app.client,
        org,
        &[
            ("registration_number", "１０８２３４５６（０５）"),
            ("examination_body", "jipdec"),
            ("first_granted_on", "2015-04-01"),
            ("valid_from", &valid_from.to_string()),
            ("valid_until", ""),
            ("status", "valid"),
        ],
    )
    .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let html = app.get(&app.client, &format!("/orgs/{org}/certification")).await.text().await.unwrap();
    assert_eq!(
        texts(&html, "#valid-until"),
        vec![format!("{}年{}月{}日", expiry.year(), expiry.month(), expiry.day())],
        "two years from the start, by default, written as Japanese write dates"
    );
    assert_eq!(texts(&html, "#registration-number"), vec!["第10823456(05)号"], "normalised, shown as printed");
    let window = RenewalWindow::for_expiry(expiry, 9, &BusinessCalendar::default());
    let ja = |d: chrono::NaiveDate| format!("{}年{}月{}日", d.year(), d.month(), d.day());
    assert_eq!(texts(&html, "#window-opens"), vec![ja(window.window_opens)]);
    assert_eq!(texts(&html, "#window-closes"), vec![ja(window.window_closes)]);
    let days_left = (window.window_closes - today).num_days();
    assert_eq!(texts(&html, "#renewal-phase"), vec![format!("申請受付期間中: あと{days_left}日")]);
    assert_eq!(count(&html, "#milestones li"), 7);
    assert_eq!(count(&html, "svg#cycle-timeline rect#window-band"), 1);
    assert_eq!(count(&html, "svg#cycle-timeline line#cycle-today"), 1);
    assert_eq!(count(&html, "svg#cycle-timeline circle"), 7);
    let dashboard = app.get(&app.client, &format!("/orgs/{org}")).await.text().await.unwrap();
    assert_eq!(texts(&dashboard, "#dashboard-renewal-phase"), vec![format!("申請受付期間中: あと{days_left}日")]);
}

#[tokio::test]
async fn invalid_certification_forms_name_each_field_and_keep_the_values() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let response = record(
        &app,
        &app.client,
        org,
        &[
            ("registration_number", "P-mark"),
            ("examination_body", "other"),
            ("examination_body_other", ""),
            ("first_granted_on", "2026-01-01"),
            ("valid_from", "2025-12-02"),
            ("valid_until", "2025-01-01"),
            ("status", "renewal_applied"),
            ("applied_on", ""),
        ],
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    for field in ["registration_number", "examination_body_other", "first_granted_on", "valid_until", "applied_on"] {
        assert_eq!(count(&html, &format!("#e-{field}")), 1, "{field}");
    }
    assert_eq!(input_value(&html, "registration_number").as_deref(), Some("P-mark"));
    assert_eq!(pmark::store::certifications::history(&app.db, org).await.unwrap().len(), 0);
}

#[tokio::test]
async fn a_renewal_decision_starts_a_new_two_year_cycle_once_and_a_stale_form_is_refused() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let officer = app.add_member(Some(org), Role::Officer, "officer@example.jp").await;
    let fields = [
        ("registration_number", "10823456(05)"),
        ("examination_body", "jisa"),
        ("first_granted_on", "2015-04-01"),
        ("valid_from", "2022-12-02"),
        ("valid_until", "2024-12-01"),
        ("status", "renewal_applied"),
        ("applied_on", "2024-06-10"),
    ];
    assert_eq!(record(&app, &app.client, org, &fields).await.status(), StatusCode::SEE_OTHER);
    // Two editors open the form; the second save is refused.
    let stale = app.get(&officer.client, &format!("/orgs/{org}/certification")).await.text().await.unwrap();
    let stale_version = input_value(&stale, "lock_version").unwrap();
    assert_eq!(
        record(
            &app,
            &app.client,
            org,
            &[
                ("notes", "メモ"),
                ("status", "renewal_applied"),
                ("applied_on", "2024-06-10"),
                ("registration_number", "10823456(05)"),
                ("examination_body", "jisa"),
                ("first_granted_on", "2015-04-01"),
                ("valid_from", "2022-12-02"),
                ("valid_until", "2024-12-01")
            ]
        )
        .await
        .status(),
        StatusCode::SEE_OTHER
    );
    let mut late: Vec<(&str, &str)> = fields.to_vec();
    late.push(("lock_version", &stale_version));
    let refused = app.post_form(&officer.client, &format!("/orgs/{org}/certification"), &late).await;
    assert_eq!(refused.status(), StatusCode::CONFLICT);
    assert_eq!(count(&refused.text().await.unwrap(), "#certification-conflict"), 1);

    // Applied 2024-06-10, inside the window of 2024-12-01 (2024-04-02 … 2024-08-01).
    let cycle = pmark::store::certifications::history(&app.db, org).await.unwrap()[0].id.to_string();
    let decision = [
        ("decided_on", "2024-11-20"),
        ("valid_from", "2024-12-02"),
        ("valid_until", "2026-12-01"),
        ("confirmed", "yes"),
        ("cycle", cycle.as_str()),
    ];
    let renewed = app.post_form(&officer.client, &format!("/orgs/{org}/certification/renewed"), &decision).await;
    assert_eq!(renewed.status(), StatusCode::SEE_OTHER);
    let history = pmark::store::certifications::history(&app.db, org).await.unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(
        (history[0].valid_from.to_string(), history[0].valid_until.to_string()),
        ("2024-12-02".into(), "2026-12-01".into())
    );
    assert_eq!(history[0].status.as_str(), "valid");
    assert_eq!(history[0].renewal_decided_on.map(|d| d.to_string()).as_deref(), Some("2024-11-20"));
    // The same decision again is refused: it names the cycle that is no longer the current one.
    let again = app.post_form(&officer.client, &format!("/orgs/{org}/certification/renewed"), &decision).await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = again.text().await.unwrap();
    assert_eq!(
        texts(&html, "#r-cycle #re-cycle"),
        vec!["この間に付与状況が変更されました。ページを再読み込みして内容を確認してください。"]
    );
    assert_eq!(count(&html, "#renewal-form .error-summary a[href='#r-cycle']"), 1);
    // Recording the decision for the old cycle again would create a cycle that exists: refused.
    let same = pmark::store::certifications::RenewalDecision {
        decided_on: history[0].renewal_decided_on.unwrap(),
        valid_from: history[0].valid_from,
        valid_until: history[0].valid_until,
    };
    pmark::store::certifications::record_renewal(
        &app.db,
        &pmark::store::audit::Actor::command_line(),
        &history[1],
        &same,
    )
    .await
    .unwrap_err();
    assert_eq!(pmark::store::certifications::history(&app.db, org).await.unwrap().len(), 2);
    let html = app.get(&app.client, &format!("/orgs/{org}/certification")).await.text().await.unwrap();
    assert_eq!(count(&html, "#certification-history tbody tr"), 2);
}

#[tokio::test]
async fn only_editors_change_the_certification_and_outsiders_see_nothing() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let viewer = app.add_member(Some(org), Role::Viewer, "viewer@example.jp").await;
    let (_, outsider) = app.add_organisation("他社", "outsider@example.jp").await;
    let path = format!("/orgs/{org}/certification");
    assert_eq!(app.get(&viewer.client, &path).await.status(), StatusCode::OK);
    assert_eq!(count(&app.get(&viewer.client, &path).await.text().await.unwrap(), "#certification-form"), 0);
    assert_eq!(
        app.post_form(&viewer.client, &path, &[("registration_number", "10823456")]).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.post_form(&viewer.client, &format!("{path}/renewed"), &[]).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.get(&outsider.client, &path).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.post_form(&outsider.client, &format!("{path}/renewed"), &[]).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.get(&new_client(), &path).await.status(), StatusCode::SEE_OTHER);
    // Renewal without a recorded certification is 404.
    assert_eq!(app.post_form(&app.client, &format!("{path}/renewed"), &[]).await.status(), StatusCode::NOT_FOUND);
}
