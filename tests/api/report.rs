//! The audit-prep report: its sections on screen, the period form, XLSX with a sheet per section,
//! CSV with a BOM, the command line, who may read it, and a fixed number of queries.

use std::collections::HashMap;
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
    assert_eq!(texts(&html, "#report-period"), vec!["2019年1月1日 – 2019年12月31日"]);
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
    assert_eq!(
        sheet_names(&workbook),
        [
            "1 プライバシーマーク",
            "1.1 PMS体制",
            "2 管理策（適用宣言）",
            "3 運用の記録",
            "3.1 教育実施サマリ",
            "3.2 内部監査・マネジメントレビューのサマリ",
            "4 事故",
            "4.1 事故の報告",
            "4.2 事故を受けた管理策の点検",
            "5 不備・未対応",
        ]
    );
    let controls = zipped(&bytes, "xl/worksheets/sheet3.xml");
    assert!(controls.contains("ySplit=\"1\""), "the header row is frozen");
    assert!(controls.contains("<col "), "column widths are set");
    let reports = zipped(&bytes, "xl/worksheets/sheet8.xml");
    assert!(reports.contains("<v>43732</v>"), "the final report due 2019-09-24 is a date serial, not text");
    let strings = zipped(&bytes, "xl/sharedStrings.xml");
    assert!(strings.contains("安全管理措置"), "Japanese headings are kept");
    let styles = zipped(&bytes, "xl/styles.xml");
    assert!(styles.contains("formatCode=\"yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;\""), "{styles}");
    let incidents = zipped(&bytes, "xl/worksheets/sheet7.xml");
    let affected = incidents.split("<c r=\"G2\"").nth(1).and_then(|c| c.split("</c>").next()).unwrap();
    assert!(!affected.contains("t=\"s\"") && affected.contains("<v>107661</v>"), "a number, not text: {affected}");
}

/// The sheet names of a workbook, in order.
fn sheet_names(workbook: &str) -> Vec<String> {
    workbook
        .split("<sheet name=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|name| name.replace("&amp;", "&"))
        .collect()
}

/// The `filename` and the decoded RFC 5987 `filename*` of a download.
fn file_names(response: &reqwest::Response) -> (String, String) {
    let header = response.headers()["content-disposition"].to_str().unwrap().to_owned();
    let ascii = header.split("filename=\"").nth(1).and_then(|r| r.split('"').next()).unwrap().to_owned();
    let encoded = header.split("filename*=UTF-8''").nth(1).unwrap();
    let mut bytes = Vec::new();
    let mut chars = encoded.bytes();
    while let Some(b) = chars.next() {
        if b == b'%' {
            let hex: String = [chars.next().unwrap(), chars.next().unwrap()].iter().map(|b| *b as char).collect();
            bytes.push(u8::from_str_radix(&hex, 16).unwrap());
        } else {
            bytes.push(b);
        }
    }
    (ascii, String::from_utf8(bytes).unwrap())
}

/// The rows of a CSV download (after the BOM).
async fn csv_rows(response: reqwest::Response) -> Vec<Vec<String>> {
    let bytes = response.bytes().await.unwrap();
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&bytes[3..])
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

/// A value that is a stored key or a message id rather than words: `in_progress`,
/// `incident-status-open`.
fn looks_like_a_key(cell: &str) -> bool {
    let word = |w: &str| {
        w.starts_with(|c: char| c.is_ascii_lowercase())
            && w.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    };
    cell.split(['_', '-']).count() > 1 && cell.split(['_', '-']).all(word)
}

#[tokio::test]
async fn the_exports_name_sections_and_files_in_the_readers_language_and_print_labels_not_keys() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    record(&app, org, &jimos()).await;
    let period = "from=2019-01-01&to=2019-12-31";
    let page = app.get(&app.client, &format!("/orgs/{org}/report?{period}")).await.text().await.unwrap();
    let links = texts(&page, "a.download-csv");
    assert_eq!(links.first().map(String::as_str), Some("CSV：1 プライバシーマーク"));
    assert!(links.contains(&"CSV：4.1 事故の報告".to_owned()), "{links:?}");
    assert!(links.iter().all(|l| !l.contains('_')), "no raw keys: {links:?}");

    let sections = pmark::report::model::SECTIONS.iter().map(|(key, _)| key.as_str());
    for (lang, filings_name, header, xlsx_name) in [
        ("ja", "4.1_事故の報告_2019-01-01_2019-12-31.csv", "事故番号", "審査用レポート_2019-01-01_2019-12-31.xlsx"),
        (
            "en",
            "4.1_Incident_filings_2019-01-01_2019-12-31.csv",
            "Incident no.",
            "audit-prep-report_2019-01-01_2019-12-31.xlsx",
        ),
    ] {
        app.post_form(&app.client, "/lang", &[("lang", lang), ("next", "/")]).await;
        let filings = app.get(&app.client, &format!("/orgs/{org}/report/csv/incident_filings?{period}")).await;
        assert_eq!(
            file_names(&filings),
            ("pmark-incident_filings-2019-01-01-2019-12-31.csv".to_owned(), filings_name.to_owned())
        );
        let rows = csv_rows(filings).await;
        assert_eq!(rows[0][0], header, "{lang}");
        for section in sections.clone() {
            let response = app.get(&app.client, &format!("/orgs/{org}/report/csv/{section}?{period}")).await;
            for cell in csv_rows(response).await.iter().flatten() {
                assert!(!looks_like_a_key(cell), "{lang} {section}: `{cell}` is a key, not a label");
            }
        }
        let xlsx = app.get(&app.client, &format!("/orgs/{org}/report.xlsx?{period}")).await;
        assert_eq!(file_names(&xlsx).1, xlsx_name);
    }
    let html = app.get(&app.client, &format!("/orgs/{org}/report?{period}")).await.text().await.unwrap();
    assert!(texts(&html, "a.download-csv").contains(&"CSV: 4.1 Incident filings".to_owned()));
}

