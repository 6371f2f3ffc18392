//! The outbox. Rows are enqueued once per unique key (a repeated enqueue is a no-op), claimed by
//! one sender at a time with a conditional UPDATE (so two instances on one database never both
//! send a row, on SQLite or PostgreSQL), and then marked sent, retried later, given up on, or
//! skipped as no longer relevant.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};

use crate::domain::Lang;
use crate::domain::outbox::{MessageKind, OutboxState};
use crate::domain::retry::backoff;
use crate::entities::outbox;
use crate::store::paging::{self, Page, PageRequest, SortKey};

/// A message to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewMessage {
    pub organisation_id: Option<i32>,
    pub dedupe_key: String,
    pub kind: MessageKind,
    pub recipients: Vec<String>,
    pub lang: Lang,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    /// Recorded as `skipped` with this reason instead of being sent.
    pub skip_reason: Option<String>,
}

/// Adds a message unless one with the same key exists. Returns whether it was added.
///
/// # Errors
/// When the insert fails for another reason.
pub async fn enqueue<C: ConnectionTrait>(db: &C, message: NewMessage, now: DateTime<Utc>) -> Result<bool, DbErr> {
    let row = active_row(message, now)?;
    let result = outbox::Entity::insert(row).on_conflict_do_nothing_on([outbox::Column::DedupeKey]).exec(db).await?;
    Ok(matches!(result, sea_orm::TryInsertResult::Inserted(_)))
}

/// Keys per query when rows are looked up or inserted by the batch (well under SQLite's 32,766
/// and PostgreSQL's 65,535 bound parameters, with 17 columns per inserted row).
pub const BATCH_ROWS: usize = 1000;

/// Which of `keys` are already in the outbox, through the unique index, so a pass can leave out
/// what an earlier pass enqueued before rendering it: on PostgreSQL one query with the keys as
/// one array (`= ANY($1)`; a list of bound values is planned value by value, ~10 ms per
/// thousand), on SQLite one query per [`BATCH_ROWS`] keys.
///
/// # Errors
/// When a query fails.
pub async fn existing_keys<C: ConnectionTrait>(
    db: &C,
    keys: &[String],
) -> Result<std::collections::HashSet<String>, DbErr> {
    let query = || outbox::Entity::find().select_only().column(outbox::Column::DedupeKey);
    let mut existing = std::collections::HashSet::new();
    if keys.is_empty() {
        return Ok(existing);
    }
    if db.get_database_backend() == sea_orm::DbBackend::Postgres {
        let any = sea_orm::sea_query::extension::postgres::PgFunc::any(Expr::val(keys.to_vec()));
        let found: Vec<String> =
            query().filter(Expr::col(outbox::Column::DedupeKey).eq(any)).into_tuple().all(db).await?;
        existing.extend(found);
        return Ok(existing);
    }
    for chunk in keys.chunks(BATCH_ROWS) {
        let found: Vec<String> =
            query().filter(outbox::Column::DedupeKey.is_in(chunk.iter().cloned())).into_tuple().all(db).await?;
        existing.extend(found);
    }
    Ok(existing)
}

/// Adds the messages whose key is not in the outbox yet, in one transaction (one commit, not one
/// per statement), [`BATCH_ROWS`] / 2 rows per INSERT. Returns how many were added (a key
/// enqueued meanwhile by another instance is not counted).
///
/// # Errors
/// When an insert fails for another reason than a duplicate key.
pub async fn enqueue_many<C: ConnectionTrait + sea_orm::TransactionTrait>(
    db: &C,
    messages: Vec<NewMessage>,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    if messages.is_empty() {
        return Ok(0);
    }
    let txn = db.begin().await?;
    let mut added = 0;
    let mut rows = messages.into_iter().map(|m| active_row(m, now)).peekable();
    while rows.peek().is_some() {
        let chunk: Vec<outbox::ActiveModel> = rows.by_ref().take(BATCH_ROWS / 2).collect::<Result<_, _>>()?;
        let result = outbox::Entity::insert_many(chunk)
            .on_conflict_do_nothing_on([outbox::Column::DedupeKey])
            .exec_without_returning(&txn)
            .await?;
        if let sea_orm::TryInsertResult::Inserted(n) = result {
            added += n;
        }
    }
    sea_orm::TransactionSession::commit(txn).await?;
    Ok(added)
}

fn active_row(message: NewMessage, now: DateTime<Utc>) -> Result<outbox::ActiveModel, DbErr> {
    Ok(outbox::ActiveModel {
        organisation_id: Set(message.organisation_id),
        dedupe_key: Set(message.dedupe_key),
        kind: Set(message.kind),
        recipients: Set(serde_json::to_string(&message.recipients).map_err(|e| DbErr::Json(e.to_string()))?),
        lang: Set(message.lang),
        subject: Set(message.subject),
        body_text: Set(message.body_text),
        body_html: Set(message.body_html),
        state: Set(if message.skip_reason.is_some() { OutboxState::Skipped } else { OutboxState::Pending }),
        attempts: Set(0),
        last_error: Set(None),
        skip_reason: Set(message.skip_reason),
        next_attempt_at: Set(now),
        claimed_by: Set(None),
        claimed_until: Set(None),
        created_at: Set(now),
        sent_at: Set(None),
        ..Default::default()
    })
}

