//! The audit trail (監査証跡) an officer shows an examiner fits the screen.

use serde_json::Value;

use crate::helpers::Browser;

/// How much wider than the window the page is, in CSS pixels (0 when it fits).
async fn overflow(browser: &Browser) -> i64 {
    let script = "return document.documentElement.scrollWidth - document.documentElement.clientWidth;";
    match browser.client.execute(script, vec![]).await.expect("measure the page") {
        Value::Number(n) => n.as_i64().unwrap_or(i64::MAX),
        other => panic!("unexpected measure {other}"),
    }
}

#[tokio::test]
async fn the_audit_trail_with_an_incident_s_facts_is_no_wider_than_a_1366_px_screen() {
    let browser = Browser::start().await;
    let org = browser.set_up_admin().await;
    browser.record_jimos(org).await;
    browser.client.set_window_size(1366, 768).await.expect("a laptop screen");
    browser.goto(&format!("/orgs/{org}/audit")).await;
    browser.wait("table.history").await;
    assert!(browser.count("table.history tbody tr").await >= 2, "the incident's entries are listed");
    assert_eq!(overflow(&browser).await, 0, "the audit page scrolls sideways at 1,366 px");
    browser.save_screenshot("audit-1366.png").await;
    browser.close().await;
}
