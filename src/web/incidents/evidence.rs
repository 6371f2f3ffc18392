//! `POST /orgs/{org}/incidents/{incident}/evidence`: a file or link proving a report's filing or
//! a step of the response timeline (the form says which, in `attach_to`).

use std::collections::HashMap;

use actix_multipart::Multipart;
use actix_web::{HttpResponse, web};

use crate::domain::FieldErrors;
use crate::entities::{evidence, incident_report, incident_timeline};
use crate::store::evidence::Subject;
use crate::store::{self, audit::Actor};
use crate::web::error::{AppError, AppResult};
use crate::web::evidence::{read_upload, validate};
use crate::web::page::{render_with_status, see_other};
use crate::web::session::FlashKind;
use crate::web::state::AppState;
use crate::web::viewer::Viewer;

use super::IncidentPath;
use super::actions::Refused;

/// What an `attach_to` value names among the incident's reports and timeline entries.
fn subject_of(
    attach_to: &str,
    reports: &[incident_report::Model],
    timeline: &[incident_timeline::Model],
) -> Option<Subject> {
    match attach_to.split_once(':')? {
        ("report", track) => reports.iter().find(|r| r.track == track).map(|r| Subject::IncidentReport(r.id)),
        ("timeline", id) => {
            let id = id.parse::<i32>().ok()?;
            timeline.iter().find(|t| t.id == id).map(|t| Subject::IncidentTimeline(t.id))
        }
        _ => None,
    }
}

/// The evidence of an incident, each with the `attach_to` value of what it proves.
///
/// # Errors
/// When the query fails.
pub async fn of_incident(
    state: &AppState,
    org: i32,
    reports: &[incident_report::Model],
    timeline: &[incident_timeline::Model],
) -> Result<Vec<(evidence::Model, String)>, sea_orm::DbErr> {
    let rows = store::evidence::list_for_incident(
        &state.db,
        org,
        reports.iter().map(|r| r.id).collect(),
        timeline.iter().map(|t| t.id).collect(),
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let target = match (row.incident_report_id, row.incident_timeline_id) {
                (Some(id), _) => reports.iter().find(|r| r.id == id).map(|r| format!("report:{}", r.track)),
                (_, Some(id)) => Some(format!("timeline:{id}")),
                _ => None,
            };
            (row, target.unwrap_or_default())
        })
        .collect())
}

pub async fn upload(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<IncidentPath>,
    payload: Multipart,
) -> AppResult<HttpResponse> {
    let user = viewer.user()?;
    let incident = store::incidents::find(&state.db, path.org, path.incident).await?.ok_or(AppError::NotFound)?;
    let upload = read_upload(&state.evidence_files, payload, state.settings.uploads.max_bytes()).await?;
    let reports = store::incidents::reports_of(&state.db, incident.id).await?;
    let timeline = store::incident_actions::timeline_of(&state.db, incident.id).await?;
    let subject = subject_of(&upload.form.attach_to, &reports, &timeline);
    let existing: Vec<i32> = match subject {
        Some(subject) => store::evidence::list_for(&state.db, path.org, subject).await?.iter().map(|e| e.id).collect(),
        None => Vec::new(),
    };
    let refuse = |form: crate::web::evidence::EvidenceForm, errors: FieldErrors| {
        let values = HashMap::from([
            ("attach_to", form.attach_to),
            ("kind", form.kind),
            ("description", form.description),
            ("effective_on", form.effective_on),
            ("url", form.url),
        ]);
        Refused { form: "evidence".to_owned(), errors, values }
    };
    let refused = match (validate(&state.evidence_files, upload, state.clock.today(), &existing).await, subject) {
        (Ok(valid), Some(subject)) => {
            crate::web::evidence::store(&state, &Actor::user(user.id, &user.email), path.org, subject, valid).await?;
            viewer.flash(FlashKind::Success, "evidence-added", None);
            return Ok(see_other(&format!("/orgs/{}/incidents/{}#evidence", path.org, path.incident)));
        }
        (Ok(valid), None) => {
            // The staged file goes with `valid` (its drop guard deletes it).
            let form = crate::web::evidence::EvidenceForm {
                description: valid.description.clone(),
                effective_on: valid.effective_on.to_string(),
                ..Default::default()
            };
            let mut errors = FieldErrors::new();
            errors.add("attach_to", "error-choice");
            (refuse(form, errors), actix_web::http::StatusCode::UNPROCESSABLE_ENTITY)
        }
        (Err((form, mut errors, status)), subject) => {
            if subject.is_none() {
                errors.add("attach_to", "error-choice");
            }
            (refuse(form, errors), status)
        }
    };
    let page = super::show_page(&state, &viewer, path.org, path.incident, Some(refused.0)).await?;
    render_with_status(&page, refused.1)
}
