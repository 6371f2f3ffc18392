//! Invitations: an admin invites an e-mail address with a role; the link carries a random token
//! of which only the hash is stored.

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set,
};

use crate::domain::{EmailAddress, Role};
use crate::entities::invitation;
use crate::security::tokens;
use crate::store::audit::{self, Actor, Changes, Entry};
use crate::store::organisations;

/// A new invitation and the token for its link (shown once, never stored).
#[derive(Debug)]
pub struct CreatedInvitation {
    pub invitation: invitation::Model,
    pub token: String,
}

/// Creates an invitation valid for `valid_days`.
///
/// # Errors
/// When the insert fails.
pub async fn create<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    organisation_id: i32,
    email: &EmailAddress,
    role: Role,
    valid_days: u32,
) -> Result<CreatedInvitation, DbErr> {
    let token = tokens::new_token();
    let now = Utc::now();
    let created = invitation::ActiveModel {
        organisation_id: Set(organisation_id),
        email: Set(email.as_str().to_owned()),
        role: Set(role),
        token_hash: Set(tokens::hash_token(&token)),
        invited_by: Set(actor.user_id.unwrap_or_default()),
        created_at: Set(now),
        expires_at: Set(now + Duration::days(i64::from(valid_days))),
        ..Default::default()
    }
    .insert(db)
    .await?;
    audit::record(
        db,
        actor,
        Entry::new(
            Some(organisation_id),
            "invitation",
            created.id,
            "create",
            Changes::new().created("email", created.email.clone()).created("role", created.role),
        ),
    )
    .await?;
    Ok(CreatedInvitation { invitation: created, token })
}

/// Whether an invitation can still be accepted: not accepted, revoked or expired.
pub fn is_usable(invitation: &invitation::Model, now: DateTime<Utc>) -> bool {
    invitation.accepted_at.is_none() && invitation.revoked_at.is_none() && invitation.expires_at > now
}

/// The invitation with this token, in whatever state it is.
///
/// # Errors
/// When the query fails.
pub async fn find_by_token<C: ConnectionTrait>(db: &C, token: &str) -> Result<Option<invitation::Model>, DbErr> {
    invitation::Entity::find().filter(invitation::Column::TokenHash.eq(tokens::hash_token(token))).one(db).await
}

/// Whether invitation `id` has been accepted.
///
/// # Errors
/// When the query fails.
pub async fn is_accepted<C: ConnectionTrait>(db: &C, id: i32) -> Result<bool, DbErr> {
    let found = invitation::Entity::find_by_id(id).one(db).await?;
    Ok(found.is_some_and(|i| i.accepted_at.is_some()))
}

/// Invitations of an organisation not yet accepted, revoked or expired, newest first.
///
/// # Errors
/// When the query fails.
pub async fn pending<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
    now: DateTime<Utc>,
) -> Result<Vec<invitation::Model>, DbErr> {
    invitation::Entity::find()
        .filter(invitation::Column::OrganisationId.eq(organisation_id))
        .filter(invitation::Column::AcceptedAt.is_null())
        .filter(invitation::Column::RevokedAt.is_null())
        .filter(invitation::Column::ExpiresAt.gt(now))
        .order_by_desc(invitation::Column::Id)
        .all(db)
        .await
}

/// Accepts an invitation for `user_id`: closes the invitation, then adds the membership. The
/// close is conditional (still open, not revoked, not expired), so an invitation revoked while
/// someone was filling in the form is not accepted. Returns false in that case. Run it in a
/// transaction.
///
/// # Errors
/// When a write fails, or the stored role is unknown.
pub async fn accept<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    found: invitation::Model,
    user_id: i32,
) -> Result<bool, DbErr> {
    let role = found.role;
    let now = Utc::now();
    let closed = invitation::Entity::update_many()
        .col_expr(invitation::Column::AcceptedAt, Expr::value(Some(now)))
        .col_expr(invitation::Column::AcceptedBy, Expr::value(Some(user_id)))
        .filter(invitation::Column::Id.eq(found.id))
        .filter(invitation::Column::AcceptedAt.is_null())
        .filter(invitation::Column::RevokedAt.is_null())
        .filter(invitation::Column::ExpiresAt.gt(now))
        .exec(db)
        .await?;
    if closed.rows_affected == 0 {
        return Ok(false);
    }
    organisations::add_member(db, actor, found.organisation_id, user_id, role).await?;
    audit::record(
        db,
        actor,
        Entry::new(
            Some(found.organisation_id),
            "invitation",
            found.id,
            "accept",
            Changes::new().created("accepted_by", user_id),
        ),
    )
    .await?;
    Ok(true)
}

/// Revokes a pending invitation of the organisation. Returns false when there is none with this id.
///
/// # Errors
/// When a write fails.
pub async fn revoke<C: ConnectionTrait>(
    db: &C,
    actor: &Actor,
    organisation_id: i32,
    invitation_id: i32,
) -> Result<bool, DbErr> {
    let Some(found) = invitation::Entity::find_by_id(invitation_id)
        .filter(invitation::Column::OrganisationId.eq(organisation_id))
        .filter(invitation::Column::AcceptedAt.is_null())
        .filter(invitation::Column::RevokedAt.is_null())
        .one(db)
        .await?
    else {
        return Ok(false);
    };
    let mut active = found.into_active_model();
    active.revoked_at = Set(Some(Utc::now()));
    active.update(db).await?;
    audit::record(db, actor, Entry::new(Some(organisation_id), "invitation", invitation_id, "revoke", Changes::new()))
        .await?;
    Ok(true)
}

/// Invitations of an organisation not accepted or revoked (expired ones included), newest first.
///
/// # Errors
/// When the query fails.
pub async fn open<C: ConnectionTrait>(db: &C, organisation_id: i32) -> Result<Vec<invitation::Model>, DbErr> {
    invitation::Entity::find()
        .filter(invitation::Column::OrganisationId.eq(organisation_id))
        .filter(invitation::Column::AcceptedAt.is_null())
        .filter(invitation::Column::RevokedAt.is_null())
        .order_by_desc(invitation::Column::Id)
        .all(db)
        .await
}
