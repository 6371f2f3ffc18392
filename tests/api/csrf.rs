use reqwest::StatusCode;

use crate::helpers::{PASSWORD, new_client, spawn_app};

#[tokio::test]
async fn unsafe_requests_without_a_valid_token_are_refused_with_403() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let path = format!("/orgs/{org}/settings");
    let missing = app.client.post(app.url(&path)).form(&[("name", "改名")]).send().await.unwrap();
    assert_eq!(missing.status(), StatusCode::FORBIDDEN);
    let wrong = app.client.post(app.url(&path)).form(&[("name", "改名"), ("csrf_token", "00ff")]).send().await.unwrap();
    assert_eq!(wrong.status(), StatusCode::FORBIDDEN);
    // Even sign-in and sign-out need it.
    let login = new_client()
        .post(app.url("/login"))
        .form(&[("email", "admin@example.jp"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), StatusCode::FORBIDDEN);
    let logout = app.client.post(app.url("/logout")).send().await.unwrap();
    assert_eq!(logout.status(), StatusCode::FORBIDDEN);
    // Nothing changed.
    let org_row = pmark::store::organisations::find(&app.db, org).await.unwrap().unwrap();
    assert_eq!(org_row.name, "株式会社ジモス検証");
    // The refusal is a page in the layout.
    let html = missing_page(&app, &path).await;
    assert!(html.contains("403"));
}

async fn missing_page(app: &crate::helpers::TestApp, path: &str) -> String {
    app.client.post(app.url(path)).form(&[("name", "x")]).send().await.unwrap().text().await.unwrap()
}

#[tokio::test]
async fn a_token_from_another_session_is_refused() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let other_token = app.csrf_token(&new_client()).await;
    let response = app
        .client
        .post(app.url(&format!("/orgs/{org}/settings")))
        .form(&[("name", "改名"), ("csrf_token", other_token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_foreign_origin_is_refused_even_with_a_valid_token() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let token = app.csrf_token(&app.client).await;
    let path = format!("/orgs/{org}/settings");
    let foreign = app
        .client
        .post(app.url(&path))
        .header("origin", "https://evil.example")
        .form(&[("name", "改名"), ("pms_year_start_month", "4"), ("csrf_token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(foreign.status(), StatusCode::FORBIDDEN);
    let cross_site = app
        .client
        .post(app.url(&path))
        .header("sec-fetch-site", "cross-site")
        .form(&[("name", "改名"), ("pms_year_start_month", "4"), ("csrf_token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site.status(), StatusCode::FORBIDDEN);
    let same = app
        .client
        .post(app.url(&path))
        .header("origin", app.address.as_str())
        .form(&[("name", "改名"), ("pms_year_start_month", "4"), ("csrf_token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(same.status(), StatusCode::SEE_OTHER);
    let org_row = pmark::store::organisations::find(&app.db, org).await.unwrap().unwrap();
    assert_eq!(org_row.name, "改名");
}

#[tokio::test]
async fn the_token_may_come_in_a_header_for_scripts() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let token = app.csrf_token(&app.client).await;
    let response = app
        .client
        .post(app.url(&format!("/orgs/{org}/settings")))
        .header("x-csrf-token", token.as_str())
        .form(&[("name", "ヘッダー経由"), ("pms_year_start_month", "4")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn x_forwarded_host_vouches_for_an_origin_only_when_configured() {
    for trusted in [false, true] {
        let app = crate::helpers::spawn_app_with(|s| s.server.trust_forwarded_host = trusted, None).await;
        let org = app.set_up_admin().await;
        let token = app.csrf_token(&app.client).await;
        let response = app
            .client
            .post(app.url(&format!("/orgs/{org}/settings")))
            .header("origin", "http://evil.example")
            .header("x-forwarded-host", "evil.example")
            .form(&[("name", "改名"), ("pms_year_start_month", "4"), ("csrf_token", token.as_str())])
            .send()
            .await
            .unwrap();
        let expected = if trusted { StatusCode::SEE_OTHER } else { StatusCode::FORBIDDEN };
        assert_eq!(response.status(), expected, "trust_forwarded_host = {trusted}");
    }
}
