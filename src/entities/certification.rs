use sea_orm::entity::prelude::*;

/// One two-year validity cycle of an organisation's Privacy Mark.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "certifications")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub organisation_id: i32,
    /// 登録番号.
    pub registration_number: String,
    /// The examination body (審査機関) key, or `other`.
    pub examination_body: crate::domain::certification::ExaminationBody,
    pub examination_body_other: Option<String>,
    pub first_granted_on: Date,
    pub valid_from: Date,
    /// The last day of validity (expiry).
    pub valid_until: Date,
    /// `valid`, `renewal_applied`, `lapsed` or `revoked`.
    pub status: crate::domain::certification::CertificationStatus,
    /// When the renewal application was filed.
    pub applied_on: Option<Date>,
    pub notes: String,
    /// The day the renewal that started this cycle was decided (更新決定日); empty for a first
    /// cycle.
    pub renewal_decided_on: Option<Date>,
    pub lock_version: i32,
    pub recorded_by: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
