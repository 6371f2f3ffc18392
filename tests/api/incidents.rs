//! Incident records through the web form: the JIMOS case recorded, its reports with deadlines
//! and states, its flagged control checks (created once, shown on the control), decisions,
//! filings, the timeline, closing rules, the list's filters and order, and form validation.

use reqwest::StatusCode;
use sea_orm::ConnectionTrait;

use crate::helpers::{TestApp, count, location, spawn_app, texts};

/// The JIMOS scenario as the form posts it (repeated keys for checkboxes).
pub fn jimos() -> Vec<(&'static str, &'static str)> {
    vec![
        ("title", "EC サイトのカード情報流出（JIMOS 2019）"),
        ("description", "決済代行会社からの連絡で発覚。"),
        ("discovered_on", "2019-07-26"),
        ("occurred_from", "2014-01-01"),
        ("occurred_to", "2019-07-26"),
        ("kinds", "leak"),
        ("causes", "web_vulnerability"),
        ("causes", "unauthorized_access"),
        ("data", "name"),
        ("data", "credit_card"),
        ("data", "card_security_code"),
        ("affected_people", "107661"),
        ("parties", "external_attacker"),
        ("systems", "ec_site"),
        ("detected_by", "payment_processor"),
        ("strongly_encrypted", "false"),
        ("retained_beyond_need", "true"),
        ("possible_only", "false"),
        ("cause_narrative", "システムの脆弱性を突いた第三者の不正アクセス"),
    ]
}

pub async fn record(app: &TestApp, org: i32, fields: &[(&str, &str)]) -> i32 {
    let response = app.post_form(&app.client, &format!("/orgs/{org}/incidents"), fields).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "{}", response.text().await.unwrap_or_default());
    location(&response).rsplit('/').next().unwrap().parse().unwrap()
}

async fn check_rows(app: &TestApp, incident: i32) -> Vec<pmark::entities::control_check::Model> {
    pmark::store::incidents::checks_of_incident(&app.db, incident).await.unwrap()
}

#[tokio::test]
async fn the_jimos_case_recorded_through_the_form_shows_both_tracks_and_its_flagged_controls() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let id = record(&app, org, &jimos()).await;
    let page = app.get(&app.client, &format!("/orgs/{org}/incidents/{id}")).await.text().await.unwrap();

    let state = |track: &str| texts(&page, &format!("#filing-table tr[data-track={track}] .badge"));
    assert_eq!(state("pmark_final"), vec!["期限超過"], "2019's final report, never filed, is overdue today");
    assert_eq!(count(&page, "#filing-table tr[data-track=ppc_preliminary][data-state=overdue]"), 1);
    let due = texts(&page, "#filing-table tr[data-track=ppc_preliminary] td:nth-of-type(1)").join("");
    assert!(due.contains("2019年7月29日") && due.contains("2019年7月31日"), "target and latest day: {due}");
    let final_due = texts(&page, "#filing-table tr[data-track=ppc_final] td:nth-of-type(1)").join("");
    assert!(final_due.contains("2019年9月24日"), "60 days for wrongful intent: {final_due}");
    assert_eq!(count(&page, "#date-convention"), 1, "the page states the date convention");

    for (control, priority) in [("A.3.4.3.2", "high"), ("A.3.3.3", "high"), ("A.3.3.7", "")] {
        let selector = if priority.is_empty() {
            format!("#checks li[data-control='{control}']")
        } else {
            format!("#checks li[data-control='{control}'][data-priority={priority}]")
        };
        assert_eq!(count(&page, &selector), 1, "{control} flagged {priority}");
    }
    assert_eq!(count(&page, "#checks li[data-control='A.3.4.2.9']"), 0, "anonymised data has nothing to do with it");
    let reasons = texts(&page, "#checks li[data-control='A.3.4.3.2'] .reasons li");
    assert!(!reasons.is_empty(), "each check says why");

    let control = app.get(&app.client, &format!("/orgs/{org}/controls/A.3.4.3.2")).await.text().await.unwrap();
    assert_eq!(count(&control, &format!("#incident-checks li[data-incident='{id}'][data-state=open]")), 1);
}

