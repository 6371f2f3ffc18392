//! `GET /catalog`: the control catalogs pmark ships, the 2024 guideline first, with a switch
//! between the editions. Each row carries its crosswalk ids in the other edition as a secondary
//! label; headings not seen in a source carry a small mark explained on hover and in one legend
//! line, so an admin knows what to check against their copy. Admins of any organisation only.

use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::domain::catalog::{CatalogRow, Confidence, Edition};
use crate::domain::term::Term;
use crate::web::error::{AppError, AppResult};
use crate::web::page::{PageContext, render};
use crate::web::state::AppState;
use crate::web::viewer::Viewer;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CatalogQuery {
    /// `guideline-2024` (the default) or `jisq15001-2017`.
    pub edition: String,
    /// `1` to list only entries whose heading is not confirmed.
    pub unchecked: String,
}

/// One row as the page shows it.
struct EntryView {
    id: String,
    depth: usize,
    is_section: bool,
    title_ja: String,
    title_en: String,
    /// Our own one-line description in the UI language.
    description: String,
    unverified: bool,
    /// The crosswalk ids in the other edition, with `true` for an inferred pair.
    counterparts: Vec<(String, bool)>,
}

impl EntryView {
    fn new(row: &CatalogRow<'_>, english: bool) -> Self {
        let entry = row.entry;
        Self {
            id: entry.id.clone(),
            depth: entry.depth,
            is_section: !entry.is_control(),
            title_ja: entry.title_ja.clone(),
            title_en: entry.title_en.clone(),
            description: if english { entry.description_en.clone() } else { entry.description_ja.clone() },
            unverified: entry.is_unverified(),
            counterparts: row.counterparts.iter().map(|c| (c.label(), c.confidence == Confidence::Inferred)).collect(),
        }
    }
}

#[derive(Template)]
#[template(path = "catalog/index.html")]
struct CatalogPage {
    ctx: PageContext,
    /// The edition shown.
    edition: Edition,
    /// Every edition, for the switch (the 2024 guideline first).
    editions: &'static [Edition],
    version: String,
    /// The edition the crosswalk labels belong to.
    other: Edition,
    entries: Vec<EntryView>,
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
    let edition = match query.edition.as_str() {
        "" => Edition::Guideline2024,
        code => Edition::parse(code).map_err(|_| AppError::NotFound)?,
    };
    let ctx = viewer.page(None);
    let english = ctx.lang.code() == "en";
    let rows = state.catalogs.rows(edition);
    let only_unchecked = query.unchecked == "1";
    let unchecked_count = rows.iter().filter(|r| r.entry.is_unverified()).count();
    let entries = rows
        .iter()
        .filter(|r| !only_unchecked || r.entry.is_unverified())
        .map(|r| EntryView::new(r, english))
        .collect();
    render(&CatalogPage {
        ctx,
        edition,
        editions: Edition::ALL,
        version: edition.version().to_owned(),
        other: edition.other(),
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
