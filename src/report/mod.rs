//! The audit-prep report for the renewal examination: one model, built from `store::report`'s
//! rows, feeds every format (the HTML page, CSV per section, XLSX with a sheet per section, PDF).

pub mod build;
pub mod csv;
pub mod model;
pub mod pdf;
pub mod tables;
pub mod xlsx;

pub use build::{Period, build};
pub use model::AuditReport;

/// A download's file name in the reader's language and its ASCII stand-in (for clients that read
/// only `filename`, not RFC 5987's `filename*`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileNames {
    pub name: String,
    pub ascii: String,
}

/// `parts` joined by underscores, without the characters file systems refuse, spaces as
/// underscores.
fn file_name(parts: &[&str], extension: &str) -> String {
    let stem: String = parts
        .join("_")
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '-',
            c if c.is_whitespace() || c.is_control() => '_',
            c => c,
        })
        .collect();
    format!("{stem}.{extension}")
}

impl AuditReport {
    /// The whole report's file names: `審査用レポート_2025-04-01_2026-03-31.xlsx`.
    pub fn file_names(&self, extension: &str) -> FileNames {
        let (from, to) = (self.from.to_string(), self.to.to_string());
        FileNames {
            name: file_name(&[crate::i18n::text(self.lang, "report-file-name"), &from, &to], extension),
            ascii: file_name(&[&format!("pmark-report-{from}-{to}")], extension),
        }
    }

    /// A section's file names, with its number and title: `4.1_事故の報告_2025-04-01_2026-03-31.csv`.
    pub fn section_file_names(&self, head: &model::SectionHead, extension: &str) -> FileNames {
        let (from, to) = (self.from.to_string(), self.to.to_string());
        FileNames {
            name: file_name(&[&head.number, &head.title, &from, &to], extension),
            ascii: file_name(&[&format!("pmark-{}-{from}-{to}", head.key.as_str())], extension),
        }
    }
}

/// Loads the rows of `organisation` for `period` and builds its report in `lang` as of `today`.
///
/// # Errors
/// When a query fails.
pub async fn load_and_build<C: sea_orm::ConnectionTrait>(
    db: &C,
    catalog: &crate::domain::catalog::Catalog,
    renewal: &crate::settings::RenewalSettings,
    organisation: crate::entities::organisation::Model,
    period: Period,
    lang: crate::domain::Lang,
    today: chrono::NaiveDate,
) -> Result<AuditReport, sea_orm::DbErr> {
    let first_year = build::pms_year_of(period.from, organisation.pms_year_start_month).previous();
    let data = crate::store::report::load(db, organisation, &catalog.version, period.from, period.to, first_year.label)
        .await?;
    Ok(build(&data, catalog, renewal, period, lang, today))
}
