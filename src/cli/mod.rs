//! What the command-line subcommands do; `main.rs` only parses arguments.

pub mod assess;
pub mod backup;
pub mod catalog;
pub mod demo;
pub mod demo_incidents;
pub mod demo_orgs;
pub mod demo_people;
pub mod import;
pub mod report;

use std::io::BufRead;

use anyhow::{Context, bail};
use sea_orm::TransactionTrait;

use crate::domain::{DisplayName, EmailAddress, Lang, NewPassword, OrganisationName, Role};
use crate::security::password::PasswordHashing;
use crate::security::tokens;
use crate::settings::Settings;
use crate::startup::Application;
use crate::store::{self, audit::Actor};

/// `pmark serve`.
///
/// # Errors
/// Start-up failures and server errors.
pub async fn serve(settings: Settings) -> anyhow::Result<()> {
    let app = Application::build(settings).await?;
    app.run_until_stopped().await.context("the server failed")
}

/// `pmark migrate`.
///
/// # Errors
/// When the database cannot be reached or a migration fails.
pub async fn migrate(settings: &Settings) -> anyhow::Result<()> {
    let db = store::connect(&settings.database).await?;
    store::migrate(&db).await?;
    println!("database is up to date");
    Ok(())
}

/// Where a new user goes.
#[derive(Debug, Clone)]
pub enum Placement {
    /// A new organisation with the user as its admin.
    NewOrganisation(String),
    /// An existing organisation, with a role.
    Existing { organisation_id: i32, role: String },
    /// No organisation yet.
    None,
}

/// Arguments of `pmark user create`.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub email: String,
    pub name: String,
    pub lang: String,
    pub placement: Placement,
    /// Read the password from the first line of standard input instead of generating one.
    pub password_stdin: bool,
}

fn field<T>(name: &str, result: Result<T, &'static str>) -> anyhow::Result<T> {
    result.map_err(|key| anyhow::anyhow!("--{name}: {}", crate::i18n::t(Lang::En, key)))
}

/// `pmark user create`: creates an account (closing first-run setup) and prints its password
/// when it was generated.
///
/// # Errors
/// A message naming the bad argument, or a database failure.
pub async fn create_user(settings: &Settings, args: NewUser) -> anyhow::Result<()> {
    let email = field("email", EmailAddress::parse(&args.email))?;
    let name = field("name", DisplayName::parse(&args.name))?;
    let lang = field("lang", Lang::parse(&args.lang))?;
    let placement = match &args.placement {
        Placement::NewOrganisation(org) => {
            Some((None, Some(field("org-name", OrganisationName::parse(org))?), Role::Admin))
        }
        Placement::Existing { organisation_id, role } => {
            Some((Some(*organisation_id), None, field("role", Role::parse(role))?))
        }
        Placement::None => None,
    };
    let (password, generated) = if args.password_stdin {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).context("--password-stdin: cannot read standard input")?;
        let line = line.trim_end_matches(['\r', '\n']).to_owned();
        (field("password-stdin", NewPassword::parse(&line, &line))?, false)
    } else {
        let generated = tokens::new_token()[..20].to_owned();
        (field("password", NewPassword::parse(&generated, &generated))?, true)
    };
    let hashing = PasswordHashing::new(&settings.auth)?;
    let secret = password.expose().to_owned();
    let hash = tokio::task::spawn_blocking(move || hashing.hash(&secret)).await??;

    let catalogs = crate::domain::catalog::Catalogs::builtin()?;
    let db = store::connect(&settings.database).await?;
    store::migrate(&db).await?;
    let txn = db.begin().await?;
    let actor = Actor::command_line();
    let user = match store::users::create(&txn, &actor, &email, &name, hash, lang).await {
        Ok(user) => user,
        Err(store::users::CreateUserError::EmailTaken) => {
            bail!("--email: an account with {} already exists", email.as_str())
        }
        Err(store::users::CreateUserError::Database(e)) => return Err(e.into()),
    };
    let joined = match placement {
        Some((None, Some(org_name), _)) => {
            let org = store::organisations::create(&txn, &actor, &org_name, user.id, catalogs.current()).await?;
            Some(format!("admin of new organisation {} (id {})", org.name, org.id))
        }
        Some((Some(organisation_id), _, role)) => {
            let Some(org) = store::organisations::find(&txn, organisation_id).await? else {
                bail!("--org: no organisation has id {organisation_id}");
            };
            store::organisations::add_member(&txn, &actor, org.id, user.id, role).await?;
            Some(format!("{} of {} (id {})", role.as_str(), org.name, org.id))
        }
        _ => None,
    };
    store::setup::mark_completed(&txn).await?;
    txn.commit().await?;
    println!("created user {} (id {})", user.email, user.id);
    if let Some(joined) = joined {
        println!("member: {joined}");
    }
    if generated {
        println!("password: {}", password.expose());
        println!("(shown once; the user can change it under /account)");
    }
    Ok(())
}

