//! `GET /orgs/{org}`: the organisation's dashboard. Controls by status, reviews and duties due in
//! the next 60 days or overdue, and the PMS year as a timeline.

pub mod timeline;

use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::{Duration, NaiveDate};

use crate::domain::control::ControlStatus;
use crate::domain::pms_year::{Month, OccurrenceState, PmsYear};
use crate::entities::invitation;
use crate::store::snapshot::{Fragment, OrgSnapshot};
use crate::view::controls_tree::{StatusCounts, title};
use crate::view::duty_schedule::{self, LOOK_AHEAD_DAYS};
use crate::web::controls::Translator;
use crate::web::error::AppResult;
use crate::web::page::{PageContext, render};
use crate::web::state::AppState;
use crate::web::viewer::Viewer;

use self::timeline::Timeline;

/// A control review that is due soon or overdue.
pub struct ReviewDue {
    pub control_id: String,
    pub title: String,
    pub due: NaiveDate,
    pub overdue: bool,
}

/// A filing that is due within the look-ahead or overdue.
pub struct FilingDue {
    pub incident_id: i32,
    pub incident: String,
    pub track: crate::domain::incident::filings::Track,
    pub deadline: NaiveDate,
    pub overdue: bool,
}

/// The incidents card: open incidents, filings due or overdue (overdue first), actions past due.
pub struct IncidentSummary {
    pub open_incidents: usize,
    pub filings: Vec<FilingDue>,
    pub overdue_actions: Vec<crate::entities::corrective_action::Model>,
}

impl IncidentSummary {
    pub fn any_overdue(&self) -> bool {
        self.filings.iter().any(|r| r.overdue) || !self.overdue_actions.is_empty()
    }
}

fn incident_summary(snapshot: &OrgSnapshot, today: NaiveDate) -> IncidentSummary {
    use crate::domain::incident::filings::{self as filing_rules, FilingState};
    let titles: std::collections::HashMap<i32, &str> =
        snapshot.open_incidents.iter().map(|i| (i.id, i.title.as_str())).collect();
    let horizon = today + Duration::days(7);
    let mut filings: Vec<FilingDue> = snapshot
        .outstanding_filings
        .iter()
        .filter_map(|row| {
            let title = titles.get(&row.incident_id)?;
            let due = crate::store::incidents::due_of(row)?;
            let deadline = due.deadline()?;
            let overdue = filing_rules::state(&due, None, today) == FilingState::Overdue;
            (overdue || deadline <= horizon).then(|| FilingDue {
                incident_id: row.incident_id,
                incident: (*title).to_owned(),
                track: due.track,
                deadline,
                overdue,
            })
        })
        .collect();
    filings.sort_by_key(|r| (!r.overdue, r.deadline));
    IncidentSummary {
        open_incidents: snapshot.open_incidents.len(),
        filings,
        overdue_actions: snapshot.open_actions.iter().filter(|a| a.due_on < today).cloned().collect(),
    }
}

/// A duty occurrence that is due soon or overdue.
pub struct DutyDue {
    pub duty_id: i32,
    pub name: String,
    pub pms_year: i32,
    pub slot: u32,
    pub due: NaiveDate,
    pub overdue: bool,
}

#[derive(Template)]
#[template(path = "organisations/dashboard.html")]
struct DashboardPage<'a> {
    ctx: PageContext,
    org_id: i32,
    member_count: usize,
    pending_invitations: Vec<invitation::Model>,
    /// The latest changes in words (`organisations/recent_changes.html`), for those who may
    /// read the audit trail; `None` for the others.
    recent_changes: Option<std::sync::Arc<Fragment>>,
    /// The summary cards and the timeline (`organisations/summary.html`), shared by all viewers.
    summary_html: &'a str,
    /// What this server's reminder scheduler last did (admins and officers, who get the mail).
    scheduler: Option<crate::web::mail::SchedulerView>,
    /// The PMS 体制's recorded posts.
    pms_posts: Vec<crate::view::pms_structure::PostHeld>,
}

/// The dashboard's latest changes, rendered by the history component.
#[derive(Template)]
#[template(path = "organisations/recent_changes.html")]
struct RecentChanges {
    rows: Vec<crate::web::history::Row>,
}

/// The latest changes in words, rendered once per data version and language: the names they
/// mention are loaded on the first view after a change and kept with the snapshot.
async fn recent_changes(
    state: &AppState,
    snapshot: &OrgSnapshot,
    org: i32,
    locale: crate::i18n::Locale,
) -> AppResult<std::sync::Arc<Fragment>> {
    let key = format!("recent-changes|{}", locale.key());
    if let Some(found) = snapshot.cached(&key) {
        return Ok(found);
    }
    let rows = crate::web::history::rows_at_fixed_cost(state, org, locale, &snapshot.recent_changes).await?;
    let count = rows.len();
    Ok(snapshot.fragment(key, || {
        Ok::<_, askama::Error>(Fragment { html: RecentChanges { rows }.render()?, count, ..Default::default() })
    })?)
}