/// The report of 2019 of `org` in Japanese, as the downloads build it.
async fn report_of_2019(app: &crate::helpers::TestApp, org: i32) -> pmark::report::AuditReport {
    use sea_orm::EntityTrait;
    let organisation = pmark::entities::organisation::Entity::find_by_id(org).one(&app.db).await.unwrap().unwrap();
    let catalogs = pmark::domain::catalog::Catalogs::builtin().unwrap();
    let renewal = pmark::settings::Settings::load(None).unwrap().renewal;
    let period = pmark::report::Period { from: "2019-01-01".parse().unwrap(), to: "2019-12-31".parse().unwrap() };
    let today = app.clock.today();
    pmark::report::load_and_build(
        &app.db,
        catalogs.current(),
        &renewal,
        organisation,
        period,
        pmark::domain::Lang::Ja,
        today,
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn the_pdf_never_splits_a_date_or_a_control_id_across_lines() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    record(&app, org, &jimos()).await;
    // Long rules and reasons on every control: the columns that squeeze the short ones.
    use pmark::entities::organisation_control::{Column, Entity};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    let long = "個人情報保護規程 第12条（安全管理措置）に基づき、部門ごとの手順書で運用する。".repeat(3);
    Entity::update_many()
        .col_expr(Column::InternalRule, Expr::value(long.clone()))
        .col_expr(Column::NotApplicableReason, Expr::value(long))
        .filter(Column::OrganisationId.eq(org))
        .exec(&app.db)
        .await
        .unwrap();
    let report = report_of_2019(&app, org).await;
    // Every date and control id of every cell is drawn whole on some line, as often as cells hold it.
    let mut in_cells: HashMap<String, usize> = HashMap::new();
    for table in pmark::report::tables::tables(&report) {
        for cell in table.rows.iter().flatten() {
            for word in dates_and_ids(&cell.shown(report.locale())) {
                *in_cells.entry(word).or_default() += 1;
            }
        }
    }
    let mut drawn: HashMap<String, usize> = HashMap::new();
    for line in pmark::report::pdf::text_lines(&report) {
        for word in dates_and_ids(&line) {
            *drawn.entry(word).or_default() += 1;
        }
    }
    assert!(in_cells.values().sum::<usize>() > 100, "{in_cells:?}");
    for (word, cells) in &in_cells {
        let lines = drawn.get(word).copied().unwrap_or_default();
        assert!(lines >= *cells, "{word} is in {cells} cells but drawn whole {lines} times: split across lines");
    }
}

/// The dates (`2019-07-26`, `2019年7月26日`) and control ids (`A.3.4.2.8.1`) in `text`.
fn dates_and_ids(text: &str) -> Vec<String> {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || ".-年月日".contains(c)))
        .map(|w| w.trim_end_matches('.'))
        .filter(|w| {
            let date = w.len() == 10 && w.matches('-').count() == 2 && w.starts_with(|c: char| c.is_ascii_digit());
            let japanese = w.starts_with(|c: char| c.is_ascii_digit()) && w.contains('年') && w.ends_with('日');
            date || japanese || (w.starts_with("A.") && w.len() > 4)
        })
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn every_format_numbers_the_sections_alike_from_the_one_list() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    record(&app, org, &jimos()).await;
    let expected: Vec<String> =
        pmark::report::model::section_heads(pmark::domain::Lang::Ja).iter().map(|h| h.heading()).collect();
    assert_eq!(expected[4], "3.1 教育実施サマリ");

    let period = "from=2019-01-01&to=2019-12-31";
    let html = app.get(&app.client, &format!("/orgs/{org}/report?{period}")).await.text().await.unwrap();
    let mut shown: Vec<String> = Vec::new();
    for heading in texts(&html, "#report .report-section > h2, #report .report-section > h3, #report caption") {
        if !shown.contains(&heading) {
            shown.push(heading);
        }
    }
    assert_eq!(shown, expected, "the page");

    let xlsx = app.get(&app.client, &format!("/orgs/{org}/report.xlsx?{period}")).await.bytes().await.unwrap();
    assert_eq!(sheet_names(&zipped(&xlsx, "xl/workbook.xml")), expected, "the workbook");

    let report = report_of_2019(&app, org).await;
    assert_eq!(pmark::report::pdf::headings(&report), expected, "the PDF");

    for (section, heading) in pmark::report::model::SECTIONS.iter().map(|(key, _)| key.as_str()).zip(&expected) {
        let csv = app.get(&app.client, &format!("/orgs/{org}/report/csv/{section}?{period}")).await;
        let number = heading.split(' ').next().unwrap();
        assert!(file_names(&csv).1.starts_with(&format!("{number}_")), "the CSV of {section}");
    }
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

