//! Server-side session storage in the application database, for actix-session. The cookie holds
//! a random key; the table holds only its SHA-256, so a leaked table cannot be replayed. Logging
//! out deletes the row, so a copied cookie dies with it, and several instances share sessions.
//!
//! Loading a session also loads its signed-in user and their organisations in the same query,
//! handed to the request under [`VIEWER_KEY`] (never stored): a page that changed nothing costs
//! this one query.

use std::collections::HashMap;

use actix_session::storage::{LoadError, SaveError, SessionKey, SessionStore, UpdateError};
use actix_web::cookie::time::Duration;
use chrono::Utc;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, JoinType, Order, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, FromQueryResult,
    IdenStatic, Iterable, QueryFilter, Set,
};
use serde::{Deserialize, Serialize};

use crate::entities::{membership, organisation, session, user};
use crate::security::tokens;
use crate::store::organisations::{MembershipOf, parse_role};

/// The state key under which a loaded session carries its viewer. Stripped before saving.
pub const VIEWER_KEY: &str = "__viewer";
/// The state key that marks a session the store could not load (the database failed): the
/// request is answered 503 before any handler runs (`web::error_pages`). Never saved.
pub const UNAVAILABLE_KEY: &str = "__unavailable";
/// The state key holding the signed-in user's id (see `web::session`).
const USER_ID_KEY: &str = "uid";

/// The signed-in user of a session and their organisations, as loaded with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoadedViewer {
    pub user: user::Model,
    pub memberships: Vec<MembershipOf>,
}

/// actix-session storage backed by the `sessions` table.
#[derive(Clone)]
pub struct DatabaseSessionStore {
    db: DatabaseConnection,
}

/// A session's state and, when someone is signed in, its viewer.
type Loaded = (HashMap<String, String>, Option<LoadedViewer>);

/// Loads a live session with its user and memberships in one query.
///
/// # Errors
/// When the query fails or a row cannot be read.
pub async fn load_with_viewer<C: ConnectionTrait>(db: &C, key_hash: &str) -> Result<Option<Loaded>, DbErr> {
    let (s, u, m, o) = (Alias::new("s"), Alias::new("u"), Alias::new("m"), Alias::new("o"));
    let mut query = Query::select();
    query
        .from_as(session::Entity, s.clone())
        .expr_as(Expr::col((s.clone(), session::Column::State)), Alias::new("s_state"));
    for column in user::Column::iter() {
        query.expr_as(Expr::col((u.clone(), column)), Alias::new(format!("u_{}", column.as_str())));
    }
    query.expr_as(Expr::col((m.clone(), membership::Column::Role)), Alias::new("m_role"));
    for column in organisation::Column::iter() {
        query.expr_as(Expr::col((o.clone(), column)), Alias::new(format!("o_{}", column.as_str())));
    }
    query
        .join_as(
            JoinType::LeftJoin,
            user::Entity,
            u.clone(),
            Expr::col((u.clone(), user::Column::Id)).equals((s.clone(), session::Column::UserId)),
        )
        .join_as(
            JoinType::LeftJoin,
            membership::Entity,
            m.clone(),
            Expr::col((m.clone(), membership::Column::UserId)).equals((u.clone(), user::Column::Id)),
        )
        .join_as(
            JoinType::LeftJoin,
            organisation::Entity,
            o.clone(),
            Expr::col((o.clone(), organisation::Column::Id)).equals((m.clone(), membership::Column::OrganisationId)),
        )
        .and_where(Expr::col((s.clone(), session::Column::KeyHash)).eq(key_hash))
        .and_where(Expr::col((s.clone(), session::Column::ExpiresAt)).gt(Utc::now()))
        .order_by((o.clone(), organisation::Column::Name), Order::Asc);
    let rows = db.query_all(&query).await?;
    let Some(first) = rows.first() else { return Ok(None) };
    let state: HashMap<String, String> =
        serde_json::from_str(&first.try_get::<String>("", "s_state")?).map_err(|e| DbErr::Json(e.to_string()))?;
    let Some(found) = user::Model::from_query_result_optional(first, "u_")? else {
        return Ok(Some((state, None)));
    };
    let mut memberships = Vec::new();
    for row in &rows {
        if let (Some(role), Some(organisation)) =
            (row.try_get::<Option<String>>("", "m_role")?, organisation::Model::from_query_result_optional(row, "o_")?)
        {
            memberships.push(MembershipOf { organisation, role: parse_role(&role)? });
        }
    }
    Ok(Some((state, Some(LoadedViewer { user: found, memberships }))))
}

