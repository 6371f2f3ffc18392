//! Evidence of an incident: a file or link proving a filing or a step of the response
//! timeline (the form says which, in `attach_to`), through the shared evidence component.

use actix_web::HttpResponse;

use crate::entities::{incident, incident_filing, incident_timeline};
use crate::i18n;
use crate::store::evidence::Subject;
use crate::store::{self};
use crate::web::error::{AppError, AppResult};
use crate::web::evidence::{EvidenceForm, EvidenceRefusal, EvidenceRow, EvidenceTarget};
use crate::web::page::render_with_status;
use crate::web::state::AppState;
use crate::web::viewer::Viewer;

use super::IncidentPath;

/// What an `attach_to` value names among the incident's filings and timeline entries.
fn subject_of(
    attach_to: &str,
    filings: &[incident_filing::Model],
    timeline: &[incident_timeline::Model],
) -> Option<Subject> {
    match attach_to.split_once(':')? {
        ("filing", track) => filings.iter().find(|r| r.track.as_str() == track).map(|r| Subject::IncidentFiling(r.id)),
        ("timeline", id) => {
            let id = id.parse::<i32>().ok()?;
            timeline.iter().find(|t| t.id == id).map(|t| Subject::IncidentTimeline(t.id))
        }
        _ => None,
    }
}

/// What evidence of an incident can prove: `(attach_to value, label)` of each filing that is
/// required or filed, and of each timeline entry.
pub fn targets(
    filings: &[incident_filing::Model],
    timeline: &[incident_timeline::Model],
    lang: crate::domain::Lang,
) -> Vec<(String, String)> {
    let mut targets: Vec<(String, String)> = filings
        .iter()
        .filter(|r| r.required || r.submitted_on.is_some())
        .map(|r| (format!("filing:{}", r.track), i18n::t(lang, &format!("filing-track-{}", r.track))))
        .collect();
    targets.extend(timeline.iter().map(|t| {
        let kind = i18n::t(lang, &format!("timeline-kind-{}", t.kind));
        let note: String = t.note.chars().take(40).collect();
        (format!("timeline:{}", t.id), format!("{} {kind}: {note}", t.occurred_on))
    }));
    targets
}

/// The evidence of an incident, each with the `attach_to` value of what it proves.
///
/// # Errors
/// When the query fails.
pub async fn of_incident(
    state: &AppState,
    org: i32,
    filings: &[incident_filing::Model],
    timeline: &[incident_timeline::Model],
) -> Result<Vec<EvidenceRow>, sea_orm::DbErr> {
    let rows = store::evidence::list_for_incident(
        &state.db,
        org,
        filings.iter().map(|r| r.id).collect(),
        timeline.iter().map(|t| t.id).collect(),
    )
    .await?;
    Ok(rows
        .into_iter()
        .map(|item| {
            let target = match (item.incident_filing_id, item.incident_timeline_id) {
                (Some(id), _) => filings.iter().find(|r| r.id == id).map(|r| format!("filing:{}", r.track)),
                (_, Some(id)) => Some(format!("timeline:{id}")),
                _ => None,
            };
            EvidenceRow { item, target: target.unwrap_or_default() }
        })
        .collect())
}

/// An incident as an evidence target (`/orgs/{org}/incidents/{incident}/evidence`).
pub struct IncidentEvidence(incident::Model);

impl EvidenceTarget for IncidentEvidence {
    type Path = IncidentPath;

    async fn find(state: &AppState, _: &Viewer, path: &IncidentPath) -> AppResult<Self> {
        let incident = store::incidents::find(&state.db, path.org, path.incident).await?;
        incident.map(Self).ok_or(AppError::NotFound)
    }

    async fn subject(&self, state: &AppState, form: &EvidenceForm) -> AppResult<Option<Subject>> {
        let filings = store::incidents::filings_of(&state.db, self.0.id).await?;
        let timeline = store::incident_progress::timeline_of(&state.db, self.0.id).await?;
        Ok(subject_of(&form.attach_to, &filings, &timeline))
    }

    fn page(path: &IncidentPath) -> String {
        format!("/orgs/{}/incidents/{}", path.org, path.incident)
    }

    async fn render_refused(
        state: &AppState,
        viewer: &Viewer,
        path: &IncidentPath,
        refusal: EvidenceRefusal,
    ) -> AppResult<HttpResponse> {
        let status = refusal.status;
        let page = super::show_page_with(state, viewer, path.org, path.incident, None, Some(refusal)).await?;
        render_with_status(&page, status)
    }
}
