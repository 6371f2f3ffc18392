//! The PMS 体制 in the organisation settings, on the dashboard and in the history.

use pmark::domain::Role;
use reqwest::StatusCode;

use crate::helpers::{TestApp, attr, count, spawn_app, texts};

/// Saves a first PMS 体制: the representative by name, the admin as the PI protection manager,
/// and `more` posts; answers the admin's user id.
pub async fn record_structure(app: &TestApp, org: i32, more: &[(&str, &str)]) -> String {
    let members = pmark::store::organisations::members(&app.db, org).await.unwrap();
    let admin = members.iter().find(|m| m.user.email == "admin@example.jp").unwrap().user.id.to_string();
    let mut fields = vec![
        ("representative_name", "代表取締役 田中 一郎"),
        ("pi_manager_member", admin.as_str()),
        ("lock_version", "0"),
    ];
    fields.extend_from_slice(more);
    let saved = app.post_form(&app.client, &format!("/orgs/{org}/pms-structure"), &fields).await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    admin
}

#[tokio::test]
async fn an_admin_records_the_pms_structure_with_members_and_typed_names_and_the_dashboard_shows_it() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let lead = app.add_member(Some(org), Role::Officer, "lead@example.jp").await;
    let lead_id = lead.user_id.to_string();
    let dashboard = app.get(&app.client, &format!("/orgs/{org}")).await.text().await.unwrap();
    assert_eq!(count(&dashboard, "#dashboard-pms-structure #no-pms-structure"), 1);

    let admin = record_structure(&app, org, &[("audit_lead_member", lead_id.as_str())]).await;

    let dashboard = app.get(&app.client, &format!("/orgs/{org}")).await.text().await.unwrap();
    assert_eq!(texts(&dashboard, "#dashboard-pms-structure dd[data-post=representative]"), ["代表取締役 田中 一郎"]);
    assert_eq!(texts(&dashboard, "#dashboard-pms-structure dd[data-post=pi_manager]"), ["山田 花子"]);
    assert_eq!(texts(&dashboard, "#dashboard-pms-structure dd[data-post=audit_lead]"), ["lead@example.jp"]);
    assert_eq!(count(&dashboard, "#dashboard-pms-structure dd[data-post=pi_manager_deputy]"), 0, "not recorded");

    // The settings page shows the stored values and the change in words.
    let settings = app.get(&app.client, &format!("/orgs/{org}/settings")).await.text().await.unwrap();
    assert_eq!(attr(&settings, "#f-pi_manager_member option[selected]", "value"), Some(admin.clone()));
    assert_eq!(attr(&settings, "#f-representative_name", "value").as_deref(), Some("代表取締役 田中 一郎"));
    assert_eq!(attr(&settings, "#f-lock_version", "value").as_deref(), Some("1"));
    let changes = texts(&settings, "#settings-history li[data-field=pi_manager_user_id] .change-after");
    assert_eq!(changes, ["山田 花子"], "the member by name, not by id");
    assert_eq!(texts(&settings, "#settings-history td.history-subject[data-entity=pms_structure]"), ["PMS体制"]);

    // A later change names what changed, with the value before.
    let changed = app
        .post_form(
            &app.client,
            &format!("/orgs/{org}/pms-structure"),
            &[
                ("representative_name", "代表取締役 田中 一郎"),
                ("pi_manager_member", admin.as_str()),
                ("audit_lead_name", "外部監査人 鈴木"),
                ("lock_version", "1"),
            ],
        )
        .await;
    assert_eq!(changed.status(), StatusCode::SEE_OTHER);
    let settings = app.get(&app.client, &format!("/orgs/{org}/settings")).await.text().await.unwrap();
    assert_eq!(
        texts(&settings, "#settings-history li[data-field=audit_lead_user_id] .change-before"),
        ["lead@example.jp"]
    );
    assert_eq!(texts(&settings, "#settings-history li[data-field=audit_lead_name] .change-after"), ["外部監査人 鈴木"]);
}

