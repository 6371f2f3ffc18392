//! The renewal decision and its undoing (issue 12, item 1): a decision takes its date and the
//! new validity, is refused without a timely application, without confirmation or with
//! inconsistent dates (the form shown again with the values entered, the cycle unchanged); an
//! admin can undo it, and the restored cycle's reminders come back without duplicates.

use chrono::{Days, Months, NaiveDate};
use pmark::domain::Role;
use pmark::domain::certification::CertificationStatus;
use pmark::entities::{audit_event, certification};
use pmark::jobs::renewal_reminders;
use pmark::store::certifications;
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::helpers::{TestApp, attr, count, input_value, spawn_app, texts};

/// A cycle expiring in 150 days (today is inside its renewal window), applied for on
/// `applied_on`, with notes.
/// A date as the Japanese pages write it.
fn ja(on: NaiveDate) -> String {
    pmark::i18n::format::date(pmark::domain::Lang::Ja, pmark::domain::lang::DateStyle::Western, on)
}

async fn cycle(
    app: &TestApp,
    org: i32,
    applied_on: Option<NaiveDate>,
    status: CertificationStatus,
) -> certification::Model {
    app.certify(org, applied_on, status, "審査員：山田様。指摘事項は教育記録の様式。").await
}

fn window(cycle: &certification::Model) -> pmark::domain::renewal::RenewalWindow {
    pmark::domain::renewal::RenewalWindow::for_expiry(
        cycle.valid_until,
        9,
        &pmark::domain::renewal::BusinessCalendar::default(),
    )
}

/// The decision form as the page proposes it, with `changes` applied.
async fn decide(app: &TestApp, client: &reqwest::Client, org: i32, changes: &[(&str, &str)]) -> reqwest::Response {
    let page = app.get(client, &format!("/orgs/{org}/certification")).await.text().await.unwrap();
    let value = |id: &str| attr(&page, &format!("#renewal-form #{id}"), "value").unwrap_or_default();
    let mut fields: Vec<(String, String)> = vec![
        ("decided_on".into(), value("r-decided_on")),
        ("valid_from".into(), value("r-valid_from")),
        ("valid_until".into(), value("r-valid_until")),
        ("cycle".into(), attr(&page, "#renewal-form input[name=cycle]", "value").unwrap_or_default()),
        ("confirmed".into(), "yes".into()),
    ];
    for (name, value) in changes {
        fields.retain(|(n, _)| n != name);
        fields.push(((*name).to_owned(), (*value).to_owned()));
    }
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    app.post_form(client, &format!("/orgs/{org}/certification/renewed"), &fields).await
}

async fn undo(app: &TestApp, client: &reqwest::Client, org: i32, confirmed: bool) -> reqwest::Response {
    let page = app.get(&app.client, &format!("/orgs/{org}/certification")).await.text().await.unwrap();
    let cycle = attr(&page, "#renewal-undo-form input[name=cycle]", "value").unwrap_or_default();
    let mut fields = vec![("cycle", cycle.as_str())];
    if confirmed {
        fields.push(("confirmed", "yes"));
    }
    app.post_form(client, &format!("/orgs/{org}/certification/renewed/undo"), &fields).await
}

async fn history(app: &TestApp, org: i32) -> Vec<certification::Model> {
    certifications::history(&app.db, org).await.unwrap()
}

#[tokio::test]
async fn the_decision_form_proposes_today_and_the_next_two_year_term() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let current = cycle(&app, org, Some(app.clock.today()), CertificationStatus::RenewalApplied).await;
    let html = app.get(&app.client, &format!("/orgs/{org}/certification")).await.text().await.unwrap();
    assert_eq!(attr(&html, "#r-decided_on", "value"), Some(app.clock.today().to_string()));
    assert_eq!(attr(&html, "#r-valid_from", "value"), Some((current.valid_until + Days::new(1)).to_string()));
    let until = current.valid_until.checked_add_months(Months::new(24)).unwrap();
    assert_eq!(attr(&html, "#r-valid_until", "value"), Some(until.to_string()));
    assert_eq!(count(&html, "#renewal-form input#r-confirmed[type=checkbox]:not([checked])"), 1);
    assert_eq!(
        texts(&html, "#renewal-form label.check"),
        vec!["現在の有効期間を終了し、新しい有効期間に切り替えることを確認しました"]
    );
    assert_eq!(count(&html, "#renewal-undo-form"), 0, "nothing to undo yet");
}

