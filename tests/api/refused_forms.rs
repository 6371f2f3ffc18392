//! The one shape of a refused form, across the app: 422, the values kept, a summary at the top of
//! the form linking to each field, an `action` that scrolls back to the form; and a GET on a
//! POST-only address that leads back to its page.

use reqwest::StatusCode;

use crate::helpers::{TestApp, count, location, spawn_app};
use crate::incidents::{jimos, record};

/// Checks a refused form's response: `form` is the form's id, `field` the id of an input the
/// summary links to, `kept` a selector that finds a value as entered.
async fn assert_refused(name: &str, response: reqwest::Response, form: &str, field: &str, kept: &str) {
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY, "{name}: 422");
    let html = response.text().await.unwrap();
    assert_eq!(count(&html, &format!("form#{form}[action$='#{form}']")), 1, "{name}: the action scrolls to the form");
    assert_eq!(count(&html, &format!("#{form} > .error-summary:first-of-type")), 1, "{name}: the summary");
    assert_eq!(count(&html, &format!("#{form} .error-summary a[href='#{field}']")), 1, "{name}: links to {field}");
    assert_eq!(count(&html, &format!("#{form} #{field}")), 1, "{name}: the link's target is in the form");
    assert_eq!(count(&html, kept), 1, "{name}: the value is kept ({kept})");
    assert!(
        count(&html, &format!("#{form} .error-summary-title")) == 1
            && crate::helpers::texts(&html, &format!("#{form} .error-summary-title"))[0]
                .contains("件の入力に誤りがあります"),
        "{name}: the summary says how many, in Japanese"
    );
}

/// A refused submission: name, address, fields, form id, the linked input's id, a kept value.
type Case<'a> = (&'a str, String, Vec<(&'a str, &'a str)>, &'a str, &'a str, &'a str);

async fn admin_id(app: &TestApp, org: i32) -> String {
    pmark::store::organisations::members(&app.db, org).await.unwrap()[0].user.id.to_string()
}

