use sea_orm::entity::prelude::*;

/// A corrective action (是正処置): who does what by when, for which incident and controls, and
/// the record of its completion.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "corrective_actions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub organisation_id: i32,
    pub incident_id: Option<i32>,
    pub title: String,
    pub description: String,
    pub owner: String,
    pub due_on: Date,
    /// A JSON array of the control ids it addresses.
    pub control_ids: String,
    /// `open` or `done`.
    pub status: crate::domain::corrective_action::ActionStatus,
    pub completed_on: Option<Date>,
    pub completion_note: Option<String>,
    pub completed_by: Option<i32>,
    pub created_by: i32,
    /// Bumped by every correction; a correction saved over a newer one is a conflict.
    pub lock_version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
