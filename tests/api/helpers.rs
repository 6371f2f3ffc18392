//! `spawn_app()`: the real application on port 0 with a fresh database (a temporary SQLite file,
//! or a fresh PostgreSQL database when `TEST_DATABASE_URL` is set), and HTTP helpers.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use pmark::domain::{DisplayName, EmailAddress, Lang, OrganisationName, Role};
use pmark::settings::Settings;
use pmark::startup::Application;
use pmark::store::{self, audit::Actor};
use reqwest::{Client, Response, StatusCode};
use scraper::{Html, Selector};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use tempfile::TempDir;

pub const PASSWORD: &str = "correct horse battery";

pub struct TestApp {
    pub address: String,
    pub db: DatabaseConnection,
    pub settings: Settings,
    /// A client with its own cookie jar (one browser).
    pub client: Client,
    pub setup_url: Option<String>,
    /// The server's clock: `clock.set(…)` fixes "now" for every page and job of this app.
    pub clock: pmark::clock::Clock,
    _data_dir: TempDir,
}

/// A browser-like client: cookies kept, redirects not followed.
pub fn new_client() -> Client {
    Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().expect("client")
}

fn random_suffix() -> String {
    pmark::security::tokens::new_token()[..16].to_owned()
}

/// A fresh database URL: a temporary SQLite file, or a new PostgreSQL database.
pub async fn fresh_database_url(dir: &TempDir) -> String {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(base) if base.starts_with("postgres") => {
            let admin = Database::connect(&base).await.expect("connect to TEST_DATABASE_URL");
            let name = format!("pmark_test_{}", random_suffix());
            admin.execute_unprepared(&format!("CREATE DATABASE \"{name}\"")).await.expect("create test database");
            admin.close().await.ok();
            let (prefix, _) = base.rsplit_once('/').expect("TEST_DATABASE_URL has a database name");
            format!("{prefix}/{name}")
        }
        _ => format!("sqlite://{}?mode=rwc", dir.path().join("pmark.db").display()),
    }
}

/// Settings for a test instance: port 0, a temporary data folder, cheap password hashing.
pub async fn test_settings(dir: &TempDir) -> Settings {
    let mut settings = Settings::load(None).expect("default settings load");
    settings.server.bind = "127.0.0.1:0".to_owned();
    settings.server.workers = 2;
    settings.server.shutdown_timeout_secs = 5;
    settings.data.dir = dir.path().to_path_buf();
    settings.database.url = fresh_database_url(dir).await;
    settings.database.max_connections = 4;
    settings.auth.argon2_memory_kib = 64;
    settings.auth.argon2_iterations = 1;
    settings.mail.file_dir = dir.path().join("mail");
    // The reminder scheduler would claim the outbox rows tests enqueue; tests run passes themselves.
    settings.reminders.interval_minutes = 0;
    settings.log.level = if std::env::var("TEST_LOG").is_ok() { "info".into() } else { "off".into() };
    settings
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}, None).await
}

/// Counts the SQL statements the server runs.
pub type QueryCounter = Arc<AtomicUsize>;

/// `spawn_app` with changed settings, and optionally a counter of every SQL statement the server runs.
pub async fn spawn_app_with(change: impl FnOnce(&mut Settings), counter: Option<QueryCounter>) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut settings = test_settings(&dir).await;
    change(&mut settings);
    spawn_in(dir, settings, counter).await
}

/// Another instance of `first`'s database, with its own data folder and port: two instances
/// behind one load balancer. `change` adjusts its settings (the database URL stays shared).
pub async fn spawn_second_instance(first: &TestApp, change: impl FnOnce(&mut Settings)) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut settings = first.settings.clone();
    settings.data.dir = dir.path().to_path_buf();
    settings.mail.file_dir = dir.path().join("mail");
    // Instances behind one load balancer share the session key, so one browser is signed in on both.
    std::fs::copy(first._data_dir.path().join("session.key"), dir.path().join("session.key")).expect("session key");
    change(&mut settings);
    settings.database.url = first.settings.database.url.clone();
    spawn_in(dir, settings, None).await
}

