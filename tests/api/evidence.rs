use pmark::domain::Role;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};

use crate::helpers::{TestApp, count, input_value, new_client, spawn_app, spawn_app_with, texts};

fn file_form(name: &str, bytes: Vec<u8>, description: &str, effective_on: &str) -> Form {
    Form::new()
        .text("kind", "file")
        .text("description", description.to_owned())
        .text("effective_on", effective_on.to_owned())
        .part("file", Part::bytes(bytes).file_name(name.to_owned()).mime_str("application/pdf").unwrap())
}

async fn evidence_rows(app: &TestApp) -> usize {
    use sea_orm::{EntityTrait, PaginatorTrait};
    pmark::entities::evidence::Entity::find().count(&app.db).await.unwrap() as usize
}

/// Every content kept: the files under the evidence folder (staging included) and the rows of
/// `evidence_blobs` (`uploads.storage = "database"`, the default on PostgreSQL).
async fn kept_contents(app: &TestApp) -> Vec<String> {
    use sea_orm::EntityTrait;
    fn walk(dir: &std::path::Path, found: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() { walk(&path, found) } else { found.push(path.display().to_string()) }
        }
    }
    let mut found = Vec::new();
    walk(&app.evidence_dir(), &mut found);
    let blobs = pmark::entities::evidence_blob::Entity::find().all(&app.db).await.unwrap();
    found.extend(blobs.into_iter().map(|b| format!("evidence_blobs: {}", b.storage_key)));
    found
}

#[tokio::test]
async fn an_uploaded_file_is_stored_once_with_its_hash_and_downloaded_as_an_attachment() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let path = format!("/orgs/{org}/controls/A.3.3.1");
    let content = "個人情報管理台帳 2026年度\n".repeat(100).into_bytes();
    let response = app
        .post_multipart(
            &app.client,
            &format!("{path}/evidence"),
            file_form("台帳 2026.pdf", content.clone(), "個人情報管理台帳", "2026-05-15"),
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);

    let html = app.get(&app.client, &path).await.text().await.unwrap();
    assert_eq!(count(&html, "#evidence-list tbody tr"), 1);
    let sha = texts(&html, "#evidence-list code").pop().unwrap();
    assert_eq!(sha, hex_sha256(&content));
    assert_eq!(
        texts(&html, "#evidence-list td").first().map(String::as_str),
        Some("2026年5月15日"),
        "the effective date, not the upload time"
    );

    let row = pmark::store::evidence::list_for(
        &app.db,
        org,
        pmark::store::evidence::Subject::Control(control_row(&app, org, "A.3.3.1").await),
    )
    .await
    .unwrap();
    assert_eq!(row[0].size_bytes, Some(content.len() as i64));
    assert_eq!(row[0].file_name.as_deref(), Some("台帳 2026.pdf"));
    let download = app.get(&app.client, &format!("/orgs/{org}/evidence/{}/download", row[0].id)).await;
    assert_eq!(download.status(), StatusCode::OK);
    assert_eq!(download.headers()["content-type"], "application/pdf");
    let disposition = download.headers()["content-disposition"].to_str().unwrap().to_owned();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert!(disposition.contains("filename*=UTF-8''%E5%8F%B0%E5%B8%B3%202026.pdf"), "{disposition}");
    assert_eq!(download.headers()["x-content-type-options"], "nosniff");
    assert_eq!(download.bytes().await.unwrap().to_vec(), content);
    assert_eq!(kept_contents(&app).await.len(), 1, "one file, nothing left in staging");

    // A second version is a new record; the first stays.
    let v2 = Form::new()
        .text("kind", "file")
        .text("description", "個人情報管理台帳（改訂）")
        .text("effective_on", "2026-06-01")
        .text("supersedes_id", row[0].id.to_string())
        .part("file", Part::bytes(b"v2".to_vec()).file_name("台帳 2026.pdf"));
    assert_eq!(app.post_multipart(&app.client, &format!("{path}/evidence"), v2).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(evidence_rows(&app).await, 2);
    assert_eq!(kept_contents(&app).await.len(), 2);
    let again = app.get(&app.client, &format!("/orgs/{org}/evidence/{}/download", row[0].id)).await;
    assert_eq!(again.bytes().await.unwrap().to_vec(), content, "never overwritten");
}

