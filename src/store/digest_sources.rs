//! What the daily incident digest reads, for every organisation at once: four queries per pass
//! whatever the number of organisations (`jobs::incident_digest` groups the rows).

use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

use crate::domain::corrective_action::ActionStatus;
use crate::domain::incident::{CheckState, IncidentStatus};
use crate::entities::{control_check, corrective_action, incident, incident_filing};

/// The rows of every organisation that a digest may mention.
#[derive(Debug, Default)]
pub struct DigestSources {
    /// Incidents not closed, newest discovery first.
    pub open_incidents: Vec<incident::Model>,
    /// Corrective actions still open, by due date.
    pub open_actions: Vec<corrective_action::Model>,
    /// Filings required and not filed, by due date.
    pub outstanding_filings: Vec<incident_filing::Model>,
    /// Checks flagged and not decided.
    pub open_checks: Vec<control_check::Model>,
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
        outstanding_filings: incident_filing::Entity::find()
            .filter(incident_filing::Column::Required.eq(true))
            .filter(incident_filing::Column::SubmittedOn.is_null())
            .order_by_asc(incident_filing::Column::DueOn)
            .order_by_asc(incident_filing::Column::Id)
            .all(db)
            .await?,
        open_checks: control_check::Entity::find()
            .filter(control_check::Column::Flagged.eq(true))
            .filter(control_check::Column::State.eq(CheckState::Open))
            .all(db)
            .await?,
    })
}