#[derive(Template)]
#[template(path = "organisations/summary.html")]
struct SummaryFragment {
    ctx: Translator,
    org_id: i32,
    counts: StatusCounts,
    statuses: [ControlStatus; 4],
    reviews: Vec<ReviewDue>,
    duties_due: Vec<DutyDue>,
    year: PmsYear,
    timeline: Timeline,
    /// Open incidents, filings due or overdue, corrective actions past due.
    incidents: IncidentSummary,
    /// The latest training and its counts: who is still to be trained.
    training: Option<(crate::entities::training::Model, crate::domain::training::Counts)>,
    /// The current Privacy Mark cycle and where today stands in its renewal.
    certification: Option<(crate::entities::certification::Model, crate::view::renewal::RenewalView)>,
}

fn summary(
    state: &AppState,
    snapshot: &OrgSnapshot,
    org: &crate::entities::organisation::Model,
    locale: crate::i18n::Locale,
    today: NaiveDate,
) -> SummaryFragment {
    let lang = locale.lang;
    let horizon = today + Duration::days(LOOK_AHEAD_DAYS);
    let catalog = state.catalogs.current();
    let mut counts = StatusCounts::default();
    let mut reviews = Vec::new();
    for control in &snapshot.controls {
        let check_open = snapshot.open_check_controls.contains(&control.control_id);
        counts.add(control.applicable, control.status.counting_checks(check_open));
        if let (true, Some(due), Some(entry)) =
            (control.applicable, control.next_review_due, catalog.get(&control.control_id))
            && due <= horizon
        {
            reviews.push(ReviewDue {
                control_id: control.control_id.clone(),
                title: title(entry, lang),
                due,
                overdue: due < today,
            });
        }
    }
    reviews.sort_by_key(|r| r.due);
    let start = u32::try_from(org.pms_year_start_month).ok().and_then(|m| Month::new(m).ok()).unwrap_or(Month::APRIL);
    let year = PmsYear::containing(today, start);
    let duties: Vec<_> = snapshot.duties.iter().filter(|d| d.enabled).collect();
    let records = &snapshot.records;
    let previous_rows = duty_schedule::rows(&duties, records, &snapshot.trainings, year.previous(), today, lang);
    let current_rows = duty_schedule::rows(&duties, records, &snapshot.trainings, year, today, lang);
    let mut duties_due = Vec::new();
    for row in previous_rows.iter().chain(&current_rows) {
        for item in
            row.occurrences.iter().filter(|o| matches!(o.state, OccurrenceState::Overdue | OccurrenceState::DueSoon))
        {
            duties_due.push(DutyDue {
                duty_id: row.duty.id,
                name: row.name.clone(),
                pms_year: item.occurrence.pms_year,
                slot: item.occurrence.slot,
                due: item.occurrence.due_on,
                overdue: item.state == OccurrenceState::Overdue,
            });
        }
    }
    duties_due.sort_by_key(|d| d.due);
    let ctx = Translator::new(locale);
    let timeline = timeline::build(year, &current_rows, today, &ctx);
    let certification = snapshot.certification.clone().map(|c| {
        let view = crate::web::certification::renewal_view(state, &c, locale, today);
        (c, view)
    });
    SummaryFragment {
        incidents: incident_summary(snapshot, today),
        training: snapshot.training.clone(),
        ctx,
        org_id: org.id,
        counts,
        statuses: ControlStatus::ALL,
        reviews,
        duties_due,
        year,
        timeline,
        certification,
    }
}

pub async fn show(state: web::Data<AppState>, viewer: Viewer) -> AppResult<HttpResponse> {
    let membership = viewer.member()?;
    let org_id = membership.organisation.id;
    let today = state.clock.today();
    let snapshot = state.snapshot(&membership.organisation).await?;
    let locale = viewer.locale();
    let key = format!("dashboard|{}|{today}", locale.key());
    let fragment = snapshot.fragment(key, || {
        let html = summary(&state, &snapshot, &membership.organisation, locale, today).render()?;
        Ok::<_, askama::Error>(Fragment { html, ..Default::default() })
    })?;
    let now = state.clock.now();
    let pending_invitations = if membership.role.can_manage_organisation() {
        snapshot.open_invitations.iter().filter(|i| i.expires_at > now).cloned().collect()
    } else {
        Vec::new()
    };
    let recent_changes = if membership.role.can_read_audit_trail() {
        Some(recent_changes(&state, &snapshot, org_id, viewer.locale()).await?)
    } else {
        None
    };
    render(&DashboardPage {
        ctx: viewer.page(Some(org_id)),
        org_id,
        member_count: snapshot.members.len(),
        pending_invitations,
        recent_changes,
        summary_html: &fragment.html,
        scheduler: membership.role.can_edit().then(|| crate::web::mail::SchedulerView::of(&state)),
        pms_posts: crate::view::pms_structure::posts_held(
            snapshot.pms_structure.as_ref(),
            &snapshot.member_names,
            viewer.lang,
        ),
    })
}

/// The routes of this resource, with the access each needs (see `web::routes`).
pub fn routes(r: &mut crate::web::routes::Routes) {
    use crate::web::routes::Access::*;
    use crate::web::viewer::Need;
    r.get("/orgs/{org}", Member(Need::Read), show);
}
