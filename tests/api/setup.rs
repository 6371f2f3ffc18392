use reqwest::StatusCode;

use crate::helpers::{count, input_value, new_client, spawn_app, texts};

#[tokio::test]
async fn the_setup_link_works_once_and_then_stops_working() {
    let app = spawn_app().await;
    let setup_url = app.setup_url.clone().expect("a fresh install offers setup");
    let org_id = app.set_up_admin().await;

    let dashboard = app.get(&app.client, &format!("/orgs/{org_id}")).await;
    assert_eq!(dashboard.status(), StatusCode::OK);
    let html = dashboard.text().await.unwrap();
    assert_eq!(texts(&html, "h1.org-title"), vec!["株式会社ジモス検証"]);
    let not_started = texts(&html, "#status-counts strong[data-status=not_started]");
    assert_eq!(not_started, vec!["43"], "a new organisation starts with every control of the catalog, not started");

    let again = new_client().get(&setup_url).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_wrong_setup_token_is_404() {
    let app = spawn_app().await;
    let response = app.get(&new_client(), "/setup?token=0000").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let response = app.get(&new_client(), "/setup").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_second_setup_post_with_the_old_token_creates_nothing() {
    let app = spawn_app().await;
    let token = app.setup_url.clone().unwrap().rsplit_once("token=").unwrap().1.to_owned();
    app.set_up_admin().await;
    let intruder = new_client();
    let response = app
        .post_form(
            &intruder,
            "/setup",
            &[
                ("token", &token),
                ("organisation_name", "乗っ取り"),
                ("display_name", "x"),
                ("email", "x@example.jp"),
                ("password", "0123456789ab"),
                ("password_confirmation", "0123456789ab"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(pmark::store::users::count(&app.db).await.unwrap(), 1);
}

#[tokio::test]
async fn an_invalid_setup_form_re_renders_with_field_errors_and_values_and_422() {
    let app = spawn_app().await;
    let setup_url = app.setup_url.clone().unwrap();
    let token = setup_url.rsplit_once("token=").unwrap().1.to_owned();
    let page = app.client.get(&setup_url).send().await.unwrap().text().await.unwrap();
    let csrf = input_value(&page, "csrf_token").unwrap();
    let response = app
        .client
        .post(app.url("/setup"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("token", token.as_str()),
            ("organisation_name", "株式会社サンプル"),
            ("display_name", ""),
            ("email", "not-an-address"),
            ("password", "short"),
            ("password_confirmation", "short"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert_eq!(input_value(&html, "organisation_name").as_deref(), Some("株式会社サンプル"));
    assert_eq!(input_value(&html, "email").as_deref(), Some("not-an-address"));
    assert_eq!(input_value(&html, "password").as_deref(), Some(""), "passwords are never sent back");
    assert_eq!(count(&html, "#e-display_name"), 1);
    assert_eq!(count(&html, "#e-email"), 1);
    assert_eq!(count(&html, "#e-password"), 1);
    assert_eq!(count(&html, "#e-organisation_name"), 0);
    assert_eq!(pmark::store::users::count(&app.db).await.unwrap(), 0, "nothing was created");
}
