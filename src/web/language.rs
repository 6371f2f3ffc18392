//! `POST /lang`: switches the UI language for the session and, when signed in, the account.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::domain::{DisplayName, Lang};
use crate::store::{self, audit::Actor};
use crate::web::error::{AppError, AppResult};
use crate::web::page::see_other;
use crate::web::safe_next;
use crate::web::session;
use crate::web::state::AppState;
use crate::web::viewer::Viewer;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct LangForm {
    pub lang: String,
    pub next: String,
}

pub async fn switch(state: web::Data<AppState>, viewer: Viewer, form: web::Form<LangForm>) -> AppResult<HttpResponse> {
    let lang = Lang::parse(&form.lang).map_err(AppError::BadRequest)?;
    session::set_lang(&viewer.session, lang)?;
    if let Some(user) = viewer.user.clone() {
        let actor = Actor::user(user.id, &user.email);
        let name =
            DisplayName::parse(&user.display_name).map_err(|_| anyhow::anyhow!("stored display name is invalid"))?;
        store::users::update_profile(&state.db, &actor, user, &name, lang).await?;
    }
    Ok(see_other(&safe_next(&form.next)))
}

/// The routes of this resource, with the access each needs (see `web::routes`).
pub fn routes(r: &mut crate::web::routes::Routes) {
    use crate::web::routes::Access::*;
    r.post("/lang", Anyone, switch);
}
