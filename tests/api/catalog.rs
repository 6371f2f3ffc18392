//! Both catalog editions and their crosswalk: `pmark catalog` and the `/catalog` page.

use std::process::{Command, Output};

use reqwest::StatusCode;

use crate::helpers::{attr, count, spawn_app, texts};

fn catalog(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pmark"))
        .arg("catalog")
        .args(args)
        .env("PMARK__LOG__LEVEL", "off")
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout.clone()).unwrap()
}

#[test]
fn the_json_catalog_defaults_to_the_2024_guideline_with_2017_ids_beside_each_item() {
    let json: serde_json::Value = serde_json::from_str(&stdout(&catalog(&[]))).unwrap();
    assert_eq!(json["edition"], "guideline-2024");
    assert_eq!(json["crosswalk_edition"], "jisq15001-2017");
    let items = json["items"].as_array().unwrap();
    let item = |id: &str| items.iter().find(|i| i["id"] == id).unwrap_or_else(|| panic!("{id} listed")).clone();
    let change = item("J.3.4");
    assert_eq!(change["title_ja"], "変更の計画策定");
    assert_eq!(change["verification"], "seen");
    assert_eq!(change["crosswalk"], serde_json::json!([]), "J.3.4 is new in 2024");
    let register = item("J.3.1.1");
    assert_eq!(register["crosswalk"], serde_json::json!([{ "id": "A.3.3.1", "confidence": "seen" }]));
    assert_eq!(item("J.9.2")["verification"], "unverified");
}

#[test]
fn the_2017_catalog_prints_as_csv_with_its_counterparts() {
    let text = stdout(&catalog(&["--edition", "jisq15001-2017", "--format", "csv"]));
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let column = headers.iter().position(|h| h == "crosswalk_guideline_2024").expect("crosswalk column");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 52);
    let register = rows.iter().find(|r| &r[0] == "A.3.3.1").unwrap();
    assert_eq!(&register[column], "J.3.1.1");
    let security = rows.iter().find(|r| &r[0] == "A.3.4.3.2").unwrap();
    assert_eq!(&security[column], "J.9.2?", "an inferred pair ends with ?");
}

#[test]
fn the_guideline_csv_lists_j_3_4_and_the_new_processed_information_items() {
    let text = stdout(&catalog(&["--format", "csv"]));
    let ids: Vec<String> =
        csv::Reader::from_reader(text.as_bytes()).records().map(|r| r.unwrap()[0].to_owned()).collect();
    for id in ["J.3.4", "J.8.3", "J.8.8.4", "J.8.9", "J.8.10", "J.11"] {
        assert!(ids.contains(&id.to_owned()), "{id}");
    }
}

#[test]
fn a_bad_edition_or_format_exits_2_naming_the_flag() {
    let edition = catalog(&["--edition", "jisq15001-2023"]);
    assert_eq!(edition.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&edition.stderr).contains("--edition"));
    let format = catalog(&["--format", "xml"]);
    assert_eq!(format.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&format.stderr).contains("--format"));
}

#[tokio::test]
async fn the_page_shows_the_2024_guideline_first_with_crosswalk_labels_and_quiet_marks() {
    let app = spawn_app().await;
    app.set_up_admin().await;
    let response = app.get(&app.client, "/catalog").await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    assert_eq!(attr(&html, "#catalog", "data-edition").as_deref(), Some("guideline-2024"));
    assert_eq!(
        attr(&html, "#editions a", "data-edition").as_deref(),
        Some("guideline-2024"),
        "the guideline comes first"
    );
    assert_eq!(attr(&html, "#editions a[aria-current]", "data-edition").as_deref(), Some("guideline-2024"));
    assert_eq!(count(&html, r#"tr[data-entry="J.3.4"]"#), 1);
    assert_eq!(texts(&html, r#"tr[data-entry="J.3.1.1"] .crosswalk"#), ["A.3.3.1"]);
    assert_eq!(texts(&html, r#"tr[data-entry="J.9.2"] .crosswalk"#), ["A.3.4.3.2?"]);
    assert_eq!(count(&html, r#"tr[data-entry="J.9.2"] .unverified-mark[title]"#), 1, "an unverified heading is marked");
    assert_eq!(count(&html, r#"tr[data-entry="J.3.4"] .unverified-mark"#), 0, "a heading seen in a source is not");
    assert_eq!(count(&html, "#catalog-legend"), 1, "one legend line explains the mark");
    assert_eq!(count(&html, "#catalog .badge"), 0, "no badge on the rows");
}

#[tokio::test]
async fn the_page_switches_to_the_2017_annex_a_with_j_numbers_beside_it() {
    let app = spawn_app().await;
    app.set_up_admin().await;
    let html = app.get(&app.client, "/catalog?edition=jisq15001-2017").await.text().await.unwrap();
    assert_eq!(attr(&html, "#catalog", "data-edition").as_deref(), Some("jisq15001-2017"));
    assert_eq!(count(&html, "#catalog tbody tr"), 52);
    assert_eq!(texts(&html, r#"tr[data-entry="A.3.3.1"] .crosswalk"#), ["J.3.1.1"]);
    let unchecked = app.get(&app.client, "/catalog?edition=jisq15001-2017&unchecked=1").await.text().await.unwrap();
    assert!(count(&unchecked, "#catalog tbody tr") < 52);
    assert_eq!(
        count(&unchecked, "#catalog tbody tr"),
        count(&unchecked, "#catalog tbody tr .unverified-mark"),
        "the filter keeps only the marked rows"
    );
    let unknown = app.get(&app.client, "/catalog?edition=jisq15001-2023").await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
}
