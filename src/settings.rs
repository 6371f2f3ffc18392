//! Typed configuration: committed `config.toml` defaults → optional file → `config.local.toml` →
//! `PMARK__SECTION__KEY` environment variables. Secrets come only from the environment or a file.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde::Deserialize;

/// The defaults shipped with the binary, so that pmark starts from any working directory.
const DEFAULT_CONFIG: &str = include_str!("../config.toml");

/// Environment variables pmark reads besides `PMARK__SECTION__KEY`.
const KNOWN_PLAIN_VARIABLES: &[&str] =
    &["PMARK_SESSION_KEY", "PMARK_SESSION_KEY_FILE", "PMARK_CONFIG", "PMARK_SMTP_PASSWORD"];

/// All settings of one pmark instance.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    pub data: DataSettings,
    pub auth: AuthSettings,
    pub uploads: UploadSettings,
    pub renewal: RenewalSettings,
    pub mail: crate::mail::MailSettings,
    pub reminders: ReminderSettings,
    pub log: LogSettings,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReminderSettings {
    /// Minutes between passes; 0 turns the scheduler off.
    pub interval_minutes: u64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RenewalSettings {
    /// Months before expiry that preparation starts.
    pub prepare_months: u32,
    /// Extra closed days of the examination body.
    pub extra_closed_days: Vec<chrono::NaiveDate>,
}

impl RenewalSettings {
    pub fn calendar(&self) -> crate::domain::renewal::BusinessCalendar {
        crate::domain::renewal::BusinessCalendar { extra_closed: self.extra_closed_days.iter().copied().collect() }
    }

    /// The renewal window of a cycle expiring on `expiry`, with this calendar.
    pub fn window(&self, expiry: chrono::NaiveDate) -> crate::domain::renewal::RenewalWindow {
        crate::domain::renewal::RenewalWindow::for_expiry(expiry, self.prepare_months, &self.calendar())
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UploadSettings {
    /// Largest evidence file, in megabytes.
    pub max_mb: u64,
    /// Where evidence files are kept: `auto`, `files` or `database`.
    pub storage: StorageChoice,
}

/// The `uploads.storage` setting as written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum StorageChoice {
    /// `database` on PostgreSQL, `files` on SQLite.
    Auto,
    Files,
    Database,
}

/// Where this instance keeps the content of evidence files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EvidenceStorage {
    /// Under `data.dir/evidence/`, on this machine only.
    Files,
    /// In the `evidence_blobs` table, seen by every instance on the database.
    Database,
}

impl UploadSettings {
    pub fn max_bytes(&self) -> u64 {
        self.max_mb.saturating_mul(1024 * 1024)
    }

    /// Where evidence goes with this database: `auto` is the database on PostgreSQL (the
    /// instances behind a load balancer share it, and `pg_dump` then backs up the evidence with
    /// the rows that name it) and files on SQLite (one instance, and the files stay readable
    /// beside a database that does not grow by every upload).
    pub fn storage_for(&self, database_url: &str) -> EvidenceStorage {
        match self.storage {
            StorageChoice::Files => EvidenceStorage::Files,
            StorageChoice::Database => EvidenceStorage::Database,
            StorageChoice::Auto if database_url.starts_with("postgres") => EvidenceStorage::Database,
            StorageChoice::Auto => EvidenceStorage::Files,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSettings {
    /// `host:port` to listen on.
    pub bind: String,
    /// The externally visible base URL (no trailing slash); empty means derived from `bind`.
    pub public_url: String,
    /// Worker threads; 0 = one per core.
    pub workers: usize,
    /// Seconds to wait for requests in flight at shutdown.
    pub shutdown_timeout_secs: u64,
    /// Seconds a request may take before it is abandoned and answered 503.
    pub request_timeout_secs: u64,
    /// Whether `X-Forwarded-Host`/`Forwarded` name this site's own origin (only behind a proxy
    /// that sets them; anyone can send them otherwise).
    pub trust_forwarded_host: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSettings {
    pub url: String,
    pub max_connections: u32,
    pub busy_timeout_ms: u64,
    /// Milliseconds a query waits for a pooled connection before the request is refused (503).
    pub acquire_timeout_ms: u64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataSettings {
    pub dir: PathBuf,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthSettings {
    pub session_hours: u32,
    pub max_failed_logins: u32,
    pub lockout_minutes: u32,
    pub invitation_days: u32,
    pub argon2_memory_kib: u32,
    pub argon2_iterations: u32,
    pub argon2_parallelism: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Pretty,
    Json,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogSettings {
    pub format: LogFormat,
    pub level: String,
}

impl Settings {
    /// Loads the settings. `explicit_file`, when given, must exist; otherwise `config.toml` and
    /// `config.local.toml` in the working directory are read when present.
    ///
    /// # Errors
    /// A message naming the offending key when a value has the wrong type or a key is unknown,
    /// or when a value fails validation.
    pub fn load(explicit_file: Option<&Path>) -> anyhow::Result<Self> {
        let mut builder =
            config::Config::builder().add_source(config::File::from_str(DEFAULT_CONFIG, config::FileFormat::Toml));
        match explicit_file {
            Some(path) => {
                if !path.exists() {
                    bail!("config file {} does not exist", path.display());
                }
                builder = builder.add_source(config::File::from(path).format(config::FileFormat::Toml));
            }
            None => {
                builder = builder.add_source(config::File::with_name("config.toml").required(false));
            }
        }
        builder = builder.add_source(config::File::with_name("config.local.toml").required(false)).add_source(
            config::Environment::with_prefix("PMARK").prefix_separator("__").separator("__").try_parsing(true),
        );
        let settings: Settings = builder
            .build()
            .context("could not read the configuration")?
            .try_deserialize()
            .context("invalid configuration")?;
        settings.validate()?;
        Ok(settings)
    }

    fn validate(&self) -> anyhow::Result<()> {
        if self.server.bind.parse::<std::net::SocketAddr>().is_err() {
            bail!("server.bind: `{}` is not an address like 127.0.0.1:8080", self.server.bind);
        }
        let url = self.server.public_url.trim();
        if !(url.is_empty() || url.starts_with("http://") || url.starts_with("https://")) {
            bail!("server.public_url: `{url}` must start with http:// or https://");
        }
        if !(self.database.url.starts_with("sqlite:") || self.database.url.starts_with("postgres")) {
            bail!("database.url: only sqlite:// and postgres:// URLs are supported");
        }
        if self.database.max_connections == 0 {
            bail!("database.max_connections: must be at least 1");
        }
        if self.database.acquire_timeout_ms == 0 {
            bail!("database.acquire_timeout_ms: must be at least 1");
        }
        if self.server.request_timeout_secs == 0 {
            bail!("server.request_timeout_secs: must be at least 1");
        }
        if self.auth.session_hours == 0 {
            bail!("auth.session_hours: must be at least 1");
        }
        if self.auth.max_failed_logins == 0 {
            bail!("auth.max_failed_logins: must be at least 1");
        }
        if self.auth.invitation_days == 0 {
            bail!("auth.invitation_days: must be at least 1");
        }
        if !matches!(self.mail.transport.as_str(), "file" | "smtp") {
            bail!("mail.transport: `{}` is not file or smtp", self.mail.transport);
        }
        if !matches!(self.mail.smtp_security.as_str(), "tls" | "starttls" | "none") {
            bail!("mail.smtp_security: `{}` is not tls, starttls or none", self.mail.smtp_security);
        }
        if self.mail.from.parse::<lettre::message::Mailbox>().is_err() {
            bail!("mail.from: `{}` is not an address like `pmark <pmark@example.jp>`", self.mail.from);
        }
        if !(8..=24).contains(&self.renewal.prepare_months) {
            bail!("renewal.prepare_months: must be 8 to 24 (the window opens 8 months before expiry)");
        }
        if self.uploads.max_mb == 0 {
            bail!("uploads.max_mb: must be at least 1");
        }
        if self.auth.argon2_memory_kib < 8 || self.auth.argon2_iterations == 0 || self.auth.argon2_parallelism == 0 {
            bail!("auth.argon2_*: memory must be at least 8 KiB, iterations and parallelism at least 1");
        }
        Ok(())
    }

    /// The base URL for links, without a trailing slash.
    pub fn public_url(&self, bound: std::net::SocketAddr) -> String {
        let url = self.server.public_url.trim().trim_end_matches('/');
        if url.is_empty() { format!("http://{bound}") } else { url.to_owned() }
    }

    /// `PMARK_*` variables in the environment that pmark does not know, to be warned about.
    pub fn unknown_plain_variables() -> Vec<String> {
        std::env::vars()
            .map(|(name, _)| name)
            .filter(|name| name.starts_with("PMARK_") && !name.starts_with("PMARK__"))
            .filter(|name| !KNOWN_PLAIN_VARIABLES.contains(&name.as_str()))
            .collect()
    }
}

/// Reads the 64-byte session key from `PMARK_SESSION_KEY` (hex), the file named by
/// `PMARK_SESSION_KEY_FILE`, or `data_dir/session.key`, generating the last on first start.
///
/// # Errors
/// When a configured key is not 128 hex characters, or the key file cannot be read or written.
pub fn load_session_key(data_dir: &Path) -> anyhow::Result<(Vec<u8>, KeySource)> {
    if let Ok(hex_key) = std::env::var("PMARK_SESSION_KEY") {
        return Ok((decode_key(&hex_key).context("PMARK_SESSION_KEY")?, KeySource::Environment));
    }
    if let Ok(path) = std::env::var("PMARK_SESSION_KEY_FILE") {
        let text =
            std::fs::read_to_string(&path).with_context(|| format!("PMARK_SESSION_KEY_FILE: cannot read {path}"))?;
        return Ok((decode_key(&text).context("PMARK_SESSION_KEY_FILE")?, KeySource::File(path.into())));
    }
    let path = data_dir.join("session.key");
    if path.exists() {
        let text = std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
        return Ok((decode_key(&text).with_context(|| path.display().to_string())?, KeySource::File(path)));
    }
    std::fs::create_dir_all(data_dir).with_context(|| format!("cannot create {}", data_dir.display()))?;
    let key = crate::security::tokens::random_bytes::<64>();
    write_private_file(&path, &hex::encode(key))?;
    Ok((key.to_vec(), KeySource::Generated(path)))
}

/// Where the session key came from, for the start-up log.
#[derive(Debug)]
pub enum KeySource {
    Environment,
    File(PathBuf),
    Generated(PathBuf),
}

fn decode_key(text: &str) -> anyhow::Result<Vec<u8>> {
    let bytes = hex::decode(text.trim()).context("the session key must be hexadecimal")?;
    if bytes.len() < 64 {
        bail!("the session key is too weak: {} bytes, at least 64 are needed (128 hex characters)", bytes.len());
    }
    if bytes.iter().all(|b| *b == bytes[0]) {
        bail!("the session key is too weak: every byte is the same");
    }
    Ok(bytes)
}

fn write_private_file(path: &Path, contents: &str) -> anyhow::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    file.write_all(contents.as_bytes()).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}
