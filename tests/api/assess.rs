//! `pmark assess` and `POST /api/v1/assess`: every incident scenario through the real binary,
//! checked against its `expect` block, and the API against the same output.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

/// The scenario folders: the repository's copy, and the shared one next to the repository when
/// it is there (CI checks out the repository only).
fn scenario_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in [root.join("tests/fixtures/scenarios"), root.join("../shared/domain/scenarios")] {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        let mut found: Vec<PathBuf> =
            entries.map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "json")).collect();
        found.sort();
        files.extend(found);
    }
    files
}

/// Runs `pmark assess -` with `input` on standard input.
fn assess_stdin(input: &[u8], args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pmark"))
        .args(["assess", "-"])
        .args(args)
        .env("PMARK__LOG__LEVEL", "off")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

/// Runs `pmark assess FILE --format json` on the facts and returns the parsed output.
fn assess_file(facts: &Value) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("facts.json");
    std::fs::write(&path, serde_json::to_vec_pretty(facts).unwrap()).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_pmark"))
        .args(["assess", path.to_str().unwrap(), "--format", "json"])
        .env("PMARK__LOG__LEVEL", "off")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap()
}

fn strings(value: &Value) -> BTreeSet<String> {
    value.as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_owned()).collect()
}

/// Every mismatch between an assessment and a scenario's `expect` block.
fn mismatches(expect: &Value, out: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let priority =
        |id: &str| out["controls"].as_array().unwrap().iter().find(|c| c["id"] == id).map(|c| c["priority"].clone());
    for (key, wanted) in expect.as_object().unwrap() {
        let ok = match key.as_str() {
            "appi_reportable" => &out["appi"]["reportable"] == wanted,
            "pmark_report_required" => &out["pmark_report"]["required"] == wanted,
            "appi_categories" => strings(&out["appi"]["categories"]) == strings(wanted),
            "preliminary_due" => &out["pmark_report"]["preliminary_due"] == wanted,
            "final_due" => &out["pmark_report"]["final_due"] == wanted,
            "controls_include" => strings(wanted).iter().all(|id| priority(id).is_some()),
            "controls_high" => strings(wanted).iter().all(|id| priority(id) == Some(json!("high"))),
            "controls_exclude" => strings(wanted).iter().all(|id| priority(id).is_none()),
            other => {
                problems.push(format!("unknown expect key {other}"));
                continue;
            }
        };
        if !ok {
            problems.push(format!("{key}: expected {wanted}"));
        }
    }
    problems
}