/// A PDF evidence file dated `effective_on`.
fn evidence_file(description: &'static str, effective_on: &str) -> reqwest::multipart::Form {
    use reqwest::multipart::{Form, Part};
    Form::new()
        .text("kind", "file")
        .text("description", description)
        .text("effective_on", effective_on.to_owned())
        .part(
            "file",
            Part::bytes(b"%PDF-1.4 evidence".to_vec()).file_name("証跡.pdf").mime_str("application/pdf").unwrap(),
        )
}

#[tokio::test]
async fn evidence_on_a_training_or_an_audit_record_counts_for_the_control_they_serve() {
    use pmark::store::audit::Actor;
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let values = pmark::store::trainings::TrainingValues {
        pms_year: 2026,
        title: "2026年度 個人情報保護教育".to_owned(),
        topics: vec![pmark::domain::training::Topic::Policy],
        method: "eラーニング".to_owned(),
        audience: pmark::domain::training::Audience::default(),
        starts_on: "2026-06-01".parse().unwrap(),
        ends_on: "2026-06-30".parse().unwrap(),
        pass_mark: None,
        notes: String::new(),
    };
    let training = pmark::store::trainings::create(&app.db, &Actor::command_line(), org, &values).await.unwrap();
    let uploaded = app
        .post_multipart(
            &app.client,
            &format!("/orgs/{org}/trainings/{}/evidence", training.id),
            evidence_file("教材", "2026-06-01"),
        )
        .await;
    assert_eq!(uploaded.status(), StatusCode::SEE_OTHER);
    let audit = pmark::store::duties::list(&app.db, org)
        .await
        .unwrap()
        .into_iter()
        .find(|d| d.builtin_key.as_deref() == Some("internal_audit"))
        .unwrap();
    let record = format!("/orgs/{org}/duties/{}/2026/0", audit.id);
    let fields = [
        ("performed_on", "2026-09-15"),
        ("performed_by", "監査責任者"),
        ("summary", "全部門を監査"),
        ("findings_count", "2"),
    ];
    assert_eq!(app.post_form(&app.client, &record, &fields).await.status(), StatusCode::SEE_OTHER);
    let uploaded =
        app.post_multipart(&app.client, &format!("{record}/evidence"), evidence_file("監査報告書", "2026-09-15")).await;
    assert_eq!(uploaded.status(), StatusCode::SEE_OTHER);

    let period = "from=2026-04-01&to=2026-11-30";
    let html = app.get(&app.client, &format!("/orgs/{org}/report?{period}")).await.text().await.unwrap();
    let gaps = texts(&html, "#report-gaps tbody tr").join("\n");
    assert!(gaps.contains("A.3.3.1"), "a control without evidence is still a gap: {gaps}");
    for served in ["A.3.4.5", "A.3.7.2"] {
        assert!(!gaps.contains(served), "{served} has evidence through its records: {gaps}");
        let cell = texts(&html, &format!("#report-controls tr[data-control='{served}'] td.evidence"));
        assert!(cell.first().is_some_and(|c| c.starts_with('1')), "{served}: {cell:?}");
    }
    let csv = app.get(&app.client, &format!("/orgs/{org}/report/csv/gaps?{period}")).await.bytes().await.unwrap();
    let csv = String::from_utf8(csv[3..].to_vec()).unwrap();
    assert!(csv.contains("A.3.3.1"), "{csv}");
    assert!(!csv.contains("A.3.4.5") && !csv.contains("A.3.7.2"), "{csv}");

    // The controls page counts the same way (one counting function).
    let controls = app.get(&app.client, &format!("/orgs/{org}/controls?evidence=none")).await.text().await.unwrap();
    assert_eq!(count(&controls, "tr[data-control='A.3.4.5']"), 0, "the training's evidence counts");
    assert_eq!(count(&controls, "tr[data-control='A.3.7.2']"), 0, "the audit record's evidence counts");
    assert_eq!(count(&controls, "tr[data-control='A.3.3.1']"), 1);
}

