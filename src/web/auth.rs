//! Sign-in and sign-out. Failures look the same whether or not the account exists, and after
//! `auth.max_failed_logins` failures for an address, attempts wait `auth.lockout_minutes`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::Duration;
use serde::Deserialize;

use crate::domain::FieldErrors;
use crate::store::{self, throttle};
use crate::web::error::AppResult;
use crate::web::page::{PageContext, render, render_with_status, see_other};
use crate::web::safe_next;
use crate::web::session;
use crate::web::state::AppState;
use crate::web::viewer::Viewer;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LoginForm {
    pub email: String,
    pub password: String,
    pub next: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NextQuery {
    pub next: String,
}

#[derive(Template)]
#[template(path = "auth/login.html")]
struct LoginPage {
    ctx: PageContext,
    /// The address typed, kept on a failed attempt (never the password).
    email: String,
    /// Where to go after signing in.
    next: String,
    /// Field errors (empty fields).
    errors: FieldErrors,
    /// Translation key of a form-level failure (bad credentials, locked out).
    failure: Option<&'static str>,
}

pub async fn form(viewer: Viewer, query: web::Query<NextQuery>) -> AppResult<HttpResponse> {
    if viewer.user.is_some() {
        return Ok(see_other(&safe_next(&query.next)));
    }
    render(&LoginPage {
        ctx: viewer.page(None),
        email: String::new(),
        next: query.next.clone(),
        errors: FieldErrors::new(),
        failure: None,
    })
}

pub async fn submit(state: web::Data<AppState>, viewer: Viewer, form: web::Form<LoginForm>) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let mut errors = FieldErrors::new();
    if form.email.trim().is_empty() {
        errors.add("email", "error-required");
    }
    if form.password.is_empty() {
        errors.add("password", "error-required");
    }
    let page = |viewer: &Viewer, errors: FieldErrors, failure: Option<&'static str>| LoginPage {
        ctx: viewer.page(None),
        email: form.email.clone(),
        next: form.next.clone(),
        errors,
        failure,
    };
    if !errors.is_empty() {
        return render_with_status(&page(&viewer, errors, None), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let email_key = form.email.trim().to_lowercase();
    let account = match crate::domain::EmailAddress::parse(&email_key) {
        Ok(email) => store::users::find_by_email(&state.db, &email).await?,
        Err(_) => None,
    };
    let stored = account.as_ref().map(|u| u.password_hash.clone());
    let user = match check_password(&state, &email_key, form.password.clone(), stored).await? {
        PasswordCheck::Locked => {
            return render_with_status(&page(&viewer, errors, Some("login-locked")), StatusCode::TOO_MANY_REQUESTS);
        }
        PasswordCheck::Wrong => None,
        PasswordCheck::Right => account,
    };
    let Some(user) = user else {
        tracing::info!("failed sign-in");
        return render_with_status(&page(&viewer, errors, Some("login-failed")), StatusCode::UNAUTHORIZED);
    };
    session::sign_in(&viewer.session, &user)?;
    tracing::info!(user_id = user.id, "signed in");
    Ok(see_other(&safe_next(&form.next)))
}

/// What a throttled password check found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordCheck {
    /// Too many failures for this address: the password was not even looked at.
    Locked,
    Wrong,
    Right,
}

/// Checks a password for an address under the sign-in throttle (`auth.max_failed_logins`): the
/// attempt is reserved before the password is verified, so parallel guesses cannot outrun the
/// count, and a right password clears it. Sign-in and the current-password check share it.
///
/// # Errors
/// When the throttle store fails or the blocking pool is gone.
pub async fn check_password(
    state: &AppState,
    email_key: &str,
    password: String,
    stored: Option<String>,
) -> AppResult<PasswordCheck> {
    let auth = &state.settings.auth;
    let policy = throttle::Policy {
        max_failures: auth.max_failed_logins,
        lockout: Duration::minutes(i64::from(auth.lockout_minutes)),
    };
    if !throttle::reserve_attempt(&state.db, email_key, state.clock.now(), policy).await? {
        return Ok(PasswordCheck::Locked);
    }
    if !state.verify_password(password, stored).await? {
        return Ok(PasswordCheck::Wrong);
    }
    throttle::clear(&state.db, email_key).await?;
    Ok(PasswordCheck::Right)
}

pub async fn logout(viewer: Viewer) -> HttpResponse {
    viewer.session.purge();
    see_other("/login")
}

/// The routes of this resource, with the access each needs (see `web::routes`).
pub fn routes(r: &mut crate::web::routes::Routes) {
    use crate::web::routes::Access::*;
    r.get("/login", Anyone, form).post("/login", Anyone, submit).post("/logout", Anyone, logout);
}
