//! Regression tests for defects found in review: each names the attack or race it closes.

use actix_session::storage::SessionStore;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};

use crate::helpers::{PASSWORD, location, new_client, spawn_app};

#[tokio::test]
async fn a_next_parameter_with_a_tab_cannot_redirect_to_another_site() {
    let app = spawn_app().await;
    app.set_up_admin().await;
    for next in ["/\t/evil.example", "/\\evil.example", "/ /evil.example"] {
        let response = app.get(&app.client, &format!("/login?next={}", pmark::web::urlencode(next))).await;
        assert_eq!(location(&response), "/", "{next:?}");
        let client = new_client();
        let response = app
            .post_form(&client, "/login", &[("email", "admin@example.jp"), ("password", PASSWORD), ("next", next)])
            .await;
        assert_eq!(location(&response), "/", "{next:?}");
    }
}

#[tokio::test]
async fn a_request_that_changes_a_session_after_sign_out_does_not_bring_it_back() {
    let app = spawn_app().await;
    let store = pmark::store::sessions::DatabaseSessionStore::new(app.db.clone());
    let ttl = actix_web::cookie::time::Duration::hours(1);
    let mut state = std::collections::HashMap::new();
    state.insert("uid".to_owned(), "1".to_owned());
    let key = store.save(state.clone(), &ttl).await.unwrap();
    assert!(store.load(&key).await.unwrap().is_some());
    let copy = actix_session::storage::SessionKey::try_from(key.as_ref().to_owned()).unwrap();
    store.delete(&key).await.unwrap();
    // A request that loaded the session before the sign-out now saves a flash message.
    state.insert("flash".to_owned(), "[]".to_owned());
    store.update(copy, state, &ttl).await.unwrap();
    let again = actix_session::storage::SessionKey::try_from(key.as_ref().to_owned()).unwrap();
    assert!(store.load(&again).await.unwrap().is_none(), "the signed-out session stays deleted");
}

#[tokio::test]
async fn an_absurd_audit_page_number_lands_on_the_last_page() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let response = app.get(&app.client, &format!("/orgs/{org}/audit?page=200000000000000000")).await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    assert_eq!(crate::helpers::count(&html, "#audit-trail tbody tr"), 2);
}

#[tokio::test]
async fn an_upload_refused_after_its_file_was_staged_leaves_no_file() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let form = Form::new()
        .text("kind", "file")
        .part("file", Part::bytes(vec![b'x'; 4096]).file_name("a.pdf"))
        .text("description", "長".repeat(5000));
    let response = app.post_multipart(&app.client, &format!("/orgs/{org}/controls/A.3.3.1/evidence"), form).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let staging = app.evidence_dir().join("tmp");
    assert_eq!(std::fs::read_dir(staging).unwrap().count(), 0);
}

#[tokio::test]
async fn an_invitation_revoked_while_the_form_was_open_is_not_accepted() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let created = pmark::store::invitations::create(
        &app.db,
        &pmark::store::audit::Actor::command_line(),
        org,
        &pmark::domain::EmailAddress::parse("late@example.jp").unwrap(),
        pmark::domain::Role::Viewer,
        14,
    )
    .await
    .unwrap();
    let invitee = new_client();
    let path = format!("/invitations/{}", created.token);
    assert_eq!(app.get(&invitee, &path).await.status(), StatusCode::OK);
    let found = created.invitation.clone();
    pmark::store::invitations::revoke(&app.db, &pmark::store::audit::Actor::command_line(), org, found.id)
        .await
        .unwrap();
    // The store refuses to accept the stale copy the handler read before the revocation.
    let accepted = pmark::store::invitations::accept(&app.db, &pmark::store::audit::Actor::command_line(), found, 1)
        .await
        .unwrap();
    assert!(!accepted);
    let response = app
        .post_form(
            &invitee,
            &path,
            &[("display_name", "遅刻"), ("password", PASSWORD), ("password_confirmation", PASSWORD)],
        )
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let members = pmark::store::organisations::members(&app.db, org).await.unwrap();
    assert_eq!(members.len(), 1);
}

#[tokio::test]
async fn after_a_password_change_elsewhere_the_other_device_can_sign_in_again_at_once() {
    let app = spawn_app().await;
    app.set_up_admin().await;
    let other = new_client();
    app.sign_in(&other, "admin@example.jp", PASSWORD).await;
    let new_password = "a brand new passphrase";
    app.post_form(
        &app.client,
        "/account/password",
        &[("current_password", PASSWORD), ("new_password", new_password), ("new_password_confirmation", new_password)],
    )
    .await;
    // The other device's next page ends its session; the login form it then shows works.
    let login = app.post_form(&other, "/login", &[("email", "admin@example.jp"), ("password", new_password)]).await;
    assert_eq!(login.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.get(&other, "/account").await.status(), StatusCode::OK);
}
