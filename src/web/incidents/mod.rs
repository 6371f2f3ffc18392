//! `/orgs/{org}/incidents`: the paged list (overdue filings first by default, filtered by status,
//! year and overdue filings, searched by title), one incident with both reporting tracks, its
//! flagged control checks and its response timeline, and the form.

pub mod edit;
pub mod evidence;
pub mod form;
pub mod progress;
pub mod reasons;
pub mod view;

use crate::domain::incident::CheckState;
use crate::domain::incident::{IncidentStatus, TimelineKind};
use crate::domain::term::Term;
use std::collections::HashMap;

use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use crate::domain::incident::filings::FilingState;
use crate::entities::{incident, incident_timeline};
use crate::store;
use crate::store::incident_list::{IncidentFilter, IncidentSort};
use crate::store::incident_progress::CloseBlockers;
use crate::web::error::{AppError, AppResult};
use crate::web::forms::OrgPath;
use crate::web::list::{ListQuery, ListView};
use crate::web::page::PageContext;
use crate::web::state::AppState;
use crate::web::viewer::Viewer;

use self::view::{CheckRow, FactRow, FilingRow};

#[derive(Debug, Deserialize)]
pub struct IncidentPath {
    pub org: i32,
    pub incident: i32,
}

/// The list's own filters as the URL carries them (the search is the list component's `q`).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListFilter {
    pub status: String,
    pub year: String,
    /// `"1"`: only incidents with an overdue filing.
    pub overdue: String,
}

impl ListFilter {
    /// The store's filter; unknown values filter nothing.
    fn to_filter(&self, search: &str) -> IncidentFilter {
        IncidentFilter {
            status: IncidentStatus::parse(&self.status).ok(),
            year: self.year.trim().parse().ok().filter(|y| (1900..=9999).contains(y)),
            overdue_only: self.overdue == "1",
            title: search.to_owned(),
        }
    }
}

/// One line of the list.
pub struct ListRow {
    pub incident: incident::Model,
    pub overdue_filings: usize,
    pub outstanding_filings: usize,
    /// The nearest deadline of an outstanding filing.
    pub next_deadline: Option<NaiveDate>,
    pub open_checks: usize,
}

#[derive(Template)]
#[template(path = "incidents/index.html", blocks = ["title", "content"])]
struct ListPage {
    ctx: PageContext,
    org_id: i32,
    rows: Vec<ListRow>,
    /// Paging, order, search and the links that keep the filters.
    list: ListView,
    filter: ListFilter,
    /// The years from the first discovery to the last, newest first (one query, whatever the rows).
    years: Vec<i32>,
    statuses: &'static [IncidentStatus],
    can_edit: bool,
}

crate::cached_blocks!(ListPage);

/// `GET /orgs/{org}/incidents`: one page of the list, from the cache while nothing changed.
pub async fn index(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<OrgPath>,
    list: ListQuery<IncidentSort, ListFilter>,
) -> AppResult<HttpResponse> {
    let can_edit = viewer.member()?.role.can_edit();
    crate::web::cached::org_page(&state, &viewer, async |ctx| {
        let today = state.clock.today();
        let filter = list.filter.to_filter(&list.search);
        let page = store::incident_list::page(&state.db, path.org, &filter, today, list.request()).await?;
        let years = match store::incident_list::discovery_years(&state.db, path.org).await? {
            Some((first, last)) => (first.year()..=last.year()).rev().collect(),
            None => Vec::new(),
        };
        let view = list.view(format!("/orgs/{}/incidents", path.org), &page);
        Ok(ListPage {
            ctx,
            org_id: path.org,
            rows: list_rows(&state, page.rows, today).await?,
            list: view,
            filter: list.filter,
            years,
            statuses: IncidentStatus::ALL,
            can_edit,
        })
    })
    .await
}

/// The lines of one page of incidents with their filing and check counts, in two queries
/// (the filings and the checks of these incidents only).
///
/// # Errors
/// When a query fails.
pub async fn list_rows(
    state: &AppState,
    incidents: Vec<incident::Model>,
    today: NaiveDate,
) -> Result<Vec<ListRow>, sea_orm::DbErr> {
    let ids: Vec<i32> = incidents.iter().map(|i| i.id).collect();
    let mut filings: HashMap<i32, Vec<FilingRow>> = HashMap::new();
    for row in store::incident_list::filings_of_incidents(&state.db, &ids).await? {
        if let Some(filing) = FilingRow::of(&row, today) {
            filings.entry(row.incident_id).or_default().push(filing);
        }
    }
    let mut open_checks: HashMap<i32, usize> = HashMap::new();
    for check in store::incident_list::checks_of_incidents(&state.db, &ids).await? {
        if check.flagged && check.state == CheckState::Open {
            *open_checks.entry(check.incident_id).or_default() += 1;
        }
    }
    Ok(incidents
        .into_iter()
        .map(|incident| {
            let mine = filings.get(&incident.id).map(Vec::as_slice).unwrap_or_default();
            let outstanding: Vec<&FilingRow> = mine.iter().filter(|r| r.state.is_outstanding()).collect();
            ListRow {
                overdue_filings: mine.iter().filter(|r| r.state == FilingState::Overdue).count(),
                outstanding_filings: outstanding.len(),
                next_deadline: outstanding.iter().filter_map(|r| r.latest_on.or(r.due_on)).min(),
                open_checks: open_checks.get(&incident.id).copied().unwrap_or_default(),
                incident,
            }
        })
        .collect())
}

