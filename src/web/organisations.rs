//! Organisations: create one, and its settings (admins).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use sea_orm::TransactionTrait;
use serde::Deserialize;

use crate::domain::lang::DateStyle;
use crate::domain::pms_year::Month;
use crate::domain::term::Term;
use crate::domain::{FieldErrors, OrganisationName};
use crate::store::{self, audit::Actor};
use crate::web::error::AppResult;
use crate::web::forms::OrgPath;
use crate::web::page::{PageContext, render, render_with_status, see_other};
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

#[derive(Template)]
#[template(path = "organisations/settings.html")]
struct SettingsPage {
    ctx: PageContext,
    form: SettingsForm,
    errors: FieldErrors,
    months: Vec<u32>,
    date_styles: &'static [DateStyle],
}

impl SettingsPage {
    fn month_label(&self, month: &u32) -> String {
        self.ctx.tp("month-", &month.to_string())
    }
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

pub async fn settings_form(viewer: Viewer, path: web::Path<OrgPath>) -> AppResult<HttpResponse> {
    let membership = viewer.member()?;
    let org = &membership.organisation;
    let form = SettingsForm {
        name: org.name.clone(),
        pms_year_start_month: org.pms_year_start_month.to_string(),
        date_style: org.date_style.as_str().to_owned(),
    };
    render(&SettingsPage {
        ctx: viewer.page(Some(path.org)),
        form,
        errors: FieldErrors::new(),
        months: (1..=12).collect(),
        date_styles: DateStyle::ALL,
    })
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
        return render_with_status(
            &SettingsPage {
                ctx: viewer.page(Some(path.org)),
                form,
                errors,
                months: (1..=12).collect(),
                date_styles: DateStyle::ALL,
            },
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    };
    let txn = state.db.begin().await?;
    let actor = Actor::user(user.id, &user.email);
    store::organisations::update_settings(&txn, &actor, membership.organisation.clone(), &name, start, dates).await?;
    txn.commit().await?;
    viewer.flash(FlashKind::Success, "organisation-saved", None);
    Ok(see_other(&format!("/orgs/{}/settings", path.org)))
}

/// The routes of this resource, with the access each needs (see `web::routes`).
pub fn routes(r: &mut crate::web::routes::Routes) {
    use crate::web::routes::Access::*;
    use crate::web::viewer::Need;
    r.get("/orgs/new", SignedIn, new_form)
        .post("/orgs/new", SignedIn, create)
        .get("/orgs/{org}/settings", Member(Need::Manage), settings_form)
        .post("/orgs/{org}/settings", Member(Need::Manage), update_settings);
}
