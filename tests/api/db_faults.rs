//! SQLite faults: a full disk that is freed again.

use sea_orm::{ConnectionTrait, DatabaseConnection, TransactionTrait};

/// A tiny tmpfs, unmounted when dropped (mounting needs root).
struct TinyDisk {
    dir: tempfile::TempDir,
}

impl TinyDisk {
    fn mount(bytes: u64) -> Option<Self> {
        let dir = tempfile::tempdir().ok()?;
        let size = format!("size={bytes}");
        let mounted = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &size, "tmpfs"])
            .arg(dir.path())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        mounted.then_some(Self { dir })
    }

    fn path(&self) -> &std::path::Path {
        self.dir.path()
    }

    fn free_bytes(&self) -> u64 {
        let out = std::process::Command::new("df").args(["--output=avail", "-B1"]).arg(self.path()).output().unwrap();
        String::from_utf8_lossy(&out.stdout).lines().nth(1).and_then(|l| l.trim().parse().ok()).unwrap_or(0)
    }
}

impl Drop for TinyDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg("-l").arg(self.dir.path()).status();
    }
}

async fn insert_in_transaction(db: &DatabaseConnection, body: &str, commit: bool) -> Result<(), sea_orm::DbErr> {
    let txn = db.begin().await?;
    txn.execute_unprepared(&format!("INSERT INTO filler (body) VALUES ({body})")).await?;
    if commit { txn.commit().await } else { txn.rollback().await }
}

#[tokio::test]
async fn after_a_full_disk_is_freed_writes_recover_without_a_restart() {
    let Some(disk) = TinyDisk::mount(4 * 1024 * 1024) else {
        eprintln!("not root: no tmpfs to fill, nothing tested here (PRAGMA max_page_count does not fail a COMMIT)");
        return;
    };
    let url = format!("sqlite://{}?mode=rwc", disk.path().join("pmark.db").display());
    let settings =
        pmark::settings::DatabaseSettings { url, max_connections: 3, busy_timeout_ms: 1000, acquire_timeout_ms: 1000 };
    let db = pmark::store::connect(&settings).await.unwrap();
    db.execute_unprepared("CREATE TABLE filler (id INTEGER PRIMARY KEY, body TEXT)").await.unwrap();
    // Leave a little room, then write 20 kB rows until the disk is full.
    let filler = disk.path().join("filler");
    std::fs::write(&filler, vec![0u8; usize::try_from(disk.free_bytes().saturating_sub(200_000)).unwrap()]).unwrap();
    let mut failed_commits = 0;
    for _ in 0..200 {
        if insert_in_transaction(&db, "printf('%.*c', 20000, 'x')", true).await.is_err() {
            failed_commits += 1;
            if failed_commits == 6 {
                break;
            }
        }
    }
    assert!(failed_commits > 0, "the disk filled up");

    std::fs::remove_file(&filler).unwrap();
    // Every pooled connection takes a transaction that is rolled back, then one that commits.
    for _ in 0..6 {
        insert_in_transaction(&db, "'rolled back'", false).await.unwrap();
    }
    for _ in 0..6 {
        insert_in_transaction(&db, "'after'", true).await.expect("writes work again once space is freed");
    }
    // Another process (a fresh pool) sees the rows and can write: no connection holds the lock.
    let other = pmark::store::connect(&settings).await.unwrap();
    other.execute_unprepared("INSERT INTO filler (body) VALUES ('other')").await.expect("not locked");
    let row = other.query_one_raw(sea_orm::Statement::from_string(
        other.get_database_backend(),
        "SELECT COUNT(*) AS n FROM filler WHERE body IN ('after', 'other')",
    ));
    let n: i64 = row.await.unwrap().unwrap().try_get("", "n").unwrap();
    assert_eq!(n, 7, "the committed rows are there, none is held in a transaction left open");
    db.close().await.ok();
    other.close().await.ok();
}

fn pmark_serve(data_dir: &std::path::Path, database_url: &str) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_pmark"))
        .arg("serve")
        .env("PMARK__DATABASE__URL", database_url)
        .env("PMARK__DATA__DIR", data_dir)
        .env("PMARK__SERVER__BIND", "127.0.0.1:0")
        .env("PMARK__REMINDERS__INTERVAL_MINUTES", "0")
        .env("PMARK__LOG__LEVEL", "off")
        .output()
        .unwrap()
}

