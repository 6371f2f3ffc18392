//! The `pmark` binary's subcommands, run as a user would.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::helpers::test_settings;

pub fn pmark(dir: &std::path::Path, database_url: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_pmark"));
    command
        .current_dir(dir)
        .env("PMARK__DATABASE__URL", database_url)
        .env("PMARK__DATA__DIR", dir)
        .env("PMARK__AUTH__ARGON2_MEMORY_KIB", "64")
        .env("PMARK__AUTH__ARGON2_ITERATIONS", "1")
        .env("PMARK__LOG__LEVEL", "off");
    command
}

#[tokio::test]
async fn version_prints_the_crate_version() {
    let output = Command::new(env!("CARGO_BIN_EXE_pmark")).arg("--version").output().unwrap();
    assert!(output.status.success());
    assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), format!("pmark {}", env!("CARGO_PKG_VERSION")));
}

#[tokio::test]
async fn user_create_makes_an_admin_with_an_organisation_and_closes_setup() {
    let dir = tempfile::tempdir().unwrap();
    let settings = test_settings(&dir).await;
    let mut child = pmark(dir.path(), &settings.database.url)
        .args([
            "user",
            "create",
            "--email",
            "Cli@Example.jp",
            "--name",
            "CLI 管理者",
            "--org-name",
            "株式会社CLI",
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"a long enough password\n").unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("created user cli@example.jp"), "{stdout}");
    assert!(!stdout.contains("password:"), "a password from stdin is not echoed");

    let db = pmark::store::connect(&settings.database).await.unwrap();
    assert!(pmark::store::setup::is_completed(&db).await.unwrap(), "the setup URL no longer works");
    let user = pmark::store::users::find_by_email(&db, &pmark::domain::EmailAddress::parse("cli@example.jp").unwrap())
        .await
        .unwrap()
        .unwrap();
    let (_, memberships) = pmark::store::organisations::user_with_memberships(&db, user.id).await.unwrap().unwrap();
    assert_eq!(memberships.len(), 1);
    assert_eq!(memberships[0].organisation.name, "株式会社CLI");
    assert_eq!(memberships[0].role, pmark::domain::Role::Admin);

    // The same address again is refused, naming the argument.
    let again = pmark(dir.path(), &settings.database.url)
        .args(["user", "create", "--email", "cli@example.jp", "--name", "again"])
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("--email"), "{}", String::from_utf8_lossy(&again.stderr));
}

