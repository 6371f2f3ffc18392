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
