use sea_orm::entity::prelude::*;

/// A dated step of the response (detection, containment, notification, …). Append-only.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "incident_timeline")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub organisation_id: i32,
    pub incident_id: i32,
    pub occurred_on: Date,
    pub kind: crate::domain::incident::TimelineKind,
    pub note: String,
    pub created_by: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
