//! Corrective actions (是正処置): who does what by when, for which incident and controls, and the
//! record of their completion.

use chrono::{NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::domain::corrective_action::ActionStatus;
use crate::entities::corrective_action;
use crate::store::audit::{self, Actor, Entry};
use crate::store::edit::Edit;
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
    use corrective_action::Column as Col;
    let now = Utc::now();
    // Exhaustive: a field added to `NewAction` is a compile error here until it is written and
    // recorded.
    let NewAction { incident_id, title, description, owner, due_on, control_ids } = &new;
    let controls = serde_json::to_string(control_ids).unwrap_or_else(|_| "[]".to_owned());
    let edit = Edit::new()
        .field("title", Col::Title, None, title)
        .field("description", Col::Description, None, description)
        .field("owner", Col::Owner, None, &owner.to_string())
        .field("due_on", Col::DueOn, None, due_on)
        .field("incident_id", Col::IncidentId, None, incident_id)
        .field("control_ids", Col::ControlIds, None, &controls);
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
