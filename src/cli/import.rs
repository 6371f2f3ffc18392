//! `pmark import people --org ORG FILE [--dry-run] [--full]`: the HR list (CSV or XLSX) into the
//! organisation's people. Every refused cell is printed with its line and column and nothing is
//! written (exit 2); a dry run prints what would change and writes nothing either.

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::{Context, bail};
use sea_orm::TransactionTrait;

use crate::domain::Lang;
use crate::i18n;
use crate::import::people::CellRefusal;
use crate::settings::Settings;
use crate::store;
use crate::store::audit::Actor;
use crate::store::people::Outcome;

/// Arguments of `pmark import people`.
#[derive(Debug, Clone)]
pub struct PeopleArgs {
    /// The organisation's id or exact name.
    pub org: String,
    pub file: PathBuf,
    pub dry_run: bool,
    /// The file lists everyone in post: those missing from it are marked as left today.
    pub full: bool,
    pub lang: Lang,
}

/// One refused cell, as a line of the output.
pub fn refusal_line(lang: Lang, refusal: &CellRefusal) -> String {
    let message = i18n::t_args(lang, refusal.message_key, &[("detail", refusal.detail.clone().unwrap_or_default())]);
    i18n::t_args(
        lang,
        "import-refusal",
        &[
            ("line", refusal.line.to_string()),
            ("column", refusal.column.clone()),
            ("value", refusal.value.clone()),
            ("message", message),
        ],
    )
}

/// The refused cells as lines (the first `crate::import::LISTED_REFUSALS`, then how many more), and that nothing
/// was written.
fn refusals_text(lang: Lang, refusals: &[CellRefusal]) -> String {
    let mut lines: Vec<String> =
        refusals.iter().take(crate::import::LISTED_REFUSALS).map(|r| refusal_line(lang, r)).collect();
    if refusals.len() > crate::import::LISTED_REFUSALS {
        let more = (refusals.len() - crate::import::LISTED_REFUSALS).to_string();
        lines.push(i18n::t_args(lang, "import-more-refusals", &[("count", more)]));
    }
    lines.push(i18n::t_args(lang, "import-refused-nothing-written", &[("count", refusals.len().to_string())]));
    lines.join("\n")
}

/// Imports the people of the file, or says why not.
///
/// # Errors
/// A message naming the file, the organisation, or every refused cell; database failures.
pub async fn people(settings: &Settings, args: PeopleArgs) -> anyhow::Result<()> {
    let lang = args.lang;
    let bytes = std::fs::read(&args.file).with_context(|| format!("FILE: cannot read {}", args.file.display()))?;
    let sheet = crate::import::sheet::read(&bytes)
        .map_err(|e| anyhow::anyhow!("FILE: {}: {}", args.file.display(), i18n::t(lang, e.message_key())))?;
    let read = match crate::import::people::read(&sheet) {
        Ok(read) => read,
        Err(missing) => bail!("{}", missing.iter().map(|r| refusal_line(lang, r)).collect::<Vec<_>>().join("\n")),
    };
    if !read.refusals.is_empty() {
        bail!("{}", refusals_text(lang, &read.refusals));
    }
    let db = store::connect(&settings.database).await?;
    store::migrate(&db).await?;
    let organisation = super::find_organisation(&db, &args.org).await?;
    let today = crate::clock::Clock::system().today();
    let txn = db.begin().await?;
    let plan = store::people::plan_import(&txn, organisation.id, &read.rows, &read.present, args.full).await?;
    let mut out = String::new();
    for header in &read.ignored_headers {
        let _ = writeln!(out, "{}", i18n::t_args(lang, "import-ignored-column", &[("column", header.clone())]));
    }
    if !read.has_employment {
        let _ = writeln!(out, "{}", i18n::t(lang, "import-no-employment-column"));
    }
    if args.dry_run {
        for (row, outcome) in &plan.rows {
            let what = match outcome {
                Outcome::Create => i18n::t(lang, "import-outcome-create"),
                Outcome::Update(fields) => {
                    let names: Vec<String> =
                        fields.iter().map(|f| i18n::t(lang, &format!("history-field-person-{f}"))).collect();
                    i18n::t_args(lang, "import-outcome-update", &[("fields", names.join(", "))])
                }
                Outcome::Unchanged => continue,
            };
            let _ = writeln!(out, "{} {} {}: {}", row.line, row.person.employee_number, row.person.name, what);
        }
        for leaver in &plan.leavers {
            let _ = writeln!(
                out,
                "- {} {}: {}",
                leaver.employee_number,
                leaver.name,
                i18n::t(lang, "import-outcome-leaver")
            );
        }
        for path in &plan.new_departments {
            let _ = writeln!(out, "{}", i18n::t_args(lang, "import-new-department", &[("path", path.join(" / "))]));
        }
    }
    let summary = |created: usize, updated: usize, unchanged: usize, left: usize, departments: usize| {
        i18n::t_args(
            lang,
            if args.dry_run { "import-summary-dry-run" } else { "import-summary" },
            &[
                ("created", created.to_string()),
                ("updated", updated.to_string()),
                ("unchanged", unchanged.to_string()),
                ("left", left.to_string()),
                ("departments", departments.to_string()),
            ],
        )
    };
    if args.dry_run {
        txn.rollback().await?;
        let count = |o: fn(&Outcome) -> bool| plan.count(o);
        let _ = writeln!(
            out,
            "{}",
            summary(
                count(|o| *o == Outcome::Create),
                count(|o| matches!(o, Outcome::Update(_))),
                count(|o| *o == Outcome::Unchanged),
                plan.leavers.len(),
                plan.new_departments.len()
            )
        );
    } else {
        let done = store::people::apply_import(&txn, &Actor::command_line(), organisation.id, &plan, today).await?;
        txn.commit().await?;
        let _ = writeln!(out, "{}", summary(done.created, done.updated, done.unchanged, done.left, done.departments));
    }
    print!("{out}");
    Ok(())
}

