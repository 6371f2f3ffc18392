//! The report as tables, one per section: what CSV and XLSX write (the HTML page and the PDF lay
//! the same model out themselves).

use chrono::NaiveDate;

use crate::domain::Lang;
use crate::i18n::t;

use super::model::AuditReport;

/// A cell: text, a date (written as a real date in XLSX) or a number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    Date(Option<NaiveDate>),
    Number(Option<i64>),
}

impl Cell {
    /// The cell as CSV text.
    pub fn text(&self) -> String {
        match self {
            Cell::Text(text) => text.clone(),
            Cell::Date(date) => date.map(|d| d.to_string()).unwrap_or_default(),
            Cell::Number(n) => n.map(|n| n.to_string()).unwrap_or_default(),
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
    /// The file or sheet name (`controls`).
    pub key: &'static str,
    pub title: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

fn headers(lang: Lang, keys: &[&str]) -> Vec<String> {
    keys.iter().map(|k| t(lang, k)).collect()
}

/// Every section of the report as a table, in the report's order.
pub fn tables(report: &AuditReport) -> Vec<Table> {
    let lang = report.lang;
    let yes_no = |b: bool| text(t(lang, if b { "incident-flag-yes" } else { "incident-flag-no" }));
    let mut all = Vec::new();

    let mut certification = Vec::new();
    if let Some(c) = &report.certification {
        for (label, cell) in [
            ("field-registration-number", text(c.registration_number.clone())),
            ("field-examination-body", text(c.examination_body.clone())),
            ("field-first-granted-on", Cell::Date(Some(c.first_granted_on))),
            ("field-valid-from", Cell::Date(Some(c.valid_from))),
            ("field-valid-until", Cell::Date(Some(c.valid_until))),
            ("field-certification-status", text(c.status.clone())),
            ("milestone-window_opens", Cell::Date(Some(c.window_opens))),
            ("milestone-window_closes", Cell::Date(Some(c.window_closes))),
            ("report-today-stands", text(c.phase.clone())),
        ] {
            certification.push(vec![text(t(lang, label)), cell]);
        }
    }
    all.push(Table {
        key: "certification",
        title: t(lang, "report-section-certification"),
        headers: headers(lang, &["report-item", "report-value"]),
        rows: certification,
    });

    all.push(Table {
        key: "controls",
        title: t(lang, "report-section-controls"),
        headers: headers(
            lang,
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
        ),
        rows: report
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
            .collect(),
    });

    all.push(Table {
        key: "records",
        title: t(lang, "report-section-records"),
        headers: headers(
            lang,
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
        ),
        rows: report
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
            .collect(),
    });

    all.push(Table {
        key: "education",
        title: t(lang, "report-section-education"),
        headers: headers(
            lang,
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
        ),
        rows: report
            .education
            .iter()
            .map(|e| {
                vec![
                    number(Some(e.pms_year)),
                    text(e.title.clone()),
                    Cell::Date(Some(e.performed_on)),
                    number(e.people_in_scope),
                    number(e.people_trained),
                    text(e.rate.map(|r| format!("{r}%")).unwrap_or_default()),
                    text(e.breakdown.clone()),
                    text(e.absentee_follow_up.clone()),
                ]
            })
            .collect(),
    });

    all.push(Table {
        key: "audits",
        title: t(lang, "report-section-audits"),
        headers: headers(
            lang,
            &[
                "report-duty",
                "report-pms-year",
                "report-performed-on",
                "report-performed-by",
                "report-findings",
                "report-summary",
                "report-decisions",
            ],
        ),
        rows: report
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
            .collect(),
    });

    let mut incidents = Vec::new();
    let mut filings = Vec::new();
    let mut checks = Vec::new();
    for i in &report.incidents {
        incidents.push(vec![
            number(Some(i.id)),
            Cell::Date(Some(i.discovered_on)),
            text(i.title.clone()),
            text(i.status.clone()),
            text(i.kinds.clone()),
            text(i.causes.clone()),
            text(i.affected_people.clone()),
            text(
                i.actions
                    .iter()
                    .map(|a| format!("{} ({}, {})", a.title, a.due_on, a.status))
                    .collect::<Vec<_>>()
                    .join(" / "),
            ),
        ]);
        for r in &i.filings {
            filings.push(vec![
                number(Some(i.id)),
                text(i.title.clone()),
                text(r.track.clone()),
                Cell::Date(r.due_on),
                Cell::Date(r.submitted_on),
                text(r.state.clone()),
            ]);
        }
        for r in &i.checks {
            checks.push(vec![
                number(Some(i.id)),
                text(i.title.clone()),
                text(r.control_id.clone()),
                text(r.priority.clone()),
                text(r.state.clone()),
                text(r.note.clone()),
            ]);
        }
    }
    all.push(Table {
        key: "incidents",
        title: t(lang, "report-section-incidents"),
        headers: headers(
            lang,
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
        ),
        rows: incidents,
    });
    all.push(Table {
        key: "incident_filings",
        title: t(lang, "report-section-filings"),
        headers: headers(
            lang,
            &[
                "report-incident-id",
                "incident-field-title",
                "incident-filing",
                "incident-filing-due",
                "incident-filing-submitted",
                "incident-filing-state",
            ],
        ),
        rows: filings,
    });
    all.push(Table {
        key: "control_checks",
        title: t(lang, "report-section-checks"),
        headers: headers(
            lang,
            &[
                "report-incident-id",
                "incident-field-title",
                "report-control-id",
                "report-priority",
                "report-status",
                "check-note",
            ],
        ),
        rows: checks,
    });
    all.push(Table {
        key: "gaps",
        title: t(lang, "report-section-gaps"),
        headers: headers(lang, &["report-gap-kind", "report-gap-subject", "report-gap-detail"]),
        rows: if report.gaps.is_empty() {
            vec![vec![text(t(lang, "report-no-gaps")), text(""), text("")]]
        } else {
            report
                .gaps
                .iter()
                .map(|g| vec![text(g.kind.clone()), text(g.subject.clone()), text(g.detail.clone())])
                .collect()
        },
    });
    all.push(Table {
        key: "pms_structure",
        title: t(lang, "report-section-pms-structure"),
        headers: headers(lang, &["report-pms-post", "report-pms-holder"]),
        rows: report.pms_structure.iter().map(|p| vec![text(p.post.clone()), text(p.holder.clone())]).collect(),
    });
    all
}