/// A migrated SQLite database in `dir`, with its data folder; returns the file's path.
async fn migrated_database(dir: &std::path::Path) -> std::path::PathBuf {
    let file = dir.join("pmark.db");
    let settings = pmark::settings::DatabaseSettings {
        url: format!("sqlite://{}?mode=rwc", file.display()),
        max_connections: 1,
        busy_timeout_ms: 1000,
        acquire_timeout_ms: 1000,
    };
    let db = pmark::store::connect(&settings).await.unwrap();
    pmark::store::migrate(&db).await.unwrap();
    db.close().await.unwrap();
    file
}

#[tokio::test]
async fn a_read_only_database_is_named_at_start_and_the_server_does_not_start() {
    let dir = tempfile::tempdir().unwrap();
    let file = migrated_database(dir.path()).await;
    // `mode=ro` opens the file read-only for root too (chmod does not stop root).
    let output = pmark_serve(&dir.path().join("data"), &format!("sqlite://{}?mode=ro", file.display()));
    assert_eq!(output.status.code(), Some(2));
    let error = String::from_utf8_lossy(&output.stderr);
    assert!(error.contains("database.url") && error.contains("cannot be written (read_only)"), "{error}");
    assert!(error.contains(&file.display().to_string()), "the file is named: {error}");
}

#[tokio::test]
async fn a_read_only_data_folder_is_named_at_start_and_the_server_does_not_start() {
    let dir = tempfile::tempdir().unwrap();
    let file = migrated_database(dir.path()).await;
    let data = dir.path().join("data");
    std::fs::create_dir_all(data.join("evidence/tmp")).unwrap();
    std::fs::write(data.join("session.key"), "ab".repeat(32) + &"cd".repeat(32)).unwrap();
    // Root writes through file modes: make the folder a read-only bind mount of itself instead.
    let bound =
        std::process::Command::new("mount").arg("--bind").arg(&data).arg(&data).status().is_ok_and(|s| s.success());
    if !bound {
        eprintln!("not root: no read-only bind mount, nothing tested here");
        return;
    }
    let read_only = std::process::Command::new("mount")
        .args(["-o", "remount,bind,ro"])
        .arg(&data)
        .status()
        .is_ok_and(|s| s.success());
    let output = pmark_serve(&data, &format!("sqlite://{}?mode=rwc", file.display()));
    let _ = std::process::Command::new("umount").arg(&data).status();
    assert!(read_only, "the bind mount turned read-only");
    assert_eq!(output.status.code(), Some(2));
    let error = String::from_utf8_lossy(&output.stderr);
    assert!(error.contains("data.dir") && error.contains(&data.display().to_string()), "{error}");
    assert!(error.contains("not writable"), "{error}");
}

#[tokio::test]
async fn while_the_database_cannot_be_written_health_and_sign_in_say_so_and_both_recover() {
    use reqwest::StatusCode;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("faults.db").display());
    let app = crate::helpers::spawn_app_with(
        |s| {
            s.database.url = url;
            s.database.busy_timeout_ms = 200;
        },
        None,
    )
    .await;
    app.set_up_admin().await;
    let health = || async {
        let response = app.get(&crate::helpers::new_client(), "/healthz").await;
        (response.status(), response.json::<serde_json::Value>().await.unwrap())
    };
    assert_eq!(health().await.0, StatusCode::OK);

    // Another process holds SQLite's write lock past the server's busy timeout.
    let holder = app.db.begin().await.unwrap();
    holder.execute_unprepared("INSERT INTO instance_flags (name, set_at) VALUES ('held', '2026-12-01')").await.unwrap();
    // Past the five seconds the last good check is kept.
    let mut unhealthy = None;
    for _ in 0..40 {
        let (status, body) = health().await;
        if status == StatusCode::SERVICE_UNAVAILABLE {
            unhealthy = Some(body);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    let body = unhealthy.expect("healthz turned 503");
    assert_eq!(body["database"], "not_writable");
    assert_eq!(body["reason"], "locked");

    let client = crate::helpers::new_client();
    let response = app
        .post_form(&client, "/login", &[("email", "admin@example.jp"), ("password", crate::helpers::PASSWORD)])
        .await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    let html = response.text().await.unwrap();
    let title = crate::helpers::texts(&html, "h1").join(" ");
    assert!(title.contains("変更を保存できません"), "the page says why, not that the form expired: {title}");
    assert_eq!(crate::helpers::count(&html, "code.request-id"), 1);

    holder.rollback().await.unwrap();
    let mut healthy = false;
    for _ in 0..40 {
        if health().await.0 == StatusCode::OK {
            healthy = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    assert!(healthy, "healthz recovers by itself");
    app.sign_in(&client, "admin@example.jp", crate::helpers::PASSWORD).await;
}
