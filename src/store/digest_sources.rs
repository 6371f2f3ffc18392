//! What the daily digest reads, for every organisation at once: eight queries per pass whatever
//! the number of organisations (`jobs::incident_digest` groups the rows): the incidents' rows,
//! and the PMS plan's (duties, their records and the trainings that fulfil a training duty, and
//! the control reviews due).

use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

use crate::domain::corrective_action::ActionStatus;
use crate::domain::incident::{CheckState, IncidentStatus};
use crate::entities::{
    control_check, corrective_action, duty, duty_record, incident, incident_filing, organisation_control, training,
};

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
    /// Duties that are on (年間計画).
    pub duties: Vec<duty::Model>,
    /// Records of the PMS years from `since_pms_year` on.
    pub records: Vec<duty_record::Model>,
    /// Trainings of the PMS years from `since_pms_year` on (they fulfil training duties).
    pub trainings: Vec<training::Model>,
    /// Applicable controls whose next review is due by the horizon (or past).
    pub reviews_due: Vec<organisation_control::Model>,
}

/// Loads the digest rows of every organisation: duty records and trainings from `since_pms_year`
/// on, control reviews due by `review_horizon`.
///
/// # Errors
/// When a query fails.
pub async fn load<C: ConnectionTrait>(
    db: &C,
    since_pms_year: i32,
    review_horizon: chrono::NaiveDate,
) -> Result<DigestSources, DbErr> {
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
        duties: duty::Entity::find().filter(duty::Column::Enabled.eq(true)).all(db).await?,
        records: duty_record::Entity::find().filter(duty_record::Column::PmsYear.gte(since_pms_year)).all(db).await?,
        trainings: training::Entity::find().filter(training::Column::PmsYear.gte(since_pms_year)).all(db).await?,
        reviews_due: organisation_control::Entity::find()
            .filter(organisation_control::Column::Applicable.eq(true))
            .filter(organisation_control::Column::NextReviewDue.lte(review_horizon))
            .order_by_asc(organisation_control::Column::NextReviewDue)
            .order_by_asc(organisation_control::Column::ControlId)
            .all(db)
            .await?,
    })
}
