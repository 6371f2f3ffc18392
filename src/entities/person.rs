use sea_orm::entity::prelude::*;

/// A person who works for the organisation (従業者), app user or not. A leaver keeps the row with
/// `left_on` set, so that training and audit records still name them.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "people")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub organisation_id: i32,
    /// 社員番号: the key an HR list is synchronised by, unique in the organisation.
    pub employee_number: String,
    pub name: String,
    /// フリガナ, in full-width katakana.
    pub kana: Option<String>,
    pub department_id: Option<i32>,
    pub employment: crate::domain::people::EmploymentType,
    /// The organisation's own name of an `other` employment type.
    pub employment_label: Option<String>,
    pub joined_on: Option<Date>,
    pub left_on: Option<Date>,
    pub email: Option<String>,
    /// The member account this person signs in with, if any.
    pub user_id: Option<i32>,
    /// A JSON array of `PmsRole` names.
    pub roles: String,
    pub lock_version: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