#[tokio::test]
async fn refused_forms_answer_422_keep_the_values_and_lead_to_the_fields_from_a_summary() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let c = &app.client;
    let incident = record(&app, org, &jimos()).await;
    let page = format!("/orgs/{org}/incidents/{incident}");

    let cases: Vec<Case> = vec![
        (
            "control",
            format!("/orgs/{org}/controls/A.3.3.1"),
            vec![("applicable", "yes"), ("status", "bogus"), ("internal_rule", "規程第3条"), ("lock_version", "0")],
            "control-form",
            "f-status",
            "#f-internal_rule[value='規程第3条']",
        ),
        (
            "incident form",
            format!("/orgs/{org}/incidents"),
            vec![("title", "未来の事故"), ("discovered_on", "2099-01-01"), ("kinds", "leak")],
            "incident-form",
            "f-discovered_on",
            "#f-title[value='未来の事故']",
        ),
        (
            "report filing",
            format!("{page}/filings/ppc_final"),
            vec![("submitted_on", "2099-01-01"), ("reference", "受付番号12")],
            "filing-ppc_final",
            "r-ppc_final-submitted_on",
            "#r-ppc_final-reference[value='受付番号12']",
        ),
        (
            "timeline",
            format!("{page}/timeline"),
            vec![("occurred_on", "2019-07-27"), ("kind", "bogus"), ("note", "")],
            "timeline-form",
            "f-kind",
            "#f-occurred_on[value='2019-07-27']",
        ),
        (
            "corrective action",
            format!("{page}/actions"),
            vec![("title", ""), ("owner", "99999"), ("due_on", "2026-13-01")],
            "action-form",
            "fa-title",
            "#fa-due_on[value='2026-13-01']",
        ),
        (
            "status",
            format!("{page}/status"),
            vec![("status", "closed")],
            "status-form",
            "f-status",
            "#f-status option[value=closed][selected]",
        ),
        (
            "mail recipient",
            format!("/orgs/{org}/mail/recipients"),
            vec![("email", "not-an-address"), ("lang", "ja")],
            "recipient-form",
            "f-email",
            "#f-email[value='not-an-address']",
        ),
        (
            "invitation",
            format!("/orgs/{org}/invitations"),
            vec![("email", "nobody"), ("role", "officer")],
            "invite-form",
            "f-email",
            "#f-email[value='nobody']",
        ),
        (
            "settings",
            format!("/orgs/{org}/settings"),
            vec![("name", ""), ("pms_year_start_month", "13")],
            "settings-form",
            "f-name",
            "#f-pms_year_start_month",
        ),
        (
            "account",
            "/account/profile".to_owned(),
            vec![("display_name", ""), ("lang", "ja")],
            "profile-form",
            "f-display_name",
            "#f-lang option[value=ja][selected]",
        ),
    ];
    for (name, path, fields, form, field, kept) in cases {
        let response = app.post_form(c, &path, &fields).await;
        assert_refused(name, response, form, field, kept).await;
    }

    // A check: its form is named by the check's id.
    let check = pmark::store::incidents::checks_of_incident(&app.db, incident)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.flagged)
        .unwrap()
        .id;
    let response =
        app.post_form(c, &format!("{page}/checks/{check}"), &[("decision", "maybe"), ("note", "検討中")]).await;
    let html = response.text().await.unwrap();
    assert_eq!(crate::helpers::texts(&html, &format!("textarea#rv-{check}-note")), vec!["検討中"], "the note is kept");
    let response =
        app.post_form(c, &format!("{page}/checks/{check}"), &[("decision", "maybe"), ("note", "検討中")]).await;
    let form = format!("check-{check}");
    let kept = format!("textarea#rv-{check}-note");
    assert_refused("check", response, &form, &format!("rv-{check}-decision"), &kept).await;

    // A corrective action's completion.
    let owner = admin_id(&app, org).await;
    app.post_form(c, &format!("{page}/actions"), &[("title", "是正"), ("owner", &owner), ("due_on", "2019-12-31")])
        .await;
    let action = pmark::store::corrective_actions::of_incident(&app.db, org, incident).await.unwrap()[0].id;
    let response = app
        .post_form(
            c,
            &format!("/orgs/{org}/corrective-actions/{action}/complete"),
            &[("completed_on", "2099-01-01"), ("completion_note", "完了した")],
        )
        .await;
    assert_refused("completion", response, "complete-form", "f-completed_on", "#f-completed_on[value='2099-01-01']")
        .await;
}

#[tokio::test]
async fn a_post_only_address_opened_with_get_leads_back_to_its_page() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let incident = record(&app, org, &jimos()).await;
    let page = format!("/orgs/{org}/incidents/{incident}");
    let cases = [
        (format!("{page}/timeline"), format!("{page}#timeline")),
        (format!("{page}/filings/ppc_final"), format!("{page}#filings")),
        (format!("{page}/checks/1"), format!("{page}#checks")),
        (format!("{page}/status"), format!("{page}#status")),
        (format!("{page}/actions"), format!("{page}#actions")),
        (format!("{page}/evidence"), format!("{page}#evidence")),
        (format!("/orgs/{org}/corrective-actions/7/complete"), format!("/orgs/{org}/corrective-actions/7")),
        (format!("/orgs/{org}/mail/recipients"), format!("/orgs/{org}/mail#recipient-form")),
        (format!("/orgs/{org}/invitations"), format!("/orgs/{org}/members#invite-form")),
        (format!("/orgs/{org}/certification/renewed"), format!("/orgs/{org}/certification#renewal-form")),
        (format!("/orgs/{org}/certification/renewed/undo"), format!("/orgs/{org}/certification#renewal-undo-form")),
        ("/account/profile".to_owned(), "/account#profile-form".to_owned()),
        ("/account/password".to_owned(), "/account#password-form".to_owned()),
    ];
    for (path, expected) in cases {
        let response = app.get(&app.client, &path).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "GET {path}");
        assert_eq!(location(&response), expected, "GET {path}");
    }
}
