use sea_orm::entity::prelude::*;

/// The record that completes one occurrence (PMS year + slot) of a duty.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "duty_records")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub organisation_id: i32,
    pub duty_id: i32,
    pub pms_year: i32,
    pub slot: i32,
    /// When it was done (実施日), as opposed to `created_at`, when it was recorded.
    pub performed_on: Date,
    pub performed_by: String,
    pub summary: String,
    pub people_in_scope: Option<i32>,
    pub people_trained: Option<i32>,
    pub absentee_follow_up: Option<String>,
    pub findings_count: Option<i32>,
    pub decisions: Option<String>,
    pub recorded_by: i32,
    /// Bumped by every correction; a correction saved over a newer one is a conflict.
    pub lock_version: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
