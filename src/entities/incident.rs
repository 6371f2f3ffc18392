use sea_orm::entity::prelude::*;

/// An incident (事故) of an organisation. `facts` is the incident-facts JSON of the shared
/// contract; the filings, checks and timeline hang off it.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "incidents")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub organisation_id: i32,
    pub title: String,
    pub description: String,
    /// The cause in the organisation's own words.
    pub cause_narrative: String,
    /// The contractor (委託先) involved, if any.
    pub contractor: String,
    pub facts: String,
    /// 発覚日: day 0 of every deadline.
    pub discovered_on: Date,
    /// `open`, `contained` or `closed`.
    pub status: crate::domain::incident::IncidentStatus,
    /// The catalog the flagged control ids belong to.
    pub catalog_version: String,
    /// Bumped by every edit, so that two people editing at once cannot overwrite each other.
    pub lock_version: i32,
    pub created_by: i32,
    pub created_at: DateTimeUtc,
    pub updated_by: i32,
    pub updated_at: DateTimeUtc,
    pub closed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
