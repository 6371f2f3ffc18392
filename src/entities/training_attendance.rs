use sea_orm::entity::prelude::*;

/// One person's attendance of a training, with the test score (a retest is another row).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "training_attendances")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub organisation_id: i32,
    pub training_id: i32,
    pub person_id: i32,
    pub attended_on: Date,
    pub score: Option<i32>,
    /// How it was made up (追加教育, 個別説明…), where it was not the planned session.
    pub note: Option<String>,
    pub recorded_by: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
