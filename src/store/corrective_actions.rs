//! Corrective actions (是正処置): who does what by when, for which incident and controls, and the
//! record of their completion.

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::domain::corrective_action::ActionStatus;
use crate::entities::corrective_action;
use crate::store::audit::{self, Actor, Entry};
use crate::store::edit::{CorrectionError, Edit};
use crate::store::paging::{self, Page, PageRequest, SortKey};

/// A new corrective action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAction {
    pub incident_id: Option<i32>,
    pub title: String,
    pub description: String,
    /// The responsible member's user id.
    pub owner: i32,
    pub due_on: NaiveDate,
    pub control_ids: Vec<String>,
}

/// Records a corrective action.
///
/// # Errors
/// When a write fails.
pub async fn create<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    organisation_id: i32,
    new: NewAction,
) -> Result<corrective_action::Model, DbErr> {
    let now = Utc::now();
    let edit = with_values(None, &new);
    let mut created = corrective_action::ActiveModel {
        organisation_id: Set(organisation_id),
        status: Set(ActionStatus::Open),
        created_by: Set(actor.user_id.unwrap_or_default()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    edit.apply(&mut created);
    let created = created.insert(db).await?;
    audit::record(
        db,
        actor,
        Entry::new(Some(organisation_id), "corrective_action", created.id, "create", edit.changes()),
    )
    .await?;
    Ok(created)
}

/// The fields of an action's entered values (`before`: the stored action, `None` on creation).
fn with_values(before: Option<&corrective_action::Model>, values: &NewAction) -> Edit<corrective_action::Column> {
    use corrective_action::Column as Col;
    // Exhaustive: a field added to `NewAction` is a compile error here until it is written and
    // recorded.
    let NewAction { incident_id, title, description, owner, due_on, control_ids } = values;
    let controls = serde_json::to_string(control_ids).unwrap_or_else(|_| "[]".to_owned());
    let b = before;
    Edit::new()
        .field("title", Col::Title, b.map(|b| &b.title), title)
        .field("description", Col::Description, b.map(|b| &b.description), description)
        .field("owner", Col::Owner, b.map(|b| &b.owner), &owner.to_string())
        .field("due_on", Col::DueOn, b.map(|b| &b.due_on), due_on)
        .field("incident_id", Col::IncidentId, b.map(|b| &b.incident_id), incident_id)
        .field("control_ids", Col::ControlIds, b.map(|b| &b.control_ids), &controls)
}

/// A done action's completion record, as corrected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompletionValues {
    pub completed_on: NaiveDate,
    pub completion_note: String,
}

/// Corrects an action if nobody corrected it since `expected_version` was read: its values, and
/// for a done action its completion record. The changed fields are recorded with their values
/// before (`update` in the audit trail).
///
/// # Errors
/// `Conflict` with the stored action, or a database error.
pub async fn correct<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    current: &corrective_action::Model,
    expected_version: i32,
    values: &NewAction,
    completion: Option<&CompletionValues>,
) -> Result<corrective_action::Model, CorrectionError<corrective_action::Model>> {
    use corrective_action::Column as Col;
    let mut edit = with_values(Some(current), values);
    if let Some(CompletionValues { completed_on, completion_note }) = completion {
        edit = edit.field("completed_on", Col::CompletedOn, Some(&current.completed_on), &Some(*completed_on)).field(
            "completion_note",
            Col::CompletionNote,
            Some(&current.completion_note),
            &Some(completion_note.clone()),
        );
    }
    let result = edit
        .update_locked(corrective_action::Entity::update_many(), Col::LockVersion, expected_version)
        .col_expr(Col::UpdatedAt, Expr::value(Utc::now()))
        .filter(Col::Id.eq(current.id))
        .exec(db)
        .await?;
    let saved = corrective_action::Entity::find_by_id(current.id)
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound("corrective_actions".into()))?;
    if result.rows_affected == 0 {
        return Err(CorrectionError::Conflict(Box::new(saved)));
    }
    if !edit.changed_names().is_empty() {
        let entry = Entry::new(Some(saved.organisation_id), "corrective_action", saved.id, "update", edit.changes());
        audit::record(db, actor, entry).await?;
    }
    Ok(saved)
}

/// The organisation's corrective actions: open ones first, by due date.
///
/// # Errors
/// When the query fails.
pub async fn list<C: ConnectionTrait>(db: &C, organisation_id: i32) -> Result<Vec<corrective_action::Model>, DbErr> {
    let mut rows = corrective_action::Entity::find()
        .filter(corrective_action::Column::OrganisationId.eq(organisation_id))
        .order_by_asc(corrective_action::Column::DueOn)
        .order_by_asc(corrective_action::Column::Id)
        .all(db)
        .await?;
    rows.sort_by_key(|a| a.status != ActionStatus::Open);
    Ok(rows)
}

