//! The append-only audit trail: who changed what, when, with each changed field before and after.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::{Map, Value, json};

use crate::domain::term::Term;
use crate::entities::{audit_event, user};
use crate::store::audit_fields;
use crate::store::paging::{self, Page, PageRequest, SortKey};

/// Who made a change.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Option<i32>,
    /// The e-mail address at the time, or `cli` / `setup`.
    pub label: String,
}

impl Actor {
    pub fn user(id: i32, email: &str) -> Self {
        Self { user_id: Some(id), label: email.to_owned() }
    }

    pub fn command_line() -> Self {
        Self { user_id: None, label: "cli".to_owned() }
    }
}

/// How a field's value is written into the audit trail.
pub trait Recorded {
    fn recorded(&self) -> Value;
}

impl Recorded for bool {
    fn recorded(&self) -> Value {
        Value::Bool(*self)
    }
}

impl Recorded for i32 {
    fn recorded(&self) -> Value {
        Value::from(*self)
    }
}

impl Recorded for i64 {
    fn recorded(&self) -> Value {
        Value::from(*self)
    }
}

impl Recorded for u32 {
    fn recorded(&self) -> Value {
        Value::from(*self)
    }
}

impl Recorded for &str {
    fn recorded(&self) -> Value {
        Value::String((*self).to_owned())
    }
}

/// A value already in the trail's form (an incident's recomputed filings, say).
impl Recorded for Value {
    fn recorded(&self) -> Value {
        self.clone()
    }
}

impl<T: Recorded> Recorded for Vec<T> {
    fn recorded(&self) -> Value {
        Value::Array(self.iter().map(Recorded::recorded).collect())
    }
}

impl Recorded for String {
    fn recorded(&self) -> Value {
        Value::String(self.clone())
    }
}

impl Recorded for NaiveDate {
    fn recorded(&self) -> Value {
        Value::String(self.to_string())
    }
}

impl<T: Term> Recorded for T {
    fn recorded(&self) -> Value {
        Value::String(self.as_str().to_owned())
    }
}

impl<T: Recorded> Recorded for Option<T> {
    fn recorded(&self) -> Value {
        self.as_ref().map_or(Value::Null, Recorded::recorded)
    }
}

/// The fields a change touched, each with its value before and after.
#[derive(Debug, Default, Clone)]
pub struct Changes(Map<String, Value>);

impl Changes {
    pub fn new() -> Self {
        Self::default()
    }

    /// A field set on creation.
    pub fn created(mut self, field: &str, value: impl Recorded) -> Self {
        self.0.insert(field.to_owned(), json!({ "before": null, "after": value.recorded() }));
        self
    }

    /// A field that may have changed; recorded only when it did.
    pub fn changed(mut self, field: &str, before: impl Recorded, after: impl Recorded) -> Self {
        let (before, after) = (before.recorded(), after.recorded());
        if before != after {
            self.0.insert(field.to_owned(), json!({ "before": before, "after": after }));
        }
        self
    }

