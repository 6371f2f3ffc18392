//! The pages an officer opens most, on a phone (390 px) and on a laptop (1,366 px): no page is
//! wider than its window, the header leaves the screen to the page, and the Japanese text shows
//! no ISO dates (they are written 2026年12月1日).

use serde_json::Value;

use crate::helpers::Browser;

/// `(page width, window width, header height, window height, an ISO date in the visible text)`.
async fn measure(browser: &Browser) -> (i64, i64, i64, i64, Option<String>) {
    let script = "const iso = document.body.innerText.match(/\\b\\d{4}-\\d{2}-\\d{2}\\b/);\
        return [document.documentElement.scrollWidth, window.innerWidth,\
        Math.round(document.querySelector('header.site-header').getBoundingClientRect().height),\
        window.innerHeight, iso ? iso[0] : null];";
    let found = browser.client.execute(script, vec![]).await.expect("measure the page");
    let Value::Array(values) = found else { panic!("measured: {found:?}") };
    let n = |i: usize| values[i].as_i64().unwrap_or(-1);
    (n(0), n(1), n(2), n(3), values[4].as_str().map(str::to_owned))
}

#[tokio::test]
async fn the_officers_pages_fit_a_phone_and_a_laptop_and_write_dates_in_japanese() {
    let browser = Browser::start().await;
    let org = browser.set_up_admin().await;
    let incident = browser.record_jimos(org).await;
    let pages = [
        format!("/orgs/{org}"),
        incident.clone(),
        format!("/orgs/{org}/controls"),
        format!("/orgs/{org}/controls/A.3.3.1"),
        format!("/orgs/{org}/incidents"),
        format!("/orgs/{org}/duties"),
        format!("/orgs/{org}/certification"),
        format!("/orgs/{org}/report?from=2019-01-01&to=2019-12-31"),
        format!("/orgs/{org}/audit"),
        format!("/orgs/{org}/settings"),
    ];
    for width in [390, 1366] {
        browser.set_width(width).await;
        for page in &pages {
            browser.goto(page).await;
            browser.wait("main").await;
            let (page_width, window, header, height, iso) = measure(&browser).await;
            assert!(page_width <= window, "{page} at {width} px is {page_width} px wide in a {window} px window");
            assert!(header * 4 <= height, "{page} at {width} px: the header takes {header} of {height} px");
            assert_eq!(iso, None, "{page}: an ISO date in the Japanese text");
            browser.assert_no_message_ids_shown().await;
        }
    }
    browser.set_width(390).await;
    browser.goto(&incident).await;
    browser.wait("#filing-table").await;
    browser.save_screenshot("incident-phone.png").await;
    browser.close().await;
}
