//! `pmark backup` while the server runs, and `pmark restore` into an empty data folder.

use std::process::{Command, Output};

use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait};

use crate::helpers::spawn_app;

fn pmark(data_dir: &std::path::Path, database_url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pmark"))
        .current_dir(data_dir.parent().unwrap_or(data_dir))
        .env("PMARK__DATABASE__URL", database_url)
        .env("PMARK__DATA__DIR", data_dir)
        .env("PMARK__LOG__LEVEL", "off")
        .args(args)
        .output()
        .unwrap()
}

/// Incidents, evidence rows and audit entries.
async fn counts(db: &DatabaseConnection) -> (u64, u64, u64) {
    (
        pmark::entities::incident::Entity::find().count(db).await.unwrap(),
        pmark::entities::evidence::Entity::find().count(db).await.unwrap(),
        pmark::entities::audit_event::Entity::find().count(db).await.unwrap(),
    )
}

#[tokio::test]
async fn a_backup_taken_while_the_server_runs_restores_the_same_records_and_evidence_bytes() {
    let app = spawn_app().await;
    let org = app.set_up_admin().await;
    let catalogs = pmark::domain::catalog::Catalogs::builtin().unwrap();
    let today = app.clock.today();
    pmark::cli::demo_incidents::seed(&app.db, catalogs.current(), org, 4, 1, today).await.unwrap();
    let content: Vec<u8> = (0..40_000u32).map(|i| (i * 7 % 251) as u8).collect();
    let form = Form::new()
        .text("kind", "file")
        .text("description", "個人情報管理台帳")
        .text("effective_on", "2026-05-15")
        .part("file", Part::bytes(content.clone()).file_name("台帳.pdf").mime_str("application/pdf").unwrap());
    let response = app.post_multipart(&app.client, &format!("/orgs/{org}/controls/A.3.3.1/evidence"), form).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let before = counts(&app.db).await;
    assert!(before.0 == 4 && before.1 >= 1 && before.2 > 4, "{before:?}");
    let key = pmark::entities::evidence::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .find_map(|e| e.storage_key)
        .expect("the uploaded file's key");

    let data_dir = app.evidence_dir().parent().unwrap().to_path_buf();
    let elsewhere = tempfile::tempdir().unwrap();
    let archive = elsewhere.path().join("pmark-backup.tar.gz");
    let backup = pmark(&data_dir, &app.settings.database.url, &["backup", "--out", archive.to_str().unwrap()]);
    assert!(backup.status.success(), "{}", String::from_utf8_lossy(&backup.stderr));
    assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 1, "no temporary file is left beside it");

    let restored_dir = elsewhere.path().join("restored");
    let on_postgres = app.settings.database.url.starts_with("postgres");
    let restored_url = if on_postgres {
        app.settings.database.url.clone()
    } else {
        format!("sqlite://{}?mode=rwc", elsewhere.path().join("restored.db").display())
    };
    let restore = pmark(&restored_dir, &restored_url, &["restore", archive.to_str().unwrap()]);
    let said = String::from_utf8_lossy(&restore.stdout).to_string();
    assert!(restore.status.success(), "{}", String::from_utf8_lossy(&restore.stderr));
    if on_postgres {
        // `uploads.storage` defaults to the database on PostgreSQL: the bytes are in the table
        // the pg_dump holds, and the restore says so.
        let blob = pmark::entities::evidence_blob::Entity::find_by_id(key.clone()).one(&app.db).await.unwrap();
        assert_eq!(blob.expect("the content is in the database").content, content, "the same bytes");
        assert!(!restored_dir.join("evidence").join(&key).exists(), "no file was kept on disk");
        assert!(
            said.contains("pg_restore") && said.contains("evidence kept in it"),
            "the database and its evidence are not in the archive: {said}"
        );
    } else {
        assert_eq!(std::fs::read(restored_dir.join("evidence").join(&key)).unwrap(), content, "the same bytes");
        let restored = pmark::store::connect(&pmark::settings::DatabaseSettings {
            url: restored_url.clone(),
            max_connections: 1,
            busy_timeout_ms: 1000,
            acquire_timeout_ms: 1000,
        })
        .await
        .unwrap();
        assert_eq!(counts(&restored).await, before);
        assert!(said.contains("1 organisations"), "{said}");
    }

    // The folder now holds data: a second restore is refused, naming it, and changes nothing.
    let again = pmark(&restored_dir, &restored_url, &["restore", archive.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(2));
    let error = String::from_utf8_lossy(&again.stderr).to_string();
    assert!(error.contains("data.dir") && error.contains(restored_dir.to_str().unwrap()), "{error}");
}

