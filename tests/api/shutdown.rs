//! The release-style binary stops cleanly on SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::helpers::test_settings;

#[tokio::test]
async fn sigterm_stops_the_server_gracefully_with_exit_code_0() {
    let dir = tempfile::tempdir().unwrap();
    let settings = test_settings(&dir).await;
    let mut child = Command::new(env!("CARGO_BIN_EXE_pmark"))
        .current_dir(dir.path())
        .env("PMARK__DATABASE__URL", &settings.database.url)
        .env("PMARK__DATA__DIR", dir.path())
        .env("PMARK__SERVER__BIND", "127.0.0.1:0")
        .env("PMARK__LOG__FORMAT", "json")
        .env("PMARK__LOG__LEVEL", "info")
        .arg("serve")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    // The JSON log names the URL it listens on.
    let stdout = child.stdout.take().unwrap();
    let (sender, receiver) = std::sync::mpsc::channel::<String>();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = sender.send(line);
        }
    });
    let mut url = None;
    let started = Instant::now();
    let mut lines = Vec::new();
    while url.is_none() && started.elapsed() < Duration::from_secs(60) {
        if let Ok(line) = receiver.recv_timeout(Duration::from_millis(200)) {
            if let Ok(json) = serde_json::from_str::<serde_json::Value>(&line)
                && json["fields"]["message"] == "pmark listening"
            {
                url = json["fields"]["url"].as_str().map(ToOwned::to_owned);
            }
            lines.push(line);
        }
    }
    let url = url.unwrap_or_else(|| panic!("server did not start: {lines:?}"));
    let health = reqwest::get(format!("{url}/healthz")).await.unwrap();
    assert_eq!(health.status(), 200);

    let status = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(30);
    let exit = loop {
        if let Some(exit) = child.try_wait().unwrap() {
            break exit;
        }
        assert!(Instant::now() < deadline, "the server did not stop after SIGTERM");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(exit.code(), Some(0));
    let rest: Vec<String> = receiver.try_iter().collect();
    assert!(rest.iter().any(|l| l.contains("pmark stopped")), "{rest:?}");
}
