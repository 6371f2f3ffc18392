//! `/orgs/{org}/duties`: the PMS calendar. Each duty's occurrences in a PMS year, their records
//! (training, audit and review records carry their own fields) and evidence; editors switch duties
//! on and off, move their months and add their own.

pub mod form;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::NaiveDate;
use sea_orm::TransactionTrait;
use serde::Deserialize;

use crate::domain::FieldErrors;
use crate::domain::duties::RecordKind;
use crate::domain::pms_year::{Frequency, Month, Occurrence, OccurrenceState, PmsYear, occurrences};
use crate::entities::{duty, duty_record};
use crate::store::duties::RecordError;
use crate::store::edit::CorrectionError;
use crate::store::{self, audit::Actor, evidence::Subject};
use crate::web::error::{AppError, AppResult};
use crate::web::evidence::{EvidenceForm, EvidencePanel, EvidenceRefusal, EvidenceTarget, uploader_names};
use crate::web::forms::OrgPath;
use crate::web::page::{PageContext, render_with_status, see_other};
use crate::web::session::FlashKind;
use crate::web::state::AppState;
use crate::web::viewer::Viewer;

use self::form::{NewDutyForm, RecordForm, ScheduleForm};
use crate::view::duty_schedule::{DutyRow, duty_name, schedule_of};

/// PMS years outside this range are refused (a typo, not a plan).
const YEARS: std::ops::RangeInclusive<i32> = 1990..=2200;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct YearQuery {
    pub year: Option<i32>,
}

#[derive(Debug, Deserialize)]
pub struct DutyPath {
    pub org: i32,
    pub duty: i32,
}

#[derive(Debug, Deserialize)]
pub struct OccurrencePath {
    pub org: i32,
    pub duty: i32,
    pub year: i32,
    pub slot: u32,
}

/// A duty in the settings list.
pub struct DutySetting {
    pub duty: duty::Model,
    pub name: String,
}

#[derive(Template)]
#[template(path = "duties/index.html")]
struct IndexPage<'a> {
    ctx: PageContext,
    org_id: i32,
    year: PmsYear,
    rows: Vec<DutyRow<'a>>,
    can_edit: bool,
    settings: Vec<DutySetting>,
    months: Vec<u32>,
    frequencies: [Frequency; 4],
    /// Controls a new duty may be tied to: (id, title).
    controls: Vec<(String, String)>,
    new_form: NewDutyForm,
    new_errors: FieldErrors,
    /// Set when a schedule form was refused.
    schedule_error: bool,
}

#[derive(Template)]
#[template(path = "duties/occurrence.html")]
struct OccurrencePage {
    ctx: PageContext,
    org_id: i32,
    can_edit: bool,
    duty: duty::Model,
    name: String,
    kind: RecordKind,
    occurrence: Occurrence,
    state: OccurrenceState,
    record: Option<duty_record::Model>,
    form: RecordForm,
    errors: FieldErrors,
    /// The record's evidence and upload form (`evidence/panel.html`), once recorded.
    evidence: EvidencePanel,
    /// The record's 変更履歴 (its creation and corrections), newest first.
    history: Vec<crate::web::history::Row>,
}

impl IndexPage<'_> {
    fn month_label(&self, month: &u32) -> String {
        self.ctx.tp("month-", &month.to_string())
    }
}

fn start_month(org: &crate::entities::organisation::Model) -> Month {
    u32::try_from(org.pms_year_start_month).ok().and_then(|m| Month::new(m).ok()).unwrap_or(Month::APRIL)
}

struct IndexExtras {
    new_form: NewDutyForm,
    new_errors: FieldErrors,
    schedule_error: bool,
    status: StatusCode,
}

