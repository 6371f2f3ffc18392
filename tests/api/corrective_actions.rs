//! Corrective actions raised from an incident: the form's validation, the link from a check
//! decision and the completion record with evidence (who may do what: `route_access.rs`).

use reqwest::StatusCode;

use crate::helpers::{TestApp, count, spawn_app, texts};
use crate::incidents::{jimos, record};

async fn admin_id(app: &TestApp, org: i32) -> i32 {
    let members = pmark::store::organisations::members(&app.db, org).await.unwrap();
    members.iter().find(|m| m.user.email == "admin@example.jp").unwrap().user.id
}

#[tokio::test]
async fn an_action_is_raised_from_an_incident_linked_from_a_review_and_completed_with_evidence() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let incident = record(&app, org, &jimos()).await;
    let owner = admin_id(&app, org).await.to_string();
    let base = format!("/orgs/{org}/incidents/{incident}");

    let bad = app
        .post_form(
            &app.client,
            &format!("{base}/actions"),
            &[("title", ""), ("owner", "99999"), ("due_on", "2026-13-01"), ("control_ids", "A.3.4.2.9")],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = bad.text().await.unwrap();
    assert_eq!(count(&html, "#action-form .has-error"), 3, "title, owner and date: {html}");
    assert_eq!(count(&html, "#fa-due_on[value='2026-13-01']"), 1, "the value is kept");

    let created = app
        .post_form(
            &app.client,
            &format!("{base}/actions"),
            &[
                ("title", "決済画面の改ざん検知を導入"),
                ("owner", &owner),
                ("due_on", "2019-12-31"),
                ("control_ids", "A.3.4.3.2"),
                ("control_ids", "A.3.3.3"),
            ],
        )
        .await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let action = pmark::store::corrective_actions::of_incident(&app.db, org, incident).await.unwrap().remove(0);
    assert_eq!(action.control_ids, r#"["A.3.4.3.2","A.3.3.3"]"#);

    let list = app.get(&app.client, &format!("/orgs/{org}/corrective-actions")).await.text().await.unwrap();
    assert_eq!(count(&list, &format!("#actions tr[data-id='{}'].overdue", action.id)), 1, "2019's due date is past");

    // The check of A.3.4.3.2 decided as changed through the action.
    let check = pmark::store::incidents::checks_of_incident(&app.db, incident)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.control_id == "A.3.4.3.2")
        .unwrap();
    let decided = app
        .post_form(
            &app.client,
            &format!("{base}/checks/{}", check.id),
            &[("decision", "changed"), ("note", "改ざん検知を導入"), ("corrective_action_id", &action.id.to_string())],
        )
        .await;
    assert_eq!(decided.status(), StatusCode::SEE_OTHER);
    let page = app.get(&app.client, &base).await.text().await.unwrap();
    assert_eq!(
        count(
            &page,
            &format!("#checks li[data-control='A.3.4.3.2'] a[href='/orgs/{org}/corrective-actions/{}']", action.id)
        ),
        1
    );

    // Completion: not in the future, with a record; then evidence.
    let path = format!("/orgs/{org}/corrective-actions/{}", action.id);
    let future = app
        .post_form(
            &app.client,
            &format!("{path}/complete"),
            &[("completed_on", "2099-01-01"), ("completion_note", "x")],
        )
        .await;
    assert_eq!(future.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let done = app
        .post_form(
            &app.client,
            &format!("{path}/complete"),
            &[("completed_on", "2019-12-20"), ("completion_note", "改ざん検知を本番に導入し、運用手順を改訂")],
        )
        .await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    let twice = app
        .post_form(
            &app.client,
            &format!("{path}/complete"),
            &[("completed_on", "2019-12-21"), ("completion_note", "別の記録")],
        )
        .await;
    assert_eq!(twice.status(), StatusCode::UNPROCESSABLE_ENTITY, "a completed action is not completed again");
    let form = reqwest::multipart::Form::new()
        .text("kind", "link")
        .text("description", "導入報告書")
        .text("effective_on", "2019-12-20")
        .text("url", "https://example.jp/waf-report");
    let uploaded = app.post_multipart(&app.client, &format!("{path}/evidence"), form).await;
    assert_eq!(uploaded.status(), StatusCode::SEE_OTHER);
    let shown = app.get(&app.client, &path).await.text().await.unwrap();
    assert_eq!(texts(&shown, "#completed-on"), vec!["2019年12月20日"]);
    assert_eq!(count(&shown, "#evidence-list tbody tr"), 1);
    assert_eq!(count(&shown, "#complete-form"), 0, "a done action has no completion form");
}

#[tokio::test]
async fn a_review_cannot_link_an_action_of_another_incident() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let first = record(&app, org, &jimos()).await;
    let second = record(&app, org, &jimos()).await;
    let owner = admin_id(&app, org).await.to_string();
    app.post_form(
        &app.client,
        &format!("/orgs/{org}/incidents/{first}/actions"),
        &[("title", "WAF"), ("owner", &owner), ("due_on", "2019-12-31")],
    )
    .await;
    let foreign = pmark::store::corrective_actions::of_incident(&app.db, org, first).await.unwrap()[0].id;
    let check = pmark::store::incidents::checks_of_incident(&app.db, second).await.unwrap()[0].id;
    let refused = app
        .post_form(
            &app.client,
            &format!("/orgs/{org}/incidents/{second}/checks/{check}"),
            &[("decision", "changed"), ("note", "x"), ("corrective_action_id", &foreign.to_string())],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
}