#[tokio::test]
async fn the_report_has_a_pms_structure_section_in_every_format() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    crate::pms_structure::record_structure(&app, org, &[]).await;
    let html = app.get(&app.client, &format!("/orgs/{org}/report")).await.text().await.unwrap();
    assert_eq!(texts(&html, "#report-pms-structure h2"), ["1.1 PMS体制"]);
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
    assert!(zipped(&xlsx, "xl/workbook.xml").contains("name=\"1.1 PMS体制\""));
    assert!(zipped(&xlsx, "xl/sharedStrings.xml").contains("代表取締役 田中 一郎"));
}

#[tokio::test]
async fn a_control_past_its_review_date_is_a_gap_named_in_words() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let path = format!("/orgs/{org}/controls/A.3.3.1");
    let html = app.get(&app.client, &path).await.text().await.unwrap();
    let version = crate::helpers::input_value(&html, "lock_version").unwrap_or_default();
    let fields = [
        ("lock_version", version.as_str()),
        ("applicable", "yes"),
        ("not_applicable_reason", ""),
        ("status", "implemented"),
        ("owner", ""),
        ("internal_rule", ""),
        ("notes", ""),
        ("last_reviewed_on", "2018-05-15"),
        ("next_review_due", "2019-05-15"),
    ];
    assert_eq!(app.post_form(&app.client, &path, &fields).await.status(), StatusCode::SEE_OTHER);
    let html =
        app.get(&app.client, &format!("/orgs/{org}/report?from=2019-01-01&to=2019-12-31")).await.text().await.unwrap();
    let gaps = texts(&html, "#report-gaps tbody tr").join("\n");
    assert!(gaps.contains("管理策の見直し期限超過") && gaps.contains("2019年5月15日"), "{gaps}");
    assert!(!gaps.contains("gap-"), "no message ids: {gaps}");
}