async fn spawn_in(dir: TempDir, settings: Settings, counter: Option<QueryCounter>) -> TestApp {
    pmark::telemetry::init(settings.log.format, &settings.log.level);
    let mut server_db = store::connect(&settings.database).await.expect("server connection");
    store::migrate(&server_db).await.expect("migrations");
    if let Some(counter) = counter {
        server_db.set_metric_callback(move |_| {
            counter.fetch_add(1, Ordering::SeqCst);
        });
    }
    let app = Application::build_with_database(settings.clone(), server_db).await.expect("application builds");
    let port = app.port();
    let setup_url = app.setup_url();
    let clock = app.clock();
    tokio::spawn(app.run_until_stopped());
    let db = store::connect(&settings.database).await.expect("test connection");
    TestApp {
        address: format!("http://127.0.0.1:{port}"),
        db,
        settings,
        client: new_client(),
        setup_url,
        clock,
        _data_dir: dir,
    }
}

/// A signed-in member of an organisation, with their own browser.
pub struct Member {
    pub user_id: i32,
    pub client: Client,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, client: &Client, path: &str) -> Response {
        client.get(self.url(path)).send().await.expect("GET")
    }

    /// The CSRF token of `client`'s session, read from a page that has a form.
    pub async fn csrf_token(&self, client: &Client) -> String {
        for path in ["/login", "/account"] {
            let response = self.get(client, path).await;
            if response.status() == StatusCode::OK {
                let html = response.text().await.expect("body");
                if let Some(token) = input_value(&html, "csrf_token") {
                    return token;
                }
            }
        }
        panic!("no page with a CSRF token");
    }

    /// Posts a form with the client's CSRF token added.
    pub async fn post_form(&self, client: &Client, path: &str, fields: &[(&str, &str)]) -> Response {
        let token = self.csrf_token(client).await;
        let mut body: Vec<(&str, &str)> = fields.to_vec();
        body.push(("csrf_token", &token));
        client.post(self.url(path)).form(&body).send().await.expect("POST")
    }

    /// Completes first-run setup through the web form; returns the organisation id.
    /// The app's own client is then signed in as the administrator `admin@example.jp`.
    pub async fn set_up_admin(&self) -> i32 {
        let setup_url = self.setup_url.clone().expect("setup is open");
        let token = setup_url.rsplit_once("token=").expect("token in URL").1.to_owned();
        let page = self.client.get(&setup_url).send().await.expect("setup page");
        assert_eq!(page.status(), StatusCode::OK);
        let csrf = input_value(&page.text().await.expect("body"), "csrf_token").expect("csrf field");
        let response = self
            .client
            .post(self.url("/setup"))
            .form(&[
                ("csrf_token", csrf.as_str()),
                ("token", token.as_str()),
                ("organisation_name", "株式会社ジモス検証"),
                ("display_name", "山田 花子"),
                ("email", "admin@example.jp"),
                ("password", PASSWORD),
                ("password_confirmation", PASSWORD),
            ])
            .send()
            .await
            .expect("setup POST");
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "setup should redirect");
        let location = location(&response);
        location.trim_start_matches("/orgs/").parse().expect("redirect to /orgs/{id}")
    }

    /// Creates an account directly in the store (cheap hashing) and returns it signed in.
    pub async fn add_member(&self, organisation_id: Option<i32>, role: Role, email: &str) -> Member {
        let hashing = pmark::security::password::PasswordHashing::new(&self.settings.auth).expect("hashing");
        let hash = hashing.hash(PASSWORD).expect("hash");
        let actor = Actor::command_line();
        let user = store::users::create(
            &self.db,
            &actor,
            &EmailAddress::parse(email).expect("email"),
            &DisplayName::parse(email).expect("name"),
            hash,
            Lang::Ja,
        )
        .await
        .expect("create user");
        if let Some(org) = organisation_id {
            store::organisations::add_member(&self.db, &actor, org, user.id, role).await.expect("add member");
        }
        let client = new_client();
        self.sign_in(&client, email, PASSWORD).await;
        Member { user_id: user.id, client }
    }

    /// Creates another organisation with a new admin; returns its id and the admin.
    pub async fn add_organisation(&self, name: &str, admin_email: &str) -> (i32, Member) {
        let admin = self.add_member(None, Role::Admin, admin_email).await;
        let org = store::organisations::create(
            &self.db,
            &Actor::command_line(),
            &OrganisationName::parse(name).expect("name"),
            admin.user_id,
            pmark::domain::catalog::Catalogs::builtin().expect("catalog").current(),
        )
        .await
        .expect("create organisation");
        (org.id, admin)
    }

    /// Posts a multipart form (evidence uploads) with the CSRF token in the query string.
    pub async fn post_multipart(&self, client: &Client, path: &str, form: reqwest::multipart::Form) -> Response {
        let token = self.csrf_token(client).await;
        client
            .post(self.url(&format!("{path}?csrf_token={token}")))
            .multipart(form)
            .send()
            .await
            .expect("POST multipart")
    }

    /// The evidence folder of this instance.
    pub fn evidence_dir(&self) -> std::path::PathBuf {
        self._data_dir.path().join("evidence")
    }

    /// Records a Privacy Mark cycle expiring in 150 days: today falls inside its renewal window.
    pub async fn certify_with_window_open(&self, org: i32) {
        self.certify(org, None, pmark::domain::certification::CertificationStatus::Valid, "").await;
    }

    /// Records a Privacy Mark cycle expiring in 150 days (today falls inside its renewal
    /// window), with its renewal application date, status and notes, and returns it.
    pub async fn certify(
        &self,
        org: i32,
        applied_on: Option<chrono::NaiveDate>,
        status: pmark::domain::certification::CertificationStatus,
        notes: &str,
    ) -> pmark::entities::certification::Model {
        let today = self.clock.today();
        let expiry = today + chrono::Days::new(150);
        let valid_from = expiry.checked_sub_months(chrono::Months::new(24)).expect("date") + chrono::Days::new(1);
        let values = store::certifications::CertificationValues {
            registration_number: "10823456(05)".into(),
            examination_body: pmark::domain::certification::ExaminationBody::Jipdec,
            examination_body_other: None,
            first_granted_on: valid_from,
            valid_from,
            valid_until: expiry,
            status,
            applied_on,
            notes: notes.to_owned(),
        };
        store::certifications::save(&self.db, &Actor::command_line(), org, None, 0, &values)
            .await
            .expect("certification");
        store::certifications::history(&self.db, org).await.expect("history").remove(0)
    }

    pub async fn sign_in(&self, client: &Client, email: &str, password: &str) -> Response {
        let response =
            self.post_form(client, "/login", &[("email", email), ("password", password), ("next", "/")]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "sign-in of {email} should succeed");
        response
    }
}

