//! Server-side session storage in the application database, for actix-session. The cookie holds
//! a random key; the table holds only its SHA-256, so a leaked table cannot be replayed. Logging
//! out deletes the row, so a copied cookie dies with it, and several instances share sessions.

use std::collections::HashMap;

use actix_session::storage::{LoadError, SaveError, SessionKey, SessionStore, UpdateError};
use actix_web::cookie::time::Duration;
use chrono::Utc;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

use crate::entities::session;
use crate::security::tokens;

/// actix-session storage backed by the `sessions` table.
#[derive(Clone)]
pub struct DatabaseSessionStore {
    db: DatabaseConnection,
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

    async fn write(&self, key_hash: String, state: &HashMap<String, String>, ttl: &Duration) -> anyhow::Result<()> {
        let expires_at = Utc::now() + chrono::Duration::seconds(ttl.whole_seconds());
        let model = session::ActiveModel {
            key_hash: Set(key_hash),
            state: Set(serde_json::to_string(state)?),
            expires_at: Set(expires_at),
        };
        session::Entity::insert(model)
            .on_conflict(
                OnConflict::column(session::Column::KeyHash)
                    .update_columns([session::Column::State, session::Column::ExpiresAt])
                    .to_owned(),
            )
            .exec(&self.db)
            .await?;
        Ok(())
    }
}

fn new_session_key() -> Result<SessionKey, anyhow::Error> {
    SessionKey::try_from(tokens::new_token()).map_err(|e| anyhow::anyhow!("{e}"))
}

impl SessionStore for DatabaseSessionStore {
    async fn load(&self, session_key: &SessionKey) -> Result<Option<HashMap<String, String>>, LoadError> {
        let key_hash = tokens::hash_token(session_key.as_ref());
        let row = session::Entity::find_by_id(key_hash)
            .filter(session::Column::ExpiresAt.gt(Utc::now()))
            .one(&self.db)
            .await
            .map_err(|e| LoadError::Other(e.into()))?;
        match row {
            None => Ok(None),
            Some(row) => serde_json::from_str(&row.state).map(Some).map_err(|e| LoadError::Deserialization(e.into())),
        }
    }

    async fn save(&self, session_state: HashMap<String, String>, ttl: &Duration) -> Result<SessionKey, SaveError> {
        let key = new_session_key().map_err(SaveError::Other)?;
        self.write(tokens::hash_token(key.as_ref()), &session_state, ttl).await.map_err(SaveError::Other)?;
        Ok(key)
    }

    async fn update(
        &self,
        session_key: SessionKey,
        session_state: HashMap<String, String>,
        ttl: &Duration,
    ) -> Result<SessionKey, UpdateError> {
        self.write(tokens::hash_token(session_key.as_ref()), &session_state, ttl).await.map_err(UpdateError::Other)?;
        Ok(session_key)
    }

    async fn update_ttl(&self, session_key: &SessionKey, ttl: &Duration) -> Result<(), anyhow::Error> {
        let expires_at = Utc::now() + chrono::Duration::seconds(ttl.whole_seconds());
        session::Entity::update_many()
            .col_expr(session::Column::ExpiresAt, sea_orm::sea_query::Expr::value(expires_at))
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