#[tokio::test]
async fn a_decision_before_any_application_is_refused_and_the_cycle_is_kept() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let before = cycle(&app, org, None, CertificationStatus::Valid).await;
    let response = decide(&app, &app.client, org, &[("decided_on", "2026-11-30"), ("valid_until", "")]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert_eq!(count(&html, "#renewal-form #re-applied_on"), 1);
    assert!(texts(&html, "#re-applied_on")[0].contains("更新申請日が登録されていません"), "{html}");
    assert_eq!(count(&html, "#renewal-form .error-summary li"), 1);
    assert_eq!(attr(&html, "#r-decided_on", "value").as_deref(), Some("2026-11-30"), "the values entered");
    assert_eq!(attr(&html, "#r-valid_until", "value").as_deref(), Some(""));
    assert_eq!(count(&html, "#r-confirmed[checked]"), 1, "still ticked");
    assert_eq!(history(&app, org).await, vec![before]);
}

#[tokio::test]
async fn a_decision_on_an_application_outside_the_window_is_refused_with_the_window_dates() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    // The application dates are set in the store: the form refuses them too (below).
    let expiry = app.clock.today() + Days::new(150);
    let w = pmark::domain::renewal::RenewalWindow::for_expiry(
        expiry,
        9,
        &pmark::domain::renewal::BusinessCalendar::default(),
    );
    let early = w.window_opens - Days::new(1);
    let before = cycle(&app, org, Some(early), CertificationStatus::RenewalApplied).await;
    assert_eq!(window(&before), w);
    let response = decide(&app, &app.client, org, &[("valid_until", "2099-01-01")]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    let message = texts(&html, "#re-applied_on").join("");
    assert_eq!(
        message,
        format!(
            "更新申請日（{}）は申請受付期間（{}〜{}）の開始前です。更新申請は{}から受け付けられます。",
            ja(early),
            ja(w.window_opens),
            ja(w.window_closes),
            ja(w.window_opens)
        )
    );
    assert_eq!(texts(&html, "#renewal-form .error-summary li a")[0], message, "the summary says it in full too");
    assert_eq!(attr(&html, "#r-valid_until", "value").as_deref(), Some("2099-01-01"));
    assert_eq!(history(&app, org).await, vec![before]);

    // A late application (after the window closed) is refused as well.
    let late = app.add_organisation("遅延株式会社", "late@example.jp").await;
    let late_cycle = cycle(&app, late.0, Some(w.window_closes + Days::new(1)), CertificationStatus::Valid).await;
    let response = decide(&app, &late.1.client, late.0, &[]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(texts(&html, "#re-applied_on")[0].contains(&format!(
        "申請受付期間（{}〜{}）の終了後",
        ja(w.window_opens),
        ja(w.window_closes)
    )));
    assert_eq!(history(&app, late.0).await, vec![late_cycle]);
}

#[tokio::test]
async fn a_decision_without_confirmation_is_refused_and_the_cycle_is_kept() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let before = cycle(&app, org, Some(app.clock.today() - Days::new(30)), CertificationStatus::RenewalApplied).await;
    let decided = (app.clock.today() - Days::new(2)).to_string();
    let response = decide(&app, &app.client, org, &[("confirmed", ""), ("decided_on", decided.as_str())]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert_eq!(texts(&html, "#re-confirmed"), vec!["現在の有効期間を終了することを確認し、チェックを入れてください。"]);
    assert_eq!(count(&html, "#renewal-form .error-summary li"), 1);
    assert_eq!(attr(&html, "#r-decided_on", "value"), Some(decided));
    assert_eq!(count(&html, "#r-confirmed[checked]"), 0);
    assert_eq!(history(&app, org).await, vec![before]);
}

#[tokio::test]
async fn a_decision_with_inconsistent_dates_names_each_date_and_keeps_the_cycle() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let today = app.clock.today();
    let applied = today - Days::new(10);
    let before = cycle(&app, org, Some(applied), CertificationStatus::RenewalApplied).await;
    let start = before.valid_from.to_string();
    // Decided before the application, a new cycle starting with the current one and ending before it starts.
    let decided = (applied - Days::new(1)).to_string();
    let changes = [("decided_on", decided.as_str()), ("valid_from", start.as_str()), ("valid_until", "2020-01-01")];
    let response = decide(&app, &app.client, org, &changes).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert_eq!(
        texts(&html, "#re-decided_on"),
        vec![format!("更新決定日は更新申請日（{}）以降の日付にしてください。", ja(applied))]
    );
    let next = before.valid_until + Days::new(1);
    assert_eq!(
        texts(&html, "#re-valid_from"),
        vec![format!(
            "新しい有効期間の開始日は、現在の有効期間の開始日（{}）より後、有効期限の翌日（{}）以前の日付にしてください。",
            ja(before.valid_from),
            ja(next)
        )]
    );
    assert_eq!(texts(&html, "#re-valid_until"), vec!["有効期限は開始日より後にしてください。"]);
    for (id, value) in
        [("r-decided_on", decided.as_str()), ("r-valid_from", start.as_str()), ("r-valid_until", "2020-01-01")]
    {
        assert_eq!(attr(&html, &format!("#{id}"), "value").as_deref(), Some(value), "{id}");
    }
    // A decision dated in the future, and a new cycle leaving a gap after the expiry.
    let tomorrow = (today + Days::new(1)).to_string();
    let gap = (next + Days::new(1)).to_string();
    let response =
        decide(&app, &app.client, org, &[("decided_on", tomorrow.as_str()), ("valid_from", gap.as_str())]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert_eq!(texts(&html, "#re-decided_on"), vec!["未来の日付は指定できません。"]);
    assert_eq!(count(&html, "#re-valid_from"), 1);
    // A new period inside the current one: its expiry does not come after the current one.
    let (from, expiry) = ((before.valid_from + Days::new(1)).to_string(), before.valid_until.to_string());
    let response =
        decide(&app, &app.client, org, &[("valid_from", from.as_str()), ("valid_until", expiry.as_str())]).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert_eq!(
        texts(&html, "#re-valid_until"),
        vec![format!("新しい有効期限は現在の有効期限（{}）より後の日付にしてください。", ja(before.valid_until))]
    );
    assert_eq!(history(&app, org).await, vec![before]);
}

#[tokio::test]
async fn a_confirmed_decision_starts_the_next_cycle_and_keeps_the_previous_one_with_its_notes() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let officer = app.add_member(Some(org), Role::Officer, "officer@example.jp").await;
    let before = cycle(&app, org, Some(app.clock.today() - Days::new(30)), CertificationStatus::RenewalApplied).await;
    let decided = app.clock.today() - Days::new(5);
    let response = decide(&app, &officer.client, org, &[("decided_on", decided.to_string().as_str())]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let all = history(&app, org).await;
    assert_eq!(all.len(), 2);
    assert_eq!(all[1], before, "the previous cycle's row is untouched, notes and all");
    let (from, until) = pmark::domain::certification::next_cycle(before.valid_until);
    assert_eq!((all[0].valid_from, all[0].valid_until), (from, until));
    assert_eq!(all[0].status, CertificationStatus::Valid);
    assert_eq!(all[0].renewal_decided_on, Some(decided));
    assert_eq!((all[0].applied_on, all[0].notes.as_str()), (None, ""));
    let html = app.get(&app.client, &format!("/orgs/{org}/certification")).await.text().await.unwrap();
    assert_eq!(texts(&html, "#valid-until"), vec![ja(until)]);
    assert_eq!(texts(&html, "#renewal-decided-on"), vec![ja(decided)]);
    let rows = texts(&html, "#certification-history tbody tr");
    assert_eq!(rows.len(), 2);
    assert!(rows[1].contains("審査員：山田様。"), "the previous cycle's notes are shown: {rows:?}");
    let recorded = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("renewal_decided"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(recorded.len(), 1);
    let changes: serde_json::Value = serde_json::from_str(&recorded[0].changes).unwrap();
    assert_eq!(changes["renewal_decided_on"]["after"], decided.to_string());
}

#[tokio::test]
async fn an_admin_undoes_the_last_decision_and_the_previous_cycle_is_current_again() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let officer = app.add_member(Some(org), Role::Officer, "officer@example.jp").await;
    let before = cycle(&app, org, Some(app.clock.today()), CertificationStatus::RenewalApplied).await;
    assert_eq!(decide(&app, &officer.client, org, &[]).await.status(), StatusCode::SEE_OTHER);
    let renewed = history(&app, org).await;

    // Officers may decide, not undo: they do not see the form and are refused.
    let officer_page = app.get(&officer.client, &format!("/orgs/{org}/certification")).await.text().await.unwrap();
    assert_eq!(count(&officer_page, "#renewal-undo-form"), 0);
    assert_eq!(undo(&app, &officer.client, org, true).await.status(), StatusCode::FORBIDDEN);
    // Without the box ticked: refused, nothing changes.
    let refused = undo(&app, &app.client, org, false).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text().await.unwrap();
    assert_eq!(texts(&html, "#ue-confirmed"), vec!["取り消す内容を確認し、チェックを入れてください。"]);
    assert_eq!(
        texts(&html, "#undo-restored"),
        vec![format!("{} – {} (更新申請済み)", ja(before.valid_from), ja(before.valid_until))]
    );
    assert_eq!(history(&app, org).await, renewed);

    let response = undo(&app, &app.client, org, true).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(history(&app, org).await, vec![before.clone()], "dates, status, application date and notes");
    let html = app.get(&app.client, &format!("/orgs/{org}/certification")).await.text().await.unwrap();
    assert_eq!(texts(&html, "#valid-until"), vec![ja(before.valid_until)]);
    assert_eq!(texts(&html, "#window-opens"), vec![ja(window(&before).window_opens)]);
    assert_eq!(texts(&html, "#current-notes"), vec![before.notes.clone()]);
    assert_eq!(count(&html, "#renewal-undo-form"), 0);
    // A second undo (an old page) finds nothing to undo: the first cycle is never removed.
    let stale = [("cycle", renewed[0].id.to_string()), ("confirmed", "yes".to_owned())];
    let stale: Vec<(&str, &str)> = stale.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let again = app.post_form(&app.client, &format!("/orgs/{org}/certification/renewed/undo"), &stale).await;
    assert_eq!(again.status(), StatusCode::NOT_FOUND);
    assert_eq!(history(&app, org).await, vec![before.clone()]);

    // The audit trail says it in words, with what was removed.
    let undone = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("renewal_undone"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(undone.len(), 1);
    let changes: serde_json::Value = serde_json::from_str(&undone[0].changes).unwrap();
    assert_eq!(changes["valid_until"]["before"], renewed[0].valid_until.to_string());
    assert_eq!(changes["valid_until"]["after"], before.valid_until.to_string());
    assert_eq!(changes["notes"]["after"], before.notes);
    let trail = app.get(&app.client, &format!("/orgs/{org}/audit")).await.text().await.unwrap();
    assert_eq!(
        texts(&trail, "#audit-trail tbody tr td.audit-action").first().map(String::as_str),
        Some("更新決定の取消し")
    );
}

#[tokio::test]
async fn after_an_undo_the_restored_cycles_reminders_come_back_once() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    // Applied for, the status left as valid: its reminders are sent.
    let before = cycle(&app, org, Some(app.clock.today()), CertificationStatus::Valid).await;
    let w = window(&before);
    let today = app.clock.today();
    let now = chrono::Utc::now();
    let pass = |day: NaiveDate| {
        let app = &app;
        async move {
            let planned = renewal_reminders::plan(&app.db, &app.settings, day).await.unwrap();
            let (enqueued, skipped) = renewal_reminders::enqueue(&app.db, &app.address, &planned, now).await.unwrap();
            (planned.len(), enqueued + skipped)
        }
    };
    let (planned, first) = pass(today).await;
    assert!(planned >= 2 && first >= 2, "{planned} reminders due today, {first} rows");
    let rows = || async { pmark::entities::outbox::Entity::find().all(&app.db).await.unwrap().len() };
    let before_decision = rows().await;

    assert_eq!(decide(&app, &app.client, org, &[]).await.status(), StatusCode::SEE_OTHER);
    // Renewed: the old cycle's reminders are gone, the new cycle has none due for a year.
    let two_weeks_before_close = w.window_closes - Days::new(14);
    assert_eq!(pass(today).await.0, 0);
    assert_eq!(pass(two_weeks_before_close).await.0, 0);

    assert_eq!(undo(&app, &app.client, org, true).await.status(), StatusCode::SEE_OTHER);
    // Restored: today's reminders are those already in the outbox, not enqueued twice.
    assert_eq!(pass(today).await, (planned, 0));
    assert_eq!(rows().await, before_decision);
    // Later milestones of the restored cycle are reminded again.
    let (due, added) = pass(two_weeks_before_close).await;
    assert!(due > planned && added > 0, "{due} due, {added} added");
    let keys: Vec<String> =
        pmark::entities::outbox::Entity::find().all(&app.db).await.unwrap().into_iter().map(|r| r.dedupe_key).collect();
    let expected = format!("{org}:renewal:two_weeks_before_close:{}:ja", before.valid_until);
    assert_eq!(keys.iter().filter(|k| **k == expected).count(), 1, "{keys:?}");
}

#[tokio::test]
async fn the_reminders_of_an_undone_cycle_not_sent_yet_are_recorded_as_skipped() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let before = cycle(&app, org, Some(app.clock.today()), CertificationStatus::Valid).await;
    // A new validity ending a month after the current one: its own reminders are due at once.
    let short = (before.valid_until + Days::new(30)).to_string();
    assert_eq!(
        decide(&app, &app.client, org, &[("valid_until", short.as_str())]).await.status(),
        StatusCode::SEE_OTHER
    );
    let today = app.clock.today();
    let planned = renewal_reminders::plan(&app.db, &app.settings, today).await.unwrap();
    assert!(!planned.is_empty());
    renewal_reminders::enqueue(&app.db, &app.address, &planned, chrono::Utc::now()).await.unwrap();
    let of_removed = |rows: Vec<pmark::entities::outbox::Model>| {
        rows.into_iter().filter(|r| r.dedupe_key.contains(&short)).collect::<Vec<_>>()
    };
    let waiting = of_removed(pmark::entities::outbox::Entity::find().all(&app.db).await.unwrap());
    assert!(waiting.iter().any(|r| r.state.as_str() == "pending"), "{waiting:?}");

    assert_eq!(undo(&app, &app.client, org, true).await.status(), StatusCode::SEE_OTHER);
    let after = of_removed(pmark::entities::outbox::Entity::find().all(&app.db).await.unwrap());
    assert_eq!(after.len(), waiting.len());
    assert!(after.iter().all(|r| r.state.as_str() == "skipped"), "{after:?}");
    let undone: Vec<_> = after.iter().filter(|r| r.skip_reason.as_deref() == Some("cycle_removed")).collect();
    assert_eq!(undone.len(), waiting.iter().filter(|r| r.state.as_str() == "pending").count());
}

