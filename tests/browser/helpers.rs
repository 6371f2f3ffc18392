//! `Browser::start()`: the real application (as `tests/api` spawns it: port 0, a fresh SQLite or
//! PostgreSQL database, cheap password hashing) driven by a headless Chromium through its own
//! chromedriver process, and the page helpers the flows share.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::error::NewSessionError;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{Value, json};

use crate::app::{PASSWORD, TestApp, spawn_app};

/// How long a page or an element may take to appear.
const PATIENCE: Duration = Duration::from_secs(15);
/// How long chromedriver may take to accept a session.
const DRIVER_START: Duration = Duration::from_secs(20);

/// The browser window; a full-page screenshot grows it to the page's height for a moment.
const WIDTH: u32 = 1280;
const HEIGHT: u32 = 1600;

pub const ADMIN_EMAIL: &str = "admin@example.jp";
pub const ORGANISATION: &str = "株式会社ジモス検証";
pub const JIMOS_TITLE: &str = "EC サイトのカード情報流出（JIMOS 2019）";

/// A chromedriver process in its own process group: dropping it ends the driver and every
/// Chromium process it started, also when a test panics before closing its session.
struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    fn spawn() -> Driver {
        use std::os::unix::process::CommandExt;
        let program = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".to_owned());
        let port = free_port();
        let child = Command::new(&program)
            .arg(format!("--port={port}"))
            .arg("--log-level=WARNING")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .process_group(0)
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot start `{program}` ({e}): install Debian's chromium and chromium-driver \
                     (`.ci/run` does), or set CHROMEDRIVER"
                )
            });
        Driver { child, port }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // The group's id is the driver's pid (`process_group(0)`); Chromium inherits the group.
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).stderr(Stdio::null()).status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A loopback port nothing listens on right now.
fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    listener.local_addr().expect("local address").port()
}

/// One test's application and its browser.
pub struct Browser {
    pub app: TestApp,
    pub client: Client,
    // Dropped last: ends chromedriver and Chromium.
    _driver: Driver,
}

impl Browser {
    /// A fresh application (first-run setup still open) and a fresh headless Chromium.
    pub async fn start() -> Browser {
        let app = spawn_app().await;
        let mut driver = Driver::spawn();
        let client = connect(&mut driver).await;
        Browser { app, client, _driver: driver }
    }

    /// Ends the WebDriver session (Chromium quits); the driver process ends on drop.
    pub async fn close(self) {
        let Browser { app, client, _driver } = self;
        client.close().await.expect("close the browser session");
        drop(app);
    }

    pub async fn goto(&self, path: &str) {
        let url = if path.starts_with("http") { path.to_owned() } else { self.app.url(path) };
        self.client.goto(&url).await.unwrap_or_else(|e| panic!("open {url}: {e}"));
    }

    /// The path of the page shown, like `/orgs/1`.
    pub async fn path(&self) -> String {
        self.client.current_url().await.expect("current URL").path().to_owned()
    }

    /// The first element matching `css`, waiting for it to appear.
    pub async fn wait(&self, css: &str) -> Element {
        match self.client.wait().at_most(PATIENCE).for_element(Locator::Css(css)).await {
            Ok(element) => element,
            Err(e) => {
                let path = self.path().await;
                let body = self.body_text().await;
                panic!("no `{css}` on {path} within {PATIENCE:?} ({e}); the page says:\n{body}")
            }
        }
    }

    /// Fails the test at once, with the page's text, when nothing matches `css` now (for a page
    /// that has loaded; `wait` is for what may still appear).
    pub async fn expect(&self, css: &str) -> Element {
        match self.client.find(Locator::Css(css)).await {
            Ok(element) => element,
            Err(e) => {
                let path = self.path().await;
                let body = self.body_text().await;
                panic!("no `{css}` on {path} ({e}); the page says:\n{body}")
            }
        }
    }

    /// How many elements match `css` now.
    pub async fn count(&self, css: &str) -> usize {
        self.client.find_all(Locator::Css(css)).await.expect("find elements").len()
    }

    /// The visible text of the first element matching `css`, waiting for it.
    pub async fn text(&self, css: &str) -> String {
        self.wait(css).await.text().await.expect("element text").trim().to_owned()
    }