/// How the corrective actions list can be sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionSort {
    /// Open actions first, each group by due date (the default).
    OpenFirst,
    DueOn,
    Title,
    Status,
}

impl SortKey for ActionSort {
    const ALL: &'static [Self] = &[ActionSort::OpenFirst, ActionSort::DueOn, ActionSort::Title, ActionSort::Status];
    const DEFAULT: Self = ActionSort::OpenFirst;

    fn key(self) -> &'static str {
        match self {
            ActionSort::OpenFirst => "open_first",
            ActionSort::DueOn => "due_on",
            ActionSort::Title => "title",
            ActionSort::Status => "status",
        }
    }
}

/// Which corrective actions to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActionFilter {
    /// `open` or `done`, or both.
    pub status: Option<ActionStatus>,
    /// Part of the title; empty for any.
    pub title: String,
}

/// One page of the organisation's corrective actions: two queries.
///
/// # Errors
/// When a query fails.
pub async fn page<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
    filter: &ActionFilter,
    request: PageRequest<ActionSort>,
) -> Result<Page<corrective_action::Model>, DbErr> {
    let mut query =
        corrective_action::Entity::find().filter(corrective_action::Column::OrganisationId.eq(organisation_id));
    if let Some(status) = filter.status {
        query = query.filter(corrective_action::Column::Status.eq(status));
    }
    if !filter.title.is_empty() {
        let title = Expr::col((corrective_action::Entity, corrective_action::Column::Title));
        query = query.filter(paging::contains(title, &filter.title));
    }
    query = match request.sort {
        ActionSort::OpenFirst => {
            let done_last: Expr =
                Expr::case(corrective_action::Column::Status.eq(ActionStatus::Open), 0).finally(1).into();
            query.order_by(done_last, request.order()).order_by(corrective_action::Column::DueOn, request.order())
        }
        ActionSort::DueOn => query.order_by(corrective_action::Column::DueOn, request.order()),
        ActionSort::Title => query.order_by(corrective_action::Column::Title, request.order()),
        ActionSort::Status => query
            .order_by(corrective_action::Column::Status, request.order())
            .order_by_asc(corrective_action::Column::DueOn),
    };
    paging::fetch(db, query.order_by(corrective_action::Column::Id, request.order()), request.page, request.per).await
}

/// The corrective actions of one incident.
///
/// # Errors
/// When the query fails.
pub async fn of_incident<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
    incident_id: i32,
) -> Result<Vec<corrective_action::Model>, DbErr> {
    corrective_action::Entity::find()
        .filter(corrective_action::Column::OrganisationId.eq(organisation_id))
        .filter(corrective_action::Column::IncidentId.eq(incident_id))
        .order_by_asc(corrective_action::Column::Id)
        .all(db)
        .await
}

/// One corrective action of the organisation.
///
/// # Errors
/// When the query fails.
pub async fn find<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
    id: i32,
) -> Result<Option<corrective_action::Model>, DbErr> {
    corrective_action::Entity::find_by_id(id)
        .filter(corrective_action::Column::OrganisationId.eq(organisation_id))
        .one(db)
        .await
}

/// Records the completion of an action.
///
/// # Errors
/// When a write fails.
pub async fn complete<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    action: corrective_action::Model,
    completed_on: NaiveDate,
    note: &str,
) -> Result<corrective_action::Model, DbErr> {
    use corrective_action::Column as Col;
    let a = &action;
    let edit = Edit::new()
        .field("status", Col::Status, Some(&a.status), &ActionStatus::Done)
        .field("completed_on", Col::CompletedOn, Some(&a.completed_on), &Some(completed_on))
        .field("completion_note", Col::CompletionNote, Some(&a.completion_note), &Some(note.to_owned()))
        .field("completed_by", Col::CompletedBy, Some(&a.completed_by), &actor.user_id);
    let changes = edit.changes();
    let (organisation_id, id) = (action.organisation_id, action.id);
    let mut active: corrective_action::ActiveModel = action.into();
    edit.apply(&mut active);
    active.updated_at = Set(Utc::now());
    let saved = active.update(db).await?;
    audit::record(db, actor, Entry::new(Some(organisation_id), "corrective_action", id, "complete", changes)).await?;
    Ok(saved)
}

/// The organisation's open corrective actions, by due date.
///
/// # Errors
/// When the query fails.
pub async fn open_of_organisation<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
) -> Result<Vec<corrective_action::Model>, DbErr> {
    corrective_action::Entity::find()
        .filter(corrective_action::Column::OrganisationId.eq(organisation_id))
        .filter(corrective_action::Column::Status.eq(ActionStatus::Open))
        .order_by_asc(corrective_action::Column::DueOn)
        .all(db)
        .await
}
