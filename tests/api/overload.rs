//! Graceful overload: a burst far beyond the pool gets pages or 503 with `Retry-After` (never a
//! 500, never a hung request), and the server answers normally right after.

use chrono::Datelike;
use reqwest::StatusCode;

use crate::helpers::{spawn_app_with, texts};

#[tokio::test]
async fn a_burst_of_256_connections_on_the_report_gets_pages_or_503_and_normal_service_follows() {
    // One pooled connection and the default wait for it (1 s): the burst exhausts it.
    let app = spawn_app_with(|s| s.database.max_connections = 1, None).await;
    let org = app.set_up_admin().await;
    let catalogs = pmark::domain::catalog::Catalogs::builtin().unwrap();
    let today = app.clock.today();
    pmark::cli::demo_incidents::seed(&app.db, catalogs.current(), org, 60, 2, today).await.unwrap();
    let from = today.with_year(today.year() - 2).unwrap_or(today);
    let path = format!("/orgs/{org}/report?from={from}&to={today}");
    assert_eq!(app.get(&app.client, &path).await.status(), StatusCode::OK);

    // Each request asks for another period, so none is served from the page cache.
    let burst: Vec<_> = (0..256)
        .map(|n| {
            let from = from + chrono::Duration::days(n);
            let url = app.url(&format!("/orgs/{org}/report?from={from}&to={today}"));
            let client = app.client.clone();
            tokio::spawn(async move {
                let response = client.get(url).send().await.expect("an answer, not a dropped connection");
                let status = response.status();
                let retry_after = response.headers().get("retry-after").is_some();
                let body = response.text().await.unwrap_or_default();
                (status, retry_after, body)
            })
        })
        .collect();
    let mut refused = 0;
    for task in burst {
        let (status, retry_after, body) = task.await.unwrap();
        match status {
            StatusCode::OK => {}
            StatusCode::SERVICE_UNAVAILABLE => {
                refused += 1;
                assert!(retry_after, "a 503 says when to retry");
                assert_eq!(texts(&body, "section.error-page h1"), vec!["503 · 一時的に利用できません"], "{body}");
            }
            other => panic!("the burst got {other}: only 200 or 503 are acceptable"),
        }
    }
    eprintln!("{refused} of 256 refused with 503");

    for _ in 0..5 {
        assert_eq!(app.get(&app.client, &path).await.status(), StatusCode::OK, "normal service after the burst");
    }
    assert_eq!(app.get(&app.client, &format!("/orgs/{org}")).await.status(), StatusCode::OK);
}
