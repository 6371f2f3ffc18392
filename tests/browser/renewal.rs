//! The renewal decision as a person records it: the application date first, then the decision
//! (refused until the box is ticked), then an admin undoes it and the previous period is back.

use pmark::domain::certification::CertificationStatus;

use crate::helpers::Browser;

#[tokio::test]
async fn an_admin_records_the_application_then_the_decision_with_its_confirmation_and_undoes_it() {
    let browser = Browser::start().await;
    let org = browser.set_up_admin().await;
    let app = &browser.app;
    let before = app.certify(org, None, CertificationStatus::Valid, "前回審査の指摘：教育記録の様式").await;
    let page = format!("/orgs/{org}/certification");
    browser.goto(&page).await;
    let ja = |d: chrono::NaiveDate| pmark::i18n::format::date(pmark::domain::Lang::Ja, Default::default(), d);
    let expiry = ja(before.valid_until);
    assert_eq!(browser.text("#valid-until").await, expiry);

    // Without an application the decision is refused, and says why.
    browser.tick("#r-confirmed").await;
    browser.click_and_wait_for_page("#renewal-form button[type=submit]").await;
    assert!(browser.text("#re-applied_on").await.contains("更新申請日が登録されていません"));
    browser.assert_no_message_ids_shown().await;

    // The application, filed today (inside the window).
    let today = app.clock.today().to_string();
    browser.set_value("#f-applied_on", &today).await;
    let today = ja(app.clock.today());
    browser.choose("#f-status", "renewal_applied").await;
    browser.click_and_wait_for_page("#certification-form button[type=submit]").await;
    assert_eq!(browser.text("#applied-on").await, today);

    // The decision: the proposed dates kept, the box left unticked first.
    browser.click_and_wait_for_page("#renewal-form button[type=submit]").await;
    assert_eq!(browser.text("#re-confirmed").await, "現在の有効期間を終了することを確認し、チェックを入れてください。");
    browser.tick("#r-confirmed").await;
    browser.click_and_wait_for_page("#renewal-form button[type=submit]").await;
    assert_ne!(browser.text("#valid-until").await, expiry, "the new period is current");
    assert_eq!(browser.count("#certification-history tbody tr").await, 2);
    assert!(browser.text("#certification-history").await.contains("前回審査の指摘"), "the notes stay");
    browser.assert_no_message_ids_shown().await;
    browser.save_screenshot("renewal-decided.png").await;

    // Undone by the admin, after ticking the box.
    browser.click_and_wait_for_page("#renewal-undo-form button[type=submit]").await;
    browser.expect("#ue-confirmed").await;
    browser.tick("#u-confirmed").await;
    browser.click_and_wait_for_page("#renewal-undo-form button[type=submit]").await;
    assert_eq!(browser.text("#valid-until").await, expiry, "the previous period is current again");
    assert_eq!(browser.text("#applied-on").await, today);
    assert_eq!(browser.text("#current-notes").await, "前回審査の指摘：教育記録の様式");
    assert_eq!(browser.count("#renewal-undo-form").await, 0);
    browser.assert_no_message_ids_shown().await;
    browser.close().await;
}