/// Claims up to `limit` pending rows that are due, for `sender`, for `lease`. A row is claimed by
/// exactly one sender: the claim is an UPDATE conditioned on the row still being free.
///
/// # Errors
/// When a query fails.
pub async fn claim_due<C: ConnectionTrait>(
    db: &C,
    sender: &str,
    now: DateTime<Utc>,
    lease: Duration,
    limit: u64,
) -> Result<Vec<outbox::Model>, DbErr> {
    let free = || {
        sea_orm::Condition::any().add(outbox::Column::ClaimedUntil.is_null()).add(outbox::Column::ClaimedUntil.lt(now))
    };
    let candidates: Vec<i64> = outbox::Entity::find()
        .select_only()
        .column(outbox::Column::Id)
        .filter(outbox::Column::State.eq(OutboxState::Pending))
        .filter(outbox::Column::NextAttemptAt.lte(now))
        .filter(free())
        .order_by_asc(outbox::Column::NextAttemptAt)
        .limit(limit)
        .into_tuple()
        .all(db)
        .await?;
    let mut claimed = Vec::new();
    for id in candidates {
        let result = outbox::Entity::update_many()
            .col_expr(outbox::Column::ClaimedBy, Expr::value(sender))
            .col_expr(outbox::Column::ClaimedUntil, Expr::value(now + lease))
            .filter(outbox::Column::Id.eq(id))
            .filter(outbox::Column::State.eq(OutboxState::Pending))
            .filter(free())
            .exec(db)
            .await?;
        if result.rows_affected == 1
            && let Some(row) = outbox::Entity::find_by_id(id).one(db).await?
        {
            claimed.push(row);
        }
    }
    Ok(claimed)
}

