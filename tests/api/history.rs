//! The 変更履歴 panels and the audit trail in words: field labels in the viewer's language,
//! values as the pages show them (status labels, members' names, clause ids, facts as labelled
//! lines), and no entry for a save that changed nothing.

use pmark::domain::Lang;
use pmark::entities::{audit_event, user};
use pmark::store::audit_fields::FIELDS;
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::helpers::{TestApp, attr, count, input_value, spawn_app, texts};

const CONTROL: &str = "A.3.3.1";

async fn admin_id(app: &TestApp) -> i32 {
    user::Entity::find().filter(user::Column::Email.eq("admin@example.jp")).one(&app.db).await.unwrap().unwrap().id
}

/// Saves the control form as the administrator with `status` and `owner`.
async fn save_control(app: &TestApp, org: i32, status: &str, owner: &str) {
    let path = format!("/orgs/{org}/controls/{CONTROL}");
    let html = app.get(&app.client, &path).await.text().await.unwrap();
    let version = input_value(&html, "lock_version").expect("version");
    let fields = [
        ("lock_version", version.as_str()),
        ("applicable", "yes"),
        ("not_applicable_reason", ""),
        ("status", status),
        ("owner", owner),
        ("internal_rule", "個人情報保護規程 第12条"),
        ("notes", ""),
        ("last_reviewed_on", "2026-05-15"),
        ("next_review_due", "2027-05-15"),
    ];
    let response = app.post_form(&app.client, &path, &fields).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
}

async fn control_entries(app: &TestApp, org: i32) -> u64 {
    audit_event::Entity::find()
        .filter(audit_event::Column::OrganisationId.eq(org))
        .filter(audit_event::Column::Entity.eq("control"))
        .count(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_control_status_change_shows_the_field_label_and_the_status_labels_and_the_owner_by_name() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    save_control(&app, org, "implemented", &admin_id(&app).await.to_string()).await;

    let html = app.get(&app.client, &format!("/orgs/{org}/controls/{CONTROL}")).await.text().await.unwrap();
    let status = "#control-history li[data-field=status]";
    assert_eq!(texts(&html, &format!("{status} .change-field")), vec!["実施状況"]);
    assert_eq!(texts(&html, &format!("{status} .change-before")), vec!["未着手"]);
    assert_eq!(texts(&html, &format!("{status} .change-after")), vec!["実施済み"]);
    let owner = "#control-history li[data-field=owner_user_id]";
    assert_eq!(texts(&html, &format!("{owner} .change-field")), vec!["担当者"]);
    assert_eq!(texts(&html, &format!("{owner} .change-after")), vec!["山田 花子"]);
    assert_eq!(texts(&html, &format!("{owner} .change-before")), vec!["—"]);
    assert_eq!(texts(&html, "#control-history .history-who"), vec!["山田 花子"]);
    let history = texts(&html, "#control-history td").join(" ");
    assert!(!history.contains("not_started") && !history.contains("owner_user_id"), "{history}");
}

#[tokio::test]
async fn the_audit_trail_names_the_control_by_its_clause_id_with_a_link() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    save_control(&app, org, "in_progress", "").await;

    let html = app.get(&app.client, &format!("/orgs/{org}/audit?what=control")).await.text().await.unwrap();
    let subject = "#audit-trail td.history-subject[data-entity=control] a";
    let names = texts(&html, subject);
    assert_eq!(names.len(), 1, "{names:?}");
    assert!(names[0].starts_with("管理策 A.3.3.1 "), "{names:?}");
    assert_eq!(attr(&html, subject, "href").as_deref(), Some(format!("/orgs/{org}/controls/{CONTROL}").as_str()));
    assert_eq!(texts(&html, "#audit-trail li[data-field=status] .change-after"), vec!["対応中"]);
    // The "what" filter offers kinds of record in words.
    assert_eq!(texts(&html, "#f-what option[value=control]"), vec!["管理策"]);
}

#[tokio::test]
async fn incident_facts_appear_as_labelled_lines_not_json() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let incident = crate::incidents::record(&app, org, &crate::incidents::jimos()).await;

    let html = app.get(&app.client, &format!("/orgs/{org}/incidents/{incident}")).await.text().await.unwrap();
    let facts = "#incident-history li[data-field='facts.affected_people']";
    assert_eq!(texts(&html, &format!("{facts} .change-field")), vec!["事実：対象人数"]);
    assert_eq!(texts(&html, &format!("{facts} .change-after")), vec!["107,661"]);
    let causes = texts(&html, "#incident-history li[data-field='facts.causes'] .change-after");
    assert_eq!(causes, vec!["Webアプリケーションの脆弱性、不正アクセス（ID・パスワードの悪用、侵入）"]);
    let history = texts(&html, "#incident-history td").join(" ");
    assert!(!history.contains('{') && !history.contains("\"kinds\""), "{history}");

    let trail = app.get(&app.client, &format!("/orgs/{org}/audit?what=incident")).await.text().await.unwrap();
    assert_eq!(count(&trail, "#audit-trail li[data-field='facts.data']"), 1);
    assert!(texts(&trail, "#audit-trail td.history-subject a").iter().all(|s| s.starts_with("事故「EC サイト")));
}

#[tokio::test]
async fn a_save_that_changes_nothing_adds_no_history_row() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    save_control(&app, org, "implemented", "").await;
    let before = control_entries(&app, org).await;
    assert_eq!(before, 1);

    save_control(&app, org, "implemented", "").await;
    assert_eq!(control_entries(&app, org).await, before, "an unchanged save is not an entry");
    let html = app.get(&app.client, &format!("/orgs/{org}/controls/{CONTROL}")).await.text().await.unwrap();
    assert_eq!(count(&html, "#control-history tbody tr"), 1);
}

