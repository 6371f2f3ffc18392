//! `GET /orgs/{org}/audit`: the organisation's audit trail, newest first, paged (admins, auditors).

use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::store;
use crate::web::error::AppResult;
use crate::web::forms::OrgPath;
use crate::web::page::{PageContext, render};
use crate::web::state::AppState;
use crate::web::viewer::Viewer;

const PER_PAGE: u64 = 50;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PageQuery {
    /// 1-based page number.
    pub page: Option<u64>,
}

/// One changed field, for display.
pub struct FieldChange {
    pub field: String,
    pub before: String,
    pub after: String,
}

/// One audit entry, for display.
pub struct Row {
    pub occurred_at: String,
    pub actor: String,
    pub entity: String,
    pub entity_id: String,
    pub action: String,
    pub changes: Vec<FieldChange>,
}

#[derive(Template)]
#[template(path = "audit/index.html")]
struct AuditPage {
    ctx: PageContext,
    rows: Vec<Row>,
    page: u64,
    pages: u64,
    total: u64,
    org_id: i32,
}

fn display_value(value: Option<&serde_json::Value>) -> String {
    match value {
        None | Some(serde_json::Value::Null) => "—".to_owned(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

pub fn to_row(event: crate::entities::audit_event::Model) -> Row {
    let changes = serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&event.changes)
        .unwrap_or_default()
        .into_iter()
        .map(|(field, change)| FieldChange {
            field,
            before: display_value(change.get("before")),
            after: display_value(change.get("after")),
        })
        .collect();
    Row {
        occurred_at: crate::web::display_time(&event.occurred_at),
        actor: event.actor_label,
        entity: event.entity,
        entity_id: event.entity_id,
        action: event.action,
        changes,
    }
}

pub async fn index(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<OrgPath>,
    query: web::Query<PageQuery>,
) -> AppResult<HttpResponse> {
    let total = store::audit::count_for_organisation(&state.db, path.org).await?;
    let pages = total.div_ceil(PER_PAGE).max(1);
    // Any page number in the URL lands on a real page (a huge one would overflow the offset).
    let page = query.page.unwrap_or(1).clamp(1, pages);
    let (events, _) = store::audit::page_for_organisation(&state.db, path.org, page - 1, PER_PAGE).await?;
    let rows = events.into_iter().map(to_row).collect();
    render(&AuditPage { ctx: viewer.page(Some(path.org)), rows, page, pages, total, org_id: path.org })
}

/// The routes of this resource, with the access each needs (see `web::routes`).
pub fn routes(r: &mut crate::web::routes::Routes) {
    use crate::web::routes::Access::*;
    use crate::web::viewer::Need;
    r.get("/orgs/{org}/audit", Member(Need::AuditTrail), index);
}
