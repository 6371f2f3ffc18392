//! The controls page's view model: the catalog as a tree grouped by top-level clause, each control
//! with its status, owner, evidence and review date, filtered as the URL asks. Built in memory
//! from a fixed number of queries, whatever the number of controls.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::Deserialize;

use crate::domain::Lang;
use crate::domain::catalog::{Catalog, CatalogEntry, Checked};
use crate::domain::control::ControlStatus;
use crate::entities::organisation_control;
use crate::store::evidence_counts::EvidenceSummary;

/// The filters as they appear in the URL (`?status=implemented&owner=3&review=overdue`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct FilterQuery {
    pub status: String,
    pub owner: String,
    pub review: String,
    pub evidence: String,
    pub applicable: String,
    /// `open`: the controls an incident flagged whose check is not decided (点検待ち).
    pub check: String,
}

/// Parsed filters; unknown values are ignored, as a hand-edited URL should not fail.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Filters {
    pub status: Option<ControlStatus>,
    pub owner: Option<i32>,
    pub review_overdue: bool,
    pub no_evidence: bool,
    pub not_applicable: bool,
    pub check_open: bool,
}

impl FilterQuery {
    pub fn filters(&self) -> Filters {
        Filters {
            status: ControlStatus::parse(&self.status).ok(),
            owner: self.owner.trim().parse().ok(),
            review_overdue: self.review == "overdue",
            no_evidence: self.evidence == "none",
            not_applicable: self.applicable == "no",
            check_open: self.check == "open",
        }
    }
}

impl Filters {
    pub fn any(&self) -> bool {
        *self != Filters::default()
    }
}

/// One line of the tree: a section heading or a control.
#[derive(Debug, Clone)]
pub struct Row<'a> {
    pub id: &'a str,
    pub depth: usize,
    pub is_control: bool,
    pub title: &'a str,
    pub guideline: &'a str,
    /// The heading is not confirmed against the standard.
    pub unchecked: bool,
    pub control: Option<ControlCell<'a>>,
}

/// What a control row shows.
#[derive(Debug, Clone)]
pub struct ControlCell<'a> {
    pub status: ControlStatus,
    pub applicable: bool,
    pub owner: Option<&'a str>,
    pub evidence_count: i64,
    pub latest_evidence: Option<NaiveDate>,
    pub next_review_due: Option<NaiveDate>,
    pub review_overdue: bool,
    /// An incident flagged the control and its check is not decided yet.
    pub check_open: bool,
}

/// Controls of a group by status (applicable ones), and those not applicable.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StatusCounts {
    pub not_started: usize,
    pub in_progress: usize,
    pub implemented: usize,
    pub needs_review: usize,
    pub not_applicable: usize,
}

impl StatusCounts {
    pub fn add(&mut self, applicable: bool, status: ControlStatus) {
        if !applicable {
            self.not_applicable += 1;
            return;
        }
        match status {
            ControlStatus::NotStarted => self.not_started += 1,
            ControlStatus::InProgress => self.in_progress += 1,
            ControlStatus::Implemented => self.implemented += 1,
            ControlStatus::NeedsReview => self.needs_review += 1,
        }
    }

    pub fn total(&self) -> usize {
        self.not_started + self.in_progress + self.implemented + self.needs_review + self.not_applicable
    }

    pub fn of(&self, status: &ControlStatus) -> usize {
        match status {
            ControlStatus::NotStarted => self.not_started,
            ControlStatus::InProgress => self.in_progress,
            ControlStatus::Implemented => self.implemented,
            ControlStatus::NeedsReview => self.needs_review,
        }
    }
}

/// A top-level clause (A.3.3 計画) with its rows and counts.
#[derive(Debug, Clone)]
pub struct Group<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub counts: StatusCounts,
    pub rows: Vec<Row<'a>>,
}

/// The title of a catalog entry in the UI language.
pub fn title(entry: &CatalogEntry, lang: Lang) -> String {
    title_ref(entry, lang).to_owned()
}

/// As `title`, borrowed.
pub fn title_ref(entry: &CatalogEntry, lang: Lang) -> &str {
    match lang {
        Lang::Ja => &entry.title_ja,
        Lang::En => &entry.title_en,
    }
}

fn matches(filters: &Filters, cell: &ControlCell<'_>, owner_id: Option<i32>) -> bool {
    filters.status.is_none_or(|s| cell.applicable && cell.status.counting_checks(cell.check_open) == s)
        && filters.owner.is_none_or(|o| owner_id == Some(o))
        && (!filters.review_overdue || cell.review_overdue)
        && (!filters.no_evidence || cell.evidence_count == 0)
        && (!filters.not_applicable || !cell.applicable)
        && (!filters.check_open || cell.check_open)
}

/// Everything the tree needs, loaded by the handler.
pub struct Inputs<'a> {
    pub catalog: &'a Catalog,
    pub controls: &'a [organisation_control::Model],
    pub evidence: &'a HashMap<i32, EvidenceSummary>,
    pub member_names: &'a HashMap<i32, String>,
    /// The clauses an incident flagged whose check is open.
    pub open_checks: &'a std::collections::HashSet<String>,
    pub lang: Lang,
    pub today: NaiveDate,
}

