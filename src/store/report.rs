//! Everything the audit-prep report needs of one organisation, in a fixed number of queries
//! (twelve), whatever the number of controls, records or incidents.

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder};

use crate::entities::{
    certification, control_check, corrective_action, duty, duty_record, incident, incident_filing, organisation,
    organisation_control,
};
use crate::store::organisations::Member;

/// The rows behind a report.
pub struct ReportData {
    pub organisation: organisation::Model,
    /// Newest cycle first.
    pub certifications: Vec<certification::Model>,
    pub controls: Vec<organisation_control::Model>,
    /// Evidence counted by what it is attached to (`store::evidence_counts`).
    pub evidence: crate::store::evidence_counts::EvidenceCounts,
    pub members: Vec<Member>,
    pub duties: Vec<duty::Model>,
    /// Records of the PMS years that overlap the period.
    pub records: Vec<duty_record::Model>,
    /// Incidents discovered in the period.
    pub incidents: Vec<incident::Model>,
    /// The filings and checks of those incidents.
    pub filings: Vec<incident_filing::Model>,
    pub checks: Vec<control_check::Model>,
    pub actions: Vec<corrective_action::Model>,
    /// Trainings whose period overlaps the report's, their attendances, and the people they
    /// are computed over.
    pub trainings: Vec<crate::entities::training::Model>,
    pub attendances: Vec<crate::entities::training_attendance::Model>,
    pub people: Vec<crate::entities::person::Model>,
    /// The PMS 体制, once recorded.
    pub pms_structure: Option<crate::entities::pms_structure::Model>,
}

/// Loads the report's rows for `organisation` and the period `from..=to`; `first_pms_year` is the
/// PMS year that contains `from`.
///
/// # Errors
/// When a query fails.
pub async fn load<C: ConnectionTrait>(
    db: &C,
    organisation: organisation::Model,
    catalog_version: &str,
    from: NaiveDate,
    to: NaiveDate,
    first_pms_year: i32,
) -> Result<ReportData, DbErr> {
    let org = organisation.id;
    // The reports and reviews of the period's incidents only, not of the organisation's history.
    let in_period = || {
        sea_orm::sea_query::Query::select()
            .column(incident::Column::Id)
            .from(incident::Entity)
            .and_where(incident::Column::OrganisationId.eq(org))
            .and_where(incident::Column::DiscoveredOn.between(from, to))
            .to_owned()
    };
    let incidents = incident::Entity::find()
        .filter(incident::Column::OrganisationId.eq(org))
        .filter(incident::Column::DiscoveredOn.between(from, to))
        .order_by_asc(incident::Column::DiscoveredOn)
        .order_by_asc(incident::Column::Id)
        .all(db)
        .await?;
    use crate::entities::{person, training, training_attendance};
    let trainings = training::Entity::find()
        .filter(training::Column::OrganisationId.eq(org))
        .filter(training::Column::StartsOn.lte(to))
        .filter(training::Column::EndsOn.gte(from))
        .order_by_asc(training::Column::StartsOn)
        .all(db)
        .await?;
    let (attendances, people) = if trainings.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        let ids: Vec<i32> = trainings.iter().map(|t| t.id).collect();
        (
            training_attendance::Entity::find()
                .filter(training_attendance::Column::TrainingId.is_in(ids))
                .all(db)
                .await?,
            person::Entity::find().filter(person::Column::OrganisationId.eq(org)).all(db).await?,
        )
    };
    Ok(ReportData {
        certifications: crate::store::certifications::history(db, org).await?,
        controls: crate::store::controls::list(db, org, catalog_version).await?,
        evidence: crate::store::evidence_counts::load(db, org).await?,
        members: crate::store::organisations::members(db, org).await?,
        duties: crate::store::duties::list(db, org).await?,
        records: crate::store::duties::records_from(db, org, first_pms_year).await?,
        filings: incident_filing::Entity::find()
            .filter(incident_filing::Column::OrganisationId.eq(org))
            .filter(incident_filing::Column::IncidentId.in_subquery(in_period()))
            .all(db)
            .await?,
        checks: control_check::Entity::find()
            .filter(control_check::Column::OrganisationId.eq(org))
            .filter(control_check::Column::IncidentId.in_subquery(in_period()))
            .order_by_asc(control_check::Column::Id)
            .all(db)
            .await?,
        actions: crate::store::corrective_actions::list(db, org).await?,
        pms_structure: crate::store::pms_structure::find(db, org).await?,
        trainings,
        attendances,
        people,
        incidents,
        organisation,
    })
}
