//! `/orgs/{org}/people`: the organisation's people (従業者) by department and employment type,
//! one person's page with their 変更履歴, and the HR list import (`import`).

pub mod import;

use std::collections::HashMap;

use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::domain::people::{EmploymentType, PmsRole};
use crate::domain::term::Term;
use crate::entities::person;
use crate::store;
use crate::store::people::{PersonFilter, PersonSort, Presence};
use crate::web::error::{AppError, AppResult};
use crate::web::forms::OrgPath;
use crate::web::list::{ListQuery, ListView};
use crate::web::page::{PageContext, render};
use crate::web::state::AppState;
use crate::web::viewer::Viewer;

#[derive(Debug, Deserialize)]
pub struct PersonPath {
    pub org: i32,
    pub person: i32,
}

/// The list's own filters as the URL carries them (the search is the list component's `q`).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListFilter {
    /// `current` (default), `left` or `all`.
    pub presence: String,
    /// A department id, or empty for every department.
    pub department: String,
    /// An employment type, or empty for every type.
    pub employment: String,
}

impl ListFilter {
    fn to_filter(&self, search: &str) -> PersonFilter {
        PersonFilter {
            presence: match self.presence.as_str() {
                "left" => Presence::Left,
                "all" => Presence::All,
                _ => Presence::Current,
            },
            department_id: self.department.parse().ok(),
            employment: EmploymentType::parse(&self.employment).ok(),
            text: search.to_owned(),
        }
    }
}

/// One line of the list.
pub struct PersonRow {
    pub person: person::Model,
    pub department: String,
    pub employment: String,
    pub roles: Vec<PmsRole>,
}

#[derive(Template)]
#[template(path = "people/index.html", blocks = ["title", "content"])]
struct ListPage {
    ctx: PageContext,
    org_id: i32,
    rows: Vec<PersonRow>,
    list: ListView,
    filter: ListFilter,
    /// `(id, path)` of every department, by path.
    departments: Vec<(i32, String)>,
    employments: &'static [EmploymentType],
    can_edit: bool,
}

/// Each department's path as shown (`営業部 / 第一課`), by id.
pub async fn department_names(state: &AppState, org: i32) -> Result<HashMap<i32, String>, sea_orm::DbErr> {
    Ok(names_of(&store::people::departments(&state.db, org).await?))
}

/// Department id → its path as shown (営業部 / 第一課).
pub fn names_of(departments: &[crate::entities::department::Model]) -> HashMap<i32, String> {
    store::people::department_paths(departments).into_iter().map(|(id, path)| (id, path.join(" / "))).collect()
}

/// The employment type as shown: the organisation's own name for `other`.
fn employment_text(viewer: &Viewer, person: &person::Model) -> String {
    match (&person.employment, &person.employment_label) {
        (EmploymentType::Other, Some(label)) => label.clone(),
        (employment, _) => crate::i18n::t(viewer.lang, &employment.label_key()),
    }
}

/// `GET /orgs/{org}/people`: one page of the people (in post by default).
pub async fn index(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<OrgPath>,
    list: ListQuery<PersonSort, ListFilter>,
) -> AppResult<HttpResponse> {
    let membership = viewer.member()?;
    // People move the organisation's data version: a repeated view is served from the cache.
    crate::web::cached::org_page(&state, &viewer, async |ctx| {
        let names = department_names(&state, path.org).await?;
        let filter = list.filter.to_filter(&list.search);
        let page = store::people::page(&state.db, path.org, &filter, state.clock.today(), list.request()).await?;
        let view = list.view(format!("/orgs/{}/people", path.org), &page);
        let rows = page
            .rows
            .into_iter()
            .map(|person| PersonRow {
                department: person.department_id.and_then(|id| names.get(&id).cloned()).unwrap_or_default(),
                employment: employment_text(&viewer, &person),
                roles: store::people::roles_of(&person.roles),
                person,
            })
            .collect();
        let mut departments: Vec<(i32, String)> = names.into_iter().collect();
        departments.sort_by(|a, b| a.1.cmp(&b.1));
        Ok(ListPage {
            ctx,
            org_id: path.org,
            rows,
            list: view,
            filter: ListFilter {
                presence: list.filter.presence.clone(),
                department: list.filter.department.clone(),
                employment: list.filter.employment.clone(),
            },
            departments,
            employments: EmploymentType::ALL,
            can_edit: membership.role.can_edit(),
        })
    })
    .await
}

crate::cached_blocks!(ListPage);

#[derive(Template)]
#[template(path = "people/show.html")]
struct ShowPage {
    ctx: PageContext,
    org_id: i32,
    person: person::Model,
    department: String,
    employment: String,
    roles: Vec<PmsRole>,
    /// The member account linked to the person, by name.
    member: Option<String>,
    /// The person's 変更履歴, newest first.
    history: Vec<crate::web::history::Row>,
}

/// `GET /orgs/{org}/people/{person}`: one person with their history.
pub async fn show(state: web::Data<AppState>, viewer: Viewer, path: web::Path<PersonPath>) -> AppResult<HttpResponse> {
    let person = store::people::find(&state.db, path.org, path.person).await?.ok_or(AppError::NotFound)?;
    let names = department_names(&state, path.org).await?;
    let member = match person.user_id {
        Some(user) => store::organisations::members(&state.db, path.org)
            .await?
            .into_iter()
            .find(|m| m.user.id == user)
            .map(|m| m.user.display_name),
        None => None,
    };
    let history = crate::web::history::panel(
        &state,
        path.org,
        viewer.locale(),
        &[store::audit::Subjects::one("person", person.id)],
    )
    .await?;
    render(&ShowPage {
        ctx: viewer.page(Some(path.org)),
        org_id: path.org,
        department: person.department_id.and_then(|id| names.get(&id).cloned()).unwrap_or_default(),
        employment: employment_text(&viewer, &person),
        roles: store::people::roles_of(&person.roles),
        member,
        history,
        person,
    })
}

/// The routes of this resource, with the access each needs (see `web::routes`).
pub fn routes(r: &mut crate::web::routes::Routes) {
    use crate::web::routes::Access::*;
    use crate::web::viewer::Need;
    r.get("/orgs/{org}/people", Member(Need::Read), index)
        .get("/orgs/{org}/people/import", Member(Need::Edit), import::form)
        .post("/orgs/{org}/people/import", Member(Need::Edit), import::preview)
        .post("/orgs/{org}/people/import/apply", Member(Need::Edit), import::apply)
        .back_to("/orgs/{org}/people/import/apply", "/orgs/{org}/people/import")
        .get("/orgs/{org}/people/{person}", Member(Need::Read), show);
}
