use sea_orm::entity::prelude::*;

/// One e-mail to send (or sent, failed, skipped).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub organisation_id: Option<i32>,
    /// Unique: `organisation:kind:milestone:cycle`. A second enqueue of the same key does nothing.
    pub dedupe_key: String,
    pub kind: crate::domain::outbox::MessageKind,
    /// JSON array of addresses.
    pub recipients: String,
    pub lang: crate::domain::Lang,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    /// `pending`, `sent`, `failed` (gave up), `skipped` (no longer relevant).
    pub state: crate::domain::outbox::OutboxState,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub skip_reason: Option<String>,
    pub next_attempt_at: DateTimeUtc,
    /// The sender that holds the row until `claimed_until`.
    pub claimed_by: Option<String>,
    pub claimed_until: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
