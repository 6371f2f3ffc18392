use pmark::domain::Role;
use reqwest::StatusCode;

use crate::helpers::{PASSWORD, count, input_value, location, new_client, spawn_app, texts};

#[tokio::test]
async fn switching_to_english_and_back_changes_the_page_and_is_remembered_for_the_account() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let path = format!("/orgs/{org}");
    let html = app.get(&app.client, &path).await.text().await.unwrap();
    assert_eq!(lang_of(&html), "ja");
    assert_eq!(texts(&html, "#members-heading"), vec!["メンバー"]);

    let switched = app.post_form(&app.client, "/lang", &[("lang", "en"), ("next", &path)]).await;
    assert_eq!(switched.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&switched), path, "back to the same page");
    let html = app.get(&app.client, &path).await.text().await.unwrap();
    assert_eq!(lang_of(&html), "en");
    assert_eq!(texts(&html, "#members-heading"), vec!["Members"]);
    assert_eq!(texts(&html, ".lang-switch button[aria-pressed=true]"), vec!["English"]);

    // A new sign-in starts in the account's language.
    let elsewhere = new_client();
    app.sign_in(&elsewhere, "admin@example.jp", PASSWORD).await;
    assert_eq!(lang_of(&app.get(&elsewhere, &path).await.text().await.unwrap()), "en");

    app.post_form(&app.client, "/lang", &[("lang", "ja"), ("next", &path)]).await;
    assert_eq!(lang_of(&app.get(&app.client, &path).await.text().await.unwrap()), "ja");
    // Unknown languages are refused, not stored.
    assert_eq!(app.post_form(&app.client, "/lang", &[("lang", "fr")]).await.status(), StatusCode::BAD_REQUEST);
}

fn lang_of(html: &str) -> String {
    let document = scraper::Html::parse_document(html);
    let selector = scraper::Selector::parse("html").unwrap();
    document.select(&selector).next().unwrap().value().attr("lang").unwrap().to_owned()
}

#[tokio::test]
async fn signed_out_visitors_can_switch_language_too() {
    let app = spawn_app().await;
    let client = new_client();
    app.post_form(&client, "/lang", &[("lang", "en"), ("next", "/login")]).await;
    let html = app.get(&client, "/login").await.text().await.unwrap();
    assert_eq!(texts(&html, "h1"), vec!["Sign in"]);
}

#[tokio::test]
async fn changing_the_password_needs_the_current_one_and_ends_other_sessions() {
    let app = spawn_app().await;
    app.set_up_admin().await;
    let other_device = new_client();
    app.sign_in(&other_device, "admin@example.jp", PASSWORD).await;
    let new_password = "a completely new passphrase";

    let wrong = app
        .post_form(
            &app.client,
            "/account/password",
            &[
                ("current_password", "guess"),
                ("new_password", new_password),
                ("new_password_confirmation", new_password),
            ],
        )
        .await;
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(count(&wrong.text().await.unwrap(), "#e-current_password"), 1);

    let mismatch = app
        .post_form(
            &app.client,
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", new_password),
                ("new_password_confirmation", "different one!"),
            ],
        )
        .await;
    assert_eq!(mismatch.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(count(&mismatch.text().await.unwrap(), "#e-new_password"), 1);

    let changed = app
        .post_form(
            &app.client,
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", new_password),
                ("new_password_confirmation", new_password),
            ],
        )
        .await;
    assert_eq!(changed.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.get(&app.client, "/account").await.status(), StatusCode::OK, "this session goes on");
    assert_eq!(app.get(&other_device, "/account").await.status(), StatusCode::SEE_OTHER, "other sessions end");
    let old = app.post_form(&new_client(), "/login", &[("email", "admin@example.jp"), ("password", PASSWORD)]).await;
    assert_eq!(old.status(), StatusCode::UNAUTHORIZED);
    app.sign_in(&new_client(), "admin@example.jp", new_password).await;
}

#[tokio::test]
async fn an_invalid_profile_keeps_the_values_and_answers_422() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let viewer = app.add_member(Some(org), Role::Viewer, "viewer@example.jp").await;
    let long_name = "名".repeat(101);
    let response =
        app.post_form(&viewer.client, "/account/profile", &[("display_name", &long_name), ("lang", "en")]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert_eq!(input_value(&html, "display_name").as_deref(), Some(long_name.as_str()));
    assert_eq!(count(&html, "#e-display_name"), 1);
    assert_eq!(count(&html, "#f-lang option[selected][value=en]"), 1);
}
