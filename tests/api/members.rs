use pmark::domain::Role;
use reqwest::StatusCode;

use crate::helpers::{PASSWORD, count, input_value, new_client, spawn_app, texts};

/// The invitation link from the flash message shown after inviting.
async fn invite(app: &crate::helpers::TestApp, org: i32, email: &str, role: &str) -> String {
    let response =
        app.post_form(&app.client, &format!("/orgs/{org}/invitations"), &[("email", email), ("role", role)]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let html = app.get(&app.client, &format!("/orgs/{org}/members")).await.text().await.unwrap();
    let flash = texts(&html, ".flash-success").pop().expect("a flash with the link");
    let start = flash.find("http").expect("a link in the flash");
    flash[start..].split_whitespace().next().unwrap().to_owned()
}

#[tokio::test]
async fn an_invited_person_creates_an_account_and_joins_with_the_role_then_the_link_is_spent() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let link = invite(&app, org, "Officer@Example.jp", "officer").await;
    let path = link.trim_start_matches(&app.address).to_owned();
    let invitee = new_client();
    let page = app.get(&invitee, &path).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(texts(&html, "#invitation-summary")[0].contains("株式会社ジモス検証"));

    let bad = app
        .post_form(
            &invitee,
            &path,
            &[("display_name", "佐藤"), ("password", "short"), ("password_confirmation", "short")],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let bad_html = bad.text().await.unwrap();
    assert_eq!(input_value(&bad_html, "display_name").as_deref(), Some("佐藤"));
    assert_eq!(count(&bad_html, "#e-password"), 1);

    let joined = app
        .post_form(
            &invitee,
            &path,
            &[("display_name", "佐藤"), ("password", PASSWORD), ("password_confirmation", PASSWORD)],
        )
        .await;
    assert_eq!(joined.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.get(&invitee, &format!("/orgs/{org}")).await.status(), StatusCode::OK);
    let members = pmark::store::organisations::members(&app.db, org).await.unwrap();
    let officer = members.iter().find(|m| m.user.email == "officer@example.jp").expect("joined");
    assert_eq!(officer.role, Role::Officer);
    assert_eq!(app.get(&new_client(), &path).await.status(), StatusCode::NOT_FOUND, "a used link is spent");
}

#[tokio::test]
async fn an_existing_account_signs_in_and_joins_and_a_revoked_invitation_is_dead() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let (_, existing) = app.add_organisation("別会社", "existing@example.jp").await;
    let link = invite(&app, org, "existing@example.jp", "auditor").await;
    let path = link.trim_start_matches(&app.address).to_owned();
    assert_eq!(app.post_form(&existing.client, &path, &[]).await.status(), StatusCode::SEE_OTHER);
    let members = pmark::store::organisations::members(&app.db, org).await.unwrap();
    assert_eq!(members.iter().find(|m| m.user.id == existing.user_id).map(|m| m.role), Some(Role::Auditor));

    let other = invite(&app, org, "late@example.jp", "viewer").await;
    let other_path = other.trim_start_matches(&app.address).to_owned();
    // Someone signed in with another address cannot take it.
    assert_eq!(app.post_form(&existing.client, &other_path, &[]).await.status(), StatusCode::CONFLICT);
    let pending = pmark::store::invitations::pending(&app.db, org, chrono::Utc::now()).await.unwrap();
    assert_eq!(pending.len(), 1);
    let revoke = app.post_form(&app.client, &format!("/orgs/{org}/invitations/{}/revoke", pending[0].id), &[]).await;
    assert_eq!(revoke.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.get(&new_client(), &other_path).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_invalid_invitation_form_keeps_the_values_and_answers_422() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let response = app
        .post_form(&app.client, &format!("/orgs/{org}/invitations"), &[("email", "not an address"), ("role", "owner")])
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert_eq!(input_value(&html, "email").as_deref(), Some("not an address"));
    assert_eq!(count(&html, "#e-email"), 1);
    assert_eq!(texts(&html, "#f-role + .field-error, .has-error .field-error").len(), 2);
}

#[tokio::test]
async fn the_last_admin_can_be_neither_demoted_nor_removed() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let me = pmark::store::organisations::members(&app.db, org).await.unwrap()[0].membership_id;
    let demote = app.post_form(&app.client, &format!("/orgs/{org}/members/{me}/role"), &[("role", "viewer")]).await;
    assert_eq!(demote.status(), StatusCode::SEE_OTHER);
    let html = app.get(&app.client, &format!("/orgs/{org}/members")).await.text().await.unwrap();
    assert_eq!(count(&html, ".flash-error"), 1);
    let remove = app.post_form(&app.client, &format!("/orgs/{org}/members/{me}/remove"), &[]).await;
    assert_eq!(remove.status(), StatusCode::SEE_OTHER);
    let members = pmark::store::organisations::members(&app.db, org).await.unwrap();
    assert_eq!(members.len(), 1);
    assert_eq!(members[0].role, Role::Admin);
    // With a second admin, the first may step down.
    let second = app.add_member(Some(org), Role::Admin, "second@example.jp").await;
    let demote = app.post_form(&app.client, &format!("/orgs/{org}/members/{me}/role"), &[("role", "officer")]).await;
    assert_eq!(demote.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.get(&app.client, &format!("/orgs/{org}/settings")).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.get(&second.client, &format!("/orgs/{org}/settings")).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn parallel_accepts_of_one_invitation_have_one_winner_and_a_clear_answer_for_the_others() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let link = invite(&app, org, "officer@example.jp", "officer").await;
    let path = link.trim_start_matches(&app.address).to_owned();
    let mut browsers = Vec::new();
    for _ in 0..6 {
        let browser = new_client();
        let html = app.get(&browser, &path).await.text().await.unwrap();
        let token = input_value(&html, "csrf_token").expect("a form");
        browsers.push((browser, token));
    }
    let accepts = browsers.iter().map(|(browser, token)| {
        browser
            .post(app.url(&path))
            .form(&[
                ("display_name", "佐藤"),
                ("password", PASSWORD),
                ("password_confirmation", PASSWORD),
                ("csrf_token", token.as_str()),
            ])
            .send()
    });
    let mut winners = 0;
    for answer in futures_util::future::join_all(accepts).await {
        let answer = answer.expect("POST");
        match answer.status() {
            StatusCode::SEE_OTHER => winners += 1,
            StatusCode::CONFLICT => {
                let html = answer.text().await.unwrap();
                assert_eq!(count(&html, "#invitation-taken"), 1, "the others are told the link was used");
            }
            other => panic!("unexpected answer {other}"),
        }
    }
    assert_eq!(winners, 1);
    let members = pmark::store::organisations::members(&app.db, org).await.unwrap();
    assert_eq!(members.iter().filter(|m| m.user.email == "officer@example.jp").count(), 1);
}
