use sea_orm::entity::prelude::*;

/// An organisation's PMS 体制: who holds each post, a member (`*_user_id`) or someone outside the
/// tool (`*_name`). One row per organisation, written by `store::pms_structure`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "pms_structures")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub organisation_id: i32,
    pub representative_user_id: Option<i32>,
    pub representative_name: Option<String>,
    pub pi_manager_user_id: Option<i32>,
    pub pi_manager_name: Option<String>,
    pub pi_manager_deputy_user_id: Option<i32>,
    pub pi_manager_deputy_name: Option<String>,
    pub audit_lead_user_id: Option<i32>,
    pub audit_lead_name: Option<String>,
    pub audit_lead_deputy_user_id: Option<i32>,
    pub audit_lead_deputy_name: Option<String>,
    /// Bumped by every save; a form saved over a newer version is a conflict.
    pub lock_version: i32,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
