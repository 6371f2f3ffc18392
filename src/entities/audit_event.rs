use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organisation_id: Option<i32>,
    pub actor_user_id: Option<i32>,
    /// The actor as shown at the time (e-mail address, or `system`/`cli`).
    pub actor_label: String,
    pub occurred_at: DateTimeUtc,
    pub entity: String,
    pub entity_id: String,
    pub action: String,
    /// JSON object: field → {"before": …, "after": …}.
    pub changes: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