#[tokio::test]
async fn editing_the_facts_recomputes_the_reports_says_what_changed_and_never_duplicates_a_review() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let id = record(&app, org, &jimos()).await;
    let before = check_rows(&app, id).await;
    let flagged = before.len();
    assert!(flagged >= 6, "{flagged}");

    // Same facts again: nothing new.
    let mut again = jimos();
    again.push(("lock_version", "1"));
    let saved = app.post_form(&app.client, &format!("/orgs/{org}/incidents/{id}"), &again).await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    assert_eq!(check_rows(&app, id).await.len(), flagged, "no duplicate checks");

    // Strong encryption: the PPC reports are no longer required, and the flash says so.
    let encrypted: Vec<_> = jimos()
        .into_iter()
        .map(|(k, v)| if k == "strongly_encrypted" { (k, "true") } else { (k, v) })
        .chain([("lock_version", "2")])
        .collect();
    let saved = app.post_form(&app.client, &format!("/orgs/{org}/incidents/{id}"), &encrypted).await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let page = app.get(&app.client, &format!("/orgs/{org}/incidents/{id}")).await.text().await.unwrap();
    let flash = texts(&page, ".flash-success").join("");
    assert!(flash.contains("個人情報保護委員会：確報"), "the flash names the report that moved: {flash}");
    assert_eq!(count(&page, "#filing-table tr[data-track=ppc_final][data-state=not_required]"), 1);
    assert_eq!(count(&page, "#filing-table tr[data-track=pmark_final][data-state=overdue]"), 1, "still a 事故");
    let after = check_rows(&app, id).await;
    assert_eq!(after.len(), before.len(), "editing neither removes nor duplicates checks");
    let unique: std::collections::HashSet<_> = after.iter().map(|r| r.control_id.clone()).collect();
    assert_eq!(unique.len(), after.len(), "one check per control");

    // A stale form (lock version 1) is refused with the values kept.
    let stale = app.post_form(&app.client, &format!("/orgs/{org}/incidents/{id}"), &again).await;
    assert_eq!(stale.status(), StatusCode::CONFLICT);
}

#[tokio::test]
async fn the_form_answers_bad_dates_and_counts_with_field_errors_and_keeps_the_values() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let mut fields: Vec<(&str, &str)> = jimos()
        .into_iter()
        .filter(|(k, _)| !matches!(*k, "discovered_on" | "affected_people" | "occurred_from"))
        .collect();
    fields.extend([("discovered_on", "2099-01-01"), ("affected_people", "-5"), ("occurred_from", "2014-01-01")]);
    let response = app.post_form(&app.client, &format!("/orgs/{org}/incidents"), &fields).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert_eq!(count(&html, ".has-error #f-discovered_on"), 1, "a discovery in the future");
    assert_eq!(count(&html, ".has-error #f-affected_people"), 1, "a negative count");
    assert_eq!(count(&html, "#fs-causes input[value=web_vulnerability][checked]"), 1, "ticked boxes stay ticked");

    let mut order: Vec<(&str, &str)> =
        jimos().into_iter().filter(|(k, _)| *k != "occurred_from" && *k != "occurred_to").collect();
    order.push(("occurred_from", "2019-08-01"));
    let response = app.post_form(&app.client, &format!("/orgs/{org}/incidents"), &order).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert_eq!(count(&html, ".has-error #f-occurred_from"), 1, "occurrence after discovery");

    let none: Vec<(&str, &str)> = jimos().into_iter().filter(|(k, _)| *k != "causes").collect();
    let response = app.post_form(&app.client, &format!("/orgs/{org}/incidents"), &none).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert_eq!(count(&html, "#fs-causes.has-error"), 1, "at least one cause");
    assert!(pmark::store::incidents::list(&app.db, org).await.unwrap().is_empty(), "nothing was saved");
}

