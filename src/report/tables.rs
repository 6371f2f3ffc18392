//! The report as tables, one per section: what CSV and XLSX write (the HTML page and the PDF lay
//! the same model out themselves).

use chrono::NaiveDate;

use crate::domain::Lang;
use crate::i18n::t;

use super::model::{AuditReport, SectionHead, SectionKey};

/// A cell: text, a date (written as a real date in XLSX), a number or a percentage (real numbers
/// in XLSX).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    Date(Option<NaiveDate>),
    Number(Option<i64>),
    /// Whole per cent (`85` is 85 %).
    Percent(Option<u32>),
}

impl Cell {
    /// The cell as a reader reads it (the PDF): dates as the organisation writes them, counts
    /// with separators.
    pub fn shown(&self, locale: crate::i18n::Locale) -> String {
        match self {
            Cell::Date(Some(date)) => locale.date(*date),
            Cell::Number(Some(n)) => crate::i18n::format::number(*n),
            other => other.text(),
        }
    }

    /// The cell as CSV text: ISO dates and plain numbers, which spreadsheets read as such.
    pub fn text(&self) -> String {
        match self {
            Cell::Text(text) => text.clone(),
            Cell::Date(date) => date.map(|d| d.to_string()).unwrap_or_default(),
            Cell::Number(n) => n.map(|n| n.to_string()).unwrap_or_default(),
            Cell::Percent(p) => p.map(|p| format!("{p}%")).unwrap_or_default(),
        }
    }
}

fn text(value: impl Into<String>) -> Cell {
    Cell::Text(value.into())
}

fn number<T: TryInto<i64>>(value: Option<T>) -> Cell {
    Cell::Number(value.and_then(|v| v.try_into().ok()))
}

/// One section as a table.
#[derive(Debug, Clone)]
pub struct Table {
    /// The section, with its number and title.
    pub head: SectionHead,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    pub fn key(&self) -> SectionKey {
        self.head.key
    }
}

fn headers(lang: Lang, keys: &[&str]) -> Vec<String> {
    keys.iter().map(|k| t(lang, k)).collect()
}

/// Every section of the report as a table, in the order of `SECTIONS`.
pub fn tables(report: &AuditReport) -> Vec<Table> {
    report.sections.iter().map(|head| table(report, head)).collect()
}

/// The table of one section.
pub fn table(report: &AuditReport, head: &SectionHead) -> Table {
    let lang = report.lang;
    let (header_keys, rows): (&[&str], Vec<Vec<Cell>>) = match head.key {
        SectionKey::Certification => (&["report-item", "report-value"], certification(report)),
        SectionKey::Controls => (
            &[
                "report-control-id",
                "controls-guideline",
                "report-heading",
                "report-applicable",
                "report-justification",
                "report-status",
                "report-owner",
                "report-internal-rule",
                "report-evidence-count",
                "report-latest-evidence",
                "report-last-review",
                "report-next-review",
            ],
            controls(report),
        ),
        SectionKey::Records => (
            &[
                "report-duty",
                "report-clause",
                "report-pms-year",
                "report-due",
                "report-status",
                "report-performed-on",
                "report-performed-by",
                "report-summary",
                "report-evidence-count",
            ],
            records(report),
        ),
        SectionKey::Education => (
            &[
                "report-pms-year",
                "report-training",
                "report-performed-on",
                "report-in-scope",
                "report-trained",
                "report-rate",
                "report-breakdown",
                "report-follow-up",
            ],
            education(report),
        ),
        SectionKey::Audits => (
            &[
                "report-duty",
                "report-pms-year",
                "report-performed-on",
                "report-performed-by",
                "report-findings",
                "report-summary",
                "report-decisions",
            ],
            audits(report),
        ),
        SectionKey::Incidents => (
            &[
                "report-incident-id",
                "incident-field-discovered_on",
                "incident-field-title",
                "incident-field-status",
                "incident-field-kinds",
                "incident-field-causes",
                "incident-field-affected_people",
                "nav-corrective-actions",
            ],
            incidents(report),
        ),
        SectionKey::Filings => (
            &[
                "report-incident-id",
                "incident-field-title",
                "incident-filing",
                "incident-filing-due",
                "incident-filing-submitted",
                "incident-filing-state",
            ],
            filings(report),
        ),
        SectionKey::Checks => (
            &[
                "report-incident-id",
                "incident-field-title",
                "report-control-id",
                "report-priority",
                "report-status",
                "check-note",
            ],
            checks(report),
        ),
        SectionKey::Gaps => (&["report-gap-kind", "report-gap-subject", "report-gap-detail"], gaps(report)),
        SectionKey::PmsStructure => (
            &["report-pms-post", "report-pms-holder"],
            report.pms_structure.iter().map(|p| vec![text(p.post.clone()), text(p.holder.clone())]).collect(),
        ),
    };
    Table { head: head.clone(), headers: headers(lang, header_keys), rows }
}