#[tokio::test]
async fn the_audit_lead_cannot_be_the_pi_protection_manager() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let members = pmark::store::organisations::members(&app.db, org).await.unwrap();
    let admin = members[0].user.id.to_string();
    let path = format!("/orgs/{org}/pms-structure");
    let same_member = app
        .post_form(
            &app.client,
            &path,
            &[("pi_manager_member", admin.as_str()), ("audit_lead_member", admin.as_str()), ("lock_version", "0")],
        )
        .await;
    assert_eq!(same_member.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = same_member.text().await.unwrap();
    assert!(texts(&html, "#e-audit_lead_member")[0].contains("独立"), "the error says why");
    assert_eq!(attr(&html, "#f-audit_lead_member option[selected]", "value"), Some(admin.clone()), "values kept");
    assert_eq!(count(&html, ".error-summary a[href='#f-audit_lead_member']"), 1);

    // The member's name typed for the audit lead is the same person too.
    let same_name = app
        .post_form(
            &app.client,
            &path,
            &[("pi_manager_member", admin.as_str()), ("audit_lead_name", "山田花子"), ("lock_version", "0")],
        )
        .await;
    assert_eq!(same_name.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(count(&same_name.text().await.unwrap(), "#e-audit_lead_name"), 1);

    // Both a member and a name for one post, or someone who is not a member, are refused.
    let both = app
        .post_form(
            &app.client,
            &path,
            &[("representative_member", admin.as_str()), ("representative_name", "田中"), ("lock_version", "0")],
        )
        .await;
    assert_eq!(both.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(count(&both.text().await.unwrap(), "#e-representative_member"), 1);
    let stranger = app.post_form(&app.client, &path, &[("pi_manager_member", "999999"), ("lock_version", "0")]).await;
    assert_eq!(stranger.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(pmark::store::pms_structure::find(&app.db, org).await.unwrap().is_none(), "nothing was saved");
}

#[tokio::test]
async fn a_pms_structure_saved_over_a_newer_one_is_a_conflict_that_shows_theirs() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let path = format!("/orgs/{org}/pms-structure");
    let first = app.post_form(&app.client, &path, &[("representative_name", "田中"), ("lock_version", "0")]).await;
    assert_eq!(first.status(), StatusCode::SEE_OTHER);
    let stale = app.post_form(&app.client, &path, &[("representative_name", "佐藤"), ("lock_version", "0")]).await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);
    let html = stale.text().await.unwrap();
    assert_eq!(attr(&html, "#f-representative_name", "value").as_deref(), Some("田中"));
    assert_eq!(attr(&html, "#f-lock_version", "value").as_deref(), Some("1"));
    let stored = pmark::store::pms_structure::find(&app.db, org).await.unwrap().unwrap();
    assert_eq!(stored.representative_name.as_deref(), Some("田中"));
}

#[tokio::test]
async fn controls_an_incident_flagged_count_as_needing_review_until_their_checks_are_decided() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let dashboard = app.get(&app.client, &format!("/orgs/{org}")).await.text().await.unwrap();
    assert_eq!(texts(&dashboard, "strong[data-status=needs_review]"), ["0"]);

    let incident = crate::incidents::record(&app, org, &crate::incidents::jimos()).await;
    let checks = pmark::store::incidents::checks_of_incident(&app.db, incident).await.unwrap();
    let mut flagged: Vec<String> = checks.iter().filter(|c| c.flagged).map(|c| c.control_id.clone()).collect();
    flagged.sort();
    flagged.dedup();
    assert!(flagged.len() > 1, "the JIMOS facts flag several controls");
    let dashboard = app.get(&app.client, &format!("/orgs/{org}")).await.text().await.unwrap();
    assert_eq!(texts(&dashboard, "strong[data-status=needs_review]"), [flagged.len().to_string()]);

    // The controls list's filter shows exactly them, and the status filter agrees with the count.
    let waiting = app.get(&app.client, &format!("/orgs/{org}/controls?check=open")).await.text().await.unwrap();
    let mut shown = texts(&waiting, "tr.control-row td:first-child a");
    shown.sort();
    assert_eq!(shown, flagged);
    assert_eq!(count(&waiting, "input[name=check][value=open][checked]"), 1);
    let review = app.get(&app.client, &format!("/orgs/{org}/controls?status=needs_review")).await.text().await.unwrap();
    assert_eq!(count(&review, "tr.control-row"), flagged.len());

    // A decided check no longer counts.
    let first = &checks[0];
    let decided = app
        .post_form(
            &app.client,
            &format!("/orgs/{org}/incidents/{incident}/checks/{}", first.id),
            &[("decision", "no_change_needed"), ("note", "規程どおり運用されていた")],
        )
        .await;
    assert_eq!(decided.status(), StatusCode::SEE_OTHER);
    let still_open = checks.iter().any(|c| c.id != first.id && c.flagged && c.control_id == first.control_id);
    let expected = if still_open { flagged.len() } else { flagged.len() - 1 };
    let dashboard = app.get(&app.client, &format!("/orgs/{org}")).await.text().await.unwrap();
    assert_eq!(texts(&dashboard, "strong[data-status=needs_review]"), [expected.to_string()]);
}
