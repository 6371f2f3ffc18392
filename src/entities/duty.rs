use sea_orm::entity::prelude::*;

/// A recurring PMS duty of an organisation (built in, or its own).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "duties")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub organisation_id: i32,
    /// The built-in duty this is (`training`), or `None` for the organisation's own.
    pub builtin_key: Option<String>,
    /// The name of an organisation's own duty.
    pub name: Option<String>,
    pub catalog_version: String,
    pub control_id: String,
    pub frequency: crate::domain::pms_year::Frequency,
    pub due_month: i32,
    pub record_kind: crate::domain::duties::RecordKind,
    pub enabled: bool,
    pub lock_version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
