//! `/orgs/{org}/report`: the audit-prep report for the renewal examination, on screen (printable
//! on A4), as XLSX, and as CSV per section. Every member may read it.

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::NaiveDate;
use serde::Deserialize;

use crate::domain::{FieldErrors, Lang};
use crate::report::{AuditReport, Period};
use crate::store;
use crate::web::error::{AppError, AppResult};
use crate::web::forms::OrgPath;
use crate::web::list::ListView;
use crate::web::page::{PageContext, render_with_status};
use crate::web::state::AppState;
use crate::web::viewer::Viewer;

/// The section keys offered as CSV.
pub const CSV_SECTIONS: [&str; 10] = [
    "certification",
    "controls",
    "records",
    "education",
    "audits",
    "incidents",
    "incident_filings",
    "control_checks",
    "gaps",
    "pms_structure",
];

/// Gaps the report page lists; the downloads hold them all.
pub const PAGE_GAPS: usize = 100;

/// The report page's incidents are paged with the list component (`page`, `per` in the URL,
/// discovery order); the downloads hold every incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IncidentOrder {
    DiscoveredOn,
}

impl crate::store::paging::SortKey for IncidentOrder {
    const ALL: &'static [Self] = &[IncidentOrder::DiscoveredOn];
    const DEFAULT: Self = IncidentOrder::DiscoveredOn;

    fn key(self) -> &'static str {
        "discovered_on"
    }
}

/// The report page's address: the period and the page of its incidents.
pub type ReportQuery = crate::web::list::ListQuery<IncidentOrder, PeriodForm>;

/// Keeps one page of the report's incidents and the first `PAGE_GAPS` gaps, so the page has
/// about the same size however many incidents the period had. Returns the incidents' paging and
/// how many gaps there are in all.
fn page_of(report: &mut AuditReport, query: &ReportQuery, path: String) -> (ListView, usize) {
    let request = query.request();
    let total = report.incidents.len() as u64;
    let per = request.per.max(1);
    let page = request.page.clamp(1, total.div_ceil(per).max(1));
    let skip = usize::try_from((page - 1) * per).unwrap_or(usize::MAX);
    let take = usize::try_from(per).unwrap_or(usize::MAX);
    report.incidents = std::mem::take(&mut report.incidents).into_iter().skip(skip).take(take).collect();
    let shown = crate::store::paging::Page { rows: vec![(); report.incidents.len()], total, page, per };
    let gaps = report.gaps.len();
    report.gaps.truncate(PAGE_GAPS);
    (query.view(path, &shown).with_anchor("report-incidents"), gaps)
}

/// The longest period a report covers: ten years (a renewal examination looks at two).
pub const MAX_PERIOD_DAYS: i64 = 3653;

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct PeriodForm {
    pub from: String,
    pub to: String,
}

#[derive(Debug, Deserialize)]
pub struct SectionPath {
    pub org: i32,
    pub section: String,
}

/// Reads the period; blank fields take the default (the current validity up to today).
fn period(form: &PeriodForm, default: Period) -> Result<Period, FieldErrors> {
    let mut errors = FieldErrors::new();
    let mut date = |field: &'static str, text: &str, fallback: NaiveDate| match text.trim() {
        "" => Some(fallback),
        text => match crate::domain::control::parse_date(text) {
            Ok(day) => Some(day),
            Err(_) => {
                errors.add(field, "error-date");
                None
            }
        },
    };
    let from = date("from", &form.from, default.from);
    let to = date("to", &form.to, default.to);
    match (from, to) {
        (Some(from), Some(to)) if from > to => {
            errors.add("to", "error-report-period-order");
            Err(errors)
        }
        (Some(from), Some(to)) if (to - from).num_days() > MAX_PERIOD_DAYS => {
            errors.add("to", "error-report-period-too-long");
            Err(errors)
        }
        (Some(from), Some(to)) if errors.is_empty() => Ok(Period { from, to }),
        _ => Err(errors),
    }
}

/// Loads and builds the report of `org` for `period` in `lang`.
///
/// # Errors
/// When a query fails.
pub async fn report_of(
    state: &AppState,
    organisation: crate::entities::organisation::Model,
    period: Period,
    lang: Lang,
) -> Result<AuditReport, sea_orm::DbErr> {
    let today = state.clock.today();
    let catalog = state.catalogs.current();
    crate::report::load_and_build(&state.db, catalog, &state.settings.renewal, organisation, period, lang, today).await
}

async fn default_period(state: &AppState, org: i32) -> Result<Period, sea_orm::DbErr> {
    let current = store::certifications::history(&state.db, org).await?.into_iter().next();
    Ok(Period::default_for(current.map(|c| c.valid_from), state.clock.today()))
}