async fn index_page(
    state: &AppState,
    viewer: &Viewer,
    org: i32,
    year: Option<i32>,
    extras: IndexExtras,
) -> AppResult<HttpResponse> {
    let membership = viewer.member()?;
    let can_edit = membership.role.can_edit();
    let start = start_month(&membership.organisation);
    let today = state.clock.today();
    let year = match year {
        Some(label) if YEARS.contains(&label) => PmsYear { label, start_month: start },
        Some(_) => return Err(AppError::NotFound),
        None => PmsYear::containing(today, start),
    };
    let snapshot = state.snapshot(&membership.organisation).await?;
    let duties = &snapshot.duties;
    let older;
    let records: &[duty_record::Model] = if year.label >= snapshot.records_from_year {
        &snapshot.records
    } else {
        older = store::duties::records_between(&state.db, org, year.label, year.label).await?;
        &older
    };
    let enabled: Vec<&duty::Model> = duties.iter().filter(|d| d.enabled).collect();
    let rows = crate::view::duty_schedule::rows(&enabled, records, &snapshot.trainings, year, today, viewer.lang);
    let settings = duties.iter().map(|d| DutySetting { name: duty_name(d, viewer.lang), duty: d.clone() }).collect();
    let controls = state
        .catalogs
        .current()
        .controls()
        .map(|e| (e.id.clone(), crate::view::controls_tree::title(e, viewer.lang)))
        .collect();
    let page = IndexPage {
        ctx: viewer.page(Some(org)),
        org_id: org,
        year,
        rows,
        can_edit,
        settings,
        months: (1..=12).collect(),
        frequencies: Frequency::ALL,
        controls,
        new_form: extras.new_form,
        new_errors: extras.new_errors,
        schedule_error: extras.schedule_error,
    };
    render_with_status(&page, extras.status)
}

pub async fn index(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<OrgPath>,
    query: web::Query<YearQuery>,
) -> AppResult<HttpResponse> {
    let extras = IndexExtras {
        new_form: NewDutyForm::default(),
        new_errors: FieldErrors::new(),
        schedule_error: false,
        status: StatusCode::OK,
    };
    index_page(&state, &viewer, path.org, query.year, extras).await
}

pub async fn create(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<OrgPath>,
    form: web::Form<NewDutyForm>,
) -> AppResult<HttpResponse> {
    let user = viewer.user()?;
    let catalog = state.catalogs.current();
    let control_ids: Vec<&str> = catalog.controls().map(|e| e.id.as_str()).collect();
    let form = form.into_inner();
    let new = match form.parse(&control_ids) {
        Ok(new) => new,
        Err(errors) => {
            let extras = IndexExtras {
                new_form: form,
                new_errors: errors,
                schedule_error: false,
                status: StatusCode::UNPROCESSABLE_ENTITY,
            };
            return index_page(&state, &viewer, path.org, None, extras).await;
        }
    };
    let txn = state.db.begin().await?;
    store::duties::create(&txn, &Actor::user(user.id, &user.email), path.org, catalog, &new).await?;
    txn.commit().await?;
    viewer.flash(FlashKind::Success, "duty-created", Some(new.name));
    Ok(see_other(&format!("/orgs/{}/duties", path.org)))
}

pub async fn update_schedule(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<DutyPath>,
    form: web::Form<ScheduleForm>,
) -> AppResult<HttpResponse> {
    let user = viewer.user()?;
    let current = store::duties::find(&state.db, path.org, path.duty).await?.ok_or(AppError::NotFound)?;
    let Ok((enabled, due_month)) = form.parse() else {
        let extras = IndexExtras {
            new_form: NewDutyForm::default(),
            new_errors: FieldErrors::new(),
            schedule_error: true,
            status: StatusCode::UNPROCESSABLE_ENTITY,
        };
        return index_page(&state, &viewer, path.org, None, extras).await;
    };
    let txn = state.db.begin().await?;
    let schedule = store::duties::Schedule { enabled, due_month };
    store::duties::update_schedule(&txn, &Actor::user(user.id, &user.email), current, schedule).await?;
    txn.commit().await?;
    viewer.flash(FlashKind::Success, "duty-schedule-saved", None);
    Ok(see_other(&format!("/orgs/{}/duties#settings", path.org)))
}

/// The duty and occurrence a path names, or 404.
async fn find_occurrence(
    state: &AppState,
    org: &crate::entities::organisation::Model,
    path: &OccurrencePath,
) -> AppResult<(duty::Model, Occurrence)> {
    let duty = store::duties::find(&state.db, org.id, path.duty).await?.ok_or(AppError::NotFound)?;
    if !YEARS.contains(&path.year) {
        return Err(AppError::NotFound);
    }
    let (frequency, due_month) = schedule_of(&duty);
    let year = PmsYear { label: path.year, start_month: start_month(org) };
    let occurrence =
        occurrences(frequency, due_month, year).into_iter().find(|o| o.slot == path.slot).ok_or(AppError::NotFound)?;
    Ok((duty, occurrence))
}

/// What an occurrence page shows again after a refused record or upload.
struct Refused {
    form: Option<RecordForm>,
    errors: FieldErrors,
    evidence: Option<EvidenceRefusal>,
    status: StatusCode,
}

