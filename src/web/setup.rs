//! First run: with no account yet, the server logs `/setup?token=…`; the form there creates the
//! first administrator and their organisation, once.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use sea_orm::TransactionTrait;
use serde::Deserialize;

use crate::domain::{DisplayName, EmailAddress, FieldErrors, NewPassword, OrganisationName};
use crate::security::tokens::constant_time_eq;
use crate::store::{self, audit::Actor};
use crate::web::error::{AppError, AppResult};
use crate::web::page::{PageContext, render, render_with_status, see_other};
use crate::web::session::{self, FlashKind};
use crate::web::state::AppState;
use crate::web::viewer::Viewer;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct SetupForm {
    pub token: String,
    pub organisation_name: String,
    pub display_name: String,
    pub email: String,
    pub password: String,
    pub password_confirmation: String,
}

#[derive(Template)]
#[template(path = "setup/form.html")]
struct SetupPage {
    ctx: PageContext,
    /// The values entered (passwords are never sent back).
    form: SetupForm,
    errors: FieldErrors,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TokenQuery {
    pub token: String,
}

/// The setup token matches and no administrator exists yet.
fn token_valid(state: &AppState, token: &str) -> bool {
    state.current_setup_token().is_some_and(|expected| constant_time_eq(&expected, token))
}

pub async fn form(
    state: web::Data<AppState>,
    viewer: Viewer,
    query: web::Query<TokenQuery>,
) -> AppResult<HttpResponse> {
    if !token_valid(&state, &query.token) || store::setup::is_completed(&state.db).await? {
        return Err(AppError::NotFound);
    }
    let form = SetupForm { token: query.token.clone(), ..SetupForm::default() };
    render(&SetupPage { ctx: viewer.page(None), form, errors: FieldErrors::new() })
}

pub async fn submit(state: web::Data<AppState>, viewer: Viewer, form: web::Form<SetupForm>) -> AppResult<HttpResponse> {
    let mut form = form.into_inner();
    if !token_valid(&state, &form.token) {
        return Err(AppError::NotFound);
    }
    let mut errors = FieldErrors::new();
    let organisation = errors.take("organisation_name", OrganisationName::parse(&form.organisation_name));
    let name = errors.take("display_name", DisplayName::parse(&form.display_name));
    let email = errors.take("email", EmailAddress::parse(&form.email));
    let password = errors.take("password", NewPassword::parse(&form.password, &form.password_confirmation));
    let (Some(organisation), Some(name), Some(email), Some(password)) = (organisation, name, email, password) else {
        form.password.clear();
        form.password_confirmation.clear();
        return render_with_status(
            &SetupPage { ctx: viewer.page(None), form, errors },
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    };
    let hash = state.hash_password(password.expose().to_owned()).await?;
    let txn = state.db.begin().await?;
    if !store::setup::mark_completed(&txn).await? {
        return Err(AppError::NotFound);
    }
    let setup_actor = Actor { user_id: None, label: "setup".to_owned() };
    let user = store::users::create(&txn, &setup_actor, &email, &name, hash, viewer.lang)
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    let org = store::organisations::create(
        &txn,
        &Actor::user(user.id, &user.email),
        &organisation,
        user.id,
        state.catalogs.current(),
    )
    .await?;
    txn.commit().await?;
    state.close_setup();
    tracing::info!(user_id = user.id, organisation_id = org.id, "first administrator created; setup closed");
    session::sign_in(&viewer.session, &user)?;
    session::flash(&viewer.session, FlashKind::Success, "setup-done", None);
    Ok(see_other(&format!("/orgs/{}", org.id)))
}

/// The routes of this resource, with the access each needs (see `web::routes`).
pub fn routes(r: &mut crate::web::routes::Routes) {
    use crate::web::routes::Access::*;
    r.get("/setup", Anyone, form).post("/setup", Anyone, submit);
}