#[tokio::test]
async fn an_incident_closes_only_after_every_due_report_is_filed_and_every_review_decided() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let id = record(&app, org, &jimos()).await;
    let base = format!("/orgs/{org}/incidents/{id}");

    let refused = app.post_form(&app.client, &format!("{base}/status"), &[("status", "closed")]).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(count(&refused.text().await.unwrap(), "#e-status"), 1);

    // A filing before the discovery is refused; a late one is recorded as late.
    let early =
        app.post_form(&app.client, &format!("{base}/filings/ppc_final"), &[("submitted_on", "2019-07-01")]).await;
    assert_eq!(early.status(), StatusCode::UNPROCESSABLE_ENTITY);
    for track in ["pmark_preliminary", "pmark_final", "ppc_preliminary", "ppc_final", "individuals_notice"] {
        let filed = app
            .post_form(
                &app.client,
                &format!("{base}/filings/{track}"),
                &[("submitted_on", "2019-09-30"), ("reference", "受付-123")],
            )
            .await;
        assert_eq!(filed.status(), StatusCode::SEE_OTHER, "{track}");
    }
    let page = app.get(&app.client, &base).await.text().await.unwrap();
    assert_eq!(count(&page, "#filing-table tr[data-track=ppc_final][data-state=submitted_late]"), 1);
    assert_eq!(count(&page, "#filing-table tr[data-state=overdue]"), 0);

    // A decision needs a note.
    let checks = check_rows(&app, id).await;
    let first = &checks[0];
    let bare = app.post_form(&app.client, &format!("{base}/checks/{}", first.id), &[("decision", "changed")]).await;
    assert_eq!(bare.status(), StatusCode::UNPROCESSABLE_ENTITY);
    for check in &checks {
        let decided = app
            .post_form(
                &app.client,
                &format!("{base}/checks/{}", check.id),
                &[("decision", "changed"), ("note", "WAF 導入、脆弱性診断を年2回に変更")],
            )
            .await;
        assert_eq!(decided.status(), StatusCode::SEE_OTHER);
    }
    let again = app
        .post_form(
            &app.client,
            &format!("{base}/checks/{}", first.id),
            &[("decision", "no_change_needed"), ("note", "x")],
        )
        .await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY, "a decided check is not decided again");
    let closed = app.post_form(&app.client, &format!("{base}/status"), &[("status", "closed")]).await;
    assert_eq!(closed.status(), StatusCode::SEE_OTHER);
    let mut edit = jimos();
    edit.push(("lock_version", "2"));
    let refused = app.post_form(&app.client, &base, &edit).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY, "a closed incident's facts are not edited");
    let page = app.get(&app.client, &base).await.text().await.unwrap();
    assert_eq!(texts(&page, "#incident-status"), vec!["完了"]);
    let trail = app.get(&app.client, &format!("/orgs/{org}/audit")).await.text().await.unwrap();
    assert!(trail.contains("decide_check") && trail.contains("record_filing") && trail.contains("change_status"));
}

#[tokio::test]
async fn the_timeline_is_append_only_and_validated() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let id = record(&app, org, &jimos()).await;
    let path = format!("/orgs/{org}/incidents/{id}/timeline");
    let bad =
        app.post_form(&app.client, &path, &[("occurred_on", "2019-07-27"), ("kind", "party"), ("note", "")]).await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = bad.text().await.unwrap();
    assert_eq!(count(&html, "#timeline-form .has-error"), 2, "kind and note");
    assert_eq!(count(&html, "#f-occurred_on[value='2019-07-27']"), 1, "the date is kept");
    let ok = app
        .post_form(
            &app.client,
            &path,
            &[("occurred_on", "2019-10-15"), ("kind", "customer_support"), ("note", "コールセンター開設")],
        )
        .await;
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    let page = app.get(&app.client, &format!("/orgs/{org}/incidents/{id}")).await.text().await.unwrap();
    assert_eq!(count(&page, "#timeline-table tbody tr"), 1);
    let update = app.db.execute_unprepared("UPDATE incident_timeline SET note = 'rewritten'").await;
    assert!(update.is_err(), "the database refuses to rewrite the timeline");
}