impl Default for Refused {
    fn default() -> Self {
        Self { form: None, errors: FieldErrors::new(), evidence: None, status: StatusCode::OK }
    }
}

async fn occurrence_page(
    state: &AppState,
    viewer: &Viewer,
    path: &OccurrencePath,
    refused: Refused,
) -> AppResult<HttpResponse> {
    let Refused { form, errors, evidence: evidence_refusal, status } = refused;
    let membership = viewer.member()?;
    let can_edit = membership.role.can_edit();
    let (duty, occurrence) = find_occurrence(state, &membership.organisation, path).await?;
    let record = store::duties::record_of(&state.db, duty.id, occurrence.pms_year, occurrence.slot).await?;
    let evidence_rows = match &record {
        Some(r) => store::evidence::list_for(&state.db, path.org, Subject::DutyRecord(r.id)).await?,
        None => Vec::new(),
    };
    let members = store::organisations::members(&state.db, path.org).await?;
    let evidence = EvidencePanel::new(
        path.org,
        format!("/orgs/{}/duties/{}/{}/{}/evidence", path.org, duty.id, path.year, path.slot),
        evidence_rows.into_iter().map(Into::into).collect(),
        uploader_names(&members),
        can_edit,
        state.settings.uploads.max_mb,
    )
    .refused(evidence_refusal);
    let today = state.clock.today();
    let occurrence_state =
        OccurrenceState::of(occurrence.due_on, record.is_some(), today, crate::view::duty_schedule::LOOK_AHEAD_DAYS);
    let default_form = || match &record {
        Some(stored) => RecordForm::of(stored),
        None => RecordForm {
            performed_by: viewer.user.as_ref().map(|u| u.display_name.clone()).unwrap_or_default(),
            performed_on: today.min(occurrence.due_on).to_string(),
            ..RecordForm::default()
        },
    };
    let history = match &record {
        Some(r) => {
            let subjects = [store::audit::Subjects::one("duty_record", r.id)];
            crate::web::history::panel(state, path.org, viewer.locale(), &subjects).await?
        }
        None => Vec::new(),
    };
    let page = OccurrencePage {
        ctx: viewer.page(Some(path.org)),
        org_id: path.org,
        can_edit,
        name: duty_name(&duty, viewer.lang),
        kind: duty.record_kind,
        duty,
        occurrence,
        state: occurrence_state,
        form: form.unwrap_or_else(default_form),
        errors,
        evidence,
        history,
        record,
    };
    render_with_status(&page, status)
}

pub async fn show_occurrence(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<OccurrencePath>,
) -> AppResult<HttpResponse> {
    occurrence_page(&state, &viewer, &path, Refused::default()).await
}

pub async fn record(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<OccurrencePath>,
    form: web::Form<RecordForm>,
) -> AppResult<HttpResponse> {
    let membership = viewer.member()?;
    let user = viewer.user()?;
    let (duty, occurrence) = find_occurrence(&state, &membership.organisation, &path).await?;
    let back = format!("/orgs/{}/duties/{}/{}/{}", path.org, path.duty, path.year, path.slot);
    if store::duties::record_of(&state.db, duty.id, occurrence.pms_year, occurrence.slot).await?.is_some() {
        viewer.flash(FlashKind::Error, "duty-already-recorded", None);
        return Ok(see_other(&back));
    }
    let form = form.into_inner();
    let today: NaiveDate = state.clock.today();
    let new = match form.parse(duty.record_kind, today) {
        Ok(new) => new,
        Err(errors) => {
            let refused =
                Refused { form: Some(form), errors, status: StatusCode::UNPROCESSABLE_ENTITY, ..Refused::default() };
            return occurrence_page(&state, &viewer, &path, refused).await;
        }
    };
    let txn = state.db.begin().await?;
    match store::duties::record(
        &txn,
        &Actor::user(user.id, &user.email),
        &duty,
        occurrence.pms_year,
        occurrence.slot,
        &new,
    )
    .await
    {
        Ok(_) => {
            txn.commit().await?;
            viewer.flash(FlashKind::Success, "duty-recorded", None);
        }
        Err(RecordError::AlreadyRecorded) => viewer.flash(FlashKind::Error, "duty-already-recorded", None),
        Err(RecordError::Database(e)) => return Err(e.into()),
    }
    Ok(see_other(&back))
}

