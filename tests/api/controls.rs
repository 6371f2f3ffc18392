use pmark::domain::Role;
use reqwest::StatusCode;

use crate::helpers::{count, input_value, spawn_app, texts};

fn lock_version(html: &str) -> String {
    input_value(html, "lock_version").expect("the form carries its version")
}

fn selected(html: &str, select_id: &str) -> Vec<String> {
    let document = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse(&format!("#{select_id} option[selected]")).unwrap();
    document.select(&selector).map(|o| o.value().attr("value").unwrap_or_default().to_owned()).collect()
}

fn textarea(html: &str, id: &str) -> String {
    texts(html, &format!("textarea#{id}")).pop().unwrap_or_default()
}

#[tokio::test]
async fn every_control_field_round_trips_and_is_audited() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let officer = app.add_member(Some(org), Role::Officer, "officer@example.jp").await;
    let path = format!("/orgs/{org}/controls/A.3.3.1");
    let html = app.get(&officer.client, &path).await.text().await.unwrap();
    let version = lock_version(&html);
    let response = app
        .post_form(
            &officer.client,
            &path,
            &[
                ("lock_version", &version),
                ("applicable", "yes"),
                ("not_applicable_reason", ""),
                ("status", "implemented"),
                ("owner", &officer.user_id.to_string()),
                ("internal_rule", "個人情報保護規程 第12条"),
                ("notes", "台帳は情報システム部が保管"),
                ("last_reviewed_on", "2026-05-15"),
                ("next_review_due", ""),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let html = app.get(&officer.client, &path).await.text().await.unwrap();
    assert_eq!(selected(&html, "f-status"), vec!["implemented"]);
    assert_eq!(selected(&html, "f-owner"), vec![officer.user_id.to_string()]);
    assert_eq!(input_value(&html, "internal_rule").as_deref(), Some("個人情報保護規程 第12条"));
    assert_eq!(textarea(&html, "f-notes"), "台帳は情報システム部が保管");
    assert_eq!(input_value(&html, "last_reviewed_on").as_deref(), Some("2026-05-15"));
    assert_eq!(input_value(&html, "next_review_due").as_deref(), Some("2027-05-15"), "a year after the last review");
    assert_ne!(lock_version(&html), version, "the version moved on");

    let stored = pmark::store::controls::find(&app.db, org, "JIS Q 15001:2017", "A.3.3.1").await.unwrap().unwrap();
    assert_eq!(stored.status.as_str(), "implemented");
    assert_eq!(stored.owner_user_id, Some(officer.user_id));
    assert_eq!(stored.catalog_version, "JIS Q 15001:2017");
    let history = texts(&html, "#control-history li[data-field=status]");
    assert!(history.iter().any(|t| t.contains("未着手 → 実施済み")), "{history:?}");

    // Not applicable, with its justification, also round-trips.
    let version = lock_version(&html);
    let response = app
        .post_form(
            &officer.client,
            &path,
            &[
                ("lock_version", &version),
                ("applicable", "no"),
                ("not_applicable_reason", "個人情報を取り扱わない"),
                ("status", "implemented"),
                ("owner", ""),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let stored = pmark::store::controls::find(&app.db, org, "JIS Q 15001:2017", "A.3.3.1").await.unwrap().unwrap();
    assert!(!stored.applicable);
    assert_eq!(stored.not_applicable_reason.as_deref(), Some("個人情報を取り扱わない"));
    assert_eq!(stored.owner_user_id, None);
}

#[tokio::test]
async fn not_applicable_without_a_justification_is_refused_with_the_values_kept() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let path = format!("/orgs/{org}/controls/A.3.4.3.4");
    let version = lock_version(&app.get(&app.client, &path).await.text().await.unwrap());
    let response = app
        .post_form(
            &app.client,
            &path,
            &[
                ("lock_version", &version),
                ("applicable", "no"),
                ("not_applicable_reason", " "),
                ("status", "in_progress"),
                ("internal_rule", "委託先管理規程"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert_eq!(count(&html, "#e-not_applicable_reason"), 1);
    assert_eq!(input_value(&html, "internal_rule").as_deref(), Some("委託先管理規程"));
    assert_eq!(selected(&html, "f-status"), vec!["in_progress"]);
    assert_eq!(count(&html, "input[name=applicable][value=no][checked]"), 1);
    let stored = pmark::store::controls::find(&app.db, org, "JIS Q 15001:2017", "A.3.4.3.4").await.unwrap().unwrap();
    assert!(stored.applicable, "nothing was saved");
}

#[tokio::test]
async fn a_stale_form_is_refused_with_both_versions_shown_and_can_then_be_kept_deliberately() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let officer = app.add_member(Some(org), Role::Officer, "officer@example.jp").await;
    let path = format!("/orgs/{org}/controls/A.3.3.3");
    let version = lock_version(&app.get(&app.client, &path).await.text().await.unwrap());
    let same_version = lock_version(&app.get(&officer.client, &path).await.text().await.unwrap());
    assert_eq!(version, same_version);

    let first = app
        .post_form(
            &app.client,
            &path,
            &[
                ("lock_version", &version),
                ("applicable", "yes"),
                ("status", "implemented"),
                ("internal_rule", "リスク管理規程 第3条"),
            ],
        )
        .await;
    assert_eq!(first.status(), StatusCode::SEE_OTHER);
    let second = app
        .post_form(
            &officer.client,
            &path,
            &[
                ("lock_version", &same_version),
                ("applicable", "yes"),
                ("status", "needs_review"),
                ("internal_rule", "リスク分析手順書"),
            ],
        )
        .await;
    assert_eq!(second.status(), StatusCode::CONFLICT);
    let html = second.text().await.unwrap();
    assert!(texts(&html, "#conflict-table td.theirs").contains(&"リスク管理規程 第3条".to_owned()));
    assert!(texts(&html, "#conflict-table td.yours").contains(&"リスク分析手順書".to_owned()));
    let stored = pmark::store::controls::find(&app.db, org, "JIS Q 15001:2017", "A.3.3.3").await.unwrap().unwrap();
    assert_eq!(stored.internal_rule, "リスク管理規程 第3条", "the first save was not overwritten");

    // "Keep yours" resubmits on top of the saved version.
    let document = scraper::Html::parse_document(&html);
    let selector = scraper::Selector::parse("#keep-yours input").unwrap();
    let fields: Vec<(String, String)> = document
        .select(&selector)
        .map(|i| (i.value().attr("name").unwrap().to_owned(), i.value().attr("value").unwrap_or_default().to_owned()))
        .filter(|(name, _)| name != "csrf_token")
        .collect();
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let kept = app.post_form(&officer.client, &path, &fields).await;
    assert_eq!(kept.status(), StatusCode::SEE_OTHER);
    let stored = pmark::store::controls::find(&app.db, org, "JIS Q 15001:2017", "A.3.3.3").await.unwrap().unwrap();
    assert_eq!(stored.internal_rule, "リスク分析手順書");
    assert_eq!(stored.status.as_str(), "needs_review");
}

#[tokio::test]
async fn the_controls_page_groups_by_section_counts_and_filters_from_the_url() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let path = format!("/orgs/{org}/controls/A.3.3.1");
    let version = lock_version(&app.get(&app.client, &path).await.text().await.unwrap());
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
    let path = format!("/orgs/{org}/controls/A.3.4.2.9");
    let version = lock_version(&app.get(&app.client, &path).await.text().await.unwrap());
    app.post_form(
        &app.client,
        &path,
        &[
            ("lock_version", &version),
            ("applicable", "no"),
            ("not_applicable_reason", "匿名加工情報を作成しない"),
            ("status", "not_started"),
        ],
    )
    .await;

    let html = app.get(&app.client, &format!("/orgs/{org}/controls")).await.text().await.unwrap();
    let groups = texts(&html, ".control-group h2");
    assert_eq!(groups.len(), 8);
    assert!(groups[2].contains("A.3.3") && groups[2].contains("計画"), "{groups:?}");
    assert_eq!(count(&html, "tr.control-row"), 43);
    assert_eq!(count(&html, "tr.section-row"), 3, "A.3.4.2, A.3.4.3 and A.3.4.4 head their controls");

    let implemented =
        app.get(&app.client, &format!("/orgs/{org}/controls?status=implemented")).await.text().await.unwrap();
    let rows: Vec<_> = scraper::Html::parse_document(&implemented)
        .select(&scraper::Selector::parse("tr.control-row").unwrap())
        .map(|r| r.value().attr("data-control").unwrap().to_owned())
        .collect();
    assert_eq!(rows, vec!["A.3.3.1"]);
    assert_eq!(selected(&implemented, "filter-status"), vec!["implemented"], "the filter survives reload");

    let overdue = app.get(&app.client, &format!("/orgs/{org}/controls?review=overdue")).await.text().await.unwrap();
    assert_eq!(count(&overdue, "tr.control-row"), 1, "reviewed in 2020, due 2021");
    let excluded = app.get(&app.client, &format!("/orgs/{org}/controls?applicable=no")).await.text().await.unwrap();
    assert_eq!(count(&excluded, "tr.control-row[data-control='A.3.4.2.9']"), 1);
    assert_eq!(count(&excluded, "tr.control-row"), 1);
    let no_evidence = app.get(&app.client, &format!("/orgs/{org}/controls?evidence=none")).await.text().await.unwrap();
    assert_eq!(count(&no_evidence, "tr.control-row"), 43);
    let by_owner = app.get(&app.client, &format!("/orgs/{org}/controls?owner=999")).await.text().await.unwrap();
    assert_eq!(count(&by_owner, "tr.control-row"), 0);
    // Nonsense filter values are ignored, not an error.
    let nonsense = app.get(&app.client, &format!("/orgs/{org}/controls?status=bogus&owner=x")).await;
    assert_eq!(nonsense.status(), StatusCode::OK);
}

#[tokio::test]
async fn read_only_roles_see_the_control_but_no_form_and_cannot_post() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let auditor = app.add_member(Some(org), Role::Auditor, "auditor@example.jp").await;
    let path = format!("/orgs/{org}/controls/A.3.3.7");
    let html = app.get(&auditor.client, &path).await.text().await.unwrap();
    assert_eq!(count(&html, "#control-form"), 0);
    assert_eq!(count(&html, "#evidence-form"), 0);
    assert_eq!(count(&html, "#control-facts"), 1);
    let response = app
        .post_form(&auditor.client, &path, &[("lock_version", "1"), ("applicable", "yes"), ("status", "implemented")])
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.get(&app.client, &format!("/orgs/{org}/controls/A.9.9")).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        app.get(&app.client, &format!("/orgs/{org}/controls/A.3.3")).await.status(),
        StatusCode::NOT_FOUND,
        "a section is not a control"
    );
}
