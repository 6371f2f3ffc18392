//! The paged lists of incidents: the incidents list (filtered, searched, overdue ones first by
//! default), the filings and checks of the incidents on one page, the titles of a few incidents,
//! and one control's checks. Each costs a fixed number of queries whatever the number of rows.

use crate::domain::incident::IncidentStatus;
use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::sea_query::{Expr, ExprTrait, Func, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::entities::{control_check, incident, incident_filing};
use crate::store::paging::{self, Page, PageRequest, SortKey};

/// How the incidents list can be sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IncidentSort {
    /// Open incidents with an overdue filing first, then open ones, then closed ones; newest
    /// discovery first within each (the default).
    Attention,
    DiscoveredOn,
    Title,
    /// Open, contained, closed.
    Status,
}

impl SortKey for IncidentSort {
    const ALL: &'static [Self] =
        &[IncidentSort::Attention, IncidentSort::DiscoveredOn, IncidentSort::Title, IncidentSort::Status];
    const DEFAULT: Self = IncidentSort::Attention;

    fn key(self) -> &'static str {
        match self {
            IncidentSort::Attention => "attention",
            IncidentSort::DiscoveredOn => "discovered_on",
            IncidentSort::Title => "title",
            IncidentSort::Status => "status",
        }
    }

    fn descending_first(self) -> bool {
        self == IncidentSort::DiscoveredOn
    }
}

/// Which incidents to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IncidentFilter {
    /// One status (`open`), or every status.
    pub status: Option<IncidentStatus>,
    /// Discovered in this calendar year.
    pub year: Option<i32>,
    /// Only incidents with a filing past its deadline.
    pub overdue_only: bool,
    /// Part of the title; empty for any.
    pub title: String,
}

/// `EXISTS` a required filing of the incident, not filed, whose deadline (the latest day where
/// there is one) is before `today`: the SQL form of `filings::state(..) == Overdue`.
fn has_overdue_filing(today: NaiveDate) -> Expr {
    let deadline = Func::coalesce([
        Expr::col((incident_filing::Entity, incident_filing::Column::LatestOn)),
        Expr::col((incident_filing::Entity, incident_filing::Column::DueOn)),
    ]);
    Expr::exists(
        Query::select()
            .expr(Expr::val(1))
            .from(incident_filing::Entity)
            .and_where(
                Expr::col((incident_filing::Entity, incident_filing::Column::IncidentId))
                    .equals((incident::Entity, incident::Column::Id)),
            )
            .and_where(Expr::col((incident_filing::Entity, incident_filing::Column::Required)).eq(true))
            .and_where(Expr::col((incident_filing::Entity, incident_filing::Column::SubmittedOn)).is_null())
            .and_where(Expr::expr(deadline).lt(today))
            .to_owned(),
    )
}

/// Status in its lifecycle order: open, contained, closed.
fn status_rank() -> Expr {
    Expr::case(incident::Column::Status.eq(IncidentStatus::Open), 0)
        .case(incident::Column::Status.eq(IncidentStatus::Contained), 1)
        .finally(2)
        .into()
}

/// One page of the organisation's incidents: two queries.
///
/// # Errors
/// When a query fails.
pub async fn page<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
    filter: &IncidentFilter,
    today: NaiveDate,
    request: PageRequest<IncidentSort>,
) -> Result<Page<incident::Model>, DbErr> {
    let mut query = incident::Entity::find().filter(incident::Column::OrganisationId.eq(organisation_id));
    if let Some(status) = filter.status {
        query = query.filter(incident::Column::Status.eq(status));
    }
    if let Some((first, last)) =
        filter.year.and_then(|y| Some((NaiveDate::from_ymd_opt(y, 1, 1)?, NaiveDate::from_ymd_opt(y, 12, 31)?)))
    {
        query = query.filter(incident::Column::DiscoveredOn.between(first, last));
    }
    if filter.overdue_only {
        query = query.filter(has_overdue_filing(today));
    }
    if !filter.title.is_empty() {
        query = query.filter(paging::contains(Expr::col((incident::Entity, incident::Column::Title)), &filter.title));
    }
    query = match request.sort {
        IncidentSort::Attention => {
            let rank: Expr = Expr::case(has_overdue_filing(today), 0)
                .case(incident::Column::Status.eq(IncidentStatus::Closed), 2)
                .finally(1)
                .into();
            query
                .order_by(rank, request.order())
                .order_by(incident::Column::DiscoveredOn, request.reverse_order())
                .order_by(incident::Column::Id, request.reverse_order())
        }
        IncidentSort::DiscoveredOn => query
            .order_by(incident::Column::DiscoveredOn, request.order())
            .order_by(incident::Column::Id, request.order()),
        IncidentSort::Title => {
            query.order_by(incident::Column::Title, request.order()).order_by_desc(incident::Column::Id)
        }
        IncidentSort::Status => query
            .order_by(status_rank(), request.order())
            .order_by_desc(incident::Column::DiscoveredOn)
            .order_by_desc(incident::Column::Id),
    };
    paging::fetch(db, query, request.page, request.per).await
}

