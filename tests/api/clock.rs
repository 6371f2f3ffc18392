//! One clock and one day: at 00:30 JST the UTC date is still yesterday, and every page counts
//! the Japan day (the day deadlines and evidence dates are judged in).

use chrono::{DateTime, Utc};
use reqwest::StatusCode;
use reqwest::multipart::Form;

use crate::helpers::{TestApp, input_value, spawn_app};
use crate::incidents::jimos;

/// 2026-06-11 00:30 in Japan, 2026-06-10 15:30 UTC.
fn half_past_midnight_jst() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-06-10T15:30:00Z").expect("instant").with_timezone(&Utc)
}

fn link_dated(day: &str) -> Form {
    Form::new()
        .text("kind", "link")
        .text("description", "規程の公開ページ")
        .text("effective_on", day.to_owned())
        .text("url", "https://example.jp/rules")
}

async fn app_at_half_past_midnight() -> (TestApp, i32) {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    app.clock.set(half_past_midnight_jst());
    (app, org)
}

#[tokio::test]
async fn evidence_dated_today_in_japan_is_accepted_on_a_control_and_tomorrow_is_refused() {
    let (app, org) = app_at_half_past_midnight().await;
    let upload = format!("/orgs/{org}/controls/A.3.3.1/evidence");
    let today = app.post_multipart(&app.client, &upload, link_dated("2026-06-11")).await;
    assert_eq!(today.status(), StatusCode::SEE_OTHER, "the Japan day is today, though UTC is still on the 10th");
    let tomorrow = app.post_multipart(&app.client, &upload, link_dated("2026-06-12")).await;
    assert_eq!(tomorrow.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_incident_form_starts_on_the_japan_day_and_accepts_it_but_not_the_next() {
    let (app, org) = app_at_half_past_midnight().await;
    let form = app.get(&app.client, &format!("/orgs/{org}/incidents/new")).await.text().await.unwrap();
    assert_eq!(input_value(&form, "discovered_on").as_deref(), Some("2026-06-11"));

    let mut fields = jimos();
    for field in fields.iter_mut() {
        if field.0 == "discovered_on" || field.0 == "occurred_to" {
            field.1 = "2026-06-12";
        }
    }
    let refused = app.post_form(&app.client, &format!("/orgs/{org}/incidents"), &fields).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY, "the 12th is tomorrow in Japan");
    for field in fields.iter_mut() {
        if field.0 == "discovered_on" || field.0 == "occurred_to" {
            field.1 = "2026-06-11";
        }
    }
    let id = crate::incidents::record(&app, org, &fields).await;
    let page = app.get(&app.client, &format!("/orgs/{org}/incidents/{id}")).await;
    assert_eq!(page.status(), StatusCode::OK);
}
