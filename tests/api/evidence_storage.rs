//! `uploads.storage`: evidence kept in the database is served by every instance on it; SQLite
//! keeps files by default; files kept before a switch to the database stay downloadable.

use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use sea_orm::{EntityTrait, PaginatorTrait};
use sha2::{Digest, Sha256};

use crate::helpers::{TestApp, spawn_app_with, spawn_second_instance, texts};
use pmark::settings::{EvidenceStorage, StorageChoice};
use reqwest::Client;

fn file_form(name: &str, bytes: Vec<u8>) -> Form {
    Form::new()
        .text("kind", "file")
        .text("description", "個人情報管理台帳")
        .text("effective_on", "2026-05-15")
        .part("file", Part::bytes(bytes).file_name(name.to_owned()).mime_str("application/pdf").unwrap())
}

/// Bytes no text encoding would keep intact: every byte value, many times, over more than two
/// download chunks (256 KiB).
fn binary_content() -> Vec<u8> {
    (0..600_000u32).map(|i| (i * 31 % 256) as u8).collect()
}

/// Uploads a file to control A.3.3.1 through `app` with `client`; returns the evidence id and
/// the SHA-256 the page shows.
async fn upload(app: &TestApp, client: &Client, org: i32, content: Vec<u8>) -> (i32, String) {
    use sea_orm::QueryOrder;
    let path = format!("/orgs/{org}/controls/A.3.3.1");
    let response = app.post_multipart(client, &format!("{path}/evidence"), file_form("台帳.pdf", content)).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let html = app.get(client, &path).await.text().await.unwrap();
    let sha = texts(&html, "#evidence-list code").into_iter().next().expect("the SHA-256 on the page");
    let newest = pmark::entities::evidence::Entity::find()
        .order_by_desc(pmark::entities::evidence::Column::Id)
        .one(&app.db)
        .await
        .unwrap()
        .expect("the evidence row");
    (newest.id, sha)
}

async fn download(app: &TestApp, client: &Client, org: i32, id: i32) -> Vec<u8> {
    let response = app.get(client, &format!("/orgs/{org}/evidence/{id}/download")).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    let length: usize = response.headers()["content-length"].to_str().unwrap().parse().unwrap();
    let body = response.bytes().await.unwrap().to_vec();
    assert_eq!(body.len(), length, "streamed in chunks with its length announced");
    body
}

async fn blobs(app: &TestApp) -> u64 {
    pmark::entities::evidence_blob::Entity::find().count(&app.db).await.unwrap()
}

/// Every file kept under an instance's evidence folder (staging left out).
fn kept_files(app: &TestApp) -> usize {
    std::fs::read_dir(app.evidence_dir())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name() != "tmp")
        .map(|org| std::fs::read_dir(org.path()).unwrap().count())
        .sum()
}

#[tokio::test]
async fn a_file_uploaded_through_one_instance_is_downloaded_with_the_same_bytes_through_another() {
    // On PostgreSQL this is the default; on SQLite the test asks for it.
    let first = spawn_app_with(|s| s.uploads.storage = StorageChoice::Database, None).await;
    let org = first.set_up_admin().await;
    let second = spawn_second_instance(&first, |_| {}).await;
    // One browser behind the load balancer, signed in once.
    let browser = &first.client;
    let content = binary_content();

    let (id, sha) = upload(&first, browser, org, content.clone()).await;
    assert_eq!(sha, hex::encode(Sha256::digest(&content)));
    assert_eq!(kept_files(&first), 0, "nothing kept on the first instance's disk");
    assert_eq!(blobs(&first).await, 1);

    let downloaded = download(&second, browser, org, id).await;
    assert_eq!(downloaded.len(), content.len());
    assert_eq!(hex::encode(Sha256::digest(&downloaded)), sha, "the SHA-256 shown on upload");
    assert_eq!(downloaded, content);
    let html = second.get(browser, &format!("/orgs/{org}/controls/A.3.3.1")).await.text().await.unwrap();
    assert_eq!(texts(&html, "#evidence-list code"), vec![sha], "the second instance's page shows the same hash");

    // And the other way round.
    let other = b"second instance's upload".repeat(1000);
    let (id2, _) = upload(&second, browser, org, other.clone()).await;
    assert_eq!(download(&first, browser, org, id2).await, other);
    assert_eq!((kept_files(&first), kept_files(&second), blobs(&first).await), (0, 0, 2));
}

