//! Signing out with the header's form and back in at /login.

use crate::app::PASSWORD;
use crate::helpers::{ADMIN_EMAIL, Browser, ORGANISATION};

#[tokio::test]
async fn signing_out_and_back_in_with_the_administrators_password_shows_the_dashboard() {
    let browser = Browser::start().await;
    let org = browser.set_up_admin().await;

    browser.click_and_wait_for_page("form[action='/logout'] button[type=submit]").await;
    browser.wait("form[action='/login']").await;
    assert_eq!(browser.count("form[action='/logout']").await, 0, "signed out");
    browser.goto(&format!("/orgs/{org}")).await;
    browser.wait("form[action='/login']").await;
    assert_eq!(browser.count("h1.org-title").await, 0, "the dashboard needs a session");

    browser.goto("/login").await;
    browser.fill("#f-email", ADMIN_EMAIL).await;
    browser.fill("#f-password", "not the password").await;
    browser.click_and_wait_for_page("form[action='/login'] button[type=submit]").await;
    browser.wait("#login-failure").await;

    browser.fill("#f-email", ADMIN_EMAIL).await;
    browser.fill("#f-password", PASSWORD).await;
    browser.click_and_wait_for_page("form[action='/login'] button[type=submit]").await;

    assert_eq!(browser.text("h1.org-title").await, ORGANISATION);
    assert_eq!(browser.path().await, format!("/orgs/{org}"));
    assert_eq!(browser.text(&format!("nav.org-nav a[href='/orgs/{org}']")).await, "ダッシュボード");
    browser.assert_no_message_ids_shown().await;
    browser.save_screenshot("dashboard.png").await;
    browser.close().await;
}