/// `POST .../correct`: corrects the occurrence's record (a typo is not permanent); the page
/// shows the change in its history.
pub async fn correct(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<OccurrencePath>,
    form: web::Form<RecordForm>,
) -> AppResult<HttpResponse> {
    let membership = viewer.member()?;
    let user = viewer.user()?;
    let (duty, occurrence) = find_occurrence(&state, &membership.organisation, &path).await?;
    let stored = store::duties::record_of(&state.db, duty.id, occurrence.pms_year, occurrence.slot).await?;
    let stored = stored.ok_or(AppError::NotFound)?;
    let form = form.into_inner();
    let (values, version) = match form.parse_correction(duty.record_kind, state.clock.today()) {
        Ok(parsed) => parsed,
        Err(errors) => {
            let refused =
                Refused { form: Some(form), errors, status: StatusCode::UNPROCESSABLE_ENTITY, ..Refused::default() };
            return occurrence_page(&state, &viewer, &path, refused).await;
        }
    };
    let txn = state.db.begin().await?;
    match store::duties::correct_record(&txn, &Actor::user(user.id, &user.email), &stored, version, &values).await {
        Ok(_) => txn.commit().await?,
        Err(CorrectionError::Conflict(theirs)) => {
            drop(txn);
            let mut errors = FieldErrors::new();
            errors.add("lock_version", "record-conflict");
            let refused = Refused {
                form: Some(RecordForm::of(&theirs)),
                errors,
                status: StatusCode::CONFLICT,
                ..Refused::default()
            };
            return occurrence_page(&state, &viewer, &path, refused).await;
        }
        Err(CorrectionError::Database(e)) => return Err(e.into()),
    }
    viewer.flash(FlashKind::Success, "duty-record-corrected", None);
    Ok(see_other(&format!("/orgs/{}/duties/{}/{}/{}", path.org, path.duty, path.year, path.slot)))
}

/// A duty record as an evidence target (`/orgs/{org}/duties/{duty}/{year}/{slot}/evidence`): the
/// occurrence must have been recorded.
pub struct RecordEvidence(duty_record::Model);

impl EvidenceTarget for RecordEvidence {
    type Path = OccurrencePath;

    async fn find(state: &AppState, viewer: &Viewer, path: &OccurrencePath) -> AppResult<Self> {
        let membership = viewer.member()?;
        let (duty, occurrence) = find_occurrence(state, &membership.organisation, path).await?;
        let record = store::duties::record_of(&state.db, duty.id, occurrence.pms_year, occurrence.slot).await?;
        record.map(Self).ok_or(AppError::NotFound)
    }

    async fn subject(&self, _: &AppState, _: &EvidenceForm) -> AppResult<Option<Subject>> {
        Ok(Some(Subject::DutyRecord(self.0.id)))
    }

    fn page(path: &OccurrencePath) -> String {
        format!("/orgs/{}/duties/{}/{}/{}", path.org, path.duty, path.year, path.slot)
    }

    async fn render_refused(
        state: &AppState,
        viewer: &Viewer,
        path: &OccurrencePath,
        refusal: EvidenceRefusal,
    ) -> AppResult<HttpResponse> {
        let refused = Refused { status: refusal.status, evidence: Some(refusal), ..Refused::default() };
        occurrence_page(state, viewer, path, refused).await
    }
}

/// The routes of this resource, with the access each needs (see `web::routes`).
pub fn routes(r: &mut crate::web::routes::Routes) {
    use crate::web::routes::Access::*;
    use crate::web::viewer::Need;
    r.get("/orgs/{org}/duties", Member(Need::Read), index)
        .post("/orgs/{org}/duties", Member(Need::Edit), create)
        .post("/orgs/{org}/duties/{duty}", Member(Need::Edit), update_schedule)
        .back_to("/orgs/{org}/duties/{duty}", "/orgs/{org}/duties#settings")
        .get("/orgs/{org}/duties/{duty}/{year}/{slot}", Member(Need::Read), show_occurrence)
        .post("/orgs/{org}/duties/{duty}/{year}/{slot}", Member(Need::Edit), record)
        .post("/orgs/{org}/duties/{duty}/{year}/{slot}/correct", Member(Need::Edit), correct)
        .back_to(
            "/orgs/{org}/duties/{duty}/{year}/{slot}/correct",
            "/orgs/{org}/duties/{duty}/{year}/{slot}#correct-form",
        );
    crate::web::evidence::attach::<RecordEvidence>(
        r,
        "/orgs/{org}/duties/{duty}/{year}/{slot}/evidence",
        "/orgs/{org}/duties/{duty}/{year}/{slot}#evidence",
    );
}
