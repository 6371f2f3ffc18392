use pmark::domain::Role;
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::helpers::{count, spawn_app, texts};
use pmark::entities::audit_event;

async fn events(app: &crate::helpers::TestApp, org: i32) -> Vec<audit_event::Model> {
    audit_event::Entity::find()
        .filter(audit_event::Column::OrganisationId.eq(org))
        .order_by_asc(audit_event::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn every_change_leaves_an_audit_row_with_who_what_and_before_after() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let admin_id = pmark::store::organisations::members(&app.db, org).await.unwrap()[0].user.id;
    let created: Vec<_> = events(&app, org).await.iter().map(|e| (e.entity.clone(), e.action.clone())).collect();
    assert_eq!(created, vec![("organisation".into(), "create".into()), ("membership".into(), "create".into())]);

    app.post_form(&app.client, &format!("/orgs/{org}/settings"), &[("name", "新社名"), ("pms_year_start_month", "4")])
        .await;
    let renamed = events(&app, org).await.pop().unwrap();
    assert_eq!((renamed.entity.as_str(), renamed.action.as_str()), ("organisation", "update"));
    assert_eq!(renamed.actor_user_id, Some(admin_id));
    assert_eq!(renamed.actor_label, "admin@example.jp");
    let changes: serde_json::Value = serde_json::from_str(&renamed.changes).unwrap();
    assert_eq!(changes["name"]["before"], "株式会社ジモス検証");
    assert_eq!(changes["name"]["after"], "新社名");

    let viewer = app.add_member(Some(org), Role::Viewer, "viewer@example.jp").await;
    let membership = pmark::store::organisations::members(&app.db, org)
        .await
        .unwrap()
        .into_iter()
        .find(|m| m.user.id == viewer.user_id)
        .unwrap()
        .membership_id;
    app.post_form(&app.client, &format!("/orgs/{org}/members/{membership}/role"), &[("role", "officer")]).await;
    let role_change = events(&app, org).await.pop().unwrap();
    let changes: serde_json::Value = serde_json::from_str(&role_change.changes).unwrap();
    assert_eq!(
        (changes["role"]["before"].as_str(), changes["role"]["after"].as_str()),
        (Some("viewer"), Some("officer"))
    );

    app.post_form(&app.client, &format!("/orgs/{org}/invitations"), &[("email", "x@example.jp"), ("role", "viewer")])
        .await;
    app.post_form(&app.client, &format!("/orgs/{org}/members/{membership}/remove"), &[]).await;
    let actions: Vec<_> =
        events(&app, org).await.iter().rev().take(2).map(|e| (e.entity.clone(), e.action.clone())).collect();
    assert_eq!(actions, vec![("membership".into(), "delete".into()), ("invitation".into(), "create".into())]);

    // The page shows them newest first, to admins and auditors.
    let html = app.get(&app.client, &format!("/orgs/{org}/audit")).await.text().await.unwrap();
    assert_eq!(texts(&html, "#audit-trail tbody tr td.audit-action").first().map(String::as_str), Some("削除"));
    assert_eq!(count(&html, "#audit-trail tbody tr:first-child td.audit-action[data-action=delete]"), 1);
    assert!(count(&html, "#audit-trail tbody tr") >= 6);
}

#[tokio::test]
async fn password_changes_are_audited_without_the_hash() {
    let app = spawn_app().await;
    app.set_up_admin().await;
    let new_password = "an even better passphrase";
    let response = app
        .post_form(
            &app.client,
            "/account/password",
            &[
                ("current_password", crate::helpers::PASSWORD),
                ("new_password", new_password),
                ("new_password_confirmation", new_password),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let row = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("change_password"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("audited");
    assert!(!row.changes.contains("argon2"), "{}", row.changes);
    assert!(row.changes.contains("[redacted]"));
}

#[tokio::test]
async fn the_audit_trail_is_append_only_in_the_database_itself() {
    let app = spawn_app().await;
    app.set_up_admin().await;
    let update = app.db.execute_unprepared("UPDATE audit_events SET actor_label = 'someone else'").await;
    assert!(update.is_err(), "UPDATE must be refused");
    let delete = app.db.execute_unprepared("DELETE FROM audit_events").await;
    assert!(delete.is_err(), "DELETE must be refused");
    let rows = audit_event::Entity::find().all(&app.db).await.unwrap();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r.actor_label != "someone else"));
}

#[tokio::test]
async fn the_audit_trail_is_paged_fifty_at_a_time() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    for i in 0..55 {
        app.post_form(
            &app.client,
            &format!("/orgs/{org}/settings"),
            &[("name", &format!("社名{i}")), ("pms_year_start_month", "4")],
        )
        .await;
    }
    let first = app.get(&app.client, &format!("/orgs/{org}/audit")).await.text().await.unwrap();
    assert_eq!(count(&first, "#audit-trail tbody tr"), 50);
    assert_eq!(count(&first, "a[rel=next]"), 1);
    let second = app.get(&app.client, &format!("/orgs/{org}/audit?page=2")).await.text().await.unwrap();
    assert_eq!(count(&second, "#audit-trail tbody tr"), 7, "57 entries: 2 from setup, 55 renames");
    assert_eq!(count(&second, "a[rel=next]"), 0);
}

#[tokio::test]
async fn the_who_filter_finds_a_member_by_the_name_the_trail_shows_as_well_as_by_address() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    app.post_form(
        &app.client,
        &format!("/orgs/{org}/settings"),
        &[("name", "株式会社名前検索"), ("pms_year_start_month", "4")],
    )
    .await;
    let rows = |query: &'static str| {
        let app = &app;
        async move {
            let html = app.get(&app.client, &format!("/orgs/{org}/audit?{query}")).await.text().await.unwrap();
            count(&html, "#audit-trail tbody tr")
        }
    };
    let everyone = rows("").await;
    assert!(everyone >= 2, "setup and the rename");
    // The administrator is 山田 花子 (helpers::set_up_admin): "山田", percent-encoded.
    let by_name = rows("who=%E5%B1%B1%E7%94%B0").await;
    assert_eq!(by_name, everyone, "every entry here is the administrator's, found by the name shown");
    assert_eq!(rows("who=admin%40example").await, by_name, "and by address");
    assert_eq!(rows("who=nobody-like-this").await, 0);
}