#[derive(Template)]
#[template(path = "report/show.html", blocks = ["title", "head", "content"])]
struct ReportPage {
    ctx: PageContext,
    org_id: i32,
    report: AuditReport,
    form: PeriodForm,
    errors: FieldErrors,
    csv_sections: [&'static str; 10],
    /// The page of incidents shown (the downloads hold them all).
    incidents_list: ListView,
    /// Gaps in the whole report (the page lists the first `PAGE_GAPS`).
    gaps_total: usize,
}

impl ReportPage {
    /// "The first 100 of 340 gaps are shown", in the page's language.
    fn gaps_note(&self) -> String {
        crate::i18n::t_args(
            self.ctx.lang,
            "report-gaps-first",
            &[("shown", self.report.gaps.len().to_string()), ("total", self.gaps_total.to_string())],
        )
    }
}

crate::cached_blocks!(ReportPage, head);

/// `GET /orgs/{org}/report`: the report of the period asked for (by default the current validity
/// up to today), from the cache while nothing changed; a period that is not valid shows the
/// default one with the errors (422).
pub async fn show(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<OrgPath>,
    query: ReportQuery,
) -> AppResult<HttpResponse> {
    let membership = viewer.member()?;
    let snapshot = state.snapshot(&membership.organisation).await?;
    // The current cycle, as `default_period` reads it, from the cache.
    let default = Period::default_for(snapshot.certification.as_ref().map(|c| c.valid_from), state.clock.today());
    let address = format!("/orgs/{}/report", path.org);
    match period(&query.filter, default) {
        Ok(chosen) => {
            crate::web::cached::org_page(&state, &viewer, async |ctx| {
                let mut report = report_of(&state, membership.organisation.clone(), chosen, viewer.lang).await?;
                let (incidents_list, gaps_total) = page_of(&mut report, &query, address);
                Ok(ReportPage {
                    ctx,
                    org_id: path.org,
                    report,
                    form: PeriodForm { from: chosen.from.to_string(), to: chosen.to.to_string() },
                    errors: FieldErrors::new(),
                    csv_sections: CSV_SECTIONS,
                    incidents_list,
                    gaps_total,
                })
            })
            .await
        }
        Err(errors) => {
            let mut report = report_of(&state, membership.organisation.clone(), default, viewer.lang).await?;
            let (incidents_list, gaps_total) = page_of(&mut report, &query, address);
            render_with_status(
                &ReportPage {
                    ctx: viewer.page(Some(path.org)),
                    org_id: path.org,
                    report,
                    form: query.filter.clone(),
                    errors,
                    csv_sections: CSV_SECTIONS,
                    incidents_list,
                    gaps_total,
                },
                StatusCode::UNPROCESSABLE_ENTITY,
            )
        }
    }
}

/// A report file as a download.
fn download(content_type: &'static str, file_name: &str, bytes: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type))
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{file_name}\"")))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(bytes)
}

/// The report a download asks for: the viewer's organisation, the period in the query (400 when
/// it is not valid: the page, not the link, is where it is chosen), the viewer's language.
async fn requested(state: &AppState, viewer: &Viewer, org: i32, form: &PeriodForm) -> AppResult<(AuditReport, Period)> {
    let membership = viewer.member()?;
    let default = default_period(state, org).await?;
    let period = period(form, default).map_err(|_| AppError::BadRequest("the period is not valid"))?;
    Ok((report_of(state, membership.organisation.clone(), period, viewer.lang).await?, period))
}

/// Writes a file off the async runtime (a big report takes a while).
async fn render_off_runtime<E: std::error::Error + Send + Sync + 'static>(
    write: impl FnOnce() -> Result<Vec<u8>, E> + Send + 'static,
) -> AppResult<Vec<u8>> {
    web::block(write).await.map_err(|e| AppError::Internal(e.into()))?.map_err(|e| AppError::Internal(e.into()))
}

pub async fn xlsx(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<OrgPath>,
    query: web::Query<PeriodForm>,
) -> AppResult<HttpResponse> {
    let (report, period) = requested(&state, &viewer, path.org, &query).await?;
    let bytes = render_off_runtime(move || crate::report::xlsx::write(&report)).await?;
    let name = format!("pmark-report-{}-{}.xlsx", period.from, period.to);
    Ok(download("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", &name, bytes))
}

pub async fn pdf(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<OrgPath>,
    query: web::Query<PeriodForm>,
) -> AppResult<HttpResponse> {
    let (report, period) = requested(&state, &viewer, path.org, &query).await?;
    let bytes = render_off_runtime(move || crate::report::pdf::write(&report)).await?;
    Ok(download("application/pdf", &format!("pmark-report-{}-{}.pdf", period.from, period.to), bytes))
}

pub async fn csv(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<SectionPath>,
    query: web::Query<PeriodForm>,
) -> AppResult<HttpResponse> {
    if !CSV_SECTIONS.contains(&path.section.as_str()) {
        return Err(AppError::NotFound);
    }
    let (report, period) = requested(&state, &viewer, path.org, &query).await?;
    let table =
        crate::report::tables::tables(&report).into_iter().find(|t| t.key == path.section).ok_or(AppError::NotFound)?;
    let bytes = crate::report::csv::write(&table).map_err(|e| AppError::Internal(e.into()))?;
    Ok(download("text/csv; charset=utf-8", &format!("pmark-{}-{}-{}.csv", table.key, period.from, period.to), bytes))
}

/// The standalone HTML file (`pmark report --format html`): the same content with its styles inlined.
#[derive(Template)]
#[template(path = "report/standalone.html")]
pub struct StandaloneReport<'a> {
    pub ctx: crate::i18n::Translator,
    pub report: &'a AuditReport,
    pub app_css: &'static str,
    pub report_css: &'static str,
}

impl<'a> StandaloneReport<'a> {
    pub fn new(report: &'a AuditReport) -> Self {
        Self {
            ctx: crate::i18n::Translator { lang: report.lang },
            report,
            app_css: include_str!("../../static/app.css"),
            report_css: include_str!("../../static/report.css"),
        }
    }
}

/// The routes of this resource, with the access each needs (see `web::routes`).
pub fn routes(r: &mut crate::web::routes::Routes) {
    use crate::web::routes::Access::*;
    use crate::web::viewer::Need;
    r.get("/orgs/{org}/report", Member(Need::Read), show)
        .get("/orgs/{org}/report.xlsx", Member(Need::Read), xlsx)
        .get("/orgs/{org}/report.pdf", Member(Need::Read), pdf)
        .get("/orgs/{org}/report/csv/{section}", Member(Need::Read), csv);
}
