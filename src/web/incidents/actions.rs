//! The forms on an incident's page: file a report, decide a control review, add a timeline entry,
//! change the status. A refused form re-renders the page with its errors and values (422).

use crate::domain::incident::{IncidentStatus, ReviewState, TimelineKind};
use crate::domain::term::Term;
use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use chrono::NaiveDate;
use sea_orm::TransactionTrait;
use serde::Deserialize;

use crate::domain::FieldErrors;
use crate::domain::incident::reports::Track;
use crate::domain::text::free_text;
use crate::store::incident_actions::StatusError;
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
    /// `report:<track>`, `review:<id>`, `timeline` or `status`.
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
pub struct ReportPath {
    pub org: i32,
    pub incident: i32,
    pub track: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReportForm {
    pub submitted_on: String,
    pub reference: String,
}

pub async fn submit_report(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<ReportPath>,
    form: web::Form<ReportForm>,
) -> AppResult<HttpResponse> {
    let user = viewer.user()?;
    let track = Track::parse(&path.track).map_err(|_| AppError::NotFound)?;
    let incident_path = IncidentPath { org: path.org, incident: path.incident };
    let report = store::incident_actions::find_report(&state.db, path.org, path.incident, track.as_str())
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
            Refused { form: format!("report:{}", track.as_str()), errors, values },
        )
        .await;
    };
    let txn = state.db.begin().await?;
    let reference = (!reference.is_empty()).then_some(reference);
    store::incident_actions::submit_report(&txn, &Actor::user(user.id, &user.email), report, submitted_on, reference)
        .await?;
    txn.commit().await?;
    viewer.flash(FlashKind::Success, "report-recorded", None);
    Ok(back(&incident_path, "reports"))
}

#[derive(Debug, Deserialize)]
pub struct ReviewPath {
    pub org: i32,
    pub incident: i32,
    pub review: i32,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReviewForm {
    /// `no_change_needed` or `changed`.
    pub decision: String,
    pub note: String,
    /// Optional: the corrective action (of this incident) the change was made through.
    pub corrective_action_id: String,
}

pub async fn decide_review(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<ReviewPath>,
    form: web::Form<ReviewForm>,
) -> AppResult<HttpResponse> {
    let user = viewer.user()?;
    let incident_path = IncidentPath { org: path.org, incident: path.incident };
    let review = store::incident_actions::find_review(&state.db, path.org, path.incident, path.review)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut errors = FieldErrors::new();
    let decision = ReviewState::parse(&form.decision).ok().filter(|d| ReviewState::DECISIONS.contains(d));
    if review.state != ReviewState::Open {
        // A stale page or a second click: the first decision stands.
        errors.add("decision", "error-review-already-decided");
    } else if decision.is_none() {
        errors.add("decision", "error-choice");
    }
    let note = match free_text(&form.note, MAX_NOTE_CHARS, true) {
        Ok(note) => note,
        Err("error-required") => {
            errors.add("note", "error-review-note-required");
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
            Refused { form: format!("review:{}", review.id), errors, values },
        )
        .await;
    }
    let control = review.control_id.clone();
    let txn = state.db.begin().await?;
    store::incident_actions::decide_review(
        &txn,
        &Actor::user(user.id, &user.email),
        review,
        decision.unwrap_or(ReviewState::Changed),
        &note,
        corrective_action_id,
    )
    .await?;
    txn.commit().await?;
    viewer.flash(FlashKind::Success, "review-decided", Some(control));
    Ok(back(&incident_path, "reviews"))
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
    store::incident_actions::add_timeline_entry(
        &txn,
        &Actor::user(user.id, &user.email),
        &incident,
        occurred_on,
        kind,
        &note,
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
    match store::incident_actions::set_status(&txn, &Actor::user(user.id, &user.email), incident, status).await {
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
