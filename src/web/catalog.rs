//! `GET /catalog`: the control catalogs pmark ships, with the entries whose heading or guideline
//! mapping is not confirmed marked, so an admin knows what to check against their copy of the
//! standard. Admins of any organisation only.

use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::domain::catalog::{CatalogEntry, Checked};
use crate::web::error::{AppError, AppResult};
use crate::web::page::{PageContext, render};
use crate::web::state::AppState;
use crate::web::viewer::Viewer;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CatalogQuery {
    /// `1` to list only unconfirmed entries.
    pub unchecked: String,
}

#[derive(Template)]
#[template(path = "catalog/index.html")]
struct CatalogPage {
    ctx: PageContext,
    version: String,
    entries: Vec<CatalogEntry>,
    only_unchecked: bool,
    unchecked_count: usize,
}

pub async fn index(
    state: web::Data<AppState>,
    viewer: Viewer,
    query: web::Query<CatalogQuery>,
) -> AppResult<HttpResponse> {
    viewer.user()?;
    if !viewer.memberships.iter().any(|m| m.role.can_manage_organisation()) {
        return Err(AppError::Forbidden);
    }
    let catalog = state.catalogs.current();
    let only_unchecked = query.unchecked == "1";
    let unchecked_count = catalog.entries().iter().filter(|e| e.checked != Checked::Yes).count();
    let entries = catalog.entries().iter().filter(|e| !only_unchecked || e.checked != Checked::Yes).cloned().collect();
    render(&CatalogPage {
        ctx: viewer.page(None),
        version: catalog.version.clone(),
        entries,
        only_unchecked,
        unchecked_count,
    })
}

/// The routes of this resource, with the access each needs (see `web::routes`).
pub fn routes(r: &mut crate::web::routes::Routes) {
    use crate::web::routes::Access::*;
    r.get("/catalog", SignedIn, index);
}
