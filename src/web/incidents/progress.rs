//! The forms on an incident's page: file a filing, decide a control check, add a timeline entry,
//! change the status. A refused form re-renders the page with its errors and values (422).

use crate::domain::incident::{CheckState, IncidentStatus, TimelineKind};
use crate::domain::term::Term;
use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use chrono::NaiveDate;
use sea_orm::TransactionTrait;
use serde::Deserialize;

use crate::domain::FieldErrors;
use crate::domain::incident::filings::Track;
use crate::domain::text::free_text;
use crate::store::incident_progress::StatusError;
use crate::store::{self, audit::Actor};
use crate::web::error::{AppError, AppResult};
use crate::web::page::{render_with_status, see_other};
use crate::web::session::FlashKind;
use crate::web::state::AppState;
use crate::web::viewer::Viewer;

use super::{IncidentPath, show_page};

const MAX_NOTE_CHARS: usize = 4000;
const MAX_REFERENCE_CHARS: usize = 200;

/// A form on the incident page that was refused.
pub struct Refused {
    /// `filing:<track>`, `check:<id>`, `timeline` or `status`.
    pub form: String,
    pub errors: FieldErrors,
    pub values: HashMap<&'static str, String>,
}

impl Refused {
    /// Whether this refusal belongs to the form `name`.
    pub fn is(&self, name: &str) -> bool {
        self.form == name
    }

    pub fn value(&self, field: &str) -> &str {
        self.values.get(field).map_or("", String::as_str)
    }
}

async fn refuse(state: &AppState, viewer: &Viewer, path: &IncidentPath, refused: Refused) -> AppResult<HttpResponse> {
    let page = show_page(state, viewer, path.org, path.incident, Some(refused)).await?;
    render_with_status(&page, StatusCode::UNPROCESSABLE_ENTITY)
}

fn back(path: &IncidentPath, anchor: &str) -> HttpResponse {
    see_other(&format!("/orgs/{}/incidents/{}#{anchor}", path.org, path.incident))
}