#[tokio::test]
async fn the_certification_form_refuses_an_application_date_outside_the_window_with_its_dates() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let expiry = NaiveDate::from_ymd_opt(2027, 8, 31).unwrap();
    let w = pmark::domain::renewal::RenewalWindow::for_expiry(
        expiry,
        9,
        &pmark::domain::renewal::BusinessCalendar::default(),
    );
    let save = |applied: String| {
        let app = &app;
        async move {
            let page = app.get(&app.client, &format!("/orgs/{org}/certification")).await.text().await.unwrap();
            let version = input_value(&page, "lock_version").unwrap_or_default();
            let fields = [
                ("registration_number", "10823456(05)"),
                ("examination_body", "jipdec"),
                ("first_granted_on", "2015-09-01"),
                ("valid_from", "2025-09-01"),
                ("valid_until", "2027-08-31"),
                ("status", "renewal_applied"),
                ("applied_on", applied.as_str()),
                ("notes", "メモ"),
                ("lock_version", version.as_str()),
            ];
            app.post_form(&app.client, &format!("/orgs/{org}/certification"), &fields).await
        }
    };
    // The walk of issue 12: applied on 2026-12-01, a month before the window opened.
    let response = save("2026-12-01".into()).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert_eq!(
        texts(&html, "#e-applied_on"),
        vec![format!(
            "更新申請日（2026年12月1日）は申請受付期間（{}〜{}）の開始前です。更新申請は{}から受け付けられます。",
            ja(w.window_opens),
            ja(w.window_closes),
            ja(w.window_opens)
        )]
    );
    assert_eq!(w.window_opens, NaiveDate::from_ymd_opt(2027, 1, 1).unwrap());
    assert_eq!(input_value(&html, "applied_on").as_deref(), Some("2026-12-01"));
    assert_eq!(certifications::history(&app.db, org).await.unwrap().len(), 0);
}

