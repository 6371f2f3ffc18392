//! Building and running the web application. `Application::build` binds its own listener, so
//! tests can bind port 0 and read the port back.

use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use actix_session::SessionMiddleware;
use actix_session::config::BrowserSession;
use actix_web::cookie::{Key, SameSite};
use actix_web::dev::{Server, ServerHandle};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::{ErrorHandlers, from_fn};
use actix_web::{App, HttpMessage, HttpServer, web};
use anyhow::Context;
use sea_orm::DatabaseConnection;
use tracing_actix_web::{RequestId, TracingLogger};

use crate::domain::catalog::Catalogs;
use crate::domain::incident::CheckRules;
use crate::jobs::scheduler::{LastPass, PassOutcome, Scheduler, SchedulerState};
use crate::security::password::PasswordHashing;
use crate::security::tokens;
use crate::settings::{KeySource, Settings, load_session_key};
use crate::store::{
    self, evidence_store::EvidenceStore, files::EvidenceFiles, sessions::DatabaseSessionStore, snapshot::SnapshotCache,
};
use crate::telemetry::RequestSpan;
use crate::web::{csrf, error_pages, routes, state::AppState};

/// A built, bound, not yet running application.
pub struct Application {
    port: u16,
    server: Server,
    state: AppState,
}

impl Application {
    /// Connects to the database, runs migrations, loads the session key and binds the listener.
    ///
    /// # Errors
    /// Any start-up failure, with a message that says what to fix.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let db = store::connect(&settings.database).await?;
        store::migrate(&db).await?;
        Self::build_with_database(settings, db).await
    }

    /// As `build`, on an open (and migrated) database.
    ///
    /// # Errors
    /// Any start-up failure.
    pub async fn build_with_database(settings: Settings, db: DatabaseConnection) -> anyhow::Result<Self> {
        // A database or a data folder that cannot be written is named now, not at the first form.
        if let Err(err) = store::database::probe_write(&db).await {
            let reason = store::database::WriteFailure::of(&err).map_or("error", |f| f.as_str());
            anyhow::bail!(
                "database.url: the database at {} cannot be written ({reason}): {err}",
                store::database::redact(&settings.database.url)
            );
        }
        let (key, source) = load_session_key(&settings.data.dir)?;
        match source {
            KeySource::Generated(path) => tracing::warn!(
                path = %path.display(),
                "generated a new session key (mode 0600); keep it secret, back it up, or set PMARK_SESSION_KEY"
            ),
            KeySource::File(path) => tracing::info!(path = %path.display(), "session key loaded"),
            KeySource::Environment => tracing::info!("session key loaded from PMARK_SESSION_KEY"),
        }
        for name in Settings::unknown_plain_variables() {
            tracing::warn!(variable = %name, "unknown PMARK_ variable ignored (settings use PMARK__SECTION__KEY)");
        }
        let listener = TcpListener::bind(&settings.server.bind)
            .with_context(|| format!("server.bind: cannot listen on {}", settings.server.bind))?;
        let address = listener.local_addr()?;
        let public_url = settings.public_url(address);
        let setup_token = if store::setup::is_completed(&db).await? { None } else { Some(tokens::new_token()) };
        if let Some(token) = &setup_token {
            // The token itself only on standard output, never in a log line (collectors keep those).
            tracing::warn!(
                "first run: open the one-time setup link printed on standard output to create the administrator"
            );
            println!("\n  pmark first run: open {public_url}/setup?token={token} to create the administrator\n");
        }
        let catalogs = Catalogs::builtin().context("the built-in control catalogs or their crosswalk are invalid")?;
        let check_rules =
            CheckRules::builtin(catalogs.current()).context("the built-in incident check rules are invalid")?;
        let seeded = store::controls::seed_all(&db, catalogs.current()).await?;
        if seeded > 0 {
            tracing::info!(controls = seeded, catalog = %catalogs.current().version, "added catalog controls to organisations");
        }
        let evidence_files = EvidenceFiles::open(&settings.data.dir).with_context(|| {
            format!("data.dir: cannot create the evidence folder under {}", settings.data.dir.display())
        })?;
        evidence_files
            .check_writable()
            .with_context(|| format!("data.dir: {} is not writable", settings.data.dir.display()))?;
        let storage = settings.uploads.storage_for(&settings.database.url);
        let evidence = EvidenceStore::new(evidence_files, storage);
        let copied =
            evidence.copy_files_in(&db).await.context("uploads.storage: copying evidence files into the database")?;
        if copied > 0 {
            tracing::info!(files = copied, "copied evidence files kept on disk into the database");
        }
        tracing::info!(storage = ?storage, "evidence storage");
        let state = AppState {
            catalogs: Arc::new(catalogs),
            check_rules: Arc::new(check_rules),
            evidence,
            snapshots: SnapshotCache::default(),
            write_health: crate::store::write_health::WriteHealth::default(),
            scheduler: Scheduler::new(settings.reminders.interval_minutes),
            clock: crate::clock::Clock::system(),
            hashing: PasswordHashing::new(&settings.auth)?,
            db,
            public_url,
            setup_token: Arc::new(Mutex::new(setup_token)),
            settings: Arc::new(settings),
        };
        let server = run(listener, state.clone(), Key::try_from(key.as_slice())?)?;
        tracing::info!(url = %state.public_url, "pmark listening");
        Ok(Self { port: address.port(), server, state })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The application's clock; tests set it to a fixed instant.
    pub fn clock(&self) -> crate::clock::Clock {
        self.state.clock.clone()
    }

    /// The first-run URL while no administrator exists.
    pub fn setup_url(&self) -> Option<String> {
        self.state.current_setup_token().map(|t| format!("{}/setup?token={t}", self.state.public_url))
    }

    /// Stops the server: `handle().stop(true)` finishes requests in flight first.
    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    /// Runs until SIGTERM, SIGINT or `handle().stop()`; requests in flight finish first.
    ///
    /// # Errors
    /// When the server fails.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let purge = tokio::spawn(purge_expired_sessions(self.state.db.clone()));
        let reminders = tokio::spawn(run_reminders(self.state.clone()));
        let result = self.server.await;
        purge.abort();
        reminders.abort();
        tracing::info!("pmark stopped");
        result
    }
}