#[derive(Template)]
#[template(path = "incidents/show.html", blocks = ["title", "content"])]
pub(crate) struct ShowPage {
    pub ctx: PageContext,
    pub org_id: i32,
    pub incident: incident::Model,
    pub facts: Vec<FactRow>,
    pub filings: Vec<FilingRow>,
    pub categories: Vec<String>,
    pub notes: Vec<String>,
    pub checks: Vec<CheckRow>,
    pub timeline: Vec<incident_timeline::Model>,
    pub blockers: CloseBlockers,
    pub can_edit: bool,
    pub today: NaiveDate,
    pub timeline_kinds: &'static [TimelineKind],
    pub statuses: &'static [IncidentStatus],
    /// A refused form on this page: which one, its field errors and values.
    pub refused: Option<progress::Refused>,
    /// The incident's corrective actions.
    pub actions: Vec<crate::entities::corrective_action::Model>,
    /// Members who may own a corrective action: `(user id, name)`.
    pub members: Vec<(i32, String)>,
    /// Evidence of the filings and timeline entries and its upload form (`evidence/panel.html`).
    pub evidence: crate::web::evidence::EvidencePanel,
    /// The changes to the incident, its filings, timeline and corrective actions, newest first.
    pub history: Vec<crate::web::history::Row>,
}

impl ShowPage {
    /// The display name of a member (who decided, who filed).
    pub fn member_name(&self, id: &Option<i32>) -> String {
        id.and_then(|id| self.members.iter().find(|(m, _)| *m == id).map(|(_, name)| name.clone())).unwrap_or_default()
    }

    /// The value the refused form `name` had for `field`, or `fallback`.
    pub fn kept<'a>(&'a self, name: &str, field: &str, fallback: &'a str) -> &'a str {
        self.refused_form(name).map_or(fallback, |r| r.value(field))
    }

    /// Whether the refused "new corrective action" form had `control` ticked.
    pub fn action_control_ticked(&self, control: &str) -> bool {
        self.refused_form("action").is_some_and(|r| r.value("control_ids").split(',').any(|c| c == control))
    }

    /// The error of `field` in the refused form `name`.
    pub fn field_error(&self, name: &str, field: &str) -> Option<&'static str> {
        self.refused_form(name).and_then(|r| r.errors.get(field))
    }

    /// The refusal of the form `name`, if that is the form that was refused.
    pub fn refused_form(&self, name: &str) -> Option<&progress::Refused> {
        self.refused.as_ref().filter(|r| r.is(name))
    }
}

/// Everything the incident page shows.
///
/// # Errors
/// `NotFound` for an incident of another organisation; database errors.
pub(crate) async fn show_page(
    state: &AppState,
    viewer: &Viewer,
    org: i32,
    id: i32,
    refused: Option<progress::Refused>,
) -> AppResult<ShowPage> {
    show_page_with(state, viewer, org, id, refused, None).await
}