#[tokio::test]
async fn an_english_viewer_sees_english_labels_and_values() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    save_control(&app, org, "implemented", "").await;
    let path = format!("/orgs/{org}/controls/{CONTROL}");
    app.post_form(&app.client, "/lang", &[("lang", "en"), ("next", &path)]).await;

    let html = app.get(&app.client, &path).await.text().await.unwrap();
    let status = "#control-history li[data-field=status]";
    assert_eq!(texts(&html, &format!("{status} .change-field")), vec!["Implementation status"]);
    assert_eq!(texts(&html, &format!("{status} .change-after")), vec![pmark::i18n::t(Lang::En, "status-implemented")]);
    assert_eq!(texts(&html, "#control-history li[data-field=applicable] .change-field"), Vec::<String>::new());
    let trail = app.get(&app.client, &format!("/orgs/{org}/audit")).await.text().await.unwrap();
    assert!(texts(&trail, "#audit-trail td.history-subject[data-entity=control]")[0].starts_with("Control A.3.3.1 "));
}

#[test]
fn every_field_the_store_records_has_a_history_label_in_both_languages() {
    for (group, field, _) in FIELDS {
        let key = format!("history-field-{group}-{field}");
        for lang in Lang::ALL {
            assert_ne!(pmark::i18n::text(lang, &key), key, "no {lang:?} label for {group}.{field}");
        }
    }
}

#[tokio::test]
async fn the_dashboards_recent_changes_name_the_control_by_its_clause_and_the_actor_by_name_in_japanese() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    save_control(&app, org, "implemented", &admin_id(&app).await.to_string()).await;

    let html = app.get(&app.client, &format!("/orgs/{org}")).await.text().await.unwrap();
    let latest = "#recent-changes li.recent-change:first-child";
    let subject = format!("{latest} .history-subject[data-entity=control] a");
    let name = texts(&html, &subject).concat();
    assert!(name.starts_with("管理策 A.3.3.1 "), "the clause id and its title: {name}");
    assert_eq!(attr(&html, &subject, "href"), Some(format!("/orgs/{org}/controls/{CONTROL}")));
    assert_eq!(texts(&html, &format!("{latest} .history-who")), vec!["山田 花子"], "the name, not the e-mail address");
    assert_eq!(texts(&html, &format!("{latest} .audit-action")), vec!["更新"]);
    assert!(!html.contains("admin@example.jp ·"), "no raw entry left");
}

#[tokio::test]
async fn a_new_corrective_action_s_history_lists_every_field_it_was_created_with_in_words() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let incident = crate::incidents::record(&app, org, &crate::incidents::jimos()).await;
    let owner = admin_id(&app).await.to_string();
    let created = app
        .post_form(
            &app.client,
            &format!("/orgs/{org}/incidents/{incident}/actions"),
            &[
                ("title", "決済画面の改ざん検知を導入"),
                ("description", "改ざん検知の仕組みを決済画面に入れる"),
                ("owner", &owner),
                ("due_on", "2026-12-31"),
                ("control_ids", "A.3.4.3.2"),
                ("control_ids", "A.3.3.3"),
            ],
        )
        .await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let action = pmark::store::corrective_actions::of_incident(&app.db, org, incident).await.unwrap().remove(0);
    let html =
        app.get(&app.client, &format!("/orgs/{org}/corrective-actions/{}", action.id)).await.text().await.unwrap();
    let after = |field: &str| texts(&html, &format!("#action-history li[data-field={field}] .change-after"));
    assert_eq!(after("description"), vec!["改ざん検知の仕組みを決済画面に入れる"], "the description was not recorded");
    assert_eq!(after("owner"), vec!["山田 花子"]);
    assert_eq!(after("control_ids"), vec!["A.3.4.3.2、A.3.3.3"], "the controls as clause ids, not JSON");
}

#[tokio::test]
async fn members_invitations_and_the_organisation_are_named_in_words_not_by_number() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    app.add_member(Some(org), pmark::domain::Role::Officer, "officer@example.jp").await;
    let invited = app
        .post_form(&app.client, &format!("/orgs/{org}/invitations"), &[("email", "new@example.jp"), ("role", "viewer")])
        .await;
    assert_eq!(invited.status(), StatusCode::SEE_OTHER);
    let renamed = app
        .post_form(
            &app.client,
            &format!("/orgs/{org}/settings"),
            &[("name", "株式会社改名"), ("pms_year_start_month", "4")],
        )
        .await;
    assert_eq!(renamed.status(), StatusCode::SEE_OTHER);

    let html = app.get(&app.client, &format!("/orgs/{org}/audit")).await.text().await.unwrap();
    let subjects = texts(&html, "#audit-trail td.history-subject");
    assert!(subjects.iter().all(|s| !s.contains('#')), "no record is shown by its number: {subjects:?}");
    assert!(subjects.iter().any(|s| s == "new@example.jp への招待"), "{subjects:?}");
    assert!(subjects.iter().any(|s| s.starts_with("メンバー ")), "{subjects:?}");
    assert!(subjects.iter().any(|s| s == "事業者の設定"), "{subjects:?}");
    let invitation = "#audit-trail td.history-subject[data-entity=invitation] a";
    assert_eq!(attr(&html, invitation, "href").as_deref(), Some(format!("/orgs/{org}/members").as_str()));
}
