//! First-run setup: the administrator and the first organisation, through the printed URL.

use crate::helpers::{Browser, ORGANISATION};

#[tokio::test]
async fn first_run_setup_through_the_printed_url_signs_the_administrator_in() {
    let browser = Browser::start().await;
    let setup_url = browser.app.setup_url.clone().expect("a fresh application prints a setup URL");
    assert!(setup_url.contains("/setup?token="), "{setup_url}");

    browser.goto(&setup_url).await;
    assert_eq!(browser.wait("html").await.attr("lang").await.unwrap().as_deref(), Some("ja"));
    assert_eq!(browser.count("form[action='/setup'] input[name=token]").await, 1);

    let org = browser.set_up_admin().await;

    assert_eq!(browser.path().await, format!("/orgs/{org}"));
    assert_eq!(browser.text("h1.org-title").await, ORGANISATION);
    assert_eq!(browser.text("a.account-link").await, "山田 花子");
    assert_eq!(browser.count("form[action='/logout']").await, 1, "signed in: the header offers to sign out");
    assert!(browser.count("nav.org-nav a").await >= 5, "the organisation menu is shown");

    // The token is spent: the setup URL no longer shows the form.
    browser.goto(&setup_url).await;
    browser.wait("main").await;
    assert_eq!(browser.count("form[action='/setup']").await, 0, "setup is closed once done");
    browser.close().await;
}
