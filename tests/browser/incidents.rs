//! The JIMOS case (2019: card data of 107,661 people taken from an EC site over five years,
//! discovered through the payment processor) recorded through the incident form, its flagged
//! controls and report deadlines, and a check decided in its card.

use crate::helpers::{Browser, JIMOS_TITLE};

#[tokio::test]
async fn the_jimos_scenario_recorded_through_the_form_lands_on_its_incident_page() {
    let browser = Browser::start().await;
    let org = browser.set_up_admin().await;

    let incident = browser.record_jimos(org).await;

    assert_eq!(browser.text("main h1").await, JIMOS_TITLE);
    assert_eq!(
        browser.wait("#incident-status").await.attr("class").await.unwrap().as_deref(),
        Some("badge status-open")
    );
    // Every fact the form took is shown back.
    for (field, expected) in [("affected_people", "107661"), ("detected_by", "決済代行会社")] {
        let shown = browser.text(&format!("#facts dd[data-field={field}]")).await;
        assert!(shown.contains(expected) || shown.replace(',', "").contains(expected), "{field}: {shown}");
    }
    // The list of incidents links to it.
    browser.goto(&format!("/orgs/{org}/incidents")).await;
    let link = browser.wait(&format!("main a[href='{incident}']")).await;
    assert_eq!(link.text().await.unwrap().trim(), JIMOS_TITLE);
    browser.close().await;
}

#[tokio::test]
async fn the_jimos_incident_page_flags_its_controls_and_shows_its_overdue_deadlines() {
    let browser = Browser::start().await;
    let org = browser.set_up_admin().await;
    browser.record_jimos(org).await;

    browser.wait("#checks li[data-control='A.3.4.3.2'][data-priority=high]").await;
    assert!(browser.count("#checks li.flagged").await >= 3, "the case flags several controls");

    let final_report = "#filing-table tr[data-track=ppc_final]";
    let row = browser.wait(final_report).await;
    assert_eq!(row.attr("data-state").await.unwrap().as_deref(), Some("overdue"));
    assert!(
        browser.text(&format!("{final_report} td")).await.contains("2019年9月24日"),
        "final report due 60 days after discovery"
    );
    assert_eq!(browser.text(&format!("{final_report} .badge.state-overdue")).await, "期限超過");
    // The preliminary report was due long ago too.
    let preliminary = browser.wait("#filing-table tr[data-track=ppc_preliminary]").await;
    assert_eq!(preliminary.attr("data-state").await.unwrap().as_deref(), Some("overdue"));
    browser.wait("#date-convention").await;
    assert!(!browser.text("#date-convention").await.is_empty());

    browser.assert_no_message_ids_shown().await;
    browser.save_screenshot("incident.png").await;
    browser.close().await;
}

#[tokio::test]
async fn deciding_a_review_in_its_card_marks_it_changed() {
    let browser = Browser::start().await;
    let org = browser.set_up_admin().await;
    let incident = browser.record_jimos(org).await;

    let card = "#checks li[data-control='A.3.4.3.2']";
    assert_eq!(browser.wait(card).await.attr("data-state").await.unwrap().as_deref(), Some("open"));
    let form = format!("{card} form.check-form");
    browser.tick(&format!("{form} input[type=radio][name=decision][value=changed]")).await;
    browser.fill(&format!("{form} textarea[name=note]"), "カード情報を保持しない決済方式に切り替えた。").await;
    browser.click_and_wait_for_page(&format!("{form} button[type=submit]")).await;

    browser.wait(&format!("{card}[data-state=changed]")).await;
    // A fresh load shows the same: the decision is stored, not only echoed.
    browser.goto(&incident).await;
    browser.wait(&format!("{card}[data-state=changed]")).await;
    assert_eq!(browser.count(&form).await, 0, "a decided check has no form any more");
    assert!(browser.text(&format!("{card} .decision")).await.contains("カード情報を保持しない決済方式"));
    assert_eq!(browser.text(&format!("{card} .badge.check-state")).await, "変更した");
    browser.close().await;
}