fn past_date(errors: &mut FieldErrors, field: &'static str, value: &str, today: NaiveDate) -> Option<NaiveDate> {
    match crate::domain::control::parse_date(value) {
        _ if value.trim().is_empty() => {
            errors.add(field, "error-required");
            None
        }
        Ok(date) if date > today => {
            errors.add(field, "error-date-in-future");
            None
        }
        Ok(date) => Some(date),
        Err(_) => {
            errors.add(field, "error-date");
            None
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct FilingPath {
    pub org: i32,
    pub incident: i32,
    pub track: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct FilingForm {
    pub submitted_on: String,
    pub reference: String,
}

pub async fn record_filing(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<FilingPath>,
    form: web::Form<FilingForm>,
) -> AppResult<HttpResponse> {
    let user = viewer.user()?;
    let track = Track::parse(&path.track).map_err(|_| AppError::NotFound)?;
    let incident_path = IncidentPath { org: path.org, incident: path.incident };
    let filing = store::incident_progress::find_filing(&state.db, path.org, path.incident, track.as_str())
        .await?
        .ok_or(AppError::NotFound)?;
    let mut errors = FieldErrors::new();
    let submitted_on = past_date(&mut errors, "submitted_on", &form.submitted_on, state.clock.today());
    let incident = store::incidents::find(&state.db, path.org, path.incident).await?.ok_or(AppError::NotFound)?;
    if submitted_on.is_some_and(|d| d < incident.discovered_on) {
        errors.add("submitted_on", "error-before-discovery");
    }
    let reference =
        errors.take("reference", free_text(&form.reference, MAX_REFERENCE_CHARS, false)).unwrap_or_default();
    let Some(submitted_on) = submitted_on.filter(|_| errors.is_empty()) else {
        let values =
            HashMap::from([("submitted_on", form.submitted_on.clone()), ("reference", form.reference.clone())]);
        return refuse(
            &state,
            &viewer,
            &incident_path,
            Refused { form: format!("filing:{}", track.as_str()), errors, values },
        )
        .await;
    };
    let txn = state.db.begin().await?;
    let reference = (!reference.is_empty()).then_some(reference);
    store::incident_progress::record_filing(
        &txn,
        &Actor::user(user.id, &user.email),
        filing,
        &store::incident_progress::FilingMade { submitted_on, reference },
    )
    .await?;
    txn.commit().await?;
    viewer.flash(FlashKind::Success, "filing-recorded", None);
    Ok(back(&incident_path, "filings"))
}

#[derive(Debug, Deserialize)]
pub struct CheckPath {
    pub org: i32,
    pub incident: i32,
    pub check: i32,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CheckForm {
    /// `no_change_needed` or `changed`.
    pub decision: String,
    pub note: String,
    /// Optional: the corrective action (of this incident) the change was made through.
    pub corrective_action_id: String,
}

pub async fn decide_check(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<CheckPath>,
    form: web::Form<CheckForm>,
) -> AppResult<HttpResponse> {
    let user = viewer.user()?;
    let incident_path = IncidentPath { org: path.org, incident: path.incident };
    let check = store::incident_progress::find_check(&state.db, path.org, path.incident, path.check)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut errors = FieldErrors::new();
    let decision = CheckState::parse(&form.decision).ok().filter(|d| CheckState::DECISIONS.contains(d));
    if check.state != CheckState::Open {
        // A stale page or a second click: the first decision stands.
        errors.add("decision", "error-check-already-decided");
    } else if decision.is_none() {
        errors.add("decision", "error-choice");
    }
    let note = match free_text(&form.note, MAX_NOTE_CHARS, true) {
        Ok(note) => note,
        Err("error-required") => {
            errors.add("note", "error-check-note-required");
            String::new()
        }
        Err(key) => {
            errors.add("note", key);
            String::new()
        }
    };
    let corrective_action_id = match form.corrective_action_id.trim() {
        "" => None,
        text => {
            let actions = store::corrective_actions::of_incident(&state.db, path.org, path.incident).await?;
            let found = text.parse::<i32>().ok().filter(|id| actions.iter().any(|a| a.id == *id));
            if found.is_none() {
                errors.add("corrective_action_id", "error-choice");
            }
            found
        }
    };
    if !errors.is_empty() {
        let values = HashMap::from([
            ("decision", form.decision.clone()),
            ("note", form.note.clone()),
            ("corrective_action_id", form.corrective_action_id.clone()),
        ]);
        return refuse(
            &state,
            &viewer,
            &incident_path,
            Refused { form: format!("check:{}", check.id), errors, values },
        )
        .await;
    }
    let control = check.control_id.clone();
    let txn = state.db.begin().await?;
    store::incident_progress::decide_check(
        &txn,
        &Actor::user(user.id, &user.email),
        check,
        &store::incident_progress::CheckDecision {
            state: decision.unwrap_or(CheckState::Changed),
            note,
            corrective_action_id,
        },
    )
    .await?;
    txn.commit().await?;
    viewer.flash(FlashKind::Success, "check-decided", Some(control));
    Ok(back(&incident_path, "checks"))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TimelineForm {
    pub occurred_on: String,
    pub kind: String,
    pub note: String,
}

pub async fn add_timeline_entry(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<IncidentPath>,
    form: web::Form<TimelineForm>,
) -> AppResult<HttpResponse> {
    let user = viewer.user()?;
    let incident = store::incidents::find(&state.db, path.org, path.incident).await?.ok_or(AppError::NotFound)?;
    let mut errors = FieldErrors::new();
    let occurred_on = past_date(&mut errors, "occurred_on", &form.occurred_on, state.clock.today());
    let kind = errors.take("kind", TimelineKind::parse(&form.kind).map_err(|_| "error-choice"));
    let note = errors.take("note", free_text(&form.note, MAX_NOTE_CHARS, true)).unwrap_or_default();
    let (Some(occurred_on), Some(kind), true) = (occurred_on, kind, errors.is_empty()) else {
        let values = HashMap::from([
            ("occurred_on", form.occurred_on.clone()),
            ("kind", form.kind.clone()),
            ("note", form.note.clone()),
        ]);
        return refuse(&state, &viewer, &path, Refused { form: "timeline".to_owned(), errors, values }).await;
    };
    let txn = state.db.begin().await?;
    store::incident_progress::add_timeline_entry(
        &txn,
        &Actor::user(user.id, &user.email),
        &incident,
        &store::incident_progress::TimelineEntry { occurred_on, kind, note },
    )
    .await?;
    txn.commit().await?;
    viewer.flash(FlashKind::Success, "timeline-added", None);
    Ok(back(&path, "timeline"))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct StatusForm {
    pub status: String,
}

pub async fn set_status(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<IncidentPath>,
    form: web::Form<StatusForm>,
) -> AppResult<HttpResponse> {
    let user = viewer.user()?;
    let incident = store::incidents::find(&state.db, path.org, path.incident).await?.ok_or(AppError::NotFound)?;
    let values = HashMap::from([("status", form.status.clone())]);
    let Ok(status) = IncidentStatus::parse(&form.status) else {
        let mut errors = FieldErrors::new();
        errors.add("status", "error-status");
        return refuse(&state, &viewer, &path, Refused { form: "status".to_owned(), errors, values }).await;
    };
    let txn = state.db.begin().await?;
    match store::incident_progress::set_status(&txn, &Actor::user(user.id, &user.email), incident, status).await {
        Ok(_) => {
            txn.commit().await?;
            viewer.flash(FlashKind::Success, "incident-status-changed", None);
            Ok(back(&path, "status"))
        }
        Err(StatusError::Blocked(_)) => {
            txn.rollback().await?;
            let mut errors = FieldErrors::new();
            errors.add("status", "error-incident-not-closable");
            refuse(&state, &viewer, &path, Refused { form: "status".to_owned(), errors, values }).await
        }
        Err(StatusError::Conflict) => {
            txn.rollback().await?;
            let mut errors = FieldErrors::new();
            errors.add("status", "error-stale-form");
            refuse(&state, &viewer, &path, Refused { form: "status".to_owned(), errors, values }).await
        }
        Err(StatusError::Db(e)) => Err(e.into()),
    }
}
