use sea_orm::entity::prelude::*;

/// A file or link proving a control or a duty record. Never overwritten: a new version is a new
/// row that names the one it supersedes.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "evidence")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub organisation_id: i32,
    pub control_row_id: Option<i32>,
    pub duty_record_id: Option<i32>,
    pub incident_timeline_id: Option<i32>,
    pub training_id: Option<i32>,
    pub incident_filing_id: Option<i32>,
    pub corrective_action_id: Option<i32>,
    /// `file` or `link`.
    pub kind: crate::domain::evidence::EvidenceKind,
    pub description: String,
    /// When the thing it proves was done (実施日), not the upload time.
    pub effective_on: Date,
    pub url: Option<String>,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub size_bytes: Option<i64>,
    pub sha256: Option<String>,
    /// The file's name under the evidence folder.
    pub storage_key: Option<String>,
    pub supersedes_id: Option<i32>,
    pub uploaded_by: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