#[tokio::test]
async fn user_create_generates_a_password_when_none_is_given() {
    let dir = tempfile::tempdir().unwrap();
    let settings = test_settings(&dir).await;
    let output = pmark(dir.path(), &settings.database.url)
        .args(["user", "create", "--email", "gen@example.jp", "--name", "Gen"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let password =
        stdout.lines().find_map(|l| l.strip_prefix("password: ")).expect("the generated password is printed");
    assert_eq!(password.len(), 20);
}

#[tokio::test]
async fn bad_arguments_exit_2_with_a_message_naming_the_argument() {
    let dir = tempfile::tempdir().unwrap();
    let settings = test_settings(&dir).await;
    for (args, named) in [
        (vec!["user", "create", "--email", "not-an-address", "--name", "X"], "--email"),
        (vec!["user", "create", "--email", "a@example.jp", "--name", ""], "--name"),
        (vec!["user", "create", "--email", "a@example.jp", "--name", "X", "--org", "1", "--role", "owner"], "--role"),
        (vec!["user", "create", "--email", "a@example.jp", "--name", "X", "--org", "999", "--role", "viewer"], "--org"),
        (vec!["user", "create", "--email", "a@example.jp", "--name", "X", "--lang", "fr"], "--lang"),
    ] {
        let output = pmark(dir.path(), &settings.database.url).args(&args).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(named), "{args:?} should name {named}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[tokio::test]
async fn invalid_configuration_stops_start_up_with_a_message_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    for (name, value, named) in [
        ("PMARK__DATABASE__MAX_CONNECTIONS", "many", "database.max_connections"),
        ("PMARK__SERVER__BIND", "nowhere", "server.bind"),
        ("PMARK__LOG__FORMAT", "xml", "log.format"),
        ("PMARK__SERVER__NO_SUCH_KEY", "1", "no_such_key"),
        ("PMARK__MAIL__TRANSPORT", "pigeon", "mail.transport"),
        ("PMARK__MAIL__FROM", "not an address", "mail.from"),
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_pmark"))
            .current_dir(dir.path())
            .arg("migrate")
            .env(name, value)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{name}: {stderr}");
        assert!(stderr.contains(named), "{name} should be named as {named}: {stderr}");
    }
}

#[tokio::test]
async fn a_weak_session_key_stops_start_up() {
    let dir = tempfile::tempdir().unwrap();
    let settings = test_settings(&dir).await;
    let output = pmark(dir.path(), &settings.database.url)
        .env("PMARK__SERVER__BIND", "127.0.0.1:0")
        .env("PMARK_SESSION_KEY", "abcd")
        .arg("serve")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("PMARK_SESSION_KEY") && stderr.contains("too weak"), "{stderr}");
}

#[tokio::test]
async fn renewal_prints_the_jipdec_window_as_json_and_names_a_bad_date() {
    let output = Command::new(env!("CARGO_BIN_EXE_pmark"))
        .args(["renewal", "--expiry", "2024-12-01", "--format", "json"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"expiry": "2024-12-01", "prepare_from": "2024-03-01", "window_opens": "2024-04-02", "window_closes": "2024-08-01"})
    );
    let text = Command::new(env!("CARGO_BIN_EXE_pmark")).args(["renewal", "--expiry", "2026-09-03"]).output().unwrap();
    assert!(String::from_utf8_lossy(&text.stdout).contains("2026-05-07"), "Golden Week moves the close to 7 May");
    for bad in ["2024-02-30", "tomorrow", ""] {
        let output = Command::new(env!("CARGO_BIN_EXE_pmark")).args(["renewal", "--expiry", bad]).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{bad}");
        assert!(String::from_utf8_lossy(&output.stderr).contains("--expiry"), "{bad}");
    }
}

#[tokio::test]
async fn report_writes_html_xlsx_and_csv_and_names_a_bad_organisation() {
    let dir = tempfile::tempdir().unwrap();
    let settings = test_settings(&dir).await;
    let mut child = pmark(dir.path(), &settings.database.url)
        .args([
            "user",
            "create",
            "--email",
            "r@example.jp",
            "--name",
            "報告",
            "--org-name",
            "株式会社レポート",
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"correct horse battery\n").unwrap();
    assert!(child.wait().unwrap().success());
    for (format, out) in [("html", "r.html"), ("xlsx", "r.xlsx"), ("csv", "csv"), ("pdf", "r.pdf")] {
        let output = pmark(dir.path(), &settings.database.url)
            .args(["report", "--org", "株式会社レポート", "--format", format, "--out"])
            .arg(dir.path().join(out))
            .output()
            .unwrap();
        assert!(output.status.success(), "{format}: {}", String::from_utf8_lossy(&output.stderr));
    }
    let html = std::fs::read_to_string(dir.path().join("r.html")).unwrap();
    assert!(html.contains("id=\"report-controls\"") && html.contains("<style>"), "a standalone page");
    assert!(std::fs::read(dir.path().join("r.xlsx")).unwrap().starts_with(b"PK"));
    assert!(std::fs::read(dir.path().join("r.pdf")).unwrap().starts_with(b"%PDF-"));
    let gaps = std::fs::read_dir(dir.path().join("csv"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|path| path.file_name().unwrap().to_string_lossy().starts_with("5_不備・未対応_"))
        .expect("the gaps as 5_不備・未対応_….csv, named like the download");
    assert!(std::fs::read(gaps).unwrap().starts_with(b"\xEF\xBB\xBF"));

    let bad = pmark(dir.path(), &settings.database.url)
        .args(["report", "--org", "存在しない", "--format", "html", "--out", "x.html"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--org"), "{}", String::from_utf8_lossy(&bad.stderr));
    let order = pmark(dir.path(), &settings.database.url)
        .args([
            "report",
            "--org",
            "1",
            "--from",
            "2020-01-02",
            "--to",
            "2020-01-01",
            "--format",
            "html",
            "--out",
            "x.html",
        ])
        .output()
        .unwrap();
    assert_eq!(order.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&order.stderr).contains("--to"));
}

#[tokio::test]
async fn logs_written_to_a_pipe_have_no_colour_codes() {
    let dir = tempfile::tempdir().unwrap();
    let settings = test_settings(&dir).await;
    let output = pmark(dir.path(), &settings.database.url)
        .env("PMARK__LOG__LEVEL", "info")
        .env("PMARK__LOG__FORMAT", "pretty")
        .arg("migrate")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let logs = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(logs.contains("INFO"), "some log lines: {logs}");
    assert!(!logs.contains('\u{1b}'), "no ANSI escape codes outside a terminal: {logs:?}");
}

#[tokio::test]
async fn demo_orgs_seeds_organisations_whose_due_reminders_pmark_remind_sends_once() {
    let dir = tempfile::tempdir().unwrap();
    let settings = test_settings(&dir).await;
    let run = |args: &[&str]| {
        pmark(dir.path(), &settings.database.url)
            .env("PMARK__MAIL__FILE_DIR", dir.path().join("mail"))
            .args(args)
            .output()
            .unwrap()
    };
    let refused = run(&["demo", "--orgs", "0"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--orgs"), "the error names the field");

    let seeded = run(&["demo", "--orgs", "40"]);
    assert!(seeded.status.success(), "{}", String::from_utf8_lossy(&seeded.stderr));
    assert!(String::from_utf8_lossy(&seeded.stdout).starts_with("40 organisations"));
    let dry = run(&["remind", "--dry-run"]);
    let planned = String::from_utf8_lossy(&dry.stdout).to_string();
    let sending = planned.lines().filter(|l| l.ends_with(" send")).count();
    assert!(sending >= 10, "about 37 % of 40 organisations are in their renewal months:\n{planned}");
    assert_eq!(planned.lines().filter(|l| l.contains("incident digest")).count(), 2, "one in twenty: {planned}");

    let first = run(&["remind"]);
    let out = String::from_utf8_lossy(&first.stdout).to_string();
    assert!(out.starts_with(&format!("enqueued {}, ", sending + 2)), "{out}");
    assert!(out.contains(&format!("sent {}, failed 0", sending + 2)), "{out}");
    let again = run(&["remind"]);
    assert_eq!(String::from_utf8_lossy(&again.stdout).trim(), "enqueued 0, skipped 0, sent 0, failed 0");
}

#[tokio::test]
async fn a_second_user_created_from_the_shell_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let settings = test_settings(&dir).await;
    for (email, org) in [("first@example.jp", "株式会社一"), ("second@example.jp", "株式会社二")] {
        let output = pmark(dir.path(), &settings.database.url)
            .args(["user", "create", "--email", email, "--name", "利用者", "--org-name", org])
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    }
    // On PostgreSQL the second account's transaction used to be rolled back by its COMMIT.
    let db = pmark::store::connect(&settings.database).await.unwrap();
    for email in ["first@example.jp", "second@example.jp"] {
        let address = pmark::domain::EmailAddress::parse(email).unwrap();
        assert!(pmark::store::users::find_by_email(&db, &address).await.unwrap().is_some(), "{email} exists");
    }
}
