//! Members of an organisation: everyone may see the list; admins invite, change roles and remove.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use sea_orm::TransactionTrait;
use serde::Deserialize;

use crate::domain::{EmailAddress, FieldErrors, Role};
use crate::entities::invitation;
use crate::store::organisations::{Member, MembershipChangeError};
use crate::store::{self, audit::Actor};
use crate::web::error::{AppError, AppResult};
use crate::web::page::{PageContext, render_with_status, see_other};
use crate::web::session::FlashKind;
use crate::web::state::AppState;
use crate::web::viewer::Viewer;

#[derive(Debug, Deserialize)]
pub struct MemberPath {
    pub org: i32,
    pub membership: i32,
}

#[derive(Debug, Deserialize)]
pub struct InvitationPath {
    pub org: i32,
    pub invitation: i32,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct InviteForm {
    pub email: String,
    pub role: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RoleForm {
    pub role: String,
}

#[derive(Template)]
#[template(path = "members/index.html")]
struct MembersPage {
    ctx: PageContext,
    members: Vec<Member>,
    /// Pending invitations (admins only).
    invitations: Vec<invitation::Model>,
    /// Whether the viewer may manage members.
    can_manage: bool,
    /// The invitation form's values and errors.
    form: InviteForm,
    errors: FieldErrors,
    roles: [Role; 4],
}

async fn members_page(
    state: &AppState,
    viewer: &Viewer,
    org: i32,
    form: InviteForm,
    errors: FieldErrors,
    status: StatusCode,
) -> AppResult<HttpResponse> {
    let membership = viewer.member()?;
    let can_manage = membership.role.can_manage_organisation();
    let members = store::organisations::members(&state.db, org).await?;
    let invitations =
        if can_manage { store::invitations::pending(&state.db, org, state.clock.now()).await? } else { Vec::new() };
    let form = InviteForm { role: if form.role.is_empty() { "viewer".to_owned() } else { form.role }, ..form };
    render_with_status(
        &MembersPage { ctx: viewer.page(Some(org)), members, invitations, can_manage, form, errors, roles: Role::ALL },
        status,
    )
}

pub async fn index(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<crate::web::forms::OrgPath>,
) -> AppResult<HttpResponse> {
    members_page(&state, &viewer, path.org, InviteForm::default(), FieldErrors::new(), StatusCode::OK).await
}

pub async fn invite(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<crate::web::forms::OrgPath>,
    form: web::Form<InviteForm>,
) -> AppResult<HttpResponse> {
    let user = viewer.user()?;
    let form = form.into_inner();
    let mut errors = FieldErrors::new();
    let email = errors.take("email", EmailAddress::parse(&form.email));
    let role = errors.take("role", Role::parse(&form.role));
    let (Some(email), Some(role)) = (email, role) else {
        return members_page(&state, &viewer, path.org, form, errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let days = state.settings.auth.invitation_days;
    let txn = state.db.begin().await?;
    let created =
        store::invitations::create(&txn, &Actor::user(user.id, &user.email), path.org, &email, role, days).await?;
    let link = format!("{}/invitations/{}", state.public_url, created.token);
    // In the invitee's language when they have an account already, else in the inviter's.
    let lang = store::users::find_by_email(&txn, &email).await?.map_or(viewer.lang, |invitee| invitee.locale);
    let membership = viewer.member()?;
    let invitation = crate::mail::invitation::Invitation {
        organisation_id: path.org,
        invitation_id: created.invitation.id,
        organisation: &membership.organisation.name,
        inviter: &user.display_name,
        email: email.as_str(),
        role,
        link: &link,
        valid_days: days,
    };
    let message = crate::mail::invitation::message(
        &invitation,
        crate::i18n::Locale::new(lang, membership.organisation.date_style),
    )
    .map_err(AppError::from)?;
    store::outbox::enqueue(&txn, message, state.clock.now()).await?;
    txn.commit().await?;
    state.scheduler.wake();
    viewer.flash(FlashKind::Success, "invitation-created", Some(link));
    Ok(see_other(&format!("/orgs/{}/members", path.org)))
}

fn membership_error(err: MembershipChangeError, viewer: &Viewer, org: i32) -> AppResult<HttpResponse> {
    match err {
        MembershipChangeError::NotFound => Err(AppError::NotFound),
        MembershipChangeError::LastAdmin => {
            viewer.flash(FlashKind::Error, "members-last-admin", None);
            Ok(see_other(&format!("/orgs/{org}/members")))
        }
        MembershipChangeError::Database(e) => Err(e.into()),
    }
}

pub async fn change_role(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<MemberPath>,
    form: web::Form<RoleForm>,
) -> AppResult<HttpResponse> {
    let user = viewer.user()?;
    let Ok(role) = Role::parse(&form.role) else {
        viewer.flash(FlashKind::Error, "error-role-unknown", None);
        return Ok(see_other(&format!("/orgs/{}/members", path.org)));
    };
    let txn = state.db.begin().await?;
    match store::organisations::change_role(&txn, &Actor::user(user.id, &user.email), path.org, path.membership, role)
        .await
    {
        Ok(()) => {
            txn.commit().await?;
            viewer.flash(FlashKind::Success, "members-role-changed", None);
            Ok(see_other(&format!("/orgs/{}/members", path.org)))
        }
        Err(err) => membership_error(err, &viewer, path.org),
    }
}

pub async fn remove(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<MemberPath>,
) -> AppResult<HttpResponse> {
    let user = viewer.user()?;
    let txn = state.db.begin().await?;
    match store::organisations::remove_member(&txn, &Actor::user(user.id, &user.email), path.org, path.membership).await
    {
        Ok(()) => {
            txn.commit().await?;
            viewer.flash(FlashKind::Success, "members-removed", None);
            Ok(see_other(&format!("/orgs/{}/members", path.org)))
        }
        Err(err) => membership_error(err, &viewer, path.org),
    }
}

pub async fn revoke_invitation(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<InvitationPath>,
) -> AppResult<HttpResponse> {
    let user = viewer.user()?;
    let txn = state.db.begin().await?;
    if !store::invitations::revoke(&txn, &Actor::user(user.id, &user.email), path.org, path.invitation).await? {
        return Err(AppError::NotFound);
    }
    txn.commit().await?;
    viewer.flash(FlashKind::Success, "invitation-revoked", None);
    Ok(see_other(&format!("/orgs/{}/members", path.org)))
}

/// The routes of this resource, with the access each needs (see `web::routes`).
pub fn routes(r: &mut crate::web::routes::Routes) {
    use crate::web::routes::Access::*;
    use crate::web::viewer::Need;
    r.get("/orgs/{org}/members", Member(Need::Read), index)
        .post("/orgs/{org}/members/{membership}/role", Member(Need::Manage), change_role)
        .back_to("/orgs/{org}/members/{membership}/role", "/orgs/{org}/members")
        .post("/orgs/{org}/members/{membership}/remove", Member(Need::Manage), remove)
        .back_to("/orgs/{org}/members/{membership}/remove", "/orgs/{org}/members")
        .post("/orgs/{org}/invitations", Member(Need::Manage), invite)
        .back_to("/orgs/{org}/invitations", "/orgs/{org}/members#invite-form")
        .post("/orgs/{org}/invitations/{invitation}/revoke", Member(Need::Manage), revoke_invitation)
        .back_to("/orgs/{org}/invitations/{invitation}/revoke", "/orgs/{org}/members");
}