    /// A field whose values must not be stored (a password hash): only the fact that it changed.
    pub fn redacted(mut self, field: &str) -> Self {
        self.0.insert(field.to_owned(), json!({ "before": "[redacted]", "after": "[redacted]" }));
        self
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// One change to record.
#[derive(Debug, Clone)]
pub struct Entry {
    pub organisation_id: Option<i32>,
    pub entity: &'static str,
    pub entity_id: String,
    pub action: &'static str,
    pub changes: Changes,
}

impl Entry {
    /// `action` on the record `entity` #`entity_id` of the organisation (`None`: of no organisation,
    /// a user's own account).
    pub fn new(
        organisation_id: Option<i32>,
        entity: &'static str,
        entity_id: impl ToString,
        action: &'static str,
        changes: Changes,
    ) -> Self {
        Self { organisation_id, entity, entity_id: entity_id.to_string(), action, changes }
    }
}

/// Appends an entry. Call it in the same transaction as the change it describes. An `update`
/// that changed nothing is not recorded (a save of an unchanged form); creations, deletions and
/// other actions are, even without fields.
///
/// Every field must be listed in `audit_fields::FIELDS`, so that the history can label it and
/// show its values; a debug build refuses an unlisted one.
///
/// # Errors
/// When the insert fails.
pub async fn record<C: ConnectionTrait>(db: &C, actor: &Actor, entry: Entry) -> Result<(), DbErr> {
    match row(actor, entry, Utc::now()) {
        Some(row) => row.insert(db).await.map(|_| ()),
        None => Ok(()),
    }
}

/// Entries of one actor to record: [`record`] for many (an import's thousands of rows), a few
/// hundred rows per INSERT.
///
/// # Errors
/// When an insert fails.
pub async fn record_many<C: ConnectionTrait>(db: &C, actor: &Actor, entries: Vec<Entry>) -> Result<(), DbErr> {
    let now = Utc::now();
    let rows: Vec<audit_event::ActiveModel> = entries.into_iter().filter_map(|entry| row(actor, entry, now)).collect();
    super::insert_in_chunks(db, rows).await
}

/// The row of an entry, or `None` for an update that changed nothing.
fn row(actor: &Actor, entry: Entry, at: chrono::DateTime<Utc>) -> Option<audit_event::ActiveModel> {
    if entry.action == "update" && entry.changes.is_empty() {
        return None;
    }
    debug_assert!(
        entry.changes.0.keys().all(|field| audit_fields::kind(entry.entity, entry.action, field).is_some()),
        "an audit field of {} {} is missing from audit_fields::FIELDS: {:?}",
        entry.entity,
        entry.action,
        entry.changes.0.keys().collect::<Vec<_>>(),
    );
    Some(audit_event::ActiveModel {
        organisation_id: Set(entry.organisation_id),
        actor_user_id: Set(actor.user_id),
        actor_label: Set(actor.label.clone()),
        occurred_at: Set(at),
        entity: Set(entry.entity.to_owned()),
        entity_id: Set(entry.entity_id),
        action: Set(entry.action.to_owned()),
        changes: Set(Value::Object(entry.changes.0).to_string()),
        ..Default::default()
    })
}

/// How an organisation's trail can be sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditSort {
    /// When it happened (the default: newest first).
    When,
    /// Who made the change.
    Who,
    /// The kind of record changed.
    What,
}

impl SortKey for AuditSort {
    const ALL: &'static [Self] = &[AuditSort::When, AuditSort::Who, AuditSort::What];
    const DEFAULT: Self = AuditSort::When;

    fn key(self) -> &'static str {
        match self {
            AuditSort::When => "when",
            AuditSort::Who => "who",
            AuditSort::What => "what",
        }
    }

    fn descending_first(self) -> bool {
        self == AuditSort::When
    }
}

/// Which entries of an organisation's trail to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Part of the actor's label (an e-mail address, `cli`); empty for anyone.
    pub actor: String,
    /// One kind of record (`incident`), or every kind.
    pub entity: Option<String>,
    /// Entries recorded at or after this instant.
    pub from: Option<DateTime<Utc>>,
    /// Entries recorded before this instant.
    pub before: Option<DateTime<Utc>>,
}

/// Names the trail once used and their current form. The trail is append-only, so a rename in
/// the code (one meaning per word: an incident's *filings*, the controls it asks to *check*) is
/// applied when entries are read, and filters match the old names too.
pub mod renamed {
    use serde_json::{Map, Value};

    use crate::entities::audit_event;

    /// `(old, current)` kinds of record.
    pub const ENTITIES: &[(&str, &str)] =
        &[("incident_report", "incident_filing"), ("control_review", "control_check")];
    /// `(old, current)` actions.
    pub const ACTIONS: &[(&str, &str)] = &[("submit_report", "record_filing"), ("decide_review", "decide_check")];
    /// `(old, current)` field names of an incident's entries.
    pub const FIELDS: &[(&str, &str)] =
        &[("reports", "filings"), ("new_reviews", "new_checks"), ("unflagged_reviews", "unflagged_checks")];

    fn current<'a>(table: &[(&'a str, &'a str)], name: &str) -> Option<&'a str> {
        table.iter().find(|(old, _)| *old == name).map(|(_, new)| *new)
    }

    /// Every name an entry about `entity` may carry: the current one and those it replaced.
    pub fn stored_names(entity: &str) -> Vec<String> {
        let mut names = vec![entity.to_owned()];
        names.extend(ENTITIES.iter().filter(|(_, new)| *new == entity).map(|(old, _)| (*old).to_owned()));
        names
    }

    /// The entry with today's names.
    pub fn read(mut event: audit_event::Model) -> audit_event::Model {
        if let Some(entity) = current(ENTITIES, &event.entity) {
            event.entity = entity.to_owned();
        }
        if let Some(action) = current(ACTIONS, &event.action) {
            event.action = action.to_owned();
        }
        let renamed_field = FIELDS.iter().any(|(old, _)| event.changes.contains(&format!("\"{old}\"")));
        if event.entity == "incident"
            && renamed_field
            && let Ok(fields) = serde_json::from_str::<Map<String, Value>>(&event.changes)
        {
            let fields: Map<String, Value> = fields
                .into_iter()
                .map(|(name, value)| (current(FIELDS, &name).map_or(name, str::to_owned), value))
                .collect();
            event.changes = Value::Object(fields).to_string();
        }
        event
    }
}

