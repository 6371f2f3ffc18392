//! `/orgs/{org}/certification`: the Privacy Mark itself. Registration number, examination body,
//! validity, status, the renewal application window with its milestones, and past cycles. The
//! renewal decision and its undoing are in `renewal`.

mod renewal;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::NaiveDate;
use sea_orm::TransactionTrait;
use serde::Deserialize;

use crate::domain::FieldErrors;
use crate::domain::certification::{CertificationStatus, ExaminationBody, parse_registration_number, two_year_expiry};
use crate::domain::control::{parse_optional_date, parse_required_date};

use crate::entities::certification;
use crate::settings::RenewalSettings;
use crate::store::certifications::{CertificationValues, SaveError};
use crate::store::{self, audit::Actor};
use crate::web::error::AppResult;
use crate::web::forms::{FormState, OrgPath};
use crate::web::page::{PageContext, render_with_status, see_other};
use crate::web::session::FlashKind;
use crate::web::state::AppState;
use crate::web::viewer::Viewer;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct CertificationForm {
    pub registration_number: String,
    pub examination_body: String,
    pub examination_body_other: String,
    pub first_granted_on: String,
    pub valid_from: String,
    /// Empty: two years from `valid_from`.
    pub valid_until: String,
    pub status: String,
    pub applied_on: String,
    pub notes: String,
    pub lock_version: String,
}

impl CertificationForm {
    fn from_model(model: &certification::Model) -> Self {
        Self {
            registration_number: model.registration_number.clone(),
            examination_body: model.examination_body.as_str().to_owned(),
            examination_body_other: model.examination_body_other.clone().unwrap_or_default(),
            first_granted_on: model.first_granted_on.to_string(),
            valid_from: model.valid_from.to_string(),
            valid_until: model.valid_until.to_string(),
            status: model.status.as_str().to_owned(),
            applied_on: model.applied_on.map(|d| d.to_string()).unwrap_or_default(),
            notes: model.notes.clone(),
            lock_version: model.lock_version.to_string(),
        }
    }

    fn parse(&self, today: NaiveDate, renewal: &RenewalSettings) -> Result<(CertificationValues, i32), FieldErrors> {
        let mut errors = FieldErrors::new();
        let registration_number =
            errors.take("registration_number", parse_registration_number(&self.registration_number));
        let examination_body = errors.take("examination_body", ExaminationBody::parse(&self.examination_body));
        let other = self.examination_body_other.trim().to_owned();
        if examination_body == Some(ExaminationBody::Other) && other.is_empty() {
            errors.add("examination_body_other", "error-required");
        } else if let Err(key) = crate::domain::text::free_text(&other, 200, false) {
            errors.add("examination_body_other", key);
        }
        let first_granted_on = errors.take("first_granted_on", parse_required_date(&self.first_granted_on));
        let (valid_from, valid_until) = parse_validity(&mut errors, &self.valid_from, &self.valid_until);
        if let (Some(first), Some(from)) = (first_granted_on, valid_from)
            && first > from
        {
            errors.add("first_granted_on", "error-first-grant-after-cycle");
        }
        let status = errors.take("status", CertificationStatus::parse(&self.status));
        let applied_on = errors.take("applied_on", parse_optional_date(&self.applied_on)).flatten();
        if applied_on.is_some_and(|d| d > today) {
            errors.add("applied_on", "error-date-in-future");
        }
        if let (Some(applied_on), Some(until)) = (applied_on, valid_until) {
            renewal::check_application(&mut errors, &renewal.window(until), applied_on);
        }
        if status == Some(CertificationStatus::RenewalApplied) && applied_on.is_none() {
            errors.add("applied_on", "error-required");
        }
        if let Err(key) = crate::domain::text::free_text(&self.notes, 5000, false) {
            errors.add("notes", key);
        }
        let version = self.lock_version.trim().parse::<i32>().unwrap_or(0);
        match (registration_number, examination_body, first_granted_on, valid_from, valid_until, status) {
            (
                Some(registration_number),
                Some(examination_body),
                Some(first_granted_on),
                Some(valid_from),
                Some(valid_until),
                Some(status),
            ) if errors.is_empty() => Ok((
                CertificationValues {
                    registration_number,
                    examination_body,
                    examination_body_other: Some(other)
                        .filter(|o| examination_body == ExaminationBody::Other && !o.is_empty()),
                    first_granted_on,
                    valid_from,
                    valid_until,
                    status,
                    applied_on,
                    notes: self.notes.trim_end().to_owned(),
                },
                version,
            )),
            _ => Err(errors),
        }
    }
}

/// A validity as entered in `valid_from` and `valid_until`: the start is required, the end
/// defaults to two years from the start and must come after it.
fn parse_validity(errors: &mut FieldErrors, from: &str, until: &str) -> (Option<NaiveDate>, Option<NaiveDate>) {
    let valid_from = errors.take("valid_from", parse_required_date(from));
    let valid_until = errors.take("valid_until", parse_optional_date(until)).flatten();
    let valid_until = valid_until.or_else(|| valid_from.map(two_year_expiry));
    if let (Some(from), Some(until)) = (valid_from, valid_until)
        && until <= from
    {
        errors.add("valid_until", "error-valid-until-before-from");
    }
    (valid_from, valid_until)
}

