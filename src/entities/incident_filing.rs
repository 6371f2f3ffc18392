use sea_orm::entity::prelude::*;

/// One filing an incident may make due: Privacy Mark preliminary/final, PPC preliminary/final,
/// or the notice to the individuals. `required` and the dates follow the incident's facts.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "incident_filings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub organisation_id: i32,
    pub incident_id: i32,
    pub track: crate::domain::incident::filings::Track,
    pub required: bool,
    pub due_on: Option<Date>,
    /// The latest acceptable date where the convention gives one (速報: discovery + 5 days).
    pub latest_on: Option<Date>,
    pub submitted_on: Option<Date>,
    /// The receipt or case number the body gave.
    pub reference: Option<String>,
    pub submitted_by: Option<i32>,
    pub recorded_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
