use sea_orm::entity::prelude::*;

/// One control of the catalog as an organisation implements it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organisation_controls")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub organisation_id: i32,
    pub catalog_version: String,
    /// Clause id within `catalog_version` (A.3.3.1).
    pub control_id: String,
    pub applicable: bool,
    pub not_applicable_reason: Option<String>,
    pub status: crate::domain::control::ControlStatus,
    pub owner_user_id: Option<i32>,
    /// The internal rule implementing it (規程名と条項).
    pub internal_rule: String,
    pub notes: String,
    pub last_reviewed_on: Option<Date>,
    pub next_review_due: Option<Date>,
    /// Optimistic lock: incremented by every update.
    pub lock_version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
