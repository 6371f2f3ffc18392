//! What the daily incident digest reads, for every organisation at once: four queries per pass
//! whatever the number of organisations (`jobs::incident_digest` groups the rows).

use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

use crate::domain::corrective_action::ActionStatus;
use crate::domain::incident::{IncidentStatus, ReviewState};
use crate::entities::{control_review, corrective_action, incident, incident_report};

/// The rows of every organisation that a digest may mention.
#[derive(Debug, Default)]
pub struct DigestSources {
    /// Incidents not closed, newest discovery first.
    pub open_incidents: Vec<incident::Model>,
    /// Corrective actions still open, by due date.
    pub open_actions: Vec<corrective_action::Model>,
    /// Reports required and not filed, by due date.
    pub outstanding_reports: Vec<incident_report::Model>,
    /// Reviews flagged and not decided.
    pub open_reviews: Vec<control_review::Model>,
}

/// Loads the digest rows of every organisation.
///
/// # Errors
/// When a query fails.
pub async fn load<C: ConnectionTrait>(db: &C) -> Result<DigestSources, DbErr> {
    Ok(DigestSources {
        open_incidents: incident::Entity::find()
            .filter(incident::Column::Status.ne(IncidentStatus::Closed))
            .order_by_desc(incident::Column::DiscoveredOn)
            .order_by_desc(incident::Column::Id)
            .all(db)
            .await?,
        open_actions: corrective_action::Entity::find()
            .filter(corrective_action::Column::Status.eq(ActionStatus::Open))
            .order_by_asc(corrective_action::Column::DueOn)
            .order_by_asc(corrective_action::Column::Id)
            .all(db)
            .await?,
        outstanding_reports: incident_report::Entity::find()
            .filter(incident_report::Column::Required.eq(true))
            .filter(incident_report::Column::SubmittedOn.is_null())
            .order_by_asc(incident_report::Column::DueOn)
            .order_by_asc(incident_report::Column::Id)
            .all(db)
            .await?,
        open_reviews: control_review::Entity::find()
            .filter(control_review::Column::Flagged.eq(true))
            .filter(control_review::Column::State.eq(ReviewState::Open))
            .all(db)
            .await?,
    })
}
