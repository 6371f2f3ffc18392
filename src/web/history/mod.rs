//! The one way to show audit entries: a control's 変更履歴, an incident's or a corrective
//! action's history panel and the audit trail page all turn `audit_event` rows into `Row`s here,
//! with field labels in the viewer's language and values shown as the pages show them.

mod subject;
mod values;

use serde_json::{Map, Value};

use crate::domain::Lang;
use crate::domain::catalog::Catalogs;
use crate::domain::lang::DateStyle;
use crate::entities::audit_event;
use crate::i18n::Locale;
use crate::store::audit::Subjects;
use crate::store::audit_fields::{self, ValueKind};
use crate::store::audit_refs::{self, Refs};
use crate::web::error::AppResult;
use crate::web::state::AppState;

pub use subject::Subject;

/// How many entries a record's history panel shows.
pub const PANEL_LIMIT: u64 = 50;

/// What rendering a batch of entries needs: the viewer's language and the names of what the
/// entries refer to.
pub struct Context<'a> {
    pub lang: Lang,
    /// The organisation's date style, for times and dates.
    pub dates: DateStyle,
    pub org: i32,
    pub refs: Refs,
    pub catalogs: &'a Catalogs,
}

impl<'a> Context<'a> {
    /// Loads the names `events` refer to (a bounded number of queries, see `audit_refs`).
    ///
    /// # Errors
    /// When a query fails.
    pub async fn load(
        state: &'a AppState,
        org: i32,
        locale: Locale,
        events: &[audit_event::Model],
    ) -> AppResult<Context<'a>> {
        let refs = audit_refs::load(&state.db, org, events).await?;
        Ok(Self { lang: locale.lang, dates: locale.dates, org, refs, catalogs: &state.catalogs })
    }
}

/// One changed field, for display.
pub struct Change {
    /// The stored field name (`status`), for tests and styling.
    pub field: String,
    /// The field's label in the viewer's language.
    pub label: String,
    /// The value before, `None` when the field was set by this entry (a creation).
    pub before: Option<String>,
    pub after: String,
}

/// One audit entry, for display.
pub struct Row {
    pub occurred_at: String,
    /// Who: a member's name, or what ran the change (command line, setup).
    pub actor: String,
    /// The record changed, in words, with its page when it has one.
    pub subject: Subject,
    /// The kind of record as stored (`control`), for the "what" column's data attribute.
    pub entity: String,
    /// The action as stored (`update`), for the data attribute.
    pub action: String,
    /// The action in words.
    pub action_label: String,
    pub changes: Vec<Change>,
}

/// Turns an entry into its display row. Unknown fields and values are shown as stored.
pub fn to_row(event: &audit_event::Model, ctx: &Context<'_>) -> Row {
    let changes = serde_json::from_str::<Map<String, Value>>(&event.changes).unwrap_or_default();
    let mut fields: Vec<(&String, &Value)> = changes.iter().collect();
    // In the order the fields are listed (the form's order), unknown ones last.
    fields.sort_by_key(|(field, _)| audit_fields::position(&event.entity, &event.action, field));
    let mut rows = Vec::new();
    for (field, change) in fields {
        let kind = audit_fields::kind(&event.entity, &event.action, field);
        let before = change.get("before").unwrap_or(&Value::Null);
        let after = change.get("after").unwrap_or(&Value::Null);
        if kind == Some(ValueKind::Facts)
            && let Some(facts) = values::fact_changes(ctx, before, after)
        {
            rows.extend(facts);
            continue;
        }
        let group = audit_fields::group(&event.entity, &event.action);
        rows.push(Change {
            field: field.clone(),
            label: values::label_or_raw(ctx.lang, &format!("history-field-{group}-{field}"), field),
            // A field set by a creation has no "before"; an update shows an empty one as "—".
            before: (!before.is_null() || event.action == "update").then(|| values::show(ctx, kind, before)),
            after: values::show(ctx, kind, after),
        });
    }
    Row {
        occurred_at: crate::i18n::format::date_time(ctx.lang, ctx.dates, event.occurred_at),
        actor: subject::actor(ctx, event),
        subject: subject::of(ctx, &event.entity, &event.entity_id),
        entity: event.entity.clone(),
        action: event.action.clone(),
        action_label: values::label_or_raw(ctx.lang, &format!("audit-action-{}", event.action), &event.action),
        changes: rows,
    }
}

/// The display rows of a batch of entries, with what they refer to loaded once.
///
/// # Errors
/// When a query fails.
pub async fn rows(state: &AppState, org: i32, locale: Locale, events: &[audit_event::Model]) -> AppResult<Vec<Row>> {
    let ctx = Context::load(state, org, locale, events).await?;
    Ok(events.iter().map(|event| to_row(event, &ctx)).collect())
}

/// Like `rows`, but at a fixed number of queries whatever the entries are about
/// (`audit_refs::load_every_kind`): for a page whose query count is asserted.
///
/// # Errors
/// When a query fails.
pub async fn rows_at_fixed_cost(
    state: &AppState,
    org: i32,
    locale: Locale,
    events: &[audit_event::Model],
) -> AppResult<Vec<Row>> {
    let refs = audit_refs::load_every_kind(&state.db, org, events).await?;
    let ctx = Context { lang: locale.lang, dates: locale.dates, org, refs, catalogs: &state.catalogs };
    Ok(events.iter().map(|event| to_row(event, &ctx)).collect())
}

/// The latest entries about some records of an organisation (a control; an incident with its
/// filings and timeline entries), newest first, for a history panel: a bounded number of queries.
///
/// # Errors
/// When a query fails.
pub async fn panel(state: &AppState, org: i32, locale: Locale, subjects: &[Subjects]) -> AppResult<Vec<Row>> {
    let events = crate::store::audit::for_subjects(&state.db, org, subjects, PANEL_LIMIT).await?;
    rows(state, org, locale, &events).await
}