/// Builds the groups; a section row is kept only when a control below it matches the filters.
pub fn build<'a>(inputs: &Inputs<'a>, filters: &Filters) -> Vec<Group<'a>> {
    let by_clause: HashMap<&str, &organisation_control::Model> =
        inputs.controls.iter().map(|c| (c.control_id.as_str(), c)).collect();
    let mut groups: Vec<Group<'a>> = Vec::new();
    let mut pending_sections: Vec<Row<'a>> = Vec::new();
    let catalog: &'a Catalog = inputs.catalog;
    for entry in catalog.entries() {
        if entry.depth == 0 {
            groups.push(Group {
                id: &entry.id,
                title: title_ref(entry, inputs.lang),
                counts: StatusCounts::default(),
                rows: Vec::new(),
            });
            pending_sections.clear();
        }
        let Some(group) = groups.last_mut() else { continue };
        let mut row = Row {
            id: &entry.id,
            depth: entry.depth,
            is_control: entry.is_control(),
            title: title_ref(entry, inputs.lang),
            guideline: entry.guideline_display(),
            unchecked: entry.checked != Checked::Yes,
            control: None,
        };
        if !entry.is_control() {
            if entry.depth > 0 {
                pending_sections.retain(|s| s.depth < entry.depth);
                pending_sections.push(row);
            }
            continue;
        }
        let Some(stored) = by_clause.get(entry.id.as_str()) else { continue };
        let status = stored.status;
        let check_open = inputs.open_checks.contains(&stored.control_id);
        group.counts.add(stored.applicable, status.counting_checks(check_open));
        let summary = inputs.evidence.get(&stored.id);
        let cell = ControlCell {
            status,
            applicable: stored.applicable,
            owner: stored.owner_user_id.and_then(|id| inputs.member_names.get(&id).map(String::as_str)),
            evidence_count: summary.map_or(0, |s| s.count),
            latest_evidence: summary.and_then(|s| s.latest),
            next_review_due: stored.next_review_due,
            review_overdue: stored.applicable && stored.next_review_due.is_some_and(|due| due < inputs.today),
            check_open,
        };
        if !matches(filters, &cell, stored.owner_user_id) {
            continue;
        }
        // Show the headings above a matching control once.
        pending_sections.retain(|s| s.depth < entry.depth);
        group.rows.append(&mut pending_sections);
        row.control = Some(cell);
        group.rows.push(row);
    }
    if filters.any() {
        groups.retain(|g| g.rows.iter().any(|r| r.is_control));
    }
    groups
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::domain::catalog::Catalogs;

    fn control(id: i32, clause: &str, status: &str, applicable: bool) -> organisation_control::Model {
        organisation_control::Model {
            applicable,
            status: ControlStatus::parse(status).expect("a status"),
            ..crate::store::evidence_counts::tests::control(id, clause)
        }
    }

    #[test]
    fn the_tree_groups_by_top_level_clause_and_filters_keep_their_headings() -> Result<(), Box<dyn std::error::Error>> {
        let catalogs = Catalogs::builtin()?;
        let catalog = catalogs.current();
        let controls: Vec<_> = catalog
            .controls()
            .enumerate()
            .map(|(i, e)| {
                let status = if e.id == "A.3.4.2.8.2" { "implemented" } else { "not_started" };
                control(i32::try_from(i).unwrap_or_default(), &e.id, status, e.id != "A.3.4.2.9")
            })
            .collect();
        let (evidence, names) = (HashMap::new(), HashMap::new());
        let open_checks = std::collections::HashSet::from(["A.3.3.1".to_owned()]);
        let inputs = Inputs {
            catalog,
            controls: &controls,
            evidence: &evidence,
            member_names: &names,
            open_checks: &open_checks,
            lang: Lang::Ja,
            today: NaiveDate::from_ymd_opt(2026, 11, 27).ok_or("date")?,
        };
        let all = build(&inputs, &Filters::default());
        assert_eq!(
            all.iter().map(|g| g.id).collect::<Vec<_>>(),
            ["A.3.1", "A.3.2", "A.3.3", "A.3.4", "A.3.5", "A.3.6", "A.3.7", "A.3.8"]
        );
        let total: usize = all.iter().map(|g| g.counts.total()).sum();
        assert_eq!(total, catalog.controls().count());
        let a34 = all.iter().find(|g| g.id == "A.3.4").ok_or("A.3.4 missing")?;
        assert_eq!(a34.counts.implemented, 1);
        assert_eq!(a34.counts.not_applicable, 1);

        let implemented = build(&inputs, &Filters { status: Some(ControlStatus::Implemented), ..Filters::default() });
        assert_eq!(implemented.len(), 1);
        let ids: Vec<_> = implemented[0].rows.iter().map(|r| r.id).collect();
        assert_eq!(ids, ["A.3.4.2", "A.3.4.2.8.2"], "the heading above the match, then the match");
        assert_eq!(implemented[0].counts.implemented, 1, "counts stay unfiltered");

        let waiting = build(&inputs, &Filters { check_open: true, ..Filters::default() });
        let ids: Vec<_> = waiting.iter().flat_map(|g| &g.rows).filter(|r| r.is_control).map(|r| r.id).collect();
        assert_eq!(ids, ["A.3.3.1"], "only the control whose incident check is open");
        let needs_review = build(&inputs, &Filters { status: Some(ControlStatus::NeedsReview), ..Filters::default() });
        let ids: Vec<_> = needs_review.iter().flat_map(|g| &g.rows).filter(|r| r.is_control).map(|r| r.id).collect();
        assert_eq!(ids, ["A.3.3.1"], "a control with an open check needs review whatever its status");
        let a33 = all.iter().find(|g| g.id == "A.3.3").ok_or("A.3.3 missing")?;
        assert_eq!(a33.counts.needs_review, 1);

        let not_applicable = build(&inputs, &Filters { not_applicable: true, ..Filters::default() });
        assert_eq!(not_applicable[0].rows.last().map(|r| r.id), Some("A.3.4.2.9"));
        Ok(())
    }
}
