//! The `pmark` command line. Parsing only; the work is in `pmark::cli`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::builder::PossibleValuesParser;
use clap::{Parser, Subcommand};
use mimalloc::MiMalloc;
use pmark::cli::{self, NewUser, Placement};
use pmark::domain::catalog::Edition;
use pmark::domain::term::Term;
use pmark::settings::Settings;

/// mimalloc: page rendering allocates many small strings; glibc's allocator showed up at ~15% of
/// the CPU time of a page under load (see scripts/bench.sh).
#[global_allocator]
static GLOBAL: MiMalloc = MiMalloc;

/// Turns transparent huge pages off for this process. mimalloc asks for them on its arenas, so a
/// few kilobytes touched held whole 2 MiB pages: 44 MB resident at start instead of 23 MB, and
/// more under load. The kernel checks the flag at each page fault, so this takes effect for all
/// memory touched from here on.
#[cfg(target_os = "linux")]
fn no_transparent_huge_pages() {
    // SAFETY: prctl(PR_SET_THP_DISABLE) takes plain integers and touches no memory of ours.
    let result = unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0) };
    if result != 0 {
        eprintln!("pmark: could not turn transparent huge pages off; memory use may be higher");
    }
}

#[derive(Parser)]
#[command(name = "pmark", version, about = "Privacy Mark (JIS Q 15001) compliance tracker")]
struct Cli {
    /// Configuration file (default: config.toml in the working directory, when present).
    #[arg(long, global = true, env = "PMARK_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server (the default).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Create an organisation full of sample records (for trying pmark out and for benchmarks).
    Demo {
        /// The existing account that becomes the organisation's admin.
        #[arg(long, required_unless_present = "orgs")]
        email: Option<String>,
        /// Instead: this many small organisations, each with its own admin and a certification
        /// somewhere in its two-year cycle (for measuring the reminder pass).
        #[arg(long, conflicts_with_all = ["email", "org_name", "years", "incidents", "people"])]
        orgs: Option<usize>,
        /// The organisation's name.
        #[arg(long, default_value = "サンプル株式会社")]
        org_name: String,
        /// PMS years of duty records, up to today.
        #[arg(long, default_value_t = 5)]
        years: i32,
        /// Sample incidents to record over those years (with filings and control checks).
        #[arg(long, default_value_t = 0)]
        incidents: usize,
        /// People imported from a generated HR list, with a training per PMS year.
        #[arg(long, default_value_t = 120)]
        people: usize,
    },
    /// Print the renewal application window of a mark expiring on a date.
    Renewal {
        /// The last day of validity.
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        expiry: chrono::NaiveDate,
        /// text or json.
        #[arg(long, default_value = "text", value_parser = ["text", "json"])]
        format: String,
    },
    /// Assess an incident: both reporting tracks with their deadlines, and the controls to check.
    Assess {
        /// The incident facts as JSON (see the README); `-` reads standard input.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// text or json.
        #[arg(long, default_value = "text", value_parser = ["text", "json"])]
        format: String,
        /// Language of the text format: ja or en.
        #[arg(long, default_value = "ja", value_parser = ["ja", "en"])]
        lang: String,
    },
    /// Print a control catalog, each item with its crosswalk ids in the other edition.
    Catalog {
        /// guideline-2024 (the JIPDEC guideline, JIS Q 15001:2023準拠) or jisq15001-2017 (Annex A).
        #[arg(long, default_value = "guideline-2024", value_parser = PossibleValuesParser::new(Edition::names()))]
        edition: String,
        /// json or csv.
        #[arg(long, default_value = "json", value_parser = ["json", "csv"])]
        format: String,
    },
    /// Write the audit-prep report of an organisation for the renewal examination.
    Report {
        /// The organisation's id or exact name.
        #[arg(long)]
        org: String,
        /// First day of the period (default: the start of the current validity).
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        from: Option<chrono::NaiveDate>,
        /// Last day of the period (default: today).
        #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
        to: Option<chrono::NaiveDate>,
        /// html, xlsx, pdf, or csv (a folder with one file per section).
        #[arg(long, value_parser = ["html", "xlsx", "csv", "pdf"])]
        format: String,
        /// Where to write: a file, or a folder for csv.
        #[arg(long)]
        out: PathBuf,
        /// The report's language: ja or en.
        #[arg(long, default_value = "ja", value_parser = ["ja", "en"])]
        lang: String,
    },
    /// Run one reminder pass (enqueue what is due, send what is pending), or list it.
    Remind {
        /// List the reminders due now without enqueueing or sending anything.
        #[arg(long)]
        dry_run: bool,
    },
    /// Write a consistent archive of the database (SQLite) and the evidence files, while the
    /// server runs.
    Backup {
        /// The archive to write (a .tar.gz).
        #[arg(long)]
        out: PathBuf,
    },
    /// Restore an archive written by `pmark backup` into an empty data folder.
    Restore {
        /// The archive.
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Import a list the organisation keeps in a spreadsheet.
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// Manage user accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// The HR list (従業者名簿, CSV or XLSX) into the organisation's people and departments, matched
    /// by employee number. Refused cells are listed by line and column and nothing is written.
    People {
        /// The organisation's id or exact name.
        #[arg(long)]
        org: String,
        /// The CSV (UTF-8 or Shift_JIS) or XLSX file.
        file: PathBuf,
        /// Print what would change; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// The file lists everyone in post: mark those missing from it as left today.
        #[arg(long)]
        full: bool,
        /// The language of the messages: ja or en.
        #[arg(long, default_value = "ja", value_parser = ["ja", "en"])]
        lang: String,
    },
    /// An attendance sheet (CSV or XLSX: 社員番号, 受講日, 点数, 備考) into one training. Refused
    /// cells are listed by line and column and nothing is written.
    Attendance {
        /// The organisation's id or exact name.
        #[arg(long)]
        org: String,
        /// The training's id (shown on its page).
        #[arg(long)]
        training: i32,
        /// The CSV (UTF-8 or Shift_JIS) or XLSX file.
        file: PathBuf,
        /// Print the summary it would give; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// The language of the messages: ja or en.
        #[arg(long, default_value = "ja", value_parser = ["ja", "en"])]
        lang: String,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account; prints a generated password unless --password-stdin is given.
    Create {
        /// E-mail address used to sign in.
        #[arg(long)]
        email: String,
        /// Name shown to others.
        #[arg(long)]
        name: String,
        /// UI language: ja or en.
        #[arg(long, default_value = "ja")]
        lang: String,
        /// Create a new organisation with this name and make the user its admin.
        #[arg(long, conflicts_with = "org")]
        org_name: Option<String>,
        /// Add the user to the organisation with this id …
        #[arg(long, requires = "role")]
        org: Option<i32>,
        /// … with this role: admin, officer, auditor or viewer.
        #[arg(long, requires = "org")]
        role: Option<String>,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
}

fn parse_date(text: &str) -> Result<chrono::NaiveDate, String> {
    pmark::domain::control::parse_date(text)
        .map_err(|_| format!("`{text}` is not a date as YYYY-MM-DD (years 1900–9999)"))
}

/// mimalloc's `mi_option_purge_delay` (the same place in the option enum of mimalloc 2 and 3,
/// which keeps deprecated options to keep the numbers; libmimalloc-sys names no constant for it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Memory freed is given back to the system at once instead of after a delay that only runs out
/// when that thread allocates again: the 19 MiB an Argon2id hash works in stayed resident after
/// every sign-in (idle RSS 50 MB instead of 27 MB).
fn return_freed_memory_at_once() {
    // SAFETY: sets one of mimalloc's integer options; no memory is touched.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
}

fn main() -> ExitCode {
    return_freed_memory_at_once();
    #[cfg(target_os = "linux")]
    no_transparent_huge_pages();
    let cli = Cli::parse();
    let settings = match Settings::load(cli.config.as_deref()) {
        Ok(settings) => settings,
        Err(err) => {
            eprintln!("pmark: {err:#}");
            return ExitCode::from(2);
        }
    };
    pmark::telemetry::init(settings.log.format, &settings.log.level);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("pmark: cannot start the async runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async move {
        match cli.command.unwrap_or(Command::Serve) {
            Command::Serve => cli::serve(settings).await,
            Command::Migrate => cli::migrate(&settings).await,
            Command::Demo { orgs: Some(count), .. } => cli::demo_orgs(&settings, count).await,
            Command::Demo { email, org_name, years, incidents, people, orgs: None } => {
                cli::demo(&settings, email.as_deref().unwrap_or_default(), &org_name, years, incidents, people).await
            }
            Command::Remind { dry_run } => cli::remind(&settings, dry_run).await,
            Command::Backup { out } => cli::backup::backup(&settings, &out).await,
            Command::Restore { file } => cli::backup::restore(&settings, &file).await,
            Command::Assess { file, format, lang } => {
                let format = if format == "json" { cli::Format::Json } else { cli::Format::Text };
                let lang = pmark::domain::Lang::parse(&lang).unwrap_or_default();
                cli::assess::assess(&file, format, lang)
            }
            Command::Catalog { edition, format } => {
                let edition = Edition::parse(&edition).unwrap_or(Edition::Guideline2024);
                let format =
                    if format == "csv" { cli::catalog::CatalogFormat::Csv } else { cli::catalog::CatalogFormat::Json };
                cli::catalog::catalog(edition, format)
            }
            Command::Report { org, from, to, format, out, lang } => {
                let lang = pmark::domain::Lang::parse(&lang).unwrap_or_default();
                cli::report::report(&settings, cli::report::ReportArgs { org, from, to, format, out, lang }).await
            }
            Command::Import { command: ImportCommand::People { org, file, dry_run, full, lang } } => {
                let lang = pmark::domain::Lang::parse(&lang).unwrap_or_default();
                cli::import::people(&settings, cli::import::PeopleArgs { org, file, dry_run, full, lang }).await
            }
            Command::Import { command: ImportCommand::Attendance { org, training, file, dry_run, lang } } => {
                let lang = pmark::domain::Lang::parse(&lang).unwrap_or_default();
                let args = cli::import::AttendanceArgs { org, training, file, dry_run, lang };
                cli::import::attendance(&settings, args).await
            }
            Command::Renewal { expiry, format } => {
                let format = if format == "json" { cli::Format::Json } else { cli::Format::Text };
                cli::renewal(&settings, expiry, format)
            }
            Command::User {
                command: UserCommand::Create { email, name, lang, org_name, org, role, password_stdin },
            } => {
                let placement = match (org_name, org, role) {
                    (Some(name), _, _) => Placement::NewOrganisation(name),
                    (None, Some(organisation_id), Some(role)) => Placement::Existing { organisation_id, role },
                    _ => Placement::None,
                };
                cli::create_user(&settings, NewUser { email, name, lang, placement, password_stdin }).await
            }
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("pmark: {err:#}");
            ExitCode::from(2)
        }
    }
}
