//! Organisations: create one, its dashboard, and its settings (admins).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::Utc;
use sea_orm::TransactionTrait;
use serde::Deserialize;

use crate::domain::{FieldErrors, OrganisationName};
use crate::entities::{audit_event, invitation};
use crate::store::{self, audit::Actor};
use crate::web::error::AppResult;
use crate::web::forms::OrgPath;
use crate::web::page::{PageContext, render, render_with_status, see_other};
use crate::web::session::FlashKind;
use crate::web::state::AppState;
use crate::web::viewer::{Need, Viewer};

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct OrganisationForm {
    pub name: String,
}

#[derive(Template)]
#[template(path = "organisations/new.html")]
struct NewPage {
    ctx: PageContext,
    form: OrganisationForm,
    errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "organisations/settings.html")]
struct SettingsPage {
    ctx: PageContext,
    form: OrganisationForm,
    errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "organisations/dashboard.html")]
struct DashboardPage {
    ctx: PageContext,
    /// Members of the organisation.
    member_count: usize,
    /// Invitations not yet answered (shown to admins).
    pending_invitations: Vec<invitation::Model>,
    /// Latest audit trail entries (shown to admins and auditors).
    recent_changes: Vec<audit_event::Model>,
}

pub async fn new_form(viewer: Viewer) -> AppResult<HttpResponse> {
    viewer.user()?;
    render(&NewPage { ctx: viewer.page(None), form: OrganisationForm::default(), errors: FieldErrors::new() })
}

pub async fn create(
    state: web::Data<AppState>,
    viewer: Viewer,
    form: web::Form<OrganisationForm>,
) -> AppResult<HttpResponse> {
    let user = viewer.user()?;
    let form = form.into_inner();
    let mut errors = FieldErrors::new();
    let Some(name) = errors.take("name", OrganisationName::parse(&form.name)) else {
        return render_with_status(&NewPage { ctx: viewer.page(None), form, errors }, StatusCode::UNPROCESSABLE_ENTITY);
    };
    let txn = state.db.begin().await?;
    let org = store::organisations::create(&txn, &Actor::user(user.id, &user.email), &name, user.id).await?;
    txn.commit().await?;
    viewer.flash(FlashKind::Success, "organisation-created", Some(org.name.clone()));
    Ok(see_other(&format!("/orgs/{}", org.id)))
}

pub async fn dashboard(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<OrgPath>,
) -> AppResult<HttpResponse> {
    let membership = viewer.organisation(path.org, Need::Read)?;
    let org_id = membership.organisation.id;
    let member_count = store::organisations::members(&state.db, org_id).await?.len();
    let pending_invitations = if membership.role.can_manage_organisation() {
        store::invitations::pending(&state.db, org_id, Utc::now()).await?
    } else {
        Vec::new()
    };
    let recent_changes = if membership.role.can_read_audit_trail() {
        store::audit::page_for_organisation(&state.db, org_id, 0, 5).await?.0
    } else {
        Vec::new()
    };
    render(&DashboardPage { ctx: viewer.page(Some(org_id)), member_count, pending_invitations, recent_changes })
}

pub async fn settings_form(viewer: Viewer, path: web::Path<OrgPath>) -> AppResult<HttpResponse> {
    let membership = viewer.organisation(path.org, Need::Manage)?;
    let form = OrganisationForm { name: membership.organisation.name.clone() };
    render(&SettingsPage { ctx: viewer.page(Some(path.org)), form, errors: FieldErrors::new() })
}

pub async fn update_settings(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<OrgPath>,
    form: web::Form<OrganisationForm>,
) -> AppResult<HttpResponse> {
    let membership = viewer.organisation(path.org, Need::Manage)?;
    let user = viewer.user()?;
    let form = form.into_inner();
    let mut errors = FieldErrors::new();
    let Some(name) = errors.take("name", OrganisationName::parse(&form.name)) else {
        return render_with_status(
            &SettingsPage { ctx: viewer.page(Some(path.org)), form, errors },
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    };
    let txn = state.db.begin().await?;
    store::organisations::rename(&txn, &Actor::user(user.id, &user.email), membership.organisation.clone(), &name)
        .await?;
    txn.commit().await?;
    viewer.flash(FlashKind::Success, "organisation-saved", None);
    Ok(see_other(&format!("/orgs/{}/settings", path.org)))
}
