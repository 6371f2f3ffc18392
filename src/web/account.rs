//! `/account`: the signed-in user's name, language and password.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use sea_orm::TransactionTrait;
use serde::Deserialize;

use crate::domain::{DisplayName, FieldErrors, Lang, NewPassword};
use crate::store::{self, audit::Actor};
use crate::web::auth::{PasswordCheck, check_password};
use crate::web::error::AppResult;
use crate::web::page::{PageContext, render, render_with_status, see_other};
use crate::web::session::{self, FlashKind};
use crate::web::state::AppState;
use crate::web::viewer::Viewer;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ProfileForm {
    pub display_name: String,
    pub lang: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PasswordForm {
    pub current_password: String,
    pub new_password: String,
    pub new_password_confirmation: String,
}

#[derive(Template)]
#[template(path = "account/show.html")]
struct AccountPage {
    ctx: PageContext,
    email: String,
    /// Values of the profile form.
    profile: ProfileForm,
    profile_errors: FieldErrors,
    password_errors: FieldErrors,
    /// Per organisation: its id, its name, whether the viewer edits there (and so receives its
    /// reminders), and whether they opted out of the reminders that are not a legal duty.
    reminders: Vec<ReminderPreference>,
}

pub struct ReminderPreference {
    pub organisation_id: i32,
    pub organisation: String,
    pub receives: bool,
    pub opted_out: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ReminderForm {
    pub organisation_id: i32,
    /// `"true"` to stop the reminders that are not a legal duty, anything else to receive them.
    pub opt_out: String,
}

async fn page(
    state: &AppState,
    viewer: &Viewer,
    profile: ProfileForm,
    profile_errors: FieldErrors,
    password_errors: FieldErrors,
) -> AppResult<AccountPage> {
    let user = viewer.user()?;
    let opted_out = store::reminder_recipients::opted_out_organisations(&state.db, user.id).await?;
    let reminders = viewer
        .memberships
        .iter()
        .map(|m| ReminderPreference {
            organisation_id: m.organisation.id,
            organisation: m.organisation.name.clone(),
            receives: m.role.can_edit(),
            opted_out: opted_out.contains(&m.organisation.id),
        })
        .collect();
    Ok(AccountPage {
        ctx: viewer.page(None),
        email: user.email.clone(),
        profile,
        profile_errors,
        password_errors,
        reminders,
    })
}

/// Turns the reminders that are not a legal duty off or on for one organisation.
pub async fn update_reminders(
    state: web::Data<AppState>,
    viewer: Viewer,
    form: web::Form<ReminderForm>,
) -> AppResult<HttpResponse> {
    let user = viewer.user()?;
    let opt_out = form.opt_out == "true";
    let actor = Actor::user(user.id, &user.email);
    let txn = state.db.begin().await?;
    let member = store::reminder_recipients::set_opt_out(&txn, &actor, form.organisation_id, user.id, opt_out).await?;
    txn.commit().await?;
    if !member {
        return Err(crate::web::error::AppError::NotFound);
    }
    viewer.flash(FlashKind::Success, if opt_out { "account-reminders-off" } else { "account-reminders-on" }, None);
    Ok(see_other("/account"))
}

pub async fn show(state: web::Data<AppState>, viewer: Viewer) -> AppResult<HttpResponse> {
    let user = viewer.user()?;
    let profile = ProfileForm { display_name: user.display_name.clone(), lang: user.locale.code().to_owned() };
    render(&page(&state, &viewer, profile, FieldErrors::new(), FieldErrors::new()).await?)
}

pub async fn update_profile(
    state: web::Data<AppState>,
    viewer: Viewer,
    form: web::Form<ProfileForm>,
) -> AppResult<HttpResponse> {
    let user = viewer.user()?.clone();
    let form = form.into_inner();
    let mut errors = FieldErrors::new();
    let name = errors.take("display_name", DisplayName::parse(&form.display_name));
    let lang = errors.take("lang", Lang::parse(&form.lang));
    let (Some(name), Some(lang)) = (name, lang) else {
        return render_with_status(
            &page(&state, &viewer, form, errors, FieldErrors::new()).await?,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    };
    let actor = Actor::user(user.id, &user.email);
    store::users::update_profile(&state.db, &actor, user, &name, lang).await?;
    session::set_lang(&viewer.session, lang)?;
    viewer.flash(FlashKind::Success, "account-profile-saved", None);
    Ok(see_other("/account"))
}

pub async fn change_password(
    state: web::Data<AppState>,
    viewer: Viewer,
    form: web::Form<PasswordForm>,
) -> AppResult<HttpResponse> {
    let user = viewer.user()?.clone();
    let form = form.into_inner();
    let mut errors = FieldErrors::new();
    let new_password =
        errors.take("new_password", NewPassword::parse(&form.new_password, &form.new_password_confirmation));
    let check = check_password(
        &state,
        &user.email.to_lowercase(),
        form.current_password.clone(),
        Some(user.password_hash.clone()),
    )
    .await?;
    let current_ok = check == PasswordCheck::Right;
    match check {
        PasswordCheck::Locked => errors.add("current_password", "login-locked"),
        PasswordCheck::Wrong => errors.add("current_password", "error-current-password"),
        PasswordCheck::Right => {}
    }
    let Some(new_password) = new_password.filter(|_| current_ok) else {
        let profile = ProfileForm { display_name: user.display_name.clone(), lang: user.locale.code().to_owned() };
        let status = if check == PasswordCheck::Locked {
            StatusCode::TOO_MANY_REQUESTS
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        return render_with_status(&page(&state, &viewer, profile, FieldErrors::new(), errors).await?, status);
    };
    let hash = state.hash_password(new_password.expose().to_owned()).await?;
    let actor = Actor::user(user.id, &user.email);
    let txn = state.db.begin().await?;
    store::users::set_password_hash(&txn, &actor, user.clone(), hash).await?;
    txn.commit().await?;
    if let Some(updated) = store::users::find_by_id(&state.db, user.id).await? {
        session::refresh_password_stamp(&viewer.session, &updated)?;
    }
    viewer.flash(FlashKind::Success, "account-password-changed", None);
    Ok(see_other("/account"))
}

/// The routes of this resource, with the access each needs (see `web::routes`).
pub fn routes(r: &mut crate::web::routes::Routes) {
    use crate::web::routes::Access::*;
    r.get("/account", SignedIn, show)
        .post("/account/profile", SignedIn, update_profile)
        .back_to("/account/profile", "/account#profile-form")
        .post("/account/password", SignedIn, change_password)
        .back_to("/account/password", "/account#password-form")
        .post("/account/reminders", SignedIn, update_reminders)
        .back_to("/account/reminders", "/account");
}