#[tokio::test]
async fn a_download_is_served_with_its_declared_type_only_when_that_type_is_inert() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let path = format!("/orgs/{org}/controls/A.3.3.1");
    for (name, declared) in [("app.js", "text/javascript"), ("page.html", "text/html"), ("一覧.csv", "text/csv")] {
        let form = Form::new()
            .text("kind", "file")
            .text("description", name.to_owned())
            .text("effective_on", "2026-05-15")
            .part("file", Part::bytes(b"alert(1)".to_vec()).file_name(name.to_owned()).mime_str(declared).unwrap());
        assert_eq!(
            app.post_multipart(&app.client, &format!("{path}/evidence"), form).await.status(),
            StatusCode::SEE_OTHER
        );
    }
    let rows = pmark::store::evidence::list_for(
        &app.db,
        org,
        pmark::store::evidence::Subject::Control(control_row(&app, org, "A.3.3.1").await),
    )
    .await
    .unwrap();
    for row in rows {
        let download = app.get(&app.client, &format!("/orgs/{org}/evidence/{}/download", row.id)).await;
        let expected =
            if row.file_name.as_deref() == Some("一覧.csv") { "text/csv" } else { "application/octet-stream" };
        assert_eq!(download.headers()["content-type"], expected, "{:?}", row.file_name);
        assert!(download.headers()["content-disposition"].to_str().unwrap().starts_with("attachment;"));
        assert_eq!(download.headers()["x-content-type-options"], "nosniff");
    }
}

fn hex_sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(sha2::Sha256::digest(bytes))
}

async fn control_row(app: &TestApp, org: i32, clause: &str) -> i32 {
    pmark::store::controls::find(&app.db, org, "JIS Q 15001:2017", clause).await.unwrap().unwrap().id
}

#[tokio::test]
async fn a_link_is_evidence_too() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let path = format!("/orgs/{org}/controls/A.3.2.2");
    let form = Form::new()
        .text("kind", "link")
        .text("description", "公表している個人情報保護方針")
        .text("effective_on", "2026-04-01")
        .text("url", "https://example.jp/privacy");
    assert_eq!(
        app.post_multipart(&app.client, &format!("{path}/evidence"), form).await.status(),
        StatusCode::SEE_OTHER
    );
    let html = app.get(&app.client, &path).await.text().await.unwrap();
    let document = scraper::Html::parse_document(&html);
    let link = document
        .select(&scraper::Selector::parse("#evidence-list a[rel~=noopener]").unwrap())
        .next()
        .expect("the link");
    assert_eq!(link.value().attr("href"), Some("https://example.jp/privacy"));
    assert!(kept_contents(&app).await.is_empty());
}

