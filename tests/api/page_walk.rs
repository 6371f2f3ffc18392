//! A reader's walk through a demo organisation: every page linked from the dashboard, and the
//! pages those link to, in Japanese and in English. It fails on what a reader should never meet:
//! a message id, an identifier (snake_case), an ISO date or an English word in the Japanese text.

use std::collections::{BTreeSet, VecDeque};

use scraper::{Html, Selector};

use crate::helpers::{TestApp, spawn_app};
use crate::incidents::{jimos, record};

/// Words a Japanese page may show in Latin letters: names of things, not English.
const LATIN_IN_JAPANESE: &[&str] = &[
    "pmark",
    "PMS",
    "JIS",
    "JIPDEC",
    "PPC",
    "APPI",
    "CSV",
    "PDF",
    "Excel",
    "XLSX",
    "SMTP",
    "Web",
    "ID",
    "URL",
    "SHA",
    "JST",
    "Slack",
    "Google",
    "Drive",
    "SharePoint",
    "Box",
    "DIY",
    "Pマーク",
    "JIMOS",
    "jimos",
    "example",
    "admin",
    "WAF",
    "IPA",
    "CSIRT",
    "VPN",
    "USB",
    "FAX",
    "Eメール",
    "IT",
    "EC",
    "OK",
    "SaaS",
    "HTTPS",
    "Chrome",
    "test",
    "English",
    "JISA",
    "SARC",
];

/// The text a reader sees: the body's text nodes outside scripts, styles and code.
fn visible_text(html: &str) -> String {
    let document = Html::parse_document(html);
    let body = Selector::parse("body").unwrap();
    let mut out = String::new();
    for node in document.select(&body).flat_map(|b| b.descendants()) {
        if let Some(text) = node.value().as_text() {
            let hidden = node.ancestors().any(|a| {
                a.value()
                    .as_element()
                    .is_some_and(|e| matches!(e.name(), "script" | "style" | "code" | "textarea" | "pre"))
            });
            if !hidden {
                out.push_str(text);
                out.push('\n');
            }
        }
    }
    out
}

/// Same-organisation pages linked from `html`, without fragments or downloads.
fn links(html: &str, org: i32) -> Vec<String> {
    let document = Html::parse_document(html);
    let a = Selector::parse("a[href]").unwrap();
    let prefix = format!("/orgs/{org}");
    document
        .select(&a)
        .filter_map(|e| e.value().attr("href"))
        .map(|href| href.split('#').next().unwrap_or_default().to_owned())
        .filter(|href| href.starts_with(&prefix))
        .filter(|href| {
            !(href.contains(".pdf")
                || href.contains(".xlsx")
                || href.contains("/csv/")
                || href.contains("/download")
                || href.contains("/export"))
        })
        .collect()
}

/// Every message id of the Fluent files.
fn message_ids() -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for lang in ["ja", "en"] {
        let dir = format!("{}/locales/{lang}", env!("CARGO_MANIFEST_DIR"));
        for entry in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            ids.extend(text.lines().filter_map(|l| l.split_once(" = ")).map(|(key, _)| key.trim().to_owned()));
        }
    }
    ids
}

fn problems(text: &str, japanese: bool, ids: &BTreeSet<String>) -> Vec<String> {
    // What a message quotes as code (`pmark remind`, a setting's name) is code, not words.
    let text: String = text.split('`').step_by(2).collect::<Vec<_>>().join(" ");
    let mut found = Vec::new();
    for word in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-')) {
        let word = word.trim_matches('-');
        if word.is_empty() {
            continue;
        }
        let letters = word.chars().filter(char::is_ascii_alphabetic).count();
        if word.contains('_') && letters > 2 {
            found.push(format!("identifier {word}"));
        } else if ids.contains(word) {
            found.push(format!("message id {word}"));
        } else if word.len() == 10 && word.matches('-').count() == 2 && word.starts_with(|c: char| c.is_ascii_digit()) {
            if japanese {
                found.push(format!("ISO date {word}"));
            }
        } else if japanese
            && letters >= 4
            && word.chars().all(|c| c.is_ascii_alphabetic())
            && !LATIN_IN_JAPANESE.iter().any(|allowed| allowed.eq_ignore_ascii_case(word))
        {
            found.push(format!("English {word}"));
        }
    }
    found
}

async fn walk(app: &TestApp, org: i32, japanese: bool) -> (usize, Vec<String>) {
    let mut seen = BTreeSet::new();
    let mut queue = VecDeque::from([format!("/orgs/{org}")]);
    let mut report = Vec::new();
    let ids = message_ids();
    while let Some(path) = queue.pop_front() {
        if !seen.insert(path.clone()) || seen.len() > 120 {
            continue;
        }
        let response = app.get(&app.client, &path).await;
        let status = response.status();
        let html = response.text().await.unwrap();
        if !status.is_success() {
            report.push(format!("{path}: {status}"));
            continue;
        }
        let mut found = problems(&visible_text(&html), japanese, &ids);
        found.sort();
        found.dedup();
        report.extend(found.into_iter().map(|p| format!("{path}: {p}")));
        queue.extend(links(&html, org).into_iter().filter(|l| !seen.contains(l)));
    }
    (seen.len(), report)
}

#[tokio::test]
async fn every_page_of_an_organisation_reads_as_words_in_japanese_and_in_english() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    record(&app, org, &jimos()).await;
    let (pages, found) = walk(&app, org, true).await;
    assert!(pages >= 20, "the walk reached {pages} pages");
    assert!(found.is_empty(), "{} problems in Japanese:\n{}", found.len(), found.join("\n"));
    app.post_form(&app.client, "/lang", &[("lang", "en"), ("next", "/")]).await;
    let dashboard = app.get(&app.client, &format!("/orgs/{org}")).await.text().await.unwrap();
    assert!(dashboard.contains("1 incident open"), "one incident, in the singular");
    let (_, found) = walk(&app, org, false).await;
    assert!(found.is_empty(), "{} problems in English:\n{}", found.len(), found.join("\n"));
}
