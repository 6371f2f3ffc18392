//! `pmark report --org ORG [--from DATE] [--to DATE] --format html|xlsx|csv|pdf --out PATH`: the
//! audit-prep report from the shell, the same model as the page in the app.

use std::path::PathBuf;

use anyhow::{Context, bail};
use askama::Template;
use chrono::NaiveDate;

use crate::domain::Lang;
use crate::domain::catalog::Catalogs;
use crate::report::Period;
use crate::settings::Settings;
use crate::store;

/// Arguments of `pmark report`.
#[derive(Debug, Clone)]
pub struct ReportArgs {
    /// The organisation's id or exact name.
    pub org: String,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// `html`, `xlsx`, `csv` or `pdf`.
    pub format: String,
    /// A file (html, xlsx, pdf) or a folder (csv: one file per section).
    pub out: PathBuf,
    pub lang: Lang,
}

/// Writes the report.
///
/// # Errors
/// A message naming the bad argument, or a database or file failure.
pub async fn report(settings: &Settings, args: ReportArgs) -> anyhow::Result<()> {
    let db = store::connect(&settings.database).await?;
    store::migrate(&db).await?;
    let organisation = super::find_organisation(&db, &args.org).await?;
    let today = crate::clock::Clock::system().today();
    let current = store::certifications::history(&db, organisation.id).await?.into_iter().next();
    let default = Period::default_for(current.map(|c| c.valid_from), today);
    let period = Period { from: args.from.unwrap_or(default.from), to: args.to.unwrap_or(default.to) };
    if period.from > period.to {
        bail!("--to: {} comes before --from {}", period.to, period.from);
    }
    if (period.to - period.from).num_days() > crate::web::report::MAX_PERIOD_DAYS {
        bail!("--from: a report covers at most ten years");
    }
    let catalogs = Catalogs::builtin().context("the built-in control catalog is invalid")?;
    let report = crate::report::load_and_build(
        &db,
        catalogs.current(),
        &settings.renewal,
        organisation,
        period,
        args.lang,
        today,
    )
    .await?;
    let written = match args.format.as_str() {
        "html" => {
            let html = crate::web::report::StandaloneReport::new(&report).render()?;
            write(&args.out, html.as_bytes())?
        }
        "xlsx" => write(&args.out, &crate::report::xlsx::write(&report)?)?,
        "pdf" => write(&args.out, &crate::report::pdf::write(&report)?)?,
        "csv" => {
            std::fs::create_dir_all(&args.out)
                .with_context(|| format!("--out: cannot create the folder {}", args.out.display()))?;
            let mut total = 0;
            for table in crate::report::tables::tables(&report) {
                let name = report.section_file_names(&table.head, "csv").name;
                total += write(&args.out.join(name), &crate::report::csv::write(&table)?)?;
            }
            total
        }
        other => bail!("--format: `{other}` is not one of html, xlsx, csv, pdf"),
    };
    println!("wrote {} ({written} bytes): {} – {}", args.out.display(), period.from, period.to);
    Ok(())
}

fn write(path: &std::path::Path, bytes: &[u8]) -> anyhow::Result<usize> {
    std::fs::write(path, bytes).with_context(|| format!("--out: cannot write {}", path.display()))?;
    Ok(bytes.len())
}