#[test]
fn every_scenario_gives_the_expected_tracks_and_controls_through_the_binary() {
    let files = scenario_files();
    assert!(files.len() >= 10, "the repository's scenarios are found: {files:?}");
    let mut failures = Vec::new();
    for file in &files {
        let scenario: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        let out = assess_file(&scenario["facts"]);
        // The contract's invariants, whatever the scenario.
        let controls = out["controls"].as_array().unwrap();
        let rank = |c: &Value| ["high", "medium", "low"].iter().position(|p| c["priority"] == *p).unwrap();
        assert!(controls.windows(2).all(|w| rank(&w[0]) <= rank(&w[1])), "{}: sorted by priority", file.display());
        assert!(controls.iter().all(|c| !c["reasons"].as_array().unwrap().is_empty()));
        assert!(controls.iter().all(|c| c["catalog"] == "JIS Q 15001:2017"));
        let problems = mismatches(&scenario["expect"], &out);
        if !problems.is_empty() {
            failures.push(format!("{}: {}\n{out:#}", file.display(), problems.join("; ")));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn the_output_has_the_contract_shape() {
    let jimos = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/scenarios/jimos.json"));
    let scenario: Value = serde_json::from_str(&jimos.unwrap()).unwrap();
    let out = assess_file(&scenario["facts"]);
    assert_eq!(
        out["pmark_report"],
        json!({ "required": true, "preliminary_due": "2019-07-29", "preliminary_latest": "2019-07-31",
                "final_due": "2019-09-24" })
    );
    assert_eq!(out["appi"]["categories"], json!(["financial_damage", "wrongful_intent", "over_1000"]));
    assert_eq!(out["appi"]["notify_individuals"], json!(true));
    assert_eq!(out["appi"]["open_questions"], json!([]));
    let security = out["controls"].as_array().unwrap().iter().find(|c| c["id"] == "A.3.4.3.2").unwrap();
    assert_eq!(security["title_ja"], "安全管理措置");
    assert_eq!(security["title_en"], "Security control measures");
    assert_eq!(security["guideline_ref"], "J.9.2?");
    assert!(out["notes"].as_array().unwrap().iter().any(|n| n["code"] == "before_2022_04_01"));
}

#[test]
fn standard_input_and_the_text_format_work() {
    let facts = br#"{"discovered_on": "2024-05-23", "kinds": ["loss"], "causes": ["stolen_item"]}"#;
    let text = assess_stdin(facts, &["--lang", "en"]);
    assert!(text.status.success(), "{}", String::from_utf8_lossy(&text.stderr));
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert!(stdout.contains("Final report due: 2024-07-22"), "{stdout}");
    assert!(stdout.contains("[High] A.3.8 Corrective action"), "{stdout}");
    let ja = assess_stdin(facts, &[]);
    assert!(String::from_utf8_lossy(&ja.stdout).contains("是正処置"), "Japanese text by default");
}

#[test]
fn bad_input_exits_2_naming_the_field_without_panicking() {
    let cases: [(&[u8], &str); 8] = [
        (
            br#"{"discovered_on": "2024-05-23", "kinds": ["loss"], "causes": ["hacking"]}"#,
            "causes[0]: unknown value \"hacking\"; allowed: web_vulnerability",
        ),
        (br#"{"discovered_on": "2024-05-23", "kinds": ["loss"]}"#, "causes: required"),
        (
            br#"{"discovered_on": "2024-13-01", "kinds": ["loss"], "causes": ["lost_item"]}"#,
            "discovered_on: \"2024-13-01\"",
        ),
        (
            br#"{"discovered_on": "2024-05-23", "kinds": ["loss"], "causes": ["lost_item"], "severity": 3}"#,
            "severity: unknown key",
        ),
        (br#"{"discovered_on": "2024-05-23", "kinds": [], "causes": ["lost_item"]}"#, "kinds: give at least one value"),
        (
            br#"{"discovered_on": "2024-05-23", "kinds": ["loss"], "causes": ["lost_item"], "affected_people": -5}"#,
            "affected_people: -5 is negative",
        ),
        (b"{\n  \"kinds\": [loss]\n}", "line 2 column 13"),
        (b"\xff\xfe", "-: cannot read standard input"),
    ];
    for (input, named) in cases {
        let output = assess_stdin(input, &["--format", "json"]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{named}: {stderr}");
        assert!(stderr.contains(named), "should name {named}: {stderr}");
        assert!(!stderr.contains("panicked") && output.stdout.is_empty(), "{stderr}");
    }
    let missing = Command::new(env!("CARGO_BIN_EXE_pmark")).args(["assess", "/no/such/file.json"]).output().unwrap();
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/no/such/file.json: cannot read the file"));
    let format = Command::new(env!("CARGO_BIN_EXE_pmark")).args(["assess", "-", "--format", "xml"]).output().unwrap();
    assert_eq!(format.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&format.stderr).contains("--format"));
}

async fn post_assess(app: &TestApp, client: &reqwest::Client, body: impl Into<reqwest::Body>) -> reqwest::Response {
    let token = app.csrf_token(client).await;
    client
        .post(app.url("/api/v1/assess"))
        .header("x-csrf-token", token)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_api_gives_members_the_same_assessment_as_the_command_line() {
    let app = spawn_app().await;
    app.set_up_admin().await;
    let jimos = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/scenarios/jimos.json"));
    let facts = serde_json::from_str::<Value>(&jimos.unwrap()).unwrap()["facts"].clone();
    let response = post_assess(&app, &app.client, facts.to_string()).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("application/json"));
    let body: Value = response.json().await.unwrap();
    assert_eq!(body, assess_file(&facts));
}

#[tokio::test]
async fn the_api_refuses_strangers_bad_facts_big_bodies_and_missing_tokens_in_json() {
    let app = spawn_app().await;
    let facts = json!({ "discovered_on": "2024-05-23", "kinds": ["loss"], "causes": ["stolen_item"] });

    // Signed out (with a valid CSRF token of the anonymous session): 401 in JSON, no redirect.
    let stranger = crate::helpers::new_client();
    let signed_out = post_assess(&app, &stranger, facts.to_string()).await;
    assert_eq!(signed_out.status(), StatusCode::UNAUTHORIZED);
    assert!(signed_out.json::<Value>().await.unwrap()["error"].is_string());

    app.set_up_admin().await;
    // A member without an organisation: 403.
    let loner = app.add_member(None, pmark::domain::Role::Viewer, "loner@example.jp").await;
    let refused = post_assess(&app, &loner.client, facts.to_string()).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert!(refused.json::<Value>().await.unwrap()["error"].is_string());

    // Bad facts: 422 naming the field.
    let bad = json!({ "discovered_on": "2024-05-23", "kinds": ["loss"], "causes": ["stolen_item", "hacking"] });
    let invalid = post_assess(&app, &app.client, bad.to_string()).await;
    assert_eq!(invalid.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = invalid.json().await.unwrap();
    assert_eq!(body["field"], "causes");
    assert!(body["error"].as_str().unwrap().starts_with("causes[1]: unknown value \"hacking\"; allowed:"), "{body}");
    let syntax = post_assess(&app, &app.client, "{\"kinds\": [").await;
    assert_eq!(syntax.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(syntax.json::<Value>().await.unwrap()["error"].as_str().unwrap().contains("invalid JSON"));

    // A body over the limit: 413 in JSON.
    let padded = json!({ "discovered_on": "2024-05-23", "kinds": ["loss"], "causes": ["lost_item"],
                         "title": "x".repeat(70 * 1024) });
    let too_big = post_assess(&app, &app.client, padded.to_string()).await;
    assert_eq!(too_big.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(too_big.json::<Value>().await.unwrap()["error"].is_string());

    // No CSRF token: 403 from the middleware, like every unsafe request.
    let no_token = app
        .client
        .post(app.url("/api/v1/assess"))
        .header("content-type", "application/json")
        .body(facts.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(no_token.status(), StatusCode::FORBIDDEN);
}