    async fn body_text(&self) -> String {
        match self.client.find(Locator::Css("body")).await {
            Ok(body) => body.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        }
    }

    /// Fails when the page shows a message id instead of its text (`t()` falls back to the id):
    /// a word like `incident-field-title` whose first part begins ids in `locales/`.
    pub async fn assert_no_message_ids_shown(&self) {
        let prefixes = message_id_prefixes();
        let text = self.body_text().await;
        let shown: Vec<&str> = text
            .split(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_'))
            .filter(|word| {
                word.split_once('-').is_some_and(|(first, rest)| !rest.is_empty() && prefixes.contains(first))
            })
            .collect();
        assert!(shown.is_empty(), "{} shows message ids as text: {shown:?}", self.path().await);
    }

    /// Types into a text field or text area, replacing what it held.
    pub async fn fill(&self, css: &str, text: &str) {
        let field = self.wait(css).await;
        field.clear().await.expect("clear field");
        field.send_keys(text).await.unwrap_or_else(|e| panic!("type into `{css}`: {e}"));
    }

    /// Sets a field's value by script. Used for `type=date` inputs, whose typed form depends on the
    /// browser's locale; the value a date input holds is always `YYYY-MM-DD`.
    pub async fn set_value(&self, css: &str, value: &str) {
        self.wait(css).await;
        let set = self
            .client
            .execute(
                "const field = document.querySelector(arguments[0]);
                 field.value = arguments[1];
                 field.dispatchEvent(new Event('input', { bubbles: true }));
                 field.dispatchEvent(new Event('change', { bubbles: true }));
                 return field.value;",
                vec![json!(css), json!(value)],
            )
            .await
            .expect("set a value by script");
        assert_eq!(set, json!(value), "`{css}` refused the value {value}");
    }

    /// Ticks a checkbox or chooses a radio button (by clicking it, as a person would).
    pub async fn tick(&self, css: &str) {
        let input = self.wait(css).await;
        input.click().await.unwrap_or_else(|e| panic!("click `{css}`: {e}"));
        let checked = input.prop("checked").await.expect("checked property");
        assert_eq!(checked.as_deref(), Some("true"), "`{css}` is not checked after a click");
    }

    /// Chooses an option of a `<select>` by its value.
    pub async fn choose(&self, css: &str, value: &str) {
        let select = self.wait(css).await;
        select.select_by_value(value).await.unwrap_or_else(|e| panic!("choose {value} in `{css}`: {e}"));
    }

    /// Clicks `css` (a submit button, a link) and waits until the next page has loaded.
    pub async fn click_and_wait_for_page(&self, css: &str) {
        let target = self.wait(css).await;
        // A marker on the current document: it is gone once another document has loaded.
        self.client.execute("window.__pmarkOldPage = true; return null;", vec![]).await.expect("mark the page");
        target.click().await.unwrap_or_else(|e| panic!("click `{css}`: {e}"));
        self.until(
            &format!("a new page after clicking `{css}`"),
            "return window.__pmarkOldPage !== true && document.readyState === 'complete';",
        )
        .await;
    }

    /// Polls a script returning a boolean until it is true (or fails the test after `PATIENCE`).
    pub async fn until(&self, what: &str, script: &str) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            // An error while the next page replaces this one is a "not yet".
            if let Ok(Value::Bool(true)) = self.client.execute(script, vec![]).await {
                return;
            }
            if Instant::now() > deadline {
                let path = self.path().await;
                panic!("waited {PATIENCE:?} for {what}; still on {path}:\n{}", self.body_text().await);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Saves a full-page PNG screenshot as `browser-artifacts/{name}` in the target folder.
    pub async fn save_screenshot(&self, name: &str) -> PathBuf {
        let sizes = self
            .client
            .execute(
                "return [Math.ceil(document.documentElement.scrollHeight), window.outerHeight - window.innerHeight, window.outerWidth];",
                vec![],
            )
            .await
            .expect("page height");
        let page_height = sizes[0].as_u64().expect("a height") as u32;
        let chrome = sizes[1].as_u64().unwrap_or(0) as u32;
        // At the window's current width (a phone's, say), grown to the page's height.
        let width = sizes[2].as_u64().map_or(WIDTH, |w| w as u32);
        let height = (page_height + chrome).clamp(HEIGHT, 16_000);
        self.client.set_window_size(width, height).await.expect("grow the window to the page");
        let png = self.client.screenshot().await;
        self.client.set_window_size(width, HEIGHT).await.expect("restore the window");
        let png = png.expect("screenshot");
        assert!(png.starts_with(b"\x89PNG"), "a screenshot is a PNG");
        save_artifact(name, &png)
    }

    /// Completes first-run setup through the form at the URL the app prints; returns the new
    /// organisation's id. The browser is then signed in as the administrator.
    pub async fn set_up_admin(&self) -> i32 {
        let setup_url = self.app.setup_url.clone().expect("first-run setup is open");
        self.goto(&setup_url).await;
        self.fill("#f-organisation_name", ORGANISATION).await;
        self.fill("#f-display_name", "山田 花子").await;
        self.fill("#f-email", ADMIN_EMAIL).await;
        self.fill("#f-password", PASSWORD).await;
        self.fill("#f-password_confirmation", PASSWORD).await;
        self.click_and_wait_for_page("form[action='/setup'] button[type=submit]").await;
        self.wait("h1.org-title").await;
        let path = self.path().await;
        path.strip_prefix("/orgs/")
            .and_then(|id| id.parse().ok())
            .unwrap_or_else(|| panic!("setup should land on /orgs/{{id}}, not {path}"))
    }

    /// Records the JIMOS case (2019: card data taken from an EC site) through the incident form;
    /// returns the incident page's path.
    pub async fn record_jimos(&self, org: i32) -> String {
        self.goto(&format!("/orgs/{org}/incidents/new")).await;
        self.fill("#f-title", JIMOS_TITLE).await;
        self.fill("#f-description", "決済代行会社からの連絡で発覚。").await;
        self.set_value("#f-discovered_on", "2019-07-26").await;
        self.set_value("#f-occurred_from", "2014-01-01").await;
        self.set_value("#f-occurred_to", "2019-07-26").await;
        for (group, value) in [
            ("kinds", "leak"),
            ("causes", "web_vulnerability"),
            ("causes", "unauthorized_access"),
            ("data", "name"),
            ("data", "credit_card"),
            ("data", "card_security_code"),
            ("parties", "external_attacker"),
            ("systems", "ec_site"),
        ] {
            self.tick(&format!("#incident-form input[type=checkbox][name={group}][value={value}]")).await;
        }
        self.fill("#f-affected_people", "107661").await;
        self.choose("#f-detected_by", "payment_processor").await;
        self.choose("#f-strongly_encrypted", "false").await;
        self.choose("#f-retained_beyond_need", "true").await;
        self.choose("#f-possible_only", "false").await;
        self.fill("#f-cause_narrative", "システムの脆弱性を突いた第三者の不正アクセス").await;
        self.click_and_wait_for_page("#incident-form button[type=submit]").await;
        self.wait("#filing-table").await;
        let path = self.path().await;
        assert!(
            path.starts_with(&format!("/orgs/{org}/incidents/")) && !path.ends_with("/new"),
            "saving should show the incident, not {path}"
        );
        path
    }
}

/// A Chrome DevTools command through chromedriver's `goog/cdp/execute` endpoint.
#[derive(Debug)]
struct DevTools {
    command: &'static str,
    params: Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for DevTools {
    fn endpoint(&self, base_url: &url::Url, session_id: Option<&str>) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/goog/cdp/execute", session_id.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(json!({ "cmd": self.command, "params": self.params }).to_string()))
    }
}

impl Browser {
    /// Lays the page out for `print` (or `screen`) media, as Chromium's print preview does.
    pub async fn emulate_media(&self, media: &str) {
        let command = DevTools { command: "Emulation.setEmulatedMedia", params: json!({ "media": media }) };
        self.client.issue_cmd(command).await.unwrap_or_else(|e| panic!("emulate {media} media: {e}"));
        let active = self.client.execute("return window.matchMedia(arguments[0]).matches;", vec![json!(media)]).await;
        assert_eq!(active.expect("match media"), json!(true), "the page is laid out for {media}");
    }

    /// Resizes the window (the page's width decides how tables lay out). Chromium's windows are
    /// at least 500 px wide, so a narrower width (a phone's) is emulated through DevTools, as the
    /// device toolbar does; a wider one clears the emulation.
    pub async fn set_width(&self, width: u32) {
        self.client.set_window_size(width.max(500), HEIGHT).await.expect("resize the window");
        let command = if width < 500 {
            DevTools {
                command: "Emulation.setDeviceMetricsOverride",
                params: json!({ "width": width, "height": 844, "deviceScaleFactor": 1, "mobile": true }),
            }
        } else {
            DevTools { command: "Emulation.clearDeviceMetricsOverride", params: json!({}) }
        };
        self.client.issue_cmd(command).await.unwrap_or_else(|e| panic!("emulate a {width} px screen: {e}"));
        let inner = self.client.execute("return window.innerWidth;", vec![]).await.expect("inner width");
        assert_eq!(inner.as_u64(), Some(u64::from(width)), "the page is laid out {width} px wide");
    }

    /// The page as Chromium prints it (WebDriver's Print Page), A4 landscape with backgrounds.
    pub async fn print_to_pdf(&self) -> Vec<u8> {
        use fantoccini::wd::{PrintConfiguration, PrintOrientation, PrintSize};
        let configuration = PrintConfiguration::builder()
            .orientation(PrintOrientation::Landscape)
            .size(PrintSize::A4)
            .background(true)
            .build()
            .expect("a print configuration");
        let pdf = self.client.print(configuration).await.expect("print the page");
        assert!(pdf.starts_with(b"%PDF-"), "Chromium printed a PDF");
        pdf
    }
}

/// Writes `bytes` as `browser-artifacts/{name}` in the target folder.
pub fn save_artifact(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = artifacts_dir();
    std::fs::create_dir_all(&dir).expect("create the artifacts folder");
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write the artifact");
    path
}

/// Opens a WebDriver session, retrying while chromedriver is still starting.
async fn connect(driver: &mut Driver) -> Client {
    let port = driver.port;
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned());
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("browserName".into(), json!("chrome"));
    capabilities.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": chromium,
            "args": [
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                format!("--window-size={WIDTH},{HEIGHT}"),
                "--lang=ja",
            ],
        }),
    );
    let url = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + DRIVER_START;
    loop {
        let attempt = ClientBuilder::new(HttpConnector::new()).capabilities(capabilities.clone()).connect(&url).await;
        match attempt {
            Ok(client) => return client,
            // Not listening yet.
            Err(NewSessionError::Failed(_) | NewSessionError::FailedC(_) | NewSessionError::Lost(_))
                if Instant::now() < deadline =>
            {
                if let Ok(Some(status)) = driver.child.try_wait() {
                    panic!("chromedriver on port {port} ended before taking a session ({status})");
                }
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => panic!("no WebDriver session from chromedriver on port {port}: {e}"),
        }
    }
}

/// The first parts of the message ids in `locales/*/*.ftl` (`incident`, `nav`, …).
fn message_id_prefixes() -> std::collections::BTreeSet<String> {
    let locales = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("locales");
    let mut prefixes = std::collections::BTreeSet::new();
    for lang in std::fs::read_dir(&locales).expect("locales folder") {
        for file in std::fs::read_dir(lang.expect("entry").path()).expect("a language folder") {
            let text = std::fs::read_to_string(file.expect("entry").path()).expect("an .ftl file");
            for line in text.lines() {
                if let Some((id, _)) = line.split_once(" =")
                    && let Some((first, _)) = id.split_once('-')
                    && first.chars().all(|c| c.is_ascii_lowercase())
                    && !first.is_empty()
                {
                    prefixes.insert(first.to_owned());
                }
            }
        }
    }
    assert!(prefixes.contains("incident"), "message ids found in {}", locales.display());
    prefixes
}

/// `$CARGO_TARGET_DIR/browser-artifacts`, or `target/browser-artifacts` in the package.
pub fn artifacts_dir() -> PathBuf {
    let package = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let target = match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => package.join(dir),
        _ => package.join("target"),
    };
    target.join("browser-artifacts")
}