/// One page of an organisation's trail, filtered and sorted (ties newest first), with the
/// number of entries the filter leaves: two queries.
///
/// # Errors
/// When a query fails.
pub async fn page<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
    filter: &AuditFilter,
    request: PageRequest<AuditSort>,
) -> Result<Page<audit_event::Model>, DbErr> {
    let mut query = audit_event::Entity::find().filter(audit_event::Column::OrganisationId.eq(organisation_id));
    if !filter.actor.is_empty() {
        // Who, as the trail shows them: the member's current name, or the label recorded then
        // (an e-mail address, `cli`).
        let named = sea_orm::sea_query::Query::select()
            .column(user::Column::Id)
            .from(user::Entity)
            .and_where(paging::contains(user::Column::DisplayName.into_expr(), &filter.actor))
            .to_owned();
        query = query.filter(
            sea_orm::Condition::any()
                .add(paging::contains(audit_event::Column::ActorLabel.into_expr(), &filter.actor))
                .add(audit_event::Column::ActorUserId.in_subquery(named)),
        );
    }
    if let Some(entity) = &filter.entity {
        query = query.filter(audit_event::Column::Entity.is_in(renamed::stored_names(entity.as_str())));
    }
    if let Some(from) = filter.from {
        query = query.filter(audit_event::Column::OccurredAt.gte(from));
    }
    if let Some(before) = filter.before {
        query = query.filter(audit_event::Column::OccurredAt.lt(before));
    }
    query = match request.sort {
        AuditSort::When => query.order_by(audit_event::Column::OccurredAt, request.order()),
        // By the name the trail shows: the member's current name, else the recorded label.
        AuditSort::Who => query
            .join(
                sea_orm::JoinType::LeftJoin,
                audit_event::Entity::belongs_to(user::Entity)
                    .from(audit_event::Column::ActorUserId)
                    .to(user::Column::Id)
                    .into(),
            )
            .order_by(
                sea_orm::sea_query::Expr::cust("COALESCE(users.display_name, audit_events.actor_label)"),
                request.order(),
            ),
        AuditSort::What => query
            .order_by(audit_event::Column::Entity, request.order())
            .order_by(audit_event::Column::EntityId, request.order()),
    };
    let order = if request.sort == AuditSort::When { request.order() } else { sea_orm::Order::Desc };
    Ok(paging::fetch(db, query.order_by(audit_event::Column::Id, order), request.page, request.per)
        .await?
        .map(renamed::read))
}

/// The records a history is about: one kind of record and the ids of those records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subjects {
    /// The kind of record (`incident`, `incident_filing`…), as entries name it.
    pub entity: &'static str,
    pub ids: Vec<i32>,
}

impl Subjects {
    pub fn one(entity: &'static str, id: i32) -> Self {
        Self { entity, ids: vec![id] }
    }
}

/// The latest entries about some records of an organisation (an incident with its filings and
/// timeline entries), newest first: one query.
///
/// # Errors
/// When the query fails.
pub async fn for_subjects<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
    subjects: &[Subjects],
    limit: u64,
) -> Result<Vec<audit_event::Model>, DbErr> {
    use sea_orm::Condition;
    let mut any = Condition::any();
    for subject in subjects.iter().filter(|s| !s.ids.is_empty()) {
        any = any.add(
            Condition::all()
                .add(audit_event::Column::Entity.is_in(renamed::stored_names(subject.entity)))
                .add(audit_event::Column::EntityId.is_in(subject.ids.iter().map(ToString::to_string))),
        );
    }
    if any.is_empty() {
        return Ok(Vec::new());
    }
    audit_event::Entity::find()
        .filter(audit_event::Column::OrganisationId.eq(organisation_id))
        .filter(any)
        .order_by_desc(audit_event::Column::Id)
        .limit(limit)
        .all(db)
        .await
        .map(|events| events.into_iter().map(renamed::read).collect())
}

/// The latest entries of an organisation, newest first, without counting them.
///
/// # Errors
/// When the query fails.
pub async fn latest_for_organisation<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
    limit: u64,
) -> Result<Vec<audit_event::Model>, DbErr> {
    audit_event::Entity::find()
        .filter(audit_event::Column::OrganisationId.eq(organisation_id))
        .order_by_desc(audit_event::Column::Id)
        .limit(limit)
        .all(db)
        .await
        .map(|events| events.into_iter().map(renamed::read).collect())
}
