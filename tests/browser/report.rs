//! The audit-preparation report of an organisation with the JIMOS incident, on screen and as
//! Chromium prints it.

use serde_json::{Value, json};

use crate::helpers::{Browser, JIMOS_TITLE, save_artifact};

/// The print area of A4 portrait between 12 mm margins, in CSS pixels (186 mm at 96 dpi): the
/// narrowest page the report is printed on.
const A4_PORTRAIT_PRINT_WIDTH: u32 = 703;

/// The state and owner cells (and their headers) whose text does not fit their column on one
/// line: each as `[text, lines, text width, cell's inner width]`.
const CRAMPED_CELLS: &str = r#"
const cramped = [];
for (const cell of document.querySelectorAll('#report .col-state, #report .col-owner')) {
  const text = cell.textContent.trim();
  if (!text || cell.getClientRects().length === 0) continue;
  const range = document.createRange();
  range.selectNodeContents(cell);
  const lines = new Set(Array.from(range.getClientRects()).filter(r => r.width > 0).map(r => Math.round(r.top))).size;
  const style = getComputedStyle(cell);
  const inner = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  const width = range.getBoundingClientRect().width;
  if (lines > 1 || width > inner + 1) cramped.push([text, lines, Math.round(width), Math.round(inner)]);
}
return [document.querySelectorAll('#report .col-state, #report .col-owner').length, cramped];
"#;

/// A browser on the report of 2019 of an organisation that recorded JIMOS (discovered that year).
async fn jimos_report() -> Browser {
    let browser = Browser::start().await;
    let org = browser.set_up_admin().await;
    browser.record_jimos(org).await;
    browser.goto(&format!("/orgs/{org}/report?from=2019-01-01&to=2019-12-31")).await;
    // `goto` returns once the page has loaded: a page without the report fails at once.
    browser.expect("#report h1").await;
    browser
}

#[tokio::test]
async fn the_report_of_the_jimos_incident_renders_and_is_saved_as_a_screenshot() {
    let browser = jimos_report().await;
    for section in ["certification", "controls", "records", "incidents", "gaps"] {
        browser.wait(&format!("#report #report-{section}")).await;
    }
    let incidents = browser.text("#report-incidents").await;
    assert!(incidents.contains(JIMOS_TITLE), "the report lists the JIMOS incident: {incidents}");

    let path = browser.save_screenshot("report.png").await;
    assert!(std::fs::metadata(&path).expect("report.png written").len() > 10_000);
    browser.close().await;
}

#[tokio::test]
async fn printed_on_a4_the_state_and_owner_columns_are_as_wide_as_their_words() {
    let browser = jimos_report().await;
    browser.emulate_media("print").await;
    browser.set_width(A4_PORTRAIT_PRINT_WIDTH).await;
    let measured = browser.client.execute(CRAMPED_CELLS, vec![]).await.expect("measure the cells");
    let (cells, cramped) = (&measured[0], &measured[1]);
    assert!(cells.as_u64().unwrap_or(0) > 40, "the controls' states at least: {measured}");
    assert_eq!(cramped, &Value::Array(Vec::new()), "state and owner cells wrapped or cut in print: {cramped}");
    let header_repeats = browser
        .client
        .execute("return getComputedStyle(document.querySelector('#report-controls thead')).display;", vec![])
        .await
        .expect("thead display");
    assert_eq!(header_repeats, json!("table-header-group"), "the header row repeats on every printed page");

    // The print preview and the printed pages, for a person to look at.
    let path = browser.save_screenshot("report-print-preview.png").await;
    assert!(std::fs::metadata(&path).expect("report-print-preview.png written").len() > 10_000);
    let pdf = browser.print_to_pdf().await;
    save_artifact("report-chromium-print.pdf", &pdf);
    // pmark's own PDF of the same report, fetched with the browser's session.
    let fetched = browser
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1];
             fetch(location.pathname + '.pdf' + location.search).then(r => r.arrayBuffer())
               .then(b => done(btoa(Array.from(new Uint8Array(b), c => String.fromCharCode(c)).join(''))));",
            vec![],
        )
        .await
        .expect("fetch the report's PDF");
    let pdf = {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD.decode(fetched.as_str().expect("base64 text")).expect("base64")
    };
    assert!(pdf.starts_with(b"%PDF-"), "pmark's PDF");
    save_artifact("report.pdf", &pdf);
    browser.emulate_media("screen").await;
    browser.close().await;
}
