//! Recording and editing an incident. Saving assesses the facts with the check rules: the
//! filings are recomputed (what moved is said in the flash message) and each newly flagged
//! control gets one check.

use crate::domain::incident::IncidentStatus;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use sea_orm::TransactionTrait;

use crate::domain::incident::vocabulary::{Cause, DataItem, DetectedBy, Kind, Party, System, Term};
use crate::domain::{FieldErrors, Lang};
use crate::i18n;
use crate::store::incidents::{Recomputed, UpdateError};
use crate::store::{self, audit::Actor};
use crate::web::error::{AppError, AppResult};
use crate::web::forms::OrgPath;
use crate::web::page::{PageContext, render_with_status, see_other};
use crate::web::session::FlashKind;
use crate::web::state::AppState;
use crate::web::viewer::Viewer;

use super::IncidentPath;
use super::form::IncidentForm;

/// A vocabulary as the form offers it.
pub struct ChoiceGroup {
    pub field: &'static str,
    /// `(value, label)` pairs.
    pub choices: Vec<(&'static str, String)>,
}

fn group<T: Term>(field: &'static str, lang: Lang) -> ChoiceGroup {
    ChoiceGroup { field, choices: T::ALL.iter().map(|t| (t.as_str(), i18n::t(lang, &t.label_key()))).collect() }
}

fn groups(lang: Lang) -> Vec<ChoiceGroup> {
    vec![
        group::<Kind>("kinds", lang),
        group::<Cause>("causes", lang),
        group::<DataItem>("data", lang),
        group::<Party>("parties", lang),
        group::<System>("systems", lang),
    ]
}

#[derive(Template)]
#[template(path = "incidents/form.html")]
struct FormPage {
    ctx: PageContext,
    org_id: i32,
    /// `None` for a new incident.
    incident_id: Option<i32>,
    form: IncidentForm,
    errors: FieldErrors,
    groups: Vec<ChoiceGroup>,
    detected_by: Vec<(&'static str, String)>,
}

impl FormPage {
    /// The yes/no/unknown facts with their current values.
    fn flags(&self) -> [(&'static str, &str); 3] {
        [
            ("strongly_encrypted", self.form.strongly_encrypted.as_str()),
            ("retained_beyond_need", self.form.retained_beyond_need.as_str()),
            ("possible_only", self.form.possible_only.as_str()),
        ]
    }
}

fn form_page(viewer: &Viewer, org: i32, incident_id: Option<i32>, form: IncidentForm, errors: FieldErrors) -> FormPage {
    let lang = viewer.lang;
    FormPage {
        ctx: viewer.page(Some(org)),
        org_id: org,
        incident_id,
        form,
        errors,
        groups: groups(lang),
        detected_by: group::<DetectedBy>("detected_by", lang).choices,
    }
}

pub async fn new_form(state: web::Data<AppState>, viewer: Viewer, path: web::Path<OrgPath>) -> AppResult<HttpResponse> {
    let form = IncidentForm { discovered_on: state.clock.today().to_string(), ..IncidentForm::default() };
    render_with_status(&form_page(&viewer, path.org, None, form, FieldErrors::new()), StatusCode::OK)
}

/// The flash message after a save: what the recomputation changed.
fn flash_saved(viewer: &Viewer, recomputed: &Recomputed, created: bool) {
    let lang = viewer.lang;
    let mut parts = Vec::new();
    for change in &recomputed.filing_changes {
        let track = i18n::t(lang, &format!("filing-track-{}", change.track.as_str()));
        let describe = |due: &crate::domain::incident::filings::Due| match (due.required, due.deadline()) {
            (false, _) => i18n::t(lang, "filing-state-not_required"),
            (true, Some(date)) => date.to_string(),
            (true, None) => i18n::t(lang, "filing-state-due"),
        };
        parts.push(format!("{track}: {} → {}", describe(&change.before), describe(&change.after)));
    }
    if !recomputed.new_checks.is_empty() {
        parts.push(i18n::t_args(lang, "incident-new-checks", &[("controls", recomputed.new_checks.join(", "))]));
    }
    if !recomputed.unflagged.is_empty() {
        parts.push(i18n::t_args(lang, "incident-unflagged-checks", &[("controls", recomputed.unflagged.join(", "))]));
    }
    let key = if created { "incident-created" } else { "incident-saved" };
    let detail = if parts.is_empty() { i18n::t(lang, "incident-nothing-recomputed") } else { parts.join(" / ") };
    viewer.flash(FlashKind::Success, key, Some(detail));
}

pub async fn create(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<OrgPath>,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let user = viewer.user()?;
    let form = IncidentForm::from_body(&body)?;
    let valid = match form.validate(state.clock.today()) {
        Ok(valid) => valid,
        Err(errors) => {
            return render_with_status(
                &form_page(&viewer, path.org, None, form, errors),
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    let assessment = state.check_rules.assess(&valid.facts);
    let txn = state.db.begin().await?;
    let (created, recomputed) = store::incidents::create(
        &txn,
        &Actor::user(user.id, &user.email),
        path.org,
        &valid.input(&assessment),
        &state.catalogs.current().version,
    )
    .await?;
    txn.commit().await?;
    flash_saved(&viewer, &recomputed, true);
    Ok(see_other(&format!("/orgs/{}/incidents/{}", path.org, created.id)))
}

pub async fn edit_form(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<IncidentPath>,
) -> AppResult<HttpResponse> {
    let incident = store::incidents::find(&state.db, path.org, path.incident).await?.ok_or(AppError::NotFound)?;
    let form = IncidentForm::of(&incident);
    let mut errors = FieldErrors::new();
    if incident.status == IncidentStatus::Closed {
        errors.add("lock_version", "error-incident-closed");
    }
    render_with_status(&form_page(&viewer, path.org, Some(incident.id), form, errors), StatusCode::OK)
}

pub async fn update(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<IncidentPath>,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let user = viewer.user()?;
    let current = store::incidents::find(&state.db, path.org, path.incident).await?.ok_or(AppError::NotFound)?;
    let form = IncidentForm::from_body(&body)?;
    let refuse = |form: IncidentForm, errors: FieldErrors| {
        render_with_status(
            &form_page(&viewer, path.org, Some(path.incident), form, errors),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    if current.status == IncidentStatus::Closed {
        let mut errors = FieldErrors::new();
        errors.add("lock_version", "error-incident-closed");
        return refuse(form, errors);
    }
    let Ok(lock_version) = form.lock_version.parse::<i32>() else {
        let mut errors = FieldErrors::new();
        errors.add("lock_version", "error-stale-form");
        return refuse(form, errors);
    };
    let valid = match form.validate(state.clock.today()) {
        Ok(valid) => valid,
        Err(errors) => return refuse(form, errors),
    };
    let assessment = state.check_rules.assess(&valid.facts);
    let txn = state.db.begin().await?;
    let saved = store::incidents::update(
        &txn,
        &Actor::user(user.id, &user.email),
        &current,
        lock_version,
        &valid.input(&assessment),
    )
    .await;
    match saved {
        Ok((_, recomputed)) => {
            txn.commit().await?;
            flash_saved(&viewer, &recomputed, false);
            Ok(see_other(&format!("/orgs/{}/incidents/{}", path.org, path.incident)))
        }
        Err(UpdateError::Conflict) => {
            txn.rollback().await?;
            let mut errors = FieldErrors::new();
            errors.add("lock_version", "error-stale-form");
            let mut form = form;
            form.lock_version = current.lock_version.to_string();
            render_with_status(&form_page(&viewer, path.org, Some(path.incident), form, errors), StatusCode::CONFLICT)
        }
        Err(UpdateError::Db(e)) => Err(e.into()),
    }
}
