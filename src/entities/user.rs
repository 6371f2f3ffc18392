use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub email: String,
    pub display_name: String,
    pub password_hash: String,
    pub locale: crate::domain::Lang,
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