/// The first and last day an incident of the organisation was discovered (for the year filter),
/// in one query.
///
/// # Errors
/// When the query fails.
pub async fn discovery_years<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
) -> Result<Option<(NaiveDate, NaiveDate)>, DbErr> {
    let range: Option<(Option<NaiveDate>, Option<NaiveDate>)> = incident::Entity::find()
        .select_only()
        .column_as(incident::Column::DiscoveredOn.min(), "first")
        .column_as(incident::Column::DiscoveredOn.max(), "last")
        .filter(incident::Column::OrganisationId.eq(organisation_id))
        .into_tuple()
        .one(db)
        .await?;
    Ok(range.and_then(|(first, last)| first.zip(last)))
}

/// The titles of a few incidents of the organisation (those a page shows), by id.
///
/// # Errors
/// When the query fails.
pub async fn titles<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
    ids: &[i32],
) -> Result<HashMap<i32, String>, DbErr> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(i32, String)> = incident::Entity::find()
        .select_only()
        .column(incident::Column::Id)
        .column(incident::Column::Title)
        .filter(incident::Column::OrganisationId.eq(organisation_id))
        .filter(incident::Column::Id.is_in(ids.iter().copied()))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().collect())
}

/// The filing rows of a few incidents (those a page shows).
///
/// # Errors
/// When the query fails.
pub async fn filings_of_incidents<C: ConnectionTrait>(
    db: &C,
    incident_ids: &[i32],
) -> Result<Vec<incident_filing::Model>, DbErr> {
    if incident_ids.is_empty() {
        return Ok(Vec::new());
    }
    incident_filing::Entity::find()
        .filter(incident_filing::Column::IncidentId.is_in(incident_ids.iter().copied()))
        .order_by_asc(incident_filing::Column::Id)
        .all(db)
        .await
}

/// The checks of a few incidents (those a page shows).
///
/// # Errors
/// When the query fails.
pub async fn checks_of_incidents<C: ConnectionTrait>(
    db: &C,
    incident_ids: &[i32],
) -> Result<Vec<control_check::Model>, DbErr> {
    if incident_ids.is_empty() {
        return Ok(Vec::new());
    }
    control_check::Entity::find()
        .filter(control_check::Column::IncidentId.is_in(incident_ids.iter().copied()))
        .order_by_asc(control_check::Column::Id)
        .all(db)
        .await
}

/// How a control's checks are listed: newest first, the one order there is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckSort {
    Newest,
}

impl SortKey for CheckSort {
    const ALL: &'static [Self] = &[CheckSort::Newest];
    const DEFAULT: Self = CheckSort::Newest;

    fn key(self) -> &'static str {
        "newest"
    }

    fn descending_first(self) -> bool {
        true
    }
}

/// One page of the checks incidents asked of one control of the organisation: two queries.
///
/// # Errors
/// When a query fails.
pub async fn checks_of_control<C: ConnectionTrait>(
    db: &C,
    organisation_id: i32,
    control_id: &str,
    request: PageRequest<CheckSort>,
) -> Result<Page<control_check::Model>, DbErr> {
    let query = control_check::Entity::find()
        .filter(control_check::Column::OrganisationId.eq(organisation_id))
        .filter(control_check::Column::ControlId.eq(control_id))
        .order_by(control_check::Column::Id, request.order());
    paging::fetch(db, query, request.page, request.per).await
}
