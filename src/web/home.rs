//! `GET /`: the organisations of the signed-in user.

use actix_web::HttpResponse;
use askama::Template;

use crate::web::error::AppResult;
use crate::web::page::{PageContext, render, see_other};
use crate::web::viewer::Viewer;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    ctx: PageContext,
}

pub async fn index(viewer: Viewer) -> AppResult<HttpResponse> {
    viewer.user()?;
    if let [only] = viewer.memberships.as_slice() {
        return Ok(see_other(&format!("/orgs/{}", only.organisation.id)));
    }
    render(&HomePage { ctx: viewer.page(None) })
}

/// The routes of this resource, with the access each needs (see `web::routes`).
pub fn routes(r: &mut crate::web::routes::Routes) {
    use crate::web::routes::Access::*;
    r.get("/", Anyone, index);
}