/// Describes where `today` stands for a cycle, in the viewer's language.
pub fn renewal_view(
    state: &AppState,
    cert: &certification::Model,
    locale: crate::i18n::Locale,
    today: NaiveDate,
) -> crate::view::renewal::RenewalView {
    crate::view::renewal::renewal_view_with(&state.settings.renewal, cert, locale, today)
}

#[derive(Template)]
#[template(path = "certification/show.html")]
struct CertificationPage {
    ctx: PageContext,
    org_id: i32,
    can_edit: bool,
    /// Whether the viewer may undo a renewal decision (admins).
    can_manage: bool,
    current: Option<certification::Model>,
    renewal: Option<crate::view::renewal::RenewalView>,
    /// Every cycle, newest first (the current one first).
    history: Vec<certification::Model>,
    form: CertificationForm,
    errors: FieldErrors,
    bodies: &'static [ExaminationBody],
    statuses: [CertificationStatus; 4],
    /// Set when the form was stale.
    conflict: bool,
    /// The renewal decision form (shown with a current cycle).
    decision: FormState<renewal::DecisionForm>,
    /// The form that undoes the last renewal decision (shown to admins with a previous cycle).
    undo: FormState<renewal::UndoForm>,
}

impl CertificationPage {
    /// The cycle the last renewal decision followed, which undoing it restores.
    fn previous(&self) -> Option<&certification::Model> {
        self.history.get(1)
    }
}

/// The forms of the page as shown: fresh, or one of them refused.
#[derive(Default)]
struct Shown {
    form: Option<CertificationForm>,
    errors: FieldErrors,
    conflict: bool,
    decision: Option<FormState<renewal::DecisionForm>>,
    undo: Option<FormState<renewal::UndoForm>>,
}

async fn page(
    state: &AppState,
    viewer: &Viewer,
    org: i32,
    shown: Shown,
    status: StatusCode,
) -> AppResult<HttpResponse> {
    let membership = viewer.member()?;
    let history = store::certifications::history(&state.db, org).await?;
    let current = history.first().cloned();
    let today = state.clock.today();
    let renewal = current.as_ref().map(|c| renewal_view(state, c, viewer.locale(), today));
    let form = shown.form.unwrap_or_else(|| {
        current.as_ref().map(CertificationForm::from_model).unwrap_or_else(|| CertificationForm {
            examination_body: "jipdec".into(),
            status: "valid".into(),
            lock_version: "0".into(),
            ..CertificationForm::default()
        })
    });
    let decision = shown.decision.unwrap_or_else(|| {
        FormState::new(renewal::DECISION_FORM, renewal::DecisionForm::proposed(current.as_ref(), today))
    });
    let undo =
        shown.undo.unwrap_or_else(|| FormState::new(renewal::UNDO_FORM, renewal::UndoForm::of(current.as_ref())));
    let page = CertificationPage {
        ctx: viewer.page(Some(org)),
        org_id: org,
        can_edit: membership.role.can_edit(),
        can_manage: membership.role.can_manage_organisation(),
        current,
        renewal,
        history,
        form,
        errors: shown.errors,
        bodies: <ExaminationBody as crate::domain::term::Term>::ALL,
        statuses: CertificationStatus::ALL,
        conflict: shown.conflict,
        decision,
        undo,
    };
    render_with_status(&page, status)
}

pub async fn show(state: web::Data<AppState>, viewer: Viewer, path: web::Path<OrgPath>) -> AppResult<HttpResponse> {
    page(&state, &viewer, path.org, Shown::default(), StatusCode::OK).await
}

pub async fn save(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<OrgPath>,
    form: web::Form<CertificationForm>,
) -> AppResult<HttpResponse> {
    let user = viewer.user()?;
    let form = form.into_inner();
    let (values, version) = match form.parse(state.clock.today(), &state.settings.renewal) {
        Ok(parsed) => parsed,
        Err(errors) => {
            let shown = Shown { form: Some(form), errors, ..Shown::default() };
            return page(&state, &viewer, path.org, shown, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let history = store::certifications::history(&state.db, path.org).await?;
    let txn = state.db.begin().await?;
    match store::certifications::save(
        &txn,
        &Actor::user(user.id, &user.email),
        path.org,
        history.first(),
        version,
        &values,
    )
    .await
    {
        Ok(()) => txn.commit().await?,
        Err(SaveError::Conflict) => {
            drop(txn);
            let shown = Shown { form: Some(form), conflict: true, ..Shown::default() };
            return page(&state, &viewer, path.org, shown, StatusCode::CONFLICT).await;
        }
        Err(SaveError::Database(e)) => return Err(e.into()),
    }
    viewer.flash(FlashKind::Success, "certification-saved", None);
    Ok(see_other(&format!("/orgs/{}/certification", path.org)))
}

/// The routes of this resource, with the access each needs (see `web::routes`).
pub fn routes(r: &mut crate::web::routes::Routes) {
    use crate::web::routes::Access::*;
    use crate::web::viewer::Need;
    r.get("/orgs/{org}/certification", Member(Need::Read), show)
        .post("/orgs/{org}/certification", Member(Need::Edit), save)
        .post("/orgs/{org}/certification/renewed", Member(Need::Edit), renewal::decide)
        .back_to("/orgs/{org}/certification/renewed", "/orgs/{org}/certification#renewal-form")
        .post("/orgs/{org}/certification/renewed/undo", Member(Need::Manage), renewal::undo)
        .back_to("/orgs/{org}/certification/renewed/undo", "/orgs/{org}/certification#renewal-undo-form");
}