#[tokio::test]
async fn a_file_that_is_not_a_backup_is_refused_with_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let bogus = dir.path().join("notes.tar.gz");
    std::fs::write(&bogus, b"not an archive").unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("r.db").display());
    let output = pmark(&dir.path().join("data"), &url, &["restore", bogus.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("notes.tar.gz"));
    assert!(!dir.path().join("r.db").exists(), "no database is created from it");
}

#[tokio::test]
async fn on_sqlite_evidence_kept_in_the_database_is_inside_the_backups_database_copy() {
    use pmark::settings::StorageChoice;
    let app = crate::helpers::spawn_app_with(|s| s.uploads.storage = StorageChoice::Database, None).await;
    if app.settings.database.url.starts_with("postgres") {
        return; // The PostgreSQL case (pg_dump) is the test above.
    }
    let org = app.set_up_admin().await;
    let content: Vec<u8> = (0..50_000u32).map(|i| (i * 13 % 256) as u8).collect();
    let form = Form::new()
        .text("kind", "file")
        .text("description", "個人情報管理台帳")
        .text("effective_on", "2026-05-15")
        .part("file", Part::bytes(content.clone()).file_name("台帳.pdf").mime_str("application/pdf").unwrap());
    let response = app.post_multipart(&app.client, &format!("/orgs/{org}/controls/A.3.3.1/evidence"), form).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let key = pmark::entities::evidence::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .find_map(|e| e.storage_key)
        .expect("the uploaded file's key");

    let data_dir = app.evidence_dir().parent().unwrap().to_path_buf();
    let elsewhere = tempfile::tempdir().unwrap();
    let archive = elsewhere.path().join("pmark-backup.tar.gz");
    let backup = Command::new(env!("CARGO_BIN_EXE_pmark"))
        .current_dir(elsewhere.path())
        .env("PMARK__DATABASE__URL", &app.settings.database.url)
        .env("PMARK__DATA__DIR", &data_dir)
        .env("PMARK__UPLOADS__STORAGE", "database")
        .env("PMARK__LOG__LEVEL", "off")
        .args(["backup", "--out", archive.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(backup.status.success(), "{}", String::from_utf8_lossy(&backup.stderr));
    let said = String::from_utf8_lossy(&backup.stdout).to_string();
    assert!(said.contains("evidence kept in it"), "{said}");

    let restored_dir = elsewhere.path().join("restored");
    let restored_url = format!("sqlite://{}?mode=rwc", elsewhere.path().join("restored.db").display());
    let restore = pmark(&restored_dir, &restored_url, &["restore", archive.to_str().unwrap()]);
    assert!(restore.status.success(), "{}", String::from_utf8_lossy(&restore.stderr));
    assert!(!restored_dir.join("evidence").join(&key).exists(), "no file: the content is in the database");
    let restored = pmark::store::connect(&pmark::settings::DatabaseSettings {
        url: restored_url,
        max_connections: 1,
        busy_timeout_ms: 1000,
        acquire_timeout_ms: 1000,
    })
    .await
    .unwrap();
    let blob = pmark::entities::evidence_blob::Entity::find_by_id(key).one(&restored).await.unwrap();
    assert_eq!(blob.expect("the content is in the database copy").content, content, "the same bytes");
}