/// Proves and extends `sender`'s claim on a row: moves its lease to `until` if, and only if,
/// `sender` still holds it (not taken over by another sender after the lease ran out, not
/// finished). Returns whether it did. A sender calls it right before sending, and while sending.
///
/// # Errors
/// When the update fails.
pub async fn renew_claim<C: ConnectionTrait>(
    db: &C,
    id: i64,
    sender: &str,
    until: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let result = outbox::Entity::update_many()
        .col_expr(outbox::Column::ClaimedUntil, Expr::value(Some(until)))
        .filter(outbox::Column::Id.eq(id))
        .filter(outbox::Column::ClaimedBy.eq(sender))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

async fn finish<C: ConnectionTrait>(
    db: &C,
    id: i64,
    sender: &str,
    columns: Vec<(outbox::Column, Expr)>,
) -> Result<bool, DbErr> {
    let mut update = outbox::Entity::update_many();
    for (column, value) in columns {
        update = update.col_expr(column, value);
    }
    let result = update
        .col_expr(outbox::Column::ClaimedBy, Expr::value(Option::<String>::None))
        .col_expr(outbox::Column::ClaimedUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .filter(outbox::Column::Id.eq(id))
        .filter(outbox::Column::ClaimedBy.eq(sender))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Records a delivery. Returns false when the row was no longer held by `sender`.
///
/// # Errors
/// When the update fails.
pub async fn mark_sent<C: ConnectionTrait>(db: &C, id: i64, sender: &str, now: DateTime<Utc>) -> Result<bool, DbErr> {
    finish(
        db,
        id,
        sender,
        vec![
            (outbox::Column::State, Expr::value(OutboxState::Sent)),
            (outbox::Column::SentAt, Expr::value(Some(now))),
            (outbox::Column::Attempts, Expr::col(outbox::Column::Attempts).add(1)),
        ],
    )
    .await
}

/// Records a failed attempt: retried after an exponential backoff (capped at `cap`), or given up
/// as `failed` after `max_attempts`.
///
/// # Errors
/// When the update fails.
pub async fn mark_failed<C: ConnectionTrait>(
    db: &C,
    row: &outbox::Model,
    sender: &str,
    error: &str,
    now: DateTime<Utc>,
    cap: Duration,
    max_attempts: u32,
) -> Result<bool, DbErr> {
    let attempts = u32::try_from(row.attempts).unwrap_or(0) + 1;
    let state = if attempts >= max_attempts { OutboxState::Failed } else { OutboxState::Pending };
    finish(
        db,
        row.id,
        sender,
        vec![
            (outbox::Column::State, Expr::value(state)),
            (outbox::Column::Attempts, Expr::value(i32::try_from(attempts).unwrap_or(i32::MAX))),
            (outbox::Column::LastError, Expr::value(Some(error.chars().take(2000).collect::<String>()))),
            (outbox::Column::NextAttemptAt, Expr::value(now + backoff(attempts, cap))),
        ],
    )
    .await
}

/// Marks a claimed row skipped (no longer relevant, e.g. a reminder for a window already closed).
///
/// # Errors
/// When the update fails.
pub async fn mark_skipped<C: ConnectionTrait>(db: &C, id: i64, sender: &str, reason: &str) -> Result<bool, DbErr> {
    finish(
        db,
        id,
        sender,
        vec![
            (outbox::Column::State, Expr::value(OutboxState::Skipped)),
            (outbox::Column::SkipReason, Expr::value(Some(reason.to_owned()))),
        ],
    )
    .await
}

/// Records as skipped, with `reason`, the organisation's rows among `keys` that were not sent
/// (waiting, or failed and waiting for a retry): the reminders of a cycle that was removed.
/// Returns how many.
///
/// # Errors
/// When the update fails.
pub async fn skip_unsent<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
    keys: &[String],
    reason: &str,
) -> Result<u64, DbErr> {
    let result = outbox::Entity::update_many()
        .col_expr(outbox::Column::State, Expr::value(OutboxState::Skipped))
        .col_expr(outbox::Column::SkipReason, Expr::value(Some(reason.to_owned())))
        .col_expr(outbox::Column::ClaimedBy, Expr::value(Option::<String>::None))
        .col_expr(outbox::Column::ClaimedUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .filter(outbox::Column::OrganisationId.eq(organisation_id))
        .filter(outbox::Column::DedupeKey.is_in(keys.iter().cloned()))
        .filter(outbox::Column::State.is_in([OutboxState::Pending, OutboxState::Failed]))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

/// Puts a failed row back in the queue (the admin's "retry") with a fresh round of attempts.
///
/// # Errors
/// When the update fails.
pub async fn retry<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
    id: i64,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let result = outbox::Entity::update_many()
        .col_expr(outbox::Column::State, Expr::value(OutboxState::Pending))
        .col_expr(outbox::Column::NextAttemptAt, Expr::value(now))
        .col_expr(outbox::Column::Attempts, Expr::value(0))
        .col_expr(outbox::Column::ClaimedBy, Expr::value(Option::<String>::None))
        .col_expr(outbox::Column::ClaimedUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .filter(outbox::Column::Id.eq(id))
        .filter(outbox::Column::OrganisationId.eq(organisation_id))
        .filter(outbox::Column::State.eq(OutboxState::Failed))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// How many of the organisation's rows are in each state (states without rows are absent).
///
/// # Errors
/// When the query fails.
pub async fn counts_by_state<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
) -> Result<Vec<(OutboxState, i64)>, DbErr> {
    outbox::Entity::find()
        .select_only()
        .column(outbox::Column::State)
        // COUNT(*), not COUNT(id): the (organisation, state) index answers it alone.
        .column_as(sea_orm::sea_query::Expr::cust("COUNT(*)"), "n")
        .filter(outbox::Column::OrganisationId.eq(organisation_id))
        .group_by(outbox::Column::State)
        .into_tuple()
        .all(db)
        .await
}

/// How the outbox list can be sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxSort {
    /// When the message was queued (the default: newest first).
    Created,
    Subject,
    State,
    Attempts,
}

impl SortKey for OutboxSort {
    const ALL: &'static [Self] = &[OutboxSort::Created, OutboxSort::Subject, OutboxSort::State, OutboxSort::Attempts];
    const DEFAULT: Self = OutboxSort::Created;

    fn key(self) -> &'static str {
        match self {
            OutboxSort::Created => "created",
            OutboxSort::Subject => "subject",
            OutboxSort::State => "state",
            OutboxSort::Attempts => "attempts",
        }
    }

    fn descending_first(self) -> bool {
        matches!(self, OutboxSort::Created | OutboxSort::Attempts)
    }
}

/// One page of the organisation's rows, optionally in one state (ties newest first), of `total`
/// rows in all (from `counts_by_state`): one query.
///
/// # Errors
/// When the query fails.
pub async fn page<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
    state: Option<OutboxState>,
    total: u64,
    request: PageRequest<OutboxSort>,
) -> Result<Page<outbox::Model>, DbErr> {
    let mut query = outbox::Entity::find().filter(outbox::Column::OrganisationId.eq(organisation_id));
    if let Some(state) = state {
        query = query.filter(outbox::Column::State.eq(state));
    }
    query = match request.sort {
        OutboxSort::Created => query.order_by(outbox::Column::CreatedAt, request.order()),
        OutboxSort::Subject => query.order_by(outbox::Column::Subject, request.order()),
        OutboxSort::State => query.order_by(outbox::Column::State, request.order()),
        OutboxSort::Attempts => query.order_by(outbox::Column::Attempts, request.order()),
    };
    let newest = if request.sort == OutboxSort::Created { request.order() } else { sea_orm::Order::Desc };
    paging::fetch_known_total(db, query.order_by(outbox::Column::Id, newest), total, request.page, request.per).await
}
