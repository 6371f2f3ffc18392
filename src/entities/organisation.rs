use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "organisations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub name: String,
    /// The month (1–12) the PMS year starts in; April by default.
    pub pms_year_start_month: i32,
    /// How dates are written in Japanese (西暦 or 和暦).
    #[serde(default)]
    pub date_style: crate::domain::lang::DateStyle,
    /// Bumped by database triggers whenever the organisation's data changes (page cache key).
    pub data_version: i64,
    /// (Serialised as microseconds: the viewer travels with the session as JSON on every request.)
    #[serde(with = "chrono::serde::ts_microseconds")]
    pub created_at: DateTimeUtc,
    #[serde(with = "chrono::serde::ts_microseconds")]
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::membership::Entity")]
    Membership,
}

impl Related<super::membership::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Membership.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
