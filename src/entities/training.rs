use sea_orm::entity::prelude::*;

/// A training (教育) of a PMS year: what it covers, how, for whom, when, and the pass mark of its
/// comprehension test.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "trainings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub organisation_id: i32,
    pub pms_year: i32,
    pub title: String,
    /// A JSON array of `Topic` names.
    pub topics: String,
    /// 集合研修, eラーニング… as the organisation words it.
    pub method: String,
    /// A JSON array of department ids; empty for every department.
    pub audience_departments: String,
    /// A JSON array of `EmploymentType` names; empty for every type.
    pub audience_employments: String,
    pub starts_on: Date,
    pub ends_on: Date,
    pub pass_mark: Option<i32>,
    pub notes: String,
    pub lock_version: i32,
    pub created_by: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
