use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sessions")]
pub struct Model {
    /// SHA-256 of the session key held in the cookie.
    #[sea_orm(primary_key, auto_increment = false)]
    pub key_hash: String,
    /// The session state as a JSON object of strings.
    pub state: String,
    pub expires_at: DateTimeUtc,
    /// The signed-in user, copied from the state, to load the viewer with the session.
    pub user_id: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