#[tokio::test]
async fn sqlite_keeps_evidence_as_files_by_default_and_postgresql_in_the_database() {
    let app = spawn_app_with(|_| {}, None).await;
    let on_postgres = app.settings.database.url.starts_with("postgres");
    assert_eq!(app.settings.uploads.storage, StorageChoice::Auto, "config.toml leaves the choice to the database");
    let expected = if on_postgres { EvidenceStorage::Database } else { EvidenceStorage::Files };
    assert_eq!(app.settings.uploads.storage_for(&app.settings.database.url), expected);
    let org = app.set_up_admin().await;
    let content = binary_content();
    let (id, _) = upload(&app, &app.client, org, content.clone()).await;
    assert_eq!(download(&app, &app.client, org, id).await, content);
    if on_postgres {
        assert_eq!((kept_files(&app), blobs(&app).await), (0, 1));
    } else {
        assert_eq!((kept_files(&app), blobs(&app).await), (1, 0));
    }
}

#[tokio::test]
async fn files_kept_before_a_switch_to_the_database_are_copied_in_at_start_and_read_from_disk_until_then() {
    let before = spawn_app_with(|s| s.uploads.storage = StorageChoice::Files, None).await;
    let org = before.set_up_admin().await;
    let browser = &before.client;
    let old = b"kept on disk before the switch".repeat(500);
    let (id, _) = upload(&before, browser, org, old.clone()).await;
    assert_eq!((kept_files(&before), blobs(&before).await), (1, 0));

    // An instance with another, empty data folder has nothing to copy; the file is not in the
    // database yet.
    let elsewhere = spawn_second_instance(&before, |s| s.uploads.storage = StorageChoice::Database).await;
    assert_eq!(blobs(&before).await, 0);

    // The install restarted on its data folder with `database`: the file is copied in at start
    // and left in place.
    let folder = before.evidence_dir().parent().unwrap().to_path_buf();
    let switched = spawn_second_instance(&before, |s| {
        s.uploads.storage = StorageChoice::Database;
        s.data.dir = folder;
    })
    .await;
    assert_eq!(blobs(&before).await, 1, "copied into the database at start");
    assert_eq!(kept_files(&before), 1, "the file stays where it was");
    assert_eq!(download(&switched, browser, org, id).await, old);
    // Every other instance now serves it from the database.
    assert_eq!(download(&elsewhere, browser, org, id).await, old);

    // A file whose copy is missing (not made yet, or failed) is read from disk.
    use sea_orm::EntityTrait;
    pmark::entities::evidence_blob::Entity::delete_many().exec(&before.db).await.unwrap();
    assert_eq!(download(&switched, browser, org, id).await, old, "read from the file");
}

#[tokio::test]
async fn evidence_kept_in_the_database_stays_downloadable_after_switching_back_to_files() {
    let database = spawn_app_with(|s| s.uploads.storage = StorageChoice::Database, None).await;
    let org = database.set_up_admin().await;
    let browser = &database.client;
    let content = binary_content();
    let (id, _) = upload(&database, browser, org, content.clone()).await;
    let folder = database.evidence_dir().parent().unwrap().to_path_buf();
    let files = spawn_second_instance(&database, |s| {
        s.uploads.storage = StorageChoice::Files;
        s.data.dir = folder;
    })
    .await;
    assert_eq!(download(&files, browser, org, id).await, content);
    let newer = b"after the switch back".repeat(100);
    let (id2, _) = upload(&files, browser, org, newer.clone()).await;
    assert_eq!((kept_files(&database), blobs(&database).await), (1, 1), "the new upload is a file");
    assert_eq!(download(&files, browser, org, id2).await, newer);
}