#[tokio::test]
async fn refused_uploads_say_why_keep_the_values_and_leave_nothing_behind() {
    let app = spawn_app_with(|s| s.uploads.max_mb = 1, None).await;
    let org = app.set_up_admin().await;
    let upload = format!("/orgs/{org}/controls/A.3.3.1/evidence");
    let cases: Vec<(&str, Form, StatusCode, &str)> = vec![
        (
            "empty file",
            file_form("empty.pdf", Vec::new(), "空", "2026-05-01"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "file",
        ),
        (
            "oversize",
            file_form("big.pdf", vec![b'x'; 1024 * 1024 + 1], "大きい", "2026-05-01"),
            StatusCode::PAYLOAD_TOO_LARGE,
            "file",
        ),
        (
            "path in name",
            file_form("../../etc/passwd", b"x".to_vec(), "パス", "2026-05-01"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "file",
        ),
        (
            "windows path",
            file_form("C:\\temp\\a.pdf", b"x".to_vec(), "パス", "2026-05-01"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "file",
        ),
        (
            "right-to-left override in name",
            file_form("invoice\u{202E}fdp.exe", b"x".to_vec(), "向き", "2026-05-01"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "file",
        ),
        (
            "no file",
            Form::new().text("kind", "file").text("description", "なし").text("effective_on", "2026-05-01"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "file",
        ),
        (
            "future date",
            file_form("a.pdf", b"x".to_vec(), "未来", "2099-01-01"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "effective_on",
        ),
        (
            "bad date",
            file_form("a.pdf", b"x".to_vec(), "日付", "2026-02-30"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "effective_on",
        ),
        (
            "no description",
            file_form("a.pdf", b"x".to_vec(), " ", "2026-05-01"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "description",
        ),
        (
            "bad link",
            Form::new()
                .text("kind", "link")
                .text("description", "リンク")
                .text("effective_on", "2026-05-01")
                .text("url", "javascript:alert(1)"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "url",
        ),
        (
            "foreign supersedes",
            file_form("a.pdf", b"x".to_vec(), "差替", "2026-05-01").text("supersedes_id", "999"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "supersedes_id",
        ),
    ];
    for (name, form, status, field) in cases {
        let response = app.post_multipart(&app.client, &upload, form).await;
        assert_eq!(response.status(), status, "{name}");
        let html = response.text().await.unwrap();
        assert!(
            count(&html, &format!("#evidence-form .has-error [name={field}], #evidence-form #e-{field}")) >= 1,
            "{name}: no error on {field}"
        );
        assert_eq!(count(&html, "header.site-header"), 1, "{name}: the page, not a bare error");
    }
    let kept =
        app.post_multipart(&app.client, &upload, file_form("a.pdf", b"x".to_vec(), "残る説明", "2099-01-01")).await;
    assert_eq!(input_value(&kept.text().await.unwrap(), "description").as_deref(), Some("残る説明"));
    assert_eq!(evidence_rows(&app).await, 0);
    assert!(kept_contents(&app).await.is_empty(), "left behind: {:?}", kept_contents(&app).await);
}

#[tokio::test]
async fn downloads_are_for_members_of_the_organisation_only() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let viewer = app.add_member(Some(org), Role::Viewer, "viewer@example.jp").await;
    let auditor = app.add_member(Some(org), Role::Auditor, "auditor@example.jp").await;
    let (other_org, outsider) = app.add_organisation("他社", "outsider@example.jp").await;
    app.post_multipart(
        &app.client,
        &format!("/orgs/{org}/controls/A.3.3.1/evidence"),
        file_form("a.pdf", b"secret".to_vec(), "台帳", "2026-05-01"),
    )
    .await;
    let id = pmark::store::evidence::list_for(
        &app.db,
        org,
        pmark::store::evidence::Subject::Control(control_row(&app, org, "A.3.3.1").await),
    )
    .await
    .unwrap()[0]
        .id;
    let url = format!("/orgs/{org}/evidence/{id}/download");
    assert_eq!(app.get(&viewer.client, &url).await.status(), StatusCode::OK);
    assert_eq!(app.get(&auditor.client, &url).await.status(), StatusCode::OK);
    assert_eq!(app.get(&outsider.client, &url).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        app.get(&outsider.client, &format!("/orgs/{other_org}/evidence/{id}/download")).await.status(),
        StatusCode::NOT_FOUND,
        "not through their own organisation either"
    );
    assert_eq!(app.get(&new_client(), &url).await.status(), StatusCode::SEE_OTHER);
    // Uploading is for editors.
    let refused = app
        .post_multipart(
            &viewer.client,
            &format!("/orgs/{org}/controls/A.3.3.1/evidence"),
            file_form("b.pdf", b"y".to_vec(), "x", "2026-05-01"),
        )
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(evidence_rows(&app).await, 1);
    assert_eq!(kept_contents(&app).await.len(), 1, "the refused upload left no file");
}

#[tokio::test]
async fn an_upload_without_the_csrf_token_is_refused() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let response = app
        .client
        .post(app.url(&format!("/orgs/{org}/controls/A.3.3.1/evidence")))
        .multipart(file_form("a.pdf", b"x".to_vec(), "x", "2026-05-01"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(evidence_rows(&app).await, 0);
}