#[tokio::test]
async fn the_list_shows_overdue_incidents_first_and_filters_by_status_year_and_overdue() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let today = app.clock.today().to_string();
    let recent: Vec<(&str, &str)> = vec![
        ("title", "BCC 誤送信"),
        ("discovered_on", &today),
        ("kinds", "leak"),
        ("causes", "misdelivery_email"),
        ("data", "email_address"),
        ("affected_people", "89"),
        ("parties", "own_staff"),
        ("systems", "email"),
        ("detected_by", "customer"),
    ];
    let fresh = record(&app, org, &recent).await;
    let old = record(&app, org, &jimos()).await;
    let list = app.get(&app.client, &format!("/orgs/{org}/incidents")).await.text().await.unwrap();
    let order: Vec<String> = scraper::Html::parse_document(&list)
        .select(&scraper::Selector::parse("#incidents tbody tr").unwrap())
        .filter_map(|tr| tr.value().attr("data-id").map(str::to_owned))
        .collect();
    assert_eq!(order, vec![old.to_string(), fresh.to_string()], "the overdue one first, though older");
    let overdue = app.get(&app.client, &format!("/orgs/{org}/incidents?overdue=1")).await.text().await.unwrap();
    assert_eq!(count(&overdue, "#incidents tbody tr"), 1);
    let year = app.get(&app.client, &format!("/orgs/{org}/incidents?year=2019")).await.text().await.unwrap();
    assert_eq!(count(&year, &format!("#incidents tbody tr[data-id='{old}']")), 1);
    assert_eq!(count(&year, "#incidents tbody tr"), 1);
    let closed = app.get(&app.client, &format!("/orgs/{org}/incidents?status=closed")).await.text().await.unwrap();
    assert_eq!(count(&closed, "#incidents tbody tr"), 0);
}

#[tokio::test]
async fn control_characters_in_free_text_are_field_errors_on_both_databases() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let mut fields = jimos();
    fields.retain(|(k, _)| *k != "title");
    fields.push(("title", "NUL\u{0}を含む件名"));
    let response = app.post_form(&app.client, &format!("/orgs/{org}/incidents"), &fields).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(count(&response.text().await.unwrap(), ".has-error #f-title"), 1);

    let id = record(&app, org, &jimos()).await;
    let note = app
        .post_form(
            &app.client,
            &format!("/orgs/{org}/incidents/{id}/timeline"),
            &[("occurred_on", "2019-07-27"), ("kind", "other"), ("note", "a\u{0}b")],
        )
        .await;
    assert_eq!(note.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let multi_line = app
        .post_form(
            &app.client,
            &format!("/orgs/{org}/incidents/{id}/timeline"),
            &[("occurred_on", "2019-07-27"), ("kind", "other"), ("note", "一行目\r\n二行目\tタブ")],
        )
        .await;
    assert_eq!(multi_line.status(), StatusCode::SEE_OTHER, "line breaks and tabs are fine");
}

