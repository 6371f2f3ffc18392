//! The header's language switch.

use crate::helpers::Browser;

#[tokio::test]
async fn switching_to_english_and_back_changes_the_page_language() {
    let browser = Browser::start().await;
    let org = browser.set_up_admin().await;
    let dashboard_link = format!("nav.org-nav a[href='/orgs/{org}']");
    assert_eq!(browser.text(&dashboard_link).await, "ダッシュボード");
    let pressed = |lang: &'static str| {
        let browser = &browser;
        async move {
            let button = browser.wait(&format!("form.lang-switch button[value={lang}]")).await;
            button.attr("aria-pressed").await.expect("aria-pressed").unwrap_or_default()
        }
    };
    assert_eq!(pressed("ja").await, "true");

    browser.click_and_wait_for_page("form.lang-switch button[name=lang][value=en]").await;
    browser.wait("html[lang=en]").await;
    assert_eq!(browser.path().await, format!("/orgs/{org}"), "the switch stays on the page");
    assert_eq!(browser.text(&dashboard_link).await, "Dashboard");
    assert_eq!(browser.text("form[action='/logout'] button").await, "Sign out");
    assert_eq!(pressed("en").await, "true");
    assert_eq!(pressed("ja").await, "false");
    browser.assert_no_message_ids_shown().await;

    // The choice is kept from page to page: the JIMOS case recorded with the English form.
    let incident = browser.record_jimos(org).await;
    browser.expect("html[lang=en]").await;
    assert_eq!(browser.text("#checks-heading").await, "Controls to check");
    browser.assert_no_message_ids_shown().await;
    browser.save_screenshot("incident-en.png").await;

    browser.click_and_wait_for_page("form.lang-switch button[name=lang][value=ja]").await;
    browser.wait("html[lang=ja]").await;
    assert_eq!(browser.path().await, incident);
    assert_eq!(browser.text(&dashboard_link).await, "ダッシュボード");
    browser.close().await;
}