/// `pmark demo`: creates an administrator (or reuses the account with that address) and an
/// organisation full of records, and prints the organisation id.
///
/// # Errors
/// A message naming the bad argument, or a database failure.
pub async fn demo(
    settings: &Settings,
    email: &str,
    org_name: &str,
    years: i32,
    incidents: usize,
    people: usize,
) -> anyhow::Result<()> {
    let email = field("email", EmailAddress::parse(email))?;
    if people > 100_000 {
        bail!("--people: give at most 100000");
    }
    let org_name = field("org-name", OrganisationName::parse(org_name))?;
    if !(1..=20).contains(&years) {
        bail!("--years: give 1 to 20");
    }
    if incidents > 100_000 {
        bail!("--incidents: give at most 100000");
    }
    let catalogs = crate::domain::catalog::Catalogs::builtin()?;
    let db = store::connect(&settings.database).await?;
    store::migrate(&db).await?;
    let Some(user) = store::users::find_by_email(&db, &email).await? else {
        bail!("--email: no account has {}; create it first with `pmark user create`", email.as_str());
    };
    // With people, each year's training (教育計画) fulfils the training duty: no typed record.
    let seeded = demo::seed(&db, catalogs.current(), &org_name, user.id, years, people > 0).await?;
    println!(
        "organisation {} (id {}): {} controls, {} evidence links, {} duty records",
        org_name.as_str(),
        seeded.organisation_id,
        seeded.controls,
        seeded.evidence,
        seeded.records
    );
    let today = crate::clock::Clock::system().today();
    // Granted three years ago, renewed, valid from a year ago for two years.
    demo_incidents::certify(&db, seeded.organisation_id, today - chrono::Duration::days(365)).await?;
    if incidents > 0 {
        let recorded =
            demo_incidents::seed(&db, catalogs.current(), seeded.organisation_id, incidents, years, today).await?;
        println!("recorded {recorded} sample incidents over {years} years");
    }
    if people > 0 {
        let started = std::time::Instant::now();
        let start = u32::try_from(
            store::organisations::find(&db, seeded.organisation_id).await?.map_or(4, |o| o.pms_year_start_month),
        )
        .unwrap_or(4);
        let attendances = demo_people::seed(&db, seeded.organisation_id, people, years, today, start).await?;
        println!(
            "imported {people} people and recorded {attendances} training attendances in {:.2} s",
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

/// `pmark demo --orgs N`: creates N small organisations with an admin each and a certification
/// somewhere in its two-year cycle; prints the admins' shared password.
///
/// # Errors
/// A message naming the bad argument, or a database failure.
pub async fn demo_orgs(settings: &Settings, count: usize) -> anyhow::Result<()> {
    if !(1..=100_000).contains(&count) {
        bail!("--orgs: give 1 to 100000");
    }
    let password = tokens::new_token()[..20].to_owned();
    let hashing = PasswordHashing::new(&settings.auth)?;
    let secret = password.clone();
    let hash = tokio::task::spawn_blocking(move || hashing.hash(&secret)).await??;
    let catalogs = crate::domain::catalog::Catalogs::builtin()?;
    let db = store::connect(&settings.database).await?;
    store::migrate(&db).await?;
    let today = crate::clock::Clock::system().today();
    let started = std::time::Instant::now();
    let seeded = demo_orgs::seed(&db, catalogs.current(), count, &hash, today).await?;
    println!(
        "{} organisations with an admin and a certification, {} with an open incident ({:.1} s)",
        seeded.organisations,
        seeded.incidents,
        started.elapsed().as_secs_f64()
    );
    println!("admins: admin-<n>@demo.example.jp, password: {password}");
    Ok(())
}

/// Output format of `pmark renewal` and `pmark assess`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

/// `pmark renewal --expiry DATE`: prints the renewal window of a mark expiring on `expiry`.
///
/// # Errors
/// When the JSON cannot be written.
pub fn renewal(settings: &Settings, expiry: chrono::NaiveDate, format: Format) -> anyhow::Result<()> {
    use crate::domain::renewal::RenewalWindow;
    let window = RenewalWindow::for_expiry(expiry, settings.renewal.prepare_months, &settings.renewal.calendar());
    match format {
        Format::Json => println!("{}", serde_json::to_string(&window)?),
        Format::Text => {
            println!("有効期限 expiry:                 {}", window.expiry);
            println!("準備開始 prepare from:           {}", window.prepare_from);
            println!("申請受付開始 window opens:       {}", window.window_opens);
            println!("申請受付終了 window closes:      {}", window.window_closes);
            for (milestone, date) in window.milestones() {
                let name = milestone.as_str();
                println!("  milestone {name:<24} {date}");
            }
        }
    }
    Ok(())
}

/// `pmark remind [--dry-run]`: lists the reminders due now, or runs one reminder pass; prints how
/// long planning and sending took.
///
/// # Errors
/// Start-up or database failures.
pub async fn remind(settings: &Settings, dry_run: bool) -> anyhow::Result<()> {
    use std::time::Instant;
    let db = store::connect(&settings.database).await?;
    store::migrate(&db).await?;
    let now = crate::clock::Clock::system().now();
    let today = crate::domain::calendar::japan_day(now);
    if dry_run {
        let started = Instant::now();
        let renewals = crate::jobs::renewal_reminders::plan(&db, settings, today).await?;
        let digests = crate::jobs::incident_digest::plan(&db, today).await?;
        let planned_in = started.elapsed();
        for item in &renewals {
            let relevance = match item.reminder.relevance {
                crate::domain::reminders::Relevance::Send => "send".to_owned(),
                crate::domain::reminders::Relevance::Skip(reason) => format!("skip ({})", reason.as_str()),
            };
            // The command speaks English like the rest of the CLI: the milestone's English name.
            let milestone = crate::i18n::t(crate::domain::Lang::En, &item.reminder.milestone.label_key());
            println!(
                "{} {} {milestone} ({}) {} {relevance}",
                item.organisation_id,
                item.organisation,
                item.reminder.milestone.as_str(),
                item.reminder.date
            );
        }
        for digest in &digests {
            println!(
                "{} {} incident digest {today}: {} filings, {} overdue corrective actions, {} incidents with open checks",
                digest.organisation_id,
                digest.organisation,
                digest.filings.len(),
                digest.overdue_actions.len(),
                digest.open_checks.len()
            );
        }
        eprintln!(
            "planned {} renewal reminders and {} incident digests in {:.3} s",
            renewals.len(),
            digests.len(),
            planned_in.as_secs_f64()
        );
        return Ok(());
    }
    let (mailer, from) = crate::mail::Mailer::from_settings(&settings.mail)?;
    let public_url = settings.public_url(settings.server.bind.parse()?);
    let started = Instant::now();
    let (enqueued, skipped) = crate::jobs::pass::enqueue_due(&db, settings, &public_url, now).await?;
    let planned_in = started.elapsed();
    let pace = crate::jobs::pass::Pace::of(settings);
    let lease = chrono::Duration::minutes(crate::jobs::pass::LEASE_MINUTES);
    let (sent, failed) = crate::jobs::pass::send_pending(&db, &mailer, &from, "cli", now, lease, pace).await?;
    let total = started.elapsed();
    println!("enqueued {enqueued}, skipped {skipped}, sent {sent}, failed {failed}");
    eprintln!(
        "planned and enqueued in {:.3} s; sent in {:.3} s",
        planned_in.as_secs_f64(),
        (total - planned_in).as_secs_f64()
    );
    Ok(())
}

/// The organisation `org` names: its id, or its exact name.
///
/// # Errors
/// `--org: …` when none matches; database failures.
pub async fn find_organisation(
    db: &sea_orm::DatabaseConnection,
    org: &str,
) -> anyhow::Result<crate::entities::organisation::Model> {
    use anyhow::Context as _;
    store::organisations::all(db)
        .await?
        .into_iter()
        .find(|o| org.parse::<i32>().is_ok_and(|id| id == o.id) || o.name == org)
        .with_context(|| format!("--org: no organisation with the id or name `{org}`"))
}