/// Arguments of `pmark import attendance`.
#[derive(Debug, Clone)]
pub struct AttendanceArgs {
    pub org: String,
    /// The training's id.
    pub training: i32,
    pub file: PathBuf,
    pub dry_run: bool,
    pub lang: Lang,
}

/// Records the attendances of a sheet for one training, or says why not; prints the training's
/// summary afterwards (or what it would be, on a dry run).
///
/// # Errors
/// A message naming the file, the organisation, the training or every refused cell.
pub async fn attendance(settings: &Settings, args: AttendanceArgs) -> anyhow::Result<()> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let lang = args.lang;
    let bytes = std::fs::read(&args.file).with_context(|| format!("FILE: cannot read {}", args.file.display()))?;
    let sheet = crate::import::sheet::read(&bytes)
        .map_err(|e| anyhow::anyhow!("FILE: {}: {}", args.file.display(), i18n::t(lang, e.message_key())))?;
    let db = store::connect(&settings.database).await?;
    store::migrate(&db).await?;
    let organisation = super::find_organisation(&db, &args.org).await?;
    let training = store::trainings::find(&db, organisation.id, args.training)
        .await?
        .with_context(|| format!("--training: no training {} in {}", args.training, organisation.name))?;
    let people: std::collections::HashMap<String, i32> = crate::entities::person::Entity::find()
        .filter(crate::entities::person::Column::OrganisationId.eq(organisation.id))
        .all(&db)
        .await?
        .into_iter()
        .map(|p| (p.employee_number, p.id))
        .collect();
    let read = match crate::import::attendance::read(&sheet, &people) {
        Ok(read) => read,
        Err(missing) => bail!("{}", missing.iter().map(|r| refusal_line(lang, r)).collect::<Vec<_>>().join("\n")),
    };
    if !read.refusals.is_empty() {
        bail!("{}", refusals_text(lang, &read.refusals));
    }
    let txn = db.begin().await?;
    let values: Vec<_> = read.rows.into_iter().map(|(_, values)| values).collect();
    store::trainings::record_attendances(&txn, &Actor::command_line(), &training, &values).await?;
    let state = store::trainings::state(&txn, &training).await?;
    let total = state.summary.total;
    let summary = i18n::t_args(
        lang,
        if args.dry_run { "attendance-summary-dry-run" } else { "attendance-summary" },
        &[
            ("count", values.len().to_string()),
            ("audience", total.audience.to_string()),
            ("trained", total.trained.to_string()),
            ("rate", total.rate().to_string()),
            ("failed", total.failed.to_string()),
            ("not_yet", total.not_yet.to_string()),
        ],
    );
    if args.dry_run {
        txn.rollback().await?;
    } else {
        txn.commit().await?;
    }
    println!("{summary}");
    Ok(())
}
