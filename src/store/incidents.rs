//! Incidents with their filings and control checks. Saving an incident recomputes which filings
//! are due (keeping what was already filed) and creates one check per flagged control, once:
//! editing never duplicates a check, and a decided check is never reopened.

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::domain::incident::Assessment;
use crate::domain::incident::filings::{self, Due, DueChange};
use crate::domain::incident::{CheckState, IncidentStatus};
use crate::entities::{control_check, incident, incident_filing};
use crate::store::audit::{self, Actor, Changes, Entry};
use crate::store::edit::Edit;

/// The editable text of an incident, besides its facts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncidentText {
    pub title: String,
    pub description: String,
    pub cause_narrative: String,
    pub contractor: String,
}

/// What is saved of an incident: its text, its facts (as the contract's JSON) and their
/// assessment, which decides the filings and checks.
pub struct IncidentInput<'a> {
    pub text: &'a IncidentText,
    pub facts_json: &'a str,
    pub discovered_on: NaiveDate,
    pub assessment: &'a Assessment,
}

/// What saving the facts changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recomputed {
    /// Filings whose requirement or dates moved.
    pub filing_changes: Vec<DueChange>,
    /// Checks created by this save.
    pub new_checks: Vec<String>,
    /// Open checks whose control the facts no longer flag.
    pub unflagged: Vec<String>,
}

/// Why an update was not saved.
#[derive(Debug, thiserror::Error)]
pub enum UpdateError {
    #[error("someone else saved the incident first")]
    Conflict,
    #[error(transparent)]
    Db(#[from] DbErr),
}

/// A stored filing row as the domain's `Due` (`None` for an unknown track name).
pub fn due_of(row: &incident_filing::Model) -> Option<Due> {
    Some(Due { track: row.track, required: row.required, due_on: row.due_on, latest_on: row.latest_on })
}

/// The fields an incident form writes, each with its history. Exhaustive: a field added to
/// `IncidentText` or `IncidentInput` is a compile error here until it is written and recorded.
fn edit(current: Option<&incident::Model>, input: &IncidentInput<'_>) -> Edit<incident::Column> {
    use incident::Column as Col;
    let IncidentInput { text, facts_json, discovered_on, assessment: _ } = *input;
    let IncidentText { title, description, cause_narrative, contractor } = text;
    let c = current;
    Edit::new()
        .field("title", Col::Title, c.map(|c| &c.title), title)
        .field("description", Col::Description, c.map(|c| &c.description), description)
        .field("cause_narrative", Col::CauseNarrative, c.map(|c| &c.cause_narrative), cause_narrative)
        .field("contractor", Col::Contractor, c.map(|c| &c.contractor), contractor)
        .field("facts", Col::Facts, c.map(|c| &c.facts), &facts_json.to_owned())
        .field("discovered_on", Col::DiscoveredOn, c.map(|c| &c.discovered_on), &discovered_on)
}

/// Records a new incident with its filings and checks.
///
/// # Errors
/// When a write fails.
pub async fn create<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    organisation_id: i32,
    input: &IncidentInput<'_>,
    catalog_version: &str,
) -> Result<(incident::Model, Recomputed), DbErr> {
    let edit = edit(None, input);
    let now = Utc::now();
    let user = actor.user_id.unwrap_or_default();
    let mut created = incident::ActiveModel {
        organisation_id: Set(organisation_id),
        status: Set(IncidentStatus::Open),
        catalog_version: Set(catalog_version.to_owned()),
        lock_version: Set(1),
        created_by: Set(user),
        created_at: Set(now),
        updated_by: Set(user),
        updated_at: Set(now),
        closed_at: Set(None),
        ..Default::default()
    };
    edit.apply(&mut created);
    let created = created.insert(db).await?;
    audit::record(db, actor, Entry::new(Some(organisation_id), "incident", created.id, "create", edit.changes()))
        .await?;
    let recomputed = sync(db, actor, &created, input.assessment).await?;
    Ok((created, recomputed))
}