/// The incident page, with a refused page form or a refused evidence upload.
///
/// # Errors
/// `NotFound` for an incident of another organisation; database errors.
pub(crate) async fn show_page_with(
    state: &AppState,
    viewer: &Viewer,
    org: i32,
    id: i32,
    refused: Option<progress::Refused>,
    evidence_refusal: Option<crate::web::evidence::EvidenceRefusal>,
) -> AppResult<ShowPage> {
    let membership = viewer.member()?;
    let incident = store::incidents::find(&state.db, org, id).await?.ok_or(AppError::NotFound)?;
    let today = state.clock.today();
    let lang = viewer.lang;
    let (facts, categories, notes) = match view::assess(&incident, &state.check_rules) {
        Some((facts, assessment)) => (
            view::fact_rows(&facts, viewer.locale()),
            view::category_labels(&assessment, lang),
            view::notes(&assessment, lang),
        ),
        None => (Vec::new(), Vec::new(), Vec::new()),
    };
    let filing_rows = store::incidents::filings_of(&state.db, id).await?;
    let timeline = store::incident_progress::timeline_of(&state.db, id).await?;
    let members = store::organisations::members(&state.db, org).await?;
    let mut evidence = crate::web::evidence::EvidencePanel::new(
        org,
        format!("/orgs/{org}/incidents/{id}/evidence"),
        evidence::of_incident(state, org, &filing_rows, &timeline).await?,
        crate::web::evidence::uploader_names(&members),
        membership.role.can_edit(),
        state.settings.uploads.max_mb,
    )
    .with_targets(evidence::targets(&filing_rows, &timeline, lang))
    .refused(evidence_refusal);
    evidence.list_id = "incident-evidence";
    evidence.collapsed = true;
    let filings = filing_rows.iter().filter_map(|r| FilingRow::of(r, today)).collect();
    let catalog = state.catalogs.get(&incident.catalog_version).unwrap_or_else(|| state.catalogs.current());
    let check_rows = store::incidents::checks_of_incident(&state.db, id).await?;
    let blockers = CloseBlockers::of(&filing_rows, &check_rows);
    let mut checks: Vec<CheckRow> = check_rows.into_iter().map(|r| CheckRow::of(r, catalog, lang)).collect();
    checks.sort_by_key(CheckRow::sort_key);
    let actions = store::corrective_actions::of_incident(&state.db, org, id).await?;
    let subjects = [
        store::audit::Subjects::one("incident", id),
        store::audit::Subjects { entity: "incident_filing", ids: filing_rows.iter().map(|r| r.id).collect() },
        store::audit::Subjects { entity: "incident_timeline", ids: timeline.iter().map(|t| t.id).collect() },
        store::audit::Subjects { entity: "corrective_action", ids: actions.iter().map(|a| a.id).collect() },
    ];
    let history = crate::web::history::panel(state, org, viewer.locale(), &subjects).await?;
    Ok(ShowPage {
        ctx: viewer.page(Some(org)),
        org_id: org,
        facts,
        filings,
        categories,
        notes,
        checks,
        timeline,
        evidence,
        blockers,
        can_edit: membership.role.can_edit(),
        today,
        timeline_kinds: TimelineKind::ALL,
        statuses: IncidentStatus::ALL,
        refused,
        actions,
        history,
        members: members.into_iter().map(|m| (m.user.id, m.user.display_name)).collect(),
        incident,
    })
}

pub async fn show(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<IncidentPath>,
) -> AppResult<HttpResponse> {
    crate::web::cached::org_page(&state, &viewer, async |ctx| {
        let page = show_page(&state, &viewer, path.org, path.incident, None).await?;
        Ok(ShowPage { ctx, ..page })
    })
    .await
}

crate::cached_blocks!(ShowPage);

/// The routes of this resource, with the access each needs (see `web::routes`).
pub fn routes(r: &mut crate::web::routes::Routes) {
    use crate::web::routes::Access::*;
    use crate::web::viewer::Need;
    r.get("/orgs/{org}/incidents", Member(Need::Read), index)
        .post("/orgs/{org}/incidents", Member(Need::Edit), edit::create)
        .get("/orgs/{org}/incidents/new", Member(Need::Edit), edit::new_form)
        .get("/orgs/{org}/incidents/{incident}", Member(Need::Read), show)
        .post("/orgs/{org}/incidents/{incident}", Member(Need::Edit), edit::update)
        .get("/orgs/{org}/incidents/{incident}/edit", Member(Need::Edit), edit::edit_form)
        .post("/orgs/{org}/incidents/{incident}/filings/{track}", Member(Need::Edit), progress::record_filing)
        .back_to("/orgs/{org}/incidents/{incident}/filings/{track}", "/orgs/{org}/incidents/{incident}#filings")
        .post("/orgs/{org}/incidents/{incident}/checks/{check}", Member(Need::Edit), progress::decide_check)
        .back_to("/orgs/{org}/incidents/{incident}/checks/{check}", "/orgs/{org}/incidents/{incident}#checks")
        .post("/orgs/{org}/incidents/{incident}/timeline", Member(Need::Edit), progress::add_timeline_entry)
        .back_to("/orgs/{org}/incidents/{incident}/timeline", "/orgs/{org}/incidents/{incident}#timeline")
        .post("/orgs/{org}/incidents/{incident}/status", Member(Need::Edit), progress::set_status)
        .back_to("/orgs/{org}/incidents/{incident}/status", "/orgs/{org}/incidents/{incident}#status");
    crate::web::evidence::attach::<evidence::IncidentEvidence>(
        r,
        "/orgs/{org}/incidents/{incident}/evidence",
        "/orgs/{org}/incidents/{incident}#evidence",
    );
}