fn certification(report: &AuditReport) -> Vec<Vec<Cell>> {
    let lang = report.lang;
    let Some(c) = &report.certification else { return Vec::new() };
    [
        ("field-registration-number", text(c.registration_number.clone())),
        ("field-examination-body", text(c.examination_body.clone())),
        ("field-first-granted-on", Cell::Date(Some(c.first_granted_on))),
        ("field-valid-from", Cell::Date(Some(c.valid_from))),
        ("field-valid-until", Cell::Date(Some(c.valid_until))),
        ("field-certification-status", text(c.status.clone())),
        ("milestone-window_opens", Cell::Date(Some(c.window_opens))),
        ("milestone-window_closes", Cell::Date(Some(c.window_closes))),
        ("report-today-stands", text(c.phase.clone())),
    ]
    .into_iter()
    .map(|(label, cell)| vec![text(t(lang, label)), cell])
    .collect()
}

fn controls(report: &AuditReport) -> Vec<Vec<Cell>> {
    let lang = report.lang;
    let yes_no = |b: bool| text(t(lang, if b { "incident-flag-yes" } else { "incident-flag-no" }));
    report
        .controls
        .iter()
        .map(|c| {
            vec![
                text(c.id.clone()),
                text(c.guideline_ref.clone()),
                text(c.title.clone()),
                yes_no(c.applicable),
                text(c.justification.clone()),
                text(c.status.clone()),
                text(c.owner.clone()),
                text(c.internal_rule.clone()),
                number(Some(c.evidence_count)),
                Cell::Date(c.latest_evidence),
                Cell::Date(c.last_review),
                Cell::Date(c.next_review),
            ]
        })
        .collect()
}

fn records(report: &AuditReport) -> Vec<Vec<Cell>> {
    report
        .records
        .iter()
        .map(|r| {
            vec![
                text(r.duty.clone()),
                text(r.clause.clone()),
                number(Some(r.pms_year)),
                Cell::Date(Some(r.due_on)),
                text(r.state.clone()),
                Cell::Date(r.performed_on),
                text(r.performed_by.clone()),
                text(r.summary.clone()),
                number(Some(r.evidence_count)),
            ]
        })
        .collect()
}

fn education(report: &AuditReport) -> Vec<Vec<Cell>> {
    report
        .education
        .iter()
        .map(|e| {
            vec![
                number(Some(e.pms_year)),
                text(e.title.clone()),
                Cell::Date(Some(e.performed_on)),
                number(e.people_in_scope),
                number(e.people_trained),
                Cell::Percent(e.rate),
                text(e.breakdown.clone()),
                text(e.absentee_follow_up.clone()),
            ]
        })
        .collect()
}

fn audits(report: &AuditReport) -> Vec<Vec<Cell>> {
    report
        .audits
        .iter()
        .map(|a| {
            vec![
                text(a.kind.clone()),
                number(Some(a.pms_year)),
                Cell::Date(Some(a.performed_on)),
                text(a.performed_by.clone()),
                number(a.findings),
                text(a.summary.clone()),
                text(a.decisions.clone()),
            ]
        })
        .collect()
}

fn incidents(report: &AuditReport) -> Vec<Vec<Cell>> {
    let lang = report.lang;
    report
        .incidents
        .iter()
        .map(|i| {
            vec![
                number(Some(i.id)),
                Cell::Date(Some(i.discovered_on)),
                text(i.title.clone()),
                text(i.status.clone()),
                text(i.kinds.clone()),
                text(i.causes.clone()),
                match i.affected_people {
                    Some(n) => number(Some(n)),
                    None => text(t(lang, "incident-unknown")),
                },
                text(
                    i.actions
                        .iter()
                        .map(|a| format!("{} ({}, {})", a.title, a.due_on, a.status))
                        .collect::<Vec<_>>()
                        .join(" / "),
                ),
            ]
        })
        .collect()
}

fn filings(report: &AuditReport) -> Vec<Vec<Cell>> {
    let mut rows = Vec::new();
    for i in &report.incidents {
        for r in &i.filings {
            rows.push(vec![
                number(Some(i.id)),
                text(i.title.clone()),
                text(r.track.clone()),
                Cell::Date(r.due_on),
                Cell::Date(r.submitted_on),
                text(r.state.clone()),
            ]);
        }
    }
    rows
}

fn checks(report: &AuditReport) -> Vec<Vec<Cell>> {
    let mut rows = Vec::new();
    for i in &report.incidents {
        for r in &i.checks {
            rows.push(vec![
                number(Some(i.id)),
                text(i.title.clone()),
                text(r.control_id.clone()),
                text(r.priority.clone()),
                text(r.state.clone()),
                text(r.note.clone()),
            ]);
        }
    }
    rows
}

fn gaps(report: &AuditReport) -> Vec<Vec<Cell>> {
    if report.gaps.is_empty() {
        return vec![vec![text(t(report.lang, "report-no-gaps")), text(""), text("")]];
    }
    report.gaps.iter().map(|g| vec![text(g.kind.clone()), text(g.subject.clone()), text(g.detail.clone())]).collect()
}