/// Saves edited text and facts if nobody saved since `lock_version`, then recomputes filings
/// and checks.
///
/// # Errors
/// `Conflict` when the incident changed meanwhile; database errors.
pub async fn update<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    current: &incident::Model,
    lock_version: i32,
    input: &IncidentInput<'_>,
) -> Result<(incident::Model, Recomputed), UpdateError> {
    let edit = edit(Some(current), input);
    let now = Utc::now();
    let result = edit
        .update(incident::Entity::update_many())
        .col_expr(incident::Column::LockVersion, Expr::col(incident::Column::LockVersion).add(1))
        .col_expr(incident::Column::UpdatedBy, Expr::value(actor.user_id.unwrap_or_default()))
        .col_expr(incident::Column::UpdatedAt, Expr::value(now))
        .filter(incident::Column::Id.eq(current.id))
        .filter(incident::Column::LockVersion.eq(lock_version))
        .exec(db)
        .await?;
    if result.rows_affected != 1 {
        return Err(UpdateError::Conflict);
    }
    let changes = edit.changes();
    if !changes.is_empty() {
        audit::record(db, actor, Entry::new(Some(current.organisation_id), "incident", current.id, "update", changes))
            .await?;
    }
    let updated = incident::Entity::find_by_id(current.id).one(db).await?.ok_or(UpdateError::Conflict)?;
    let recomputed = sync(db, actor, &updated, input.assessment).await?;
    Ok((updated, recomputed))
}

/// Brings the filings and checks of an incident in line with its assessment, and records in the
/// audit trail what that changed.
async fn sync<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    incident: &incident::Model,
    assessment: &Assessment,
) -> Result<Recomputed, DbErr> {
    let recomputed = sync_rows(db, incident, assessment).await?;
    if recomputed != Recomputed::default() {
        let filings: Vec<String> = recomputed
            .filing_changes
            .iter()
            .map(|c| {
                let show = |d: &Due| match (d.required, d.deadline()) {
                    (false, _) => "not_required".to_owned(),
                    (true, Some(day)) => day.to_string(),
                    (true, None) => "required".to_owned(),
                };
                format!("{}: {} -> {}", c.track.as_str(), show(&c.before), show(&c.after))
            })
            .collect();
        audit::record(
            db,
            actor,
            Entry::new(
                Some(incident.organisation_id),
                "incident",
                incident.id,
                "recompute",
                Changes::new()
                    .created("filings", filings)
                    .created("new_checks", recomputed.new_checks.clone())
                    .created("unflagged_checks", recomputed.unflagged.clone()),
            ),
        )
        .await?;
    }
    Ok(recomputed)
}

async fn sync_rows<C: ConnectionTrait>(
    db: &C,
    incident: &incident::Model,
    assessment: &Assessment,
) -> Result<Recomputed, DbErr> {
    let mut recomputed = Recomputed::default();
    let existing = filings_of(db, incident.id).await?;
    let before: Vec<Due> = existing.iter().filter_map(due_of).collect();
    let after = filings::due_filings(&assessment.pmark_report, &assessment.appi);
    if !before.is_empty() {
        recomputed.filing_changes = filings::changes(&before, &after);
    }
    for due in after {
        match existing.iter().find(|r| r.track == due.track) {
            Some(row) if due_of(row) == Some(due) => {}
            Some(row) => {
                let mut active: incident_filing::ActiveModel = row.clone().into();
                active.required = Set(due.required);
                active.due_on = Set(due.due_on);
                active.latest_on = Set(due.latest_on);
                active.update(db).await?;
            }
            None => {
                incident_filing::ActiveModel {
                    organisation_id: Set(incident.organisation_id),
                    incident_id: Set(incident.id),
                    track: Set(due.track),
                    required: Set(due.required),
                    due_on: Set(due.due_on),
                    latest_on: Set(due.latest_on),
                    ..Default::default()
                }
                .insert(db)
                .await?;
            }
        }
    }
    let checks = checks_of_incident(db, incident.id).await?;
    for flagged in &assessment.controls {
        let reasons_en = serde_json::to_string(&flagged.reasons).unwrap_or_default();
        let reasons_ja = serde_json::to_string(&flagged.reasons_ja).unwrap_or_default();
        let priority = flagged.priority;
        match checks.iter().find(|r| r.control_id == flagged.id) {
            Some(check)
                if check.flagged
                    && check.priority == priority
                    && check.reasons_en == reasons_en
                    && check.reasons_ja == reasons_ja => {}
            Some(check) => {
                let mut active: control_check::ActiveModel = check.clone().into();
                active.flagged = Set(true);
                active.priority = Set(priority);
                active.reasons_en = Set(reasons_en);
                active.reasons_ja = Set(reasons_ja);
                active.update(db).await?;
            }
            None => {
                control_check::ActiveModel {
                    organisation_id: Set(incident.organisation_id),
                    incident_id: Set(incident.id),
                    control_id: Set(flagged.id.clone()),
                    catalog_version: Set(flagged.catalog.clone()),
                    priority: Set(priority),
                    reasons_en: Set(reasons_en),
                    reasons_ja: Set(reasons_ja),
                    flagged: Set(true),
                    state: Set(CheckState::Open),
                    created_at: Set(Utc::now()),
                    ..Default::default()
                }
                .insert(db)
                .await?;
                recomputed.new_checks.push(flagged.id.clone());
            }
        }
    }
    for check in checks.iter().filter(|r| r.flagged && assessment.control(&r.control_id).is_none()) {
        let mut active: control_check::ActiveModel = check.clone().into();
        active.flagged = Set(false);
        active.update(db).await?;
        if check.state == CheckState::Open {
            recomputed.unflagged.push(check.control_id.clone());
        }
    }
    Ok(recomputed)
}