/// The reminder scheduler: a pass at start, every `reminders.interval_minutes`, and when woken.
async fn run_reminders(state: AppState) {
    let scheduler = state.scheduler.clone();
    let minutes = scheduler.interval_minutes();
    if minutes == 0 {
        return;
    }
    let (mailer, from) = match crate::mail::Mailer::from_settings(&state.settings.mail) {
        Ok(ready) => ready,
        Err(e) => {
            tracing::error!(error = %e, "reminders are off: the mail settings do not work");
            scheduler.set(SchedulerState::MailSettingsBroken);
            return;
        }
    };
    let sender = format!("{}-{}", std::process::id(), &tokens::new_token()[..8]);
    let mut every = tokio::time::interval(std::time::Duration::from_secs(minutes * 60));
    // A pass that sent for a whole interval is followed by the next one, not by a burst of them.
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = every.tick() => {}
            () = scheduler.woken() => {}
        }
        let now = state.clock.now();
        let result =
            crate::jobs::pass::run_once(&state.db, &state.settings, &state.public_url, &mailer, &from, &sender, now)
                .await;
        let outcome = match result {
            Ok(report) => {
                if report != crate::jobs::pass::PassReport::default() {
                    tracing::info!(?report, "reminder pass");
                }
                PassOutcome::Completed(report)
            }
            Err(e) => {
                tracing::error!(error = %e, "reminder pass failed");
                PassOutcome::Failed
            }
        };
        scheduler.set(SchedulerState::Ran(LastPass { finished_at: state.clock.now(), outcome }));
    }
}

async fn purge_expired_sessions(db: DatabaseConnection) {
    let store = DatabaseSessionStore::new(db);
    let mut every_hour = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        every_hour.tick().await;
        match store.purge_expired().await {
            Ok(n) if n > 0 => tracing::info!(sessions = n, "expired sessions deleted"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "could not delete expired sessions"),
        }
    }
}

fn run(listener: TcpListener, state: AppState, key: Key) -> anyhow::Result<Server> {
    let secure_cookie = state.public_url.starts_with("https://");
    let session_hours = i64::from(state.settings.auth.session_hours);
    let workers = state.settings.server.workers;
    let shutdown_timeout = state.settings.server.shutdown_timeout_secs;
    let data = web::Data::new(state);
    let csrf_cookies = web::Data::new(csrf::CookieSettings { key: key.clone(), secure: secure_cookie });
    let mut server = HttpServer::new(move || {
        let sessions = SessionMiddleware::builder(DatabaseSessionStore::new(data.db.clone()), key.clone())
            .cookie_name("pmark_session".to_owned())
            .cookie_http_only(true)
            .cookie_secure(secure_cookie)
            .cookie_same_site(SameSite::Lax)
            .session_lifecycle(
                BrowserSession::default().state_ttl(actix_web::cookie::time::Duration::hours(session_hours)),
            )
            .build();
        App::new()
            .app_data(data.clone())
            .app_data(csrf_cookies.clone())
            .app_data(web::FormConfig::default().limit(64 * 1024))
            .configure(routes)
            .wrap(from_fn(csrf::protect))
            .wrap(from_fn(error_pages::session_store_unavailable))
            .wrap(ErrorHandlers::new().default_handler(error_pages::render_error_page))
            .wrap(sessions)
            .wrap(from_fn(error_pages::unsaved_session))
            .wrap(crate::web::headers::middleware(secure_cookie))
            .wrap(from_fn(echo_request_id))
            .wrap(TracingLogger::<RequestSpan>::new())
    })
    .listen(listener)?
    .shutdown_timeout(shutdown_timeout);
    if workers > 0 {
        server = server.workers(workers);
    }
    Ok(server.run())
}

/// Echoes the request id of the tracing span in `x-request-id`.
async fn echo_request_id(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody>,
) -> Result<actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>, actix_web::Error> {
    let id = req.extensions().get::<RequestId>().map(ToString::to_string);
    let mut res = next.call(req).await?;
    if let Some(value) = id.and_then(|id| HeaderValue::from_str(&id).ok()) {
        res.headers_mut().insert(header::HeaderName::from_static("x-request-id"), value);
    }
    Ok(res)
}
