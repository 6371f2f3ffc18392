//! Organisations: create one, and its settings (admins).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use sea_orm::TransactionTrait;
use serde::Deserialize;

use crate::domain::lang::DateStyle;
use crate::domain::pms_structure::Post;
use crate::domain::pms_year::Month;
use crate::domain::term::Term;
use crate::domain::{FieldErrors, OrganisationName};
use crate::store::pms_structure::SaveError;
use crate::store::{self, audit::Actor};
use crate::web::error::AppResult;
use crate::web::forms::{FormState, OrgPath};
use crate::web::page::{PageContext, render, render_with_status, see_other};
use crate::web::pms_structure::{FORM_ID as STRUCTURE_FORM_ID, StructureForm};
use crate::web::session::FlashKind;
use crate::web::state::AppState;
use crate::web::viewer::Viewer;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct OrganisationForm {
    pub name: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SettingsForm {
    pub name: String,
    /// The month (1–12) the PMS year starts in.
    pub pms_year_start_month: String,
    /// 西暦 or 和暦 (`DateStyle`).
    pub date_style: String,
}

#[derive(Template)]
#[template(path = "organisations/new.html")]
struct NewPage {
    ctx: PageContext,
    form: OrganisationForm,
    errors: FieldErrors,
}

/// The element id of the settings form.
pub const SETTINGS_FORM_ID: &str = "settings-form";

impl SettingsForm {
    /// The form filled from the organisation as stored.
    pub fn of(org: &crate::entities::organisation::Model) -> Self {
        Self {
            name: org.name.clone(),
            pms_year_start_month: org.pms_year_start_month.to_string(),
            date_style: org.date_style.as_str().to_owned(),
        }
    }
}

#[derive(Template)]
#[template(path = "organisations/settings.html")]
struct SettingsPage {
    ctx: PageContext,
    form: SettingsForm,
    errors: FieldErrors,
    months: Vec<u32>,
    date_styles: &'static [DateStyle],
    /// The PMS 体制 form (`web::pms_structure`).
    structure: FormState<StructureForm>,
    /// The members a post can be given to.
    members: Vec<store::organisations::Member>,
    posts: &'static [Post],
    /// The 変更履歴 of the settings and the 体制, newest first.
    history: Vec<crate::web::history::Row>,
}

impl SettingsPage {
    fn month_label(&self, month: &u32) -> String {
        self.ctx.tp("month-", &month.to_string())
    }

    /// The names and values of a post's two inputs.
    fn post_fields(&self, post: &Post) -> (&'static str, &'static str, &str, &str) {
        let (member_field, name_field) = crate::web::pms_structure::field_names(*post);
        let (member, name) = self.structure.values.values(*post);
        (member_field, name_field, member, name)
    }
}

/// Renders the settings page with its two forms: `settings` as given, the 体制 as given or as
/// stored.
pub(crate) async fn render_settings(
    state: &AppState,
    viewer: &Viewer,
    settings: FormState<SettingsForm>,
    structure: Option<FormState<StructureForm>>,
    status: StatusCode,
) -> AppResult<HttpResponse> {
    let membership = viewer.member()?;
    let org = membership.organisation.id;
    let structure = match structure {
        Some(given) => given,
        None => {
            let stored = store::pms_structure::find(&state.db, org).await?;
            FormState::new(STRUCTURE_FORM_ID, StructureForm::from_stored(stored.as_ref()))
        }
    };
    let members = store::organisations::members(&state.db, org).await?;
    let subjects =
        [store::audit::Subjects::one("organisation", org), store::audit::Subjects::one("pms_structure", org)];
    let history = crate::web::history::panel(state, org, viewer.locale(), &subjects).await?;
    let page = SettingsPage {
        ctx: viewer.page(Some(org)),
        form: settings.values,
        errors: settings.errors,
        months: (1..=12).collect(),
        date_styles: DateStyle::ALL,
        structure,
        members,
        posts: Post::ALL,
        history,
    };
    render_with_status(&page, status)
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
    let org = store::organisations::create(
        &txn,
        &Actor::user(user.id, &user.email),
        &name,
        user.id,
        state.catalogs.current(),
    )
    .await?;
    txn.commit().await?;
    viewer.flash(FlashKind::Success, "organisation-created", Some(org.name.clone()));
    Ok(see_other(&format!("/orgs/{}", org.id)))
}

pub async fn settings_form(state: web::Data<AppState>, viewer: Viewer) -> AppResult<HttpResponse> {
    let membership = viewer.member()?;
    let settings = FormState::new(SETTINGS_FORM_ID, SettingsForm::of(&membership.organisation));
    render_settings(&state, &viewer, settings, None, StatusCode::OK).await
}

pub async fn update_settings(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<OrgPath>,
    form: web::Form<SettingsForm>,
) -> AppResult<HttpResponse> {
    let membership = viewer.member()?;
    let user = viewer.user()?;
    let form = form.into_inner();
    let mut errors = FieldErrors::new();
    let name = errors.take("name", OrganisationName::parse(&form.name));
    let start = errors.take("pms_year_start_month", Month::parse(&form.pms_year_start_month));
    // A form without the field (a script written before it existed) keeps the current style.
    let dates = if form.date_style.is_empty() {
        Some(membership.organisation.date_style)
    } else {
        errors.take("date_style", DateStyle::parse(&form.date_style).map_err(|_| "error-date-style-unknown"))
    };
    let (Some(name), Some(start), Some(dates)) = (name, start, dates) else {
        let refused = FormState::refused(SETTINGS_FORM_ID, form, errors);
        return render_settings(&state, &viewer, refused, None, StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    let txn = state.db.begin().await?;
    let actor = Actor::user(user.id, &user.email);
    store::organisations::update_settings(&txn, &actor, membership.organisation.clone(), &name, start, dates).await?;
    txn.commit().await?;
    viewer.flash(FlashKind::Success, "organisation-saved", None);
    Ok(see_other(&format!("/orgs/{}/settings", path.org)))
}

/// `POST /orgs/{org}/pms-structure`: saves the PMS 体制 (`web::pms_structure`).
pub async fn update_structure(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<OrgPath>,
    form: web::Form<StructureForm>,
) -> AppResult<HttpResponse> {
    let membership = viewer.member()?;
    let user = viewer.user()?;
    let org = &membership.organisation;
    let form = form.into_inner();
    let members = store::organisations::members(&state.db, path.org).await?;
    let settings = FormState::new(SETTINGS_FORM_ID, SettingsForm::of(org));
    let (structure, version) = match form.parse(&members) {
        Ok(parsed) => parsed,
        Err(errors) => {
            let refused = FormState::refused(STRUCTURE_FORM_ID, form, errors);
            return render_settings(&state, &viewer, settings, Some(refused), StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let txn = state.db.begin().await?;
    match store::pms_structure::save(&txn, &Actor::user(user.id, &user.email), path.org, version, &structure).await {
        Ok(_) => txn.commit().await?,
        Err(SaveError::Conflict(theirs)) => {
            drop(txn);
            // Theirs is shown, and what this user entered is lost only after they read it: the
            // notice names the conflict and the form holds the saved values with the new version.
            let mut errors = FieldErrors::new();
            errors.add("lock_version", "pms-structure-conflict");
            let shown = FormState::refused(STRUCTURE_FORM_ID, StructureForm::from_stored(Some(&theirs)), errors);
            return render_settings(&state, &viewer, settings, Some(shown), StatusCode::CONFLICT).await;
        }
        Err(SaveError::Database(e)) => return Err(e.into()),
    }
    viewer.flash(FlashKind::Success, "pms-structure-saved", None);
    Ok(see_other(&format!("/orgs/{}/settings#{STRUCTURE_FORM_ID}", path.org)))
}

/// The routes of this resource, with the access each needs (see `web::routes`).
pub fn routes(r: &mut crate::web::routes::Routes) {
    use crate::web::routes::Access::*;
    use crate::web::viewer::Need;
    r.get("/orgs/new", SignedIn, new_form)
        .post("/orgs/new", SignedIn, create)
        .get("/orgs/{org}/settings", Member(Need::Manage), settings_form)
        .post("/orgs/{org}/settings", Member(Need::Manage), update_settings)
        .post("/orgs/{org}/pms-structure", Member(Need::Manage), update_structure)
        .back_to("/orgs/{org}/pms-structure", "/orgs/{org}/settings#pms-structure");
}