/// One incident of an organisation.
///
/// # Errors
/// When the query fails.
pub async fn find<C: ConnectionTrait>(db: &C, organisation_id: i32, id: i32) -> Result<Option<incident::Model>, DbErr> {
    incident::Entity::find_by_id(id).filter(incident::Column::OrganisationId.eq(organisation_id)).one(db).await
}

/// The organisation's incidents, newest discovery first.
///
/// # Errors
/// When the query fails.
pub async fn list<C: ConnectionTrait>(db: &C, organisation_id: i32) -> Result<Vec<incident::Model>, DbErr> {
    incident::Entity::find()
        .filter(incident::Column::OrganisationId.eq(organisation_id))
        .order_by_desc(incident::Column::DiscoveredOn)
        .order_by_desc(incident::Column::Id)
        .all(db)
        .await
}

/// The filing rows of one incident, in track order.
///
/// # Errors
/// When the query fails.
pub async fn filings_of<C: ConnectionTrait>(db: &C, incident_id: i32) -> Result<Vec<incident_filing::Model>, DbErr> {
    let mut rows =
        incident_filing::Entity::find().filter(incident_filing::Column::IncidentId.eq(incident_id)).all(db).await?;
    rows.sort_by_key(|r| r.track);
    Ok(rows)
}

/// The checks of one incident, in the order they were created (priority order on creation).
///
/// # Errors
/// When the query fails.
pub async fn checks_of_incident<C: ConnectionTrait>(
    db: &C,
    incident_id: i32,
) -> Result<Vec<control_check::Model>, DbErr> {
    control_check::Entity::find()
        .filter(control_check::Column::IncidentId.eq(incident_id))
        .order_by_asc(control_check::Column::Id)
        .all(db)
        .await
}

/// Every check of the organisation (for lists and the dashboard).
///
/// # Errors
/// When the query fails.
pub async fn checks_of_organisation<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
) -> Result<Vec<control_check::Model>, DbErr> {
    control_check::Entity::find().filter(control_check::Column::OrganisationId.eq(organisation_id)).all(db).await
}

/// The organisation's incidents that are not closed.
///
/// # Errors
/// When the query fails.
pub async fn open_of_organisation<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
) -> Result<Vec<incident::Model>, DbErr> {
    incident::Entity::find()
        .filter(incident::Column::OrganisationId.eq(organisation_id))
        .filter(incident::Column::Status.ne("closed"))
        .order_by_desc(incident::Column::DiscoveredOn)
        .all(db)
        .await
}

/// The organisation's filings that are required and not filed yet (of any incident).
///
/// # Errors
/// When the query fails.
pub async fn outstanding_filings_of_organisation<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
) -> Result<Vec<incident_filing::Model>, DbErr> {
    incident_filing::Entity::find()
        .filter(incident_filing::Column::OrganisationId.eq(organisation_id))
        .filter(incident_filing::Column::Required.eq(true))
        .filter(incident_filing::Column::SubmittedOn.is_null())
        .order_by_asc(incident_filing::Column::DueOn)
        .all(db)
        .await
}

/// The controls (clause ids of `catalog_version`) that an incident flagged and whose check is
/// not decided yet: one query, each clause once.
///
/// # Errors
/// When the query fails.
pub async fn controls_with_open_checks<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
    catalog_version: &str,
) -> Result<Vec<String>, DbErr> {
    use sea_orm::QuerySelect;
    control_check::Entity::find()
        .select_only()
        .column(control_check::Column::ControlId)
        .distinct()
        .filter(control_check::Column::OrganisationId.eq(organisation_id))
        .filter(control_check::Column::CatalogVersion.eq(catalog_version))
        .filter(control_check::Column::Flagged.eq(true))
        .filter(control_check::Column::State.eq(crate::domain::incident::CheckState::Open.as_str()))
        .into_tuple::<String>()
        .all(db)
        .await
}