pub fn location(response: &Response) -> String {
    response.headers().get(reqwest::header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
}

/// The value of the first `<input name=…>` in a page.
pub fn input_value(html: &str, name: &str) -> Option<String> {
    let document = Html::parse_document(html);
    let selector = Selector::parse(&format!("input[name=\"{name}\"]")).ok()?;
    document.select(&selector).next().and_then(|e| e.value().attr("value")).map(ToOwned::to_owned)
}

/// The trimmed texts of every element matching a CSS selector.
pub fn texts(html: &str, css: &str) -> Vec<String> {
    let document = Html::parse_document(html);
    let selector = Selector::parse(css).expect("valid selector");
    document.select(&selector).map(|e| e.text().collect::<String>().trim().to_owned()).collect()
}

/// How many elements match a CSS selector.
pub fn count(html: &str, css: &str) -> usize {
    let document = Html::parse_document(html);
    let selector = Selector::parse(css).expect("valid selector");
    document.select(&selector).count()
}

/// An attribute of the first element matching a CSS selector.
pub fn attr(html: &str, css: &str, name: &str) -> Option<String> {
    let document = Html::parse_document(html);
    let selector = Selector::parse(css).expect("valid selector");
    document.select(&selector).next().and_then(|e| e.value().attr(name)).map(ToOwned::to_owned)
}
