//! Saved duty records and corrective actions can be corrected: the form holds the stored values,
//! bad input is refused with the values kept, a correction over a newer one is a conflict, and
//! the history shows each change with its value before (who may: `route_access.rs`).

use pmark::domain::Role;
use reqwest::StatusCode;

use crate::helpers::{attr, count, spawn_app, texts};
use crate::incidents::{jimos, record};

#[tokio::test]
async fn a_duty_record_with_a_typo_is_corrected_and_its_history_shows_before_and_after() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let officer = app.add_member(Some(org), Role::Officer, "officer@example.jp").await;
    let duties = pmark::store::duties::list(&app.db, org).await.unwrap();
    let duty = duties.iter().find(|d| d.builtin_key.as_deref() == Some("register_review")).unwrap().id;
    let page = format!("/orgs/{org}/duties/{duty}/2025/0");
    let recorded = app
        .post_form(
            &app.client,
            &page,
            &[("performed_on", "2025-05-10"), ("performed_by", "山田 花子"), ("summary", "台帳を見直しｔ")],
        )
        .await;
    assert_eq!(recorded.status(), StatusCode::SEE_OTHER);
    let html = app.get(&officer.client, &page).await.text().await.unwrap();
    assert_eq!(count(&html, "#correct-form"), 1, "an editor may correct the record");
    assert_eq!(texts(&html, "#correct-form textarea[name=summary]"), ["台帳を見直しｔ"]);
    assert_eq!(attr(&html, "#correct-form input[name=lock_version]", "value").as_deref(), Some("1"));

    // Bad input: 422, the values kept, the form open.
    let bad = app
        .post_form(
            &officer.client,
            &format!("{page}/correct"),
            &[
                ("performed_on", "2025-05-11"),
                ("performed_by", ""),
                ("summary", "台帳を見直した"),
                ("lock_version", "1"),
            ],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = bad.text().await.unwrap();
    assert_eq!(count(&html, "details.correction[open] #correct-form #e-performed_by"), 1);
    assert_eq!(texts(&html, "#correct-form textarea[name=summary]"), ["台帳を見直した"]);

    let corrected = app
        .post_form(
            &officer.client,
            &format!("{page}/correct"),
            &[
                ("performed_on", "2025-05-11"),
                ("performed_by", "山田 花子"),
                ("summary", "台帳を見直した"),
                ("lock_version", "1"),
            ],
        )
        .await;
    assert_eq!(corrected.status(), StatusCode::SEE_OTHER);
    let html = app.get(&app.client, &page).await.text().await.unwrap();
    assert!(texts(&html, "#record dd").contains(&"台帳を見直した".to_owned()));
    assert_eq!(texts(&html, "#record-history li[data-field=summary] .change-before"), ["台帳を見直しｔ"]);
    // Newest first: the correction, then the creation.
    assert_eq!(
        texts(&html, "#record-history li[data-field=performed_on] .change-after"),
        ["2025年5月11日", "2025年5月10日"]
    );
    assert_eq!(count(&html, "#record-history li[data-field=performed_by] .change-before"), 0, "unchanged: not listed");

    // The admin's form was read at version 1: a conflict that shows the officer's correction.
    let stale = app
        .post_form(
            &app.client,
            &format!("{page}/correct"),
            &[("performed_on", "2025-05-10"), ("performed_by", "山田"), ("summary", "別の訂正"), ("lock_version", "1")],
        )
        .await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    let html = stale.text().await.unwrap();
    assert_eq!(texts(&html, "#correct-form textarea[name=summary]"), ["台帳を見直した"]);
    assert_eq!(attr(&html, "#correct-form input[name=lock_version]", "value").as_deref(), Some("2"));
    let stored = pmark::store::duties::records_from(&app.db, org, 2025).await.unwrap();
    assert_eq!(stored.iter().map(|r| r.summary.as_str()).collect::<Vec<_>>(), ["台帳を見直した"]);
    // A viewer sees no correction form.
    let viewer = app.add_member(Some(org), Role::Viewer, "viewer@example.jp").await;
    assert_eq!(count(&app.get(&viewer.client, &page).await.text().await.unwrap(), "#correct-form"), 0);
}

#[tokio::test]
async fn a_corrective_action_and_its_completion_record_are_corrected_with_their_history() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let incident = record(&app, org, &jimos()).await;
    let members = pmark::store::organisations::members(&app.db, org).await.unwrap();
    let owner = members[0].user.id.to_string();
    let raised = app
        .post_form(
            &app.client,
            &format!("/orgs/{org}/incidents/{incident}/actions"),
            &[("title", "WAFを導入する（仮"), ("owner", &owner), ("due_on", "2019-12-31")],
        )
        .await;
    assert_eq!(raised.status(), StatusCode::SEE_OTHER);
    let action = pmark::store::corrective_actions::of_incident(&app.db, org, incident).await.unwrap()[0].id;
    let page = format!("/orgs/{org}/corrective-actions/{action}");
    let correct = |title: &'static str, version: &'static str| {
        vec![("title", title), ("owner", owner.as_str()), ("due_on", "2020-01-31"), ("lock_version", version)]
    };

    let bad = app.post_form(&app.client, &format!("{page}/correct"), &correct("", "1")).await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = bad.text().await.unwrap();
    assert_eq!(count(&html, "details.correction[open] #correct-form #e-title"), 1);
    assert_eq!(attr(&html, "#fc-due_on", "value").as_deref(), Some("2020-01-31"), "the values are kept");

    let saved = app.post_form(&app.client, &format!("{page}/correct"), &correct("WAFを導入する", "1")).await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let html = app.get(&app.client, &page).await.text().await.unwrap();
    assert_eq!(texts(&html, "h1"), ["WAFを導入する"]);
    assert_eq!(texts(&html, "#action-history li[data-field=title] .change-before"), ["WAFを導入する（仮"]);
    assert_eq!(
        texts(&html, "#action-history li[data-field=due_on] .change-after"),
        ["2020年1月31日", "2019年12月31日"]
    );
    let stale = app.post_form(&app.client, &format!("{page}/correct"), &correct("古い版", "1")).await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);

    // Once done, the completion record can be corrected too.
    let done = app
        .post_form(
            &app.client,
            &format!("{page}/complete"),
            &[("completed_on", "2019-12-20"), ("completion_note", "導入しまｓた")],
        )
        .await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    let mut fields = correct("WAFを導入する", "2");
    fields.extend([("completed_on", "2019-12-20"), ("completion_note", "導入しました")]);
    let fixed = app.post_form(&app.client, &format!("{page}/correct"), &fields).await;
    assert_eq!(fixed.status(), StatusCode::SEE_OTHER);
    let html = app.get(&app.client, &page).await.text().await.unwrap();
    assert_eq!(
        texts(&html, "#action-history li[data-field=completion_note] .change-after"),
        ["導入しました", "導入しまｓた"]
    );
    let stored = pmark::store::corrective_actions::find(&app.db, org, action).await.unwrap().unwrap();
    assert_eq!(stored.completion_note.as_deref(), Some("導入しました"));
}
