//! The audit-prep report: its sections on screen, the period form, XLSX with a sheet per section,
//! CSV with a BOM, the command line, who may read it, and a fixed number of queries.

use std::io::Read;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use pmark::domain::Role;
use reqwest::StatusCode;

use crate::helpers::{count, spawn_app, spawn_app_with, texts};
use crate::incidents::{jimos, record};

#[tokio::test]
async fn the_report_shows_every_section_with_the_incident_and_its_gaps() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    record(&app, org, &jimos()).await;
    let page = app.get(&app.client, &format!("/orgs/{org}/report?from=2019-01-01&to=2019-12-31")).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    for section in ["certification", "controls", "records", "incidents", "gaps"] {
        assert_eq!(count(&html, &format!("#report #report-{section}")), 1, "{section}");
    }
    assert_eq!(count(&html, "#report-controls tbody tr"), 43, "every control of the catalog");
    assert_eq!(texts(&html, "#report-period"), vec!["2019-01-01 – 2019-12-31"]);
    let incident = texts(&html, "#report-incidents .report-incident h3").join("");
    assert!(incident.contains("JIMOS"), "{incident}");
    let gaps = texts(&html, "#report-gaps td").join(" ");
    assert!(gaps.contains("事故報告の未提出"), "the unfiled reports are gaps: {gaps}");
    assert!(gaps.contains("管理策の点検未決定"), "so are the open reviews");
    assert_eq!(count(&html, "link[href='/static/report.css']"), 1, "the print stylesheet");

    let outside = app.get(&app.client, &format!("/orgs/{org}/report?from=2020-01-01&to=2020-12-31")).await;
    let html = outside.text().await.unwrap();
    assert_eq!(count(&html, "#report-incidents .report-incident"), 0, "an incident of another period is left out");
}

#[tokio::test]
async fn a_bad_period_is_a_field_error_that_keeps_the_values() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let bad = app.get(&app.client, &format!("/orgs/{org}/report?from=2019-13-01&to=2019-12-31")).await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = bad.text().await.unwrap();
    assert_eq!(count(&html, "#e-from"), 1);
    assert_eq!(count(&html, "#f-from[value='2019-13-01']"), 1);
    let order = app.get(&app.client, &format!("/orgs/{org}/report?from=2020-01-01&to=2019-12-31")).await;
    assert_eq!(order.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(count(&order.text().await.unwrap(), "#e-to"), 1);
    let ancient = app.get(&app.client, &format!("/orgs/{org}/report?from=0202-05-01&to=2019-12-31")).await;
    assert_eq!(ancient.status(), StatusCode::UNPROCESSABLE_ENTITY, "a year before 1900 is a typo");
    let long = app.get(&app.client, &format!("/orgs/{org}/report?from=1900-01-01&to=2019-12-31")).await;
    assert_eq!(long.status(), StatusCode::UNPROCESSABLE_ENTITY, "at most ten years");
    let download = app.get(&app.client, &format!("/orgs/{org}/report.xlsx?from=nope")).await;
    assert_eq!(download.status(), StatusCode::BAD_REQUEST);
}

fn zipped(bytes: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut file = archive.by_name(name).unwrap();
    let mut text = String::new();
    file.read_to_string(&mut text).unwrap();
    text
}

#[tokio::test]
async fn the_xlsx_has_a_sheet_per_section_with_a_frozen_header_and_real_dates() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    record(&app, org, &jimos()).await;
    let response = app.get(&app.client, &format!("/orgs/{org}/report.xlsx?from=2019-01-01&to=2019-12-31")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    let bytes = response.bytes().await.unwrap();
    let workbook = zipped(&bytes, "xl/workbook.xml");
    for sheet in
        ["certification", "controls", "records", "education", "audits", "incidents", "incident_filings", "gaps"]
    {
        assert!(workbook.contains(&format!("name=\"{sheet}\"")), "sheet {sheet}");
    }
    let controls = zipped(&bytes, "xl/worksheets/sheet2.xml");
    assert!(controls.contains("ySplit=\"1\""), "the header row is frozen");
    assert!(controls.contains("<col "), "column widths are set");
    let reports = zipped(&bytes, "xl/worksheets/sheet7.xml");
    assert!(reports.contains("<v>43732</v>"), "the final report due 2019-09-24 is a date serial, not text");
    let strings = zipped(&bytes, "xl/sharedStrings.xml");
    assert!(strings.contains("安全管理措置"), "Japanese headings are kept");
}