#[tokio::test]
async fn evidence_proves_a_filing_or_a_timeline_step_of_the_incident_only() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let id = record(&app, org, &jimos()).await;
    app.post_form(
        &app.client,
        &format!("/orgs/{org}/incidents/{id}/timeline"),
        &[("occurred_on", "2019-10-15"), ("kind", "customer_support"), ("note", "コールセンター開設")],
    )
    .await;
    let entry = pmark::store::incident_progress::timeline_of(&app.db, id).await.unwrap()[0].id;
    let path = format!("/orgs/{org}/incidents/{id}/evidence");
    let file = || {
        reqwest::multipart::Form::new()
            .text("attach_to", "filing:ppc_final")
            .text("kind", "file")
            .text("description", "確報の控え")
            .text("effective_on", "2019-09-20")
            .part("file", reqwest::multipart::Part::bytes(b"%PDF-1.4 report".to_vec()).file_name("確報.pdf"))
    };
    assert_eq!(app.post_multipart(&app.client, &path, file()).await.status(), StatusCode::SEE_OTHER);
    let link = reqwest::multipart::Form::new()
        .text("attach_to", format!("timeline:{entry}"))
        .text("kind", "link")
        .text("description", "お知らせページ")
        .text("effective_on", "2019-10-15")
        .text("url", "https://example.jp/notice");
    assert_eq!(app.post_multipart(&app.client, &path, link).await.status(), StatusCode::SEE_OTHER);

    // Another incident's timeline entry is not a valid target here.
    let other = record(&app, org, &jimos()).await;
    app.post_form(
        &app.client,
        &format!("/orgs/{org}/incidents/{other}/timeline"),
        &[("occurred_on", "2019-10-16"), ("kind", "other"), ("note", "別件")],
    )
    .await;
    let foreign = pmark::store::incident_progress::timeline_of(&app.db, other).await.unwrap()[0].id;
    let wrong = reqwest::multipart::Form::new()
        .text("attach_to", format!("timeline:{foreign}"))
        .text("kind", "link")
        .text("description", "x")
        .text("effective_on", "2019-10-15")
        .text("url", "https://example.jp/x");
    let refused = app.post_multipart(&app.client, &path, wrong).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let page = app.get(&app.client, &format!("/orgs/{org}/incidents/{id}")).await.text().await.unwrap();
    assert_eq!(count(&page, "#incident-evidence tr[data-target='filing:ppc_final'] a.download"), 1);
    assert_eq!(count(&page, &format!("#incident-evidence tr[data-target='timeline:{entry}']")), 1);
    assert_eq!(count(&page, "#incident-evidence tbody tr"), 2);
}

/// The JIMOS facts discovered `days_ago` days before today (Japan time).
fn jimos_discovered(days_ago: i64) -> (String, String) {
    let day = pmark::clock::Clock::system().today() - chrono::Duration::days(days_ago);
    (day.to_string(), (day - chrono::Duration::days(30)).to_string())
}

#[tokio::test]
async fn report_states_move_with_the_days_since_discovery() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let mut states = Vec::new();
    for days_ago in [0, 4, 6, 61] {
        let (discovered, from) = jimos_discovered(days_ago);
        let mut fields: Vec<(&str, &str)> = jimos()
            .into_iter()
            .filter(|(k, _)| !matches!(*k, "discovered_on" | "occurred_from" | "occurred_to"))
            .collect();
        fields.push(("discovered_on", &discovered));
        fields.push(("occurred_from", &from));
        let id = record(&app, org, &fields).await;
        let page = app.get(&app.client, &format!("/orgs/{org}/incidents/{id}")).await.text().await.unwrap();
        let state = |track: &str| -> String {
            scraper::Html::parse_document(&page)
                .select(&scraper::Selector::parse(&format!("#filing-table tr[data-track={track}]")).unwrap())
                .next()
                .and_then(|tr| tr.value().attr("data-state").map(str::to_owned))
                .unwrap_or_default()
        };
        states.push((days_ago, state("ppc_preliminary"), state("ppc_final")));
    }
    assert_eq!(
        states,
        vec![
            (0, "due".into(), "due".into()),
            (4, "due".into(), "due".into()),
            (6, "overdue".into(), "due".into()),
            (61, "overdue".into(), "overdue".into()),
        ],
        "preliminary: overdue after day 5; final (wrongful intent): after day 60"
    );
}