impl DatabaseSessionStore {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }

    /// Deletes expired sessions; returns how many.
    ///
    /// # Errors
    /// When the delete fails.
    pub async fn purge_expired(&self) -> Result<u64, sea_orm::DbErr> {
        let result =
            session::Entity::delete_many().filter(session::Column::ExpiresAt.lt(Utc::now())).exec(&self.db).await?;
        Ok(result.rows_affected)
    }

    fn prepare(
        mut state: HashMap<String, String>,
        ttl: &Duration,
    ) -> anyhow::Result<(String, chrono::DateTime<Utc>, Option<i32>)> {
        state.remove(VIEWER_KEY);
        if state.contains_key(UNAVAILABLE_KEY) {
            anyhow::bail!("a session that could not be loaded is not saved");
        }
        let user_id = state.get(USER_ID_KEY).and_then(|v| v.parse::<i32>().ok());
        let expires_at = Utc::now() + chrono::Duration::seconds(ttl.whole_seconds());
        Ok((serde_json::to_string(&state)?, expires_at, user_id))
    }

    /// Stores a new session.
    async fn insert(&self, key_hash: String, state: HashMap<String, String>, ttl: &Duration) -> anyhow::Result<()> {
        let (state, expires_at, user_id) = Self::prepare(state, ttl)?;
        session::ActiveModel {
            key_hash: Set(key_hash),
            state: Set(state),
            expires_at: Set(expires_at),
            user_id: Set(user_id),
        }
        .insert(&self.db)
        .await?;
        Ok(())
    }

    /// Changes an existing session, and only that: a session deleted meanwhile (signed out by
    /// another request) stays deleted.
    async fn change(&self, key_hash: String, state: HashMap<String, String>, ttl: &Duration) -> anyhow::Result<u64> {
        let (state, expires_at, user_id) = Self::prepare(state, ttl)?;
        let result = session::Entity::update_many()
            .col_expr(session::Column::State, Expr::value(state))
            .col_expr(session::Column::ExpiresAt, Expr::value(expires_at))
            .col_expr(session::Column::UserId, Expr::value(user_id))
            .filter(session::Column::KeyHash.eq(key_hash))
            .exec(&self.db)
            .await?;
        Ok(result.rows_affected)
    }
}

fn new_session_key() -> Result<SessionKey, anyhow::Error> {
    SessionKey::try_from(tokens::new_token()).map_err(|e| anyhow::anyhow!("{e}"))
}

impl SessionStore for DatabaseSessionStore {
    async fn load(&self, session_key: &SessionKey) -> Result<Option<HashMap<String, String>>, LoadError> {
        let key_hash = tokens::hash_token(session_key.as_ref());
        // A failing store is not an error here: actix-session would answer it with a bare 500 that
        // no error page sees. The request gets a marked session and a 503 page instead.
        let loaded = match load_with_viewer(&self.db, &key_hash).await {
            Ok(loaded) => loaded,
            Err(error) => {
                tracing::error!(error = %error, "the session store failed to load a session");
                return Ok(Some(HashMap::from([(UNAVAILABLE_KEY.to_owned(), "true".to_owned())])));
            }
        };
        let Some((mut state, viewer)) = loaded else {
            return Ok(None);
        };
        if let Some(viewer) = viewer {
            let json = serde_json::to_string(&viewer).map_err(|e| LoadError::Deserialization(e.into()))?;
            state.insert(VIEWER_KEY.to_owned(), json);
        }
        Ok(Some(state))
    }

    async fn save(&self, session_state: HashMap<String, String>, ttl: &Duration) -> Result<SessionKey, SaveError> {
        let key = new_session_key().map_err(SaveError::Other)?;
        self.insert(tokens::hash_token(key.as_ref()), session_state, ttl).await.map_err(SaveError::Other)?;
        Ok(key)
    }

    async fn update(
        &self,
        session_key: SessionKey,
        session_state: HashMap<String, String>,
        ttl: &Duration,
    ) -> Result<SessionKey, UpdateError> {
        let changed = self
            .change(tokens::hash_token(session_key.as_ref()), session_state, ttl)
            .await
            .map_err(UpdateError::Other)?;
        if changed == 0 {
            tracing::info!("a request changed a session that had ended meanwhile; the change was dropped");
        }
        Ok(session_key)
    }

    async fn update_ttl(&self, session_key: &SessionKey, ttl: &Duration) -> Result<(), anyhow::Error> {
        let expires_at = Utc::now() + chrono::Duration::seconds(ttl.whole_seconds());
        session::Entity::update_many()
            .col_expr(session::Column::ExpiresAt, Expr::value(expires_at))
            .filter(session::Column::KeyHash.eq(tokens::hash_token(session_key.as_ref())))
            .exec(&self.db)
            .await?;
        Ok(())
    }

    async fn delete(&self, session_key: &SessionKey) -> Result<(), anyhow::Error> {
        session::Entity::delete_by_id(tokens::hash_token(session_key.as_ref())).exec(&self.db).await?;
        Ok(())
    }
}
