//! Saves the compiler checks. An edit of a record is one list of fields, built where the values
//! struct is destructured exhaustively (`let Values { a, b, .. } = values;` without `..`): the
//! same list writes the columns and records the audit entry. A field added to the values struct
//! and not listed is a compile error; a listed field cannot be written without its history, nor
//! recorded without being written.

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, UpdateMany};
use serde_json::Value as Json;

use crate::store::audit::{Changes, Recorded};

/// Why a correction was not saved.
#[derive(Debug, thiserror::Error)]
pub enum CorrectionError<M> {
    /// Someone saved a correction since the form was loaded; here is what they saved.
    #[error("the record was corrected by someone else")]
    Conflict(Box<M>),
    #[error(transparent)]
    Database(#[from] sea_orm::DbErr),
}

/// One written field: its audit name, its column, the value to write, and both values as the
/// audit trail records them.
struct Field<C> {
    name: &'static str,
    column: C,
    value: sea_orm::Value,
    before: Json,
    after: Json,
}

/// The fields one save writes, each with its history.
pub struct Edit<C> {
    fields: Vec<Field<C>>,
}

impl<C: ColumnTrait> Default for Edit<C> {
    fn default() -> Self {
        Self { fields: Vec::new() }
    }
}

impl<C: ColumnTrait> Edit<C> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Writes `after` into `column`; `before` is the stored value (`None` on creation).
    #[must_use]
    pub fn field<V>(mut self, name: &'static str, column: C, before: Option<&V>, after: &V) -> Self
    where
        V: Recorded + Clone + Into<sea_orm::Value>,
    {
        self.fields.push(Field {
            name,
            column,
            value: after.clone().into(),
            before: before.map_or(Json::Null, Recorded::recorded),
            after: after.recorded(),
        });
        self
    }

    /// The audit entry's changes: the fields whose value changed (on creation, those set).
    pub fn changes(&self) -> Changes {
        self.fields.iter().fold(Changes::new(), |changes, f| changes.changed(f.name, f.before.clone(), f.after.clone()))
    }

    /// The names of the fields whose value would change.
    pub fn changed_names(&self) -> Vec<&'static str> {
        self.fields.iter().filter(|f| f.before != f.after).map(|f| f.name).collect()
    }

    /// The update with every field's column set.
    pub fn update<E: EntityTrait<Column = C>>(&self, update: UpdateMany<E>) -> UpdateMany<E> {
        self.fields.iter().fold(update, |update, f| update.col_expr(f.column, Expr::value(f.value.clone())))
    }

    /// The update of a record under optimistic locking: every field's column set, `lock` bumped,
    /// and only where `lock` still equals `expected` (no row affected: someone saved meanwhile).
    pub fn update_locked<E: EntityTrait<Column = C>>(
        &self,
        update: UpdateMany<E>,
        lock: C,
        expected: i32,
    ) -> UpdateMany<E>
    where
        UpdateMany<E>: sea_orm::QueryFilter,
    {
        use sea_orm::QueryFilter;
        self.update(update).col_expr(lock, Expr::col(lock).add(1)).filter(lock.eq(expected))
    }

    /// Sets every field on a model: a new row's, or a loaded one's before its update.
    pub fn apply<A: ActiveModelTrait>(&self, active: &mut A)
    where
        A::Entity: EntityTrait<Column = C>,
    {
        for f in &self.fields {
            active.set(f.column, f.value.clone());
        }
    }
}
