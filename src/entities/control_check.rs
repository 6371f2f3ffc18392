use sea_orm::entity::prelude::*;

/// The check of one control that an incident flagged: `open` until decided `no_change_needed`
/// or `changed`. One per incident and control; `flagged` turns false when edited facts no longer
/// flag it (a decided check is kept either way).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "control_checks")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub organisation_id: i32,
    pub incident_id: i32,
    pub control_id: String,
    pub catalog_version: String,
    /// `high`, `medium` or `low`.
    pub priority: crate::domain::incident::vocabulary::Priority,
    /// JSON arrays of the reasons, in English and Japanese.
    pub reasons_en: String,
    pub reasons_ja: String,
    pub flagged: bool,
    pub state: crate::domain::incident::CheckState,
    /// What changed, or why nothing needed to.
    pub decision_note: Option<String>,
    pub corrective_action_id: Option<i32>,
    pub decided_by: Option<i32>,
    pub decided_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
