//! `GET /orgs/{org}/audit`: the organisation's audit trail (admins, auditors), newest first,
//! paged, filtered by who, what kind of record and period.

use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;

use crate::store;
use crate::store::audit::{AuditFilter, AuditSort};
use crate::web::error::AppResult;
use crate::web::forms::OrgPath;
use crate::web::list::{ListQuery, ListView};
use crate::web::page::PageContext;
use crate::web::state::AppState;
use crate::web::viewer::Viewer;

/// The kinds of record the "what" filter offers (those with a label in `audit-entity-*`).
pub const ENTITIES: [&str; 18] = [
    "certification",
    "control",
    "corrective_action",
    "department",
    "duty",
    "duty_record",
    "incident",
    "incident_filing",
    "incident_timeline",
    "invitation",
    "mail",
    "membership",
    "organisation",
    "outbox",
    "person",
    "reminder_recipient",
    "training",
    "user",
];

/// The trail's filters as the URL carries them (`who`, `what`, `from`, `to`).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct FilterQuery {
    /// Part of the actor's name or e-mail address.
    pub who: String,
    /// One of `ENTITIES`, or empty for all.
    pub what: String,
    /// First day of the period (JST), `YYYY-MM-DD`.
    pub from: String,
    /// Last day of the period (JST), included.
    pub to: String,
}

impl FilterQuery {
    /// The store's filter; an unknown kind or a malformed date filters nothing.
    fn to_filter(&self) -> AuditFilter {
        let day = |text: &str| crate::domain::control::parse_date(text).ok();
        AuditFilter {
            actor: crate::web::list::search_text(&self.who),
            entity: ENTITIES.iter().find(|e| **e == self.what).map(|e| (*e).to_owned()),
            from: day(&self.from).map(japan_midnight),
            before: day(&self.to).and_then(|d| d.succ_opt()).map(japan_midnight),
        }
    }
}

/// The instant a day starts in Japan (JST, UTC+9), where the trail's times are shown.
fn japan_midnight(day: NaiveDate) -> DateTime<Utc> {
    day.and_time(chrono::NaiveTime::MIN).and_utc() - chrono::Duration::hours(9)
}

#[derive(Template)]
#[template(path = "audit/index.html", blocks = ["title", "content"])]
struct AuditPage {
    ctx: PageContext,
    /// The page's entries in words (`history/macros.html`).
    rows: Vec<crate::web::history::Row>,
    /// Paging, order and the links that keep the filters.
    list: ListView,
    filter: FilterQuery,
    /// Members' names, offered by the "who" field.
    actors: Vec<String>,
    entities: [&'static str; 18],
    org_id: i32,
}

pub async fn index(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<OrgPath>,
    list: ListQuery<AuditSort, FilterQuery>,
) -> AppResult<HttpResponse> {
    crate::web::cached::org_page(&state, &viewer, async |ctx| {
        let page = store::audit::page(&state.db, path.org, &list.filter.to_filter(), list.request()).await?;
        let actors = store::organisations::members(&state.db, path.org)
            .await?
            .into_iter()
            .map(|m| m.user.display_name)
            .collect();
        let rows = crate::web::history::rows(&state, path.org, viewer.locale(), &page.rows).await?;
        Ok(AuditPage {
            ctx,
            list: list.view(format!("/orgs/{}/audit", path.org), &page),
            rows,
            filter: list.filter,
            actors,
            entities: ENTITIES,
            org_id: path.org,
        })
    })
    .await
}

crate::cached_blocks!(AuditPage);

/// The routes of this resource, with the access each needs (see `web::routes`).
pub fn routes(r: &mut crate::web::routes::Routes) {
    use crate::web::routes::Access::*;
    use crate::web::viewer::Need;
    r.get("/orgs/{org}/audit", Member(Need::AuditTrail), index);
}
