//! `/invitations/{token}`: joining an organisation from an invitation link, with a new account
//! (name and password) or the account already signed in with the invited address.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use sea_orm::TransactionTrait;
use serde::Deserialize;

use crate::domain::{DisplayName, EmailAddress, FieldErrors, NewPassword, Role};
use crate::entities::invitation;
use crate::store::{self, audit::Actor};
use crate::web::error::{AppError, AppResult};
use crate::web::page::{PageContext, render_with_status, see_other};
use crate::web::session::{self, FlashKind};
use crate::web::state::AppState;
use crate::web::viewer::Viewer;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AcceptForm {
    pub display_name: String,
    pub password: String,
    pub password_confirmation: String,
}

/// What the person opening the link can do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Situation {
    /// Signed in with the invited address: one click joins.
    SignedInAsInvitee,
    /// Signed in with another address: must sign out first.
    SignedInAsSomeoneElse,
    /// Signed out and the address has an account: sign in first.
    AccountExists,
    /// Signed out and no account: create one here.
    NewAccount,
    /// Accepted by a parallel request while this one was on its way (409).
    Taken,
}

#[derive(Template)]
#[template(path = "invitations/show.html")]
struct InvitationPage {
    ctx: PageContext,
    organisation_name: String,
    email: String,
    role: Role,
    situation: Situation,
    token: String,
    form: AcceptForm,
    errors: FieldErrors,
}

struct Opened {
    invitation: invitation::Model,
    organisation_name: String,
    role: Role,
    situation: Situation,
}

/// The invitation behind a link: usable, or `Taken` when it was accepted (an accept that lost
/// the race answers 409 with that; the page of a used link is 404). Revoked, expired or unknown
/// links are 404.
async fn open(state: &AppState, viewer: &Viewer, token: &str) -> AppResult<Opened> {
    let invitation = store::invitations::find_by_token(&state.db, token)
        .await?
        .filter(|i| i.accepted_at.is_some() || store::invitations::is_usable(i, state.clock.now()))
        .ok_or(AppError::NotFound)?;
    let organisation =
        store::organisations::find(&state.db, invitation.organisation_id).await?.ok_or(AppError::NotFound)?;
    let role = invitation.role;
    let situation = match &viewer.user {
        _ if invitation.accepted_at.is_some() => Situation::Taken,
        Some(user) if user.email == invitation.email => Situation::SignedInAsInvitee,
        Some(_) => Situation::SignedInAsSomeoneElse,
        None => {
            let email = EmailAddress::parse(&invitation.email)
                .map_err(|_| anyhow::anyhow!("stored invitation e-mail is invalid"))?;
            if store::users::find_by_email(&state.db, &email).await?.is_some() {
                Situation::AccountExists
            } else {
                Situation::NewAccount
            }
        }
    };
    Ok(Opened { invitation, organisation_name: organisation.name, role, situation })
}

fn page(
    viewer: &Viewer,
    opened: Opened,
    token: String,
    form: AcceptForm,
    errors: FieldErrors,
    status: StatusCode,
) -> AppResult<HttpResponse> {
    render_with_status(
        &InvitationPage {
            ctx: viewer.page(None),
            organisation_name: opened.organisation_name,
            email: opened.invitation.email,
            role: opened.role,
            situation: opened.situation,
            token,
            form,
            errors,
        },
        status,
    )
}

pub async fn show(state: web::Data<AppState>, viewer: Viewer, token: web::Path<String>) -> AppResult<HttpResponse> {
    let opened = open(&state, &viewer, &token).await?;
    if opened.situation == Situation::Taken {
        return Err(AppError::NotFound);
    }
    page(&viewer, opened, token.into_inner(), AcceptForm::default(), FieldErrors::new(), StatusCode::OK)
}

pub async fn accept(
    state: web::Data<AppState>,
    viewer: Viewer,
    token: web::Path<String>,
    form: web::Form<AcceptForm>,
) -> AppResult<HttpResponse> {
    let opened = open(&state, &viewer, &token).await?;
    let organisation_id = opened.invitation.organisation_id;
    match opened.situation {
        Situation::SignedInAsInvitee => {
            let user = viewer.user()?;
            let txn = state.db.begin().await?;
            if !store::invitations::accept(&txn, &Actor::user(user.id, &user.email), opened.invitation.clone(), user.id)
                .await?
            {
                return lost_race(&state, &viewer, opened, token.into_inner()).await;
            }
            txn.commit().await?;
        }
        Situation::NewAccount => {
            let mut form = form.into_inner();
            let mut errors = FieldErrors::new();
            let name = errors.take("display_name", DisplayName::parse(&form.display_name));
            let password = errors.take("password", NewPassword::parse(&form.password, &form.password_confirmation));
            let (Some(name), Some(password)) = (name, password) else {
                form.password.clear();
                form.password_confirmation.clear();
                return page(&viewer, opened, token.into_inner(), form, errors, StatusCode::UNPROCESSABLE_ENTITY);
            };
            let email = EmailAddress::parse(&opened.invitation.email)
                .map_err(|_| anyhow::anyhow!("stored invitation e-mail is invalid"))?;
            let hash = state.hash_password(password.expose().to_owned()).await?;
            let txn = state.db.begin().await?;
            let invitee = Actor { user_id: None, label: email.as_str().to_owned() };
            let user = match store::users::create(&txn, &invitee, &email, &name, hash, viewer.lang).await {
                Ok(user) => user,
                // A parallel accept created the account first.
                Err(store::users::CreateUserError::EmailTaken) => {
                    drop(txn);
                    return lost_race(&state, &viewer, opened, token.into_inner()).await;
                }
                Err(e) => return Err(AppError::Internal(e.into())),
            };
            if !store::invitations::accept(&txn, &Actor::user(user.id, &user.email), opened.invitation.clone(), user.id)
                .await?
            {
                // Revoked, expired or accepted while the form was being filled in: no account either.
                drop(txn);
                return lost_race(&state, &viewer, opened, token.into_inner()).await;
            }
            txn.commit().await?;
            session::sign_in(&viewer.session, &user)?;
        }
        // The account may exist because a parallel accept just created it: say so then.
        Situation::AccountExists if store::invitations::is_accepted(&state.db, opened.invitation.id).await? => {
            return lost_race(&state, &viewer, opened, token.into_inner()).await;
        }
        Situation::SignedInAsSomeoneElse | Situation::AccountExists | Situation::Taken => {
            return page(
                &viewer,
                opened,
                token.into_inner(),
                AcceptForm::default(),
                FieldErrors::new(),
                StatusCode::CONFLICT,
            );
        }
    }
    session::flash(&viewer.session, FlashKind::Success, "invitation-accepted", None);
    Ok(see_other(&format!("/orgs/{organisation_id}")))
}

/// The answer to an accept that lost: 409 with a clear message when a parallel request accepted
/// the invitation first, 404 when it was revoked or expired meanwhile.
async fn lost_race(state: &AppState, viewer: &Viewer, opened: Opened, token: String) -> AppResult<HttpResponse> {
    if !store::invitations::is_accepted(&state.db, opened.invitation.id).await? {
        return Err(AppError::NotFound);
    }
    let opened = Opened { situation: Situation::Taken, ..opened };
    page(viewer, opened, token, AcceptForm::default(), FieldErrors::new(), StatusCode::CONFLICT)
}

/// The routes of this resource, with the access each needs (see `web::routes`).
pub fn routes(r: &mut crate::web::routes::Routes) {
    use crate::web::routes::Access::*;
    r.get("/invitations/{token}", Anyone, show).post("/invitations/{token}", Anyone, accept);
}
