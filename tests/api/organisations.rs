use pmark::domain::Role;
use reqwest::StatusCode;

use crate::helpers::{count, input_value, location, spawn_app, texts};

#[tokio::test]
async fn a_member_of_one_organisation_gets_404_for_everything_of_another() {
    let app = spawn_app().await;
    let org_a = app.set_up_admin().await;
    let (org_b, admin_b) = app.add_organisation("別会社", "b-admin@example.jp").await;
    let b_members = pmark::store::organisations::members(&app.db, org_b).await.unwrap();
    let b_membership = b_members[0].membership_id;
    for path in [
        format!("/orgs/{org_b}"),
        format!("/orgs/{org_b}/members"),
        format!("/orgs/{org_b}/settings"),
        format!("/orgs/{org_b}/audit"),
    ] {
        assert_eq!(app.get(&app.client, &path).await.status(), StatusCode::NOT_FOUND, "{path}");
    }
    for (path, fields) in [
        (format!("/orgs/{org_b}/settings"), vec![("name", "奪取")]),
        (format!("/orgs/{org_b}/invitations"), vec![("email", "spy@example.jp"), ("role", "admin")]),
        (format!("/orgs/{org_b}/members/{b_membership}/role"), vec![("role", "viewer")]),
        (format!("/orgs/{org_b}/members/{b_membership}/remove"), vec![]),
    ] {
        assert_eq!(app.post_form(&app.client, &path, &fields).await.status(), StatusCode::NOT_FOUND, "{path}");
    }
    // A's admin cannot reach B's membership through A's URL either.
    let through_a = app.post_form(&app.client, &format!("/orgs/{org_a}/members/{b_membership}/remove"), &[]).await;
    assert_eq!(through_a.status(), StatusCode::NOT_FOUND);
    let b_after = pmark::store::organisations::members(&app.db, org_b).await.unwrap();
    assert_eq!(b_after.len(), 1);
    assert_eq!(b_after[0].role, Role::Admin);
    assert_eq!(pmark::store::organisations::find(&app.db, org_b).await.unwrap().unwrap().name, "別会社");
    // And the other way round.
    assert_eq!(app.get(&admin_b.client, &format!("/orgs/{org_a}")).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.get(&app.client, "/orgs/999999").await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn user_entered_text_is_escaped_everywhere_it_is_shown() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let evil = "<script>alert(1)</script>";
    let response = app
        .post_form(&app.client, &format!("/orgs/{org}/settings"), &[("name", evil), ("pms_year_start_month", "4")])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let viewer = app.add_member(Some(org), Role::Viewer, "viewer@example.jp").await;
    app.post_form(&viewer.client, "/account/profile", &[("display_name", evil), ("lang", "ja")]).await;
    for path in [
        format!("/orgs/{org}"),
        format!("/orgs/{org}/members"),
        format!("/orgs/{org}/audit"),
        format!("/orgs/{org}/settings"),
    ] {
        let html = app.get(&app.client, &path).await.text().await.unwrap();
        assert_eq!(count(&html, "script"), 0, "{path}: a script element was injected");
        assert!(
            html.contains("&#60;script&#62;") || html.contains("&lt;script&gt;"),
            "{path}: the text is shown escaped"
        );
    }
    let dashboard = app.get(&app.client, &format!("/orgs/{org}")).await.text().await.unwrap();
    assert_eq!(texts(&dashboard, "h1.org-title"), vec![evil]);
    let members = app.get(&app.client, &format!("/orgs/{org}/members")).await.text().await.unwrap();
    assert!(texts(&members, "td.member-name").contains(&evil.to_owned()));
}

#[tokio::test]
async fn a_user_can_create_another_organisation_and_switch_between_them() {
    let app = spawn_app().await;
    let first = app.set_up_admin().await;
    let response = app.post_form(&app.client, "/orgs/new", &[("name", "グループ会社")]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let second: i32 = location(&response).trim_start_matches("/orgs/").parse().unwrap();
    assert_ne!(first, second);
    let html = app.get(&app.client, &format!("/orgs/{second}")).await.text().await.unwrap();
    let switcher = texts(&html, ".org-switcher li a");
    assert!(
        switcher.contains(&"株式会社ジモス検証".to_owned()) && switcher.contains(&"グループ会社".to_owned()),
        "{switcher:?}"
    );
    assert_eq!(texts(&html, ".org-switcher a[aria-current]"), vec!["グループ会社"]);
    // With two organisations the start page lists both.
    let home = app.get(&app.client, "/").await.text().await.unwrap();
    assert_eq!(count(&home, ".card-list li"), 2);
}

#[tokio::test]
async fn invalid_organisation_forms_keep_the_values_and_answer_422() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let too_long = "株".repeat(201);
    let response = app.post_form(&app.client, "/orgs/new", &[("name", &too_long)]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert_eq!(input_value(&html, "name").as_deref(), Some(too_long.as_str()));
    assert_eq!(count(&html, "#e-name"), 1);
    let response = app
        .post_form(&app.client, &format!("/orgs/{org}/settings"), &[("name", "   "), ("pms_year_start_month", "4")])
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(count(&response.text().await.unwrap(), "#e-name"), 1);
}

#[tokio::test]
async fn dates_are_written_in_the_style_the_organisation_chooses_and_english_keeps_its_own() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let page = app.get(&app.client, &format!("/orgs/{org}/certification")).await.text().await.unwrap();
    let version = input_value(&page, "lock_version").unwrap_or_default();
    let recorded = app
        .post_form(
            &app.client,
            &format!("/orgs/{org}/certification"),
            &[
                ("registration_number", "10823456(05)"),
                ("examination_body", "jipdec"),
                ("first_granted_on", "2015-04-01"),
                ("valid_from", "2025-09-01"),
                ("valid_until", "2027-08-31"),
                ("status", "valid"),
                ("lock_version", &version),
            ],
        )
        .await;
    assert_eq!(recorded.status(), StatusCode::SEE_OTHER);
    async fn valid_until(app: &crate::helpers::TestApp, org: i32) -> String {
        let html = app.get(&app.client, &format!("/orgs/{org}/certification")).await.text().await.unwrap();
        texts(&html, "#valid-until").join("")
    }
    async fn settings(app: &crate::helpers::TestApp, org: i32, style: &str) -> reqwest::Response {
        let fields = [("name", "和暦株式会社"), ("pms_year_start_month", "4"), ("date_style", style)];
        app.post_form(&app.client, &format!("/orgs/{org}/settings"), &fields).await
    }
    assert_eq!(valid_until(&app, org).await, "2027年8月31日", "西暦 by default");

    assert_eq!(settings(&app, org, "japanese_era").await.status(), StatusCode::SEE_OTHER);
    assert_eq!(valid_until(&app, org).await, "令和9年8月31日");
    let dashboard = app.get(&app.client, &format!("/orgs/{org}")).await.text().await.unwrap();
    assert!(dashboard.contains("令和9年8月31日"), "the dashboard's cached summary follows the change");
    let trail = app.get(&app.client, &format!("/orgs/{org}/audit")).await.text().await.unwrap();
    assert!(trail.contains("和暦（令和8年12月1日）"), "the change is in the audit trail in words");

    app.post_form(&app.client, "/lang", &[("lang", "en"), ("next", "/")]).await;
    assert_eq!(valid_until(&app, org).await, "31 Aug 2027", "English keeps its own format");
    app.post_form(&app.client, "/lang", &[("lang", "ja"), ("next", "/")]).await;

    let refused = settings(&app, org, "meiji").await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.unwrap();
    assert_eq!(count(&html, "#e-date_style"), 1, "an unknown style is refused with a field error");
    assert_eq!(valid_until(&app, org).await, "令和9年8月31日", "and nothing changed");
}