#[tokio::test]
async fn each_csv_section_is_utf8_with_a_bom_and_translated_headers() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let response = app.get(&app.client, &format!("/orgs/{org}/report/csv/controls")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "text/csv; charset=utf-8");
    let bytes = response.bytes().await.unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "a BOM for Excel");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(text.starts_with("管理策,指針,見出し"), "{}", &text[..60.min(text.len())]);
    assert_eq!(text.lines().count(), 44, "a header and 43 controls");
    let unknown = app.get(&app.client, &format!("/orgs/{org}/report/csv/passwords")).await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn every_member_may_read_the_report_and_nobody_else() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let viewer = app.add_member(Some(org), Role::Viewer, "viewer@example.jp").await;
    let auditor = app.add_member(Some(org), Role::Auditor, "auditor@example.jp").await;
    let (_, outsider) = app.add_organisation("他社株式会社", "outsider@example.jp").await;
    let anonymous = crate::helpers::new_client();
    for path in
        [format!("/orgs/{org}/report"), format!("/orgs/{org}/report.xlsx"), format!("/orgs/{org}/report/csv/gaps")]
    {
        for (client, expect) in [
            (&app.client, 200),
            (&viewer.client, 200),
            (&auditor.client, 200),
            (&outsider.client, 404),
            (&anonymous, 303),
        ] {
            assert_eq!(app.get(client, &path).await.status().as_u16(), expect, "{path}");
        }
    }
}

#[tokio::test]
async fn the_report_costs_the_same_queries_for_one_incident_or_many() {
    let counter = Arc::new(AtomicUsize::new(0));
    let app = spawn_app_with(|_| {}, Some(counter.clone())).await;
    let org = app.set_up_admin().await;
    let path = format!("/orgs/{org}/report?from=2019-01-01&to=2019-12-31");
    app.get(&app.client, &path).await;
    record(&app, org, &jimos()).await;
    app.get(&app.client, &path).await; // consumes the flash (a session write)
    counter.store(0, Ordering::SeqCst);
    assert_eq!(app.get(&app.client, &path).await.status(), StatusCode::OK);
    let one = counter.load(Ordering::SeqCst);
    for _ in 0..4 {
        record(&app, org, &jimos()).await;
    }
    app.get(&app.client, &path).await;
    counter.store(0, Ordering::SeqCst);
    let html = app.get(&app.client, &path).await.text().await.unwrap();
    let five = counter.load(Ordering::SeqCst);
    assert_eq!(count(&html, "#report-incidents .report-incident"), 5);
    assert_eq!(one, five, "no query per incident");
    assert!(one <= 14, "{one} queries: the session, the default period and the report's eleven loads");
}

#[tokio::test]
async fn the_pdf_embeds_a_subset_of_the_japanese_font_and_numbers_its_pages() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    record(&app, org, &jimos()).await;
    let response = app.get(&app.client, &format!("/orgs/{org}/report.pdf?from=2019-01-01&to=2019-12-31")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    let bytes = response.bytes().await.unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("+IPAGothic"), "a subset (tagged name) of IPAGothic is embedded");
    assert!(text.contains("/FontFile2"), "the font program is in the file");
    assert!(bytes.len() < 2_000_000, "{} bytes: a subset, not the whole 6 MB font", bytes.len());
    let count: usize = text
        .split("/Count ")
        .nth(1)
        .and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(count >= 5, "{count} pages: controls, records, incidents and gaps each start a page");
}

#[tokio::test]
async fn the_report_has_a_pms_structure_section_in_every_format() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    crate::pms_structure::record_structure(&app, org, &[]).await;
    let html = app.get(&app.client, &format!("/orgs/{org}/report")).await.text().await.unwrap();
    assert_eq!(texts(&html, "#report-pms-structure h2"), ["PMS体制"]);
    assert_eq!(texts(&html, "#report-pms-structure dd"), ["代表取締役 田中 一郎", "山田 花子"]);
    let csv = app.get(&app.client, &format!("/orgs/{org}/report/csv/pms_structure")).await;
    assert_eq!(csv.status(), StatusCode::OK);
    let bytes = csv.bytes().await.unwrap();
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines,
        ["役割,氏名", "代表者（トップマネジメント）,代表取締役 田中 一郎", "個人情報保護管理者,山田 花子"]
    );
    let xlsx = app.get(&app.client, &format!("/orgs/{org}/report.xlsx")).await.bytes().await.unwrap();
    assert!(zipped(&xlsx, "xl/workbook.xml").contains("name=\"pms_structure\""));
    assert!(zipped(&xlsx, "xl/sharedStrings.xml").contains("代表取締役 田中 一郎"));
}