#[tokio::test]
async fn a_registration_number_as_printed_is_accepted_and_shown_as_printed() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let page = app.get(&app.client, &format!("/orgs/{org}/certification")).await.text().await.unwrap();
    let version = input_value(&page, "lock_version").unwrap_or_default();
    let fields = [
        ("registration_number", " 第 １２３４５６７８（０１） 号 "),
        ("examination_body", "jipdec"),
        ("first_granted_on", "2015-09-01"),
        ("valid_from", "2025-09-01"),
        ("valid_until", "2027-08-31"),
        ("status", "valid"),
        ("lock_version", version.as_str()),
    ];
    let response = app.post_form(&app.client, &format!("/orgs/{org}/certification"), &fields).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(certifications::history(&app.db, org).await.unwrap()[0].registration_number, "12345678(01)");
    let html = app.get(&app.client, &format!("/orgs/{org}/certification")).await.text().await.unwrap();
    assert_eq!(texts(&html, "#registration-number"), vec!["第12345678(01)号"]);
    assert_eq!(input_value(&html, "registration_number").as_deref(), Some("12345678(01)"));
    let report = app.get(&app.client, &format!("/orgs/{org}/report")).await.text().await.unwrap();
    assert_eq!(texts(&report, "#report-certification dd").first().map(String::as_str), Some("第12345678(01)号"));
    let path = format!("/orgs/{org}/certification");
    app.post_form(&app.client, "/lang", &[("lang", "en"), ("next", &path)]).await;
    let html = app.get(&app.client, &path).await.text().await.unwrap();
    assert_eq!(texts(&html, "#registration-number"), vec!["No. 12345678(01)"]);
    let report = app.get(&app.client, &format!("/orgs/{org}/report")).await.text().await.unwrap();
    assert_eq!(texts(&report, "#report-certification dd").first().map(String::as_str), Some("No. 12345678(01)"));
}
