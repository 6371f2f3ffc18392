//! The audit-preparation report of an organisation with the JIMOS incident.

use crate::helpers::{Browser, JIMOS_TITLE};

#[tokio::test]
async fn the_report_of_the_jimos_incident_renders_and_is_saved_as_a_screenshot() {
    let browser = Browser::start().await;
    let org = browser.set_up_admin().await;
    browser.record_jimos(org).await;

    // JIMOS was discovered in 2019: the report of that year.
    browser.goto(&format!("/orgs/{org}/report?from=2019-01-01&to=2019-12-31")).await;
    // `goto` returns once the page has loaded: a page without the report fails at once.
    browser.expect("#report h1").await;
    for section in ["certification", "controls", "records", "incidents", "gaps"] {
        browser.wait(&format!("#report #report-{section}")).await;
    }
    let incidents = browser.text("#report-incidents").await;
    assert!(incidents.contains(JIMOS_TITLE), "the report lists the JIMOS incident: {incidents}");

    let path = browser.save_screenshot("report.png").await;
    assert!(std::fs::metadata(&path).expect("report.png written").len() > 10_000);
    browser.close().await;
}
