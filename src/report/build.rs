//! Builds the report model from the loaded rows: pure, no queries.

use crate::domain::corrective_action::ActionStatus;
use crate::domain::incident::CheckState;
use std::collections::HashMap;

use chrono::NaiveDate;

use crate::domain::Lang;
use crate::domain::catalog::Catalog;
use crate::domain::duties::RecordKind;
use crate::domain::incident::IncidentFacts;
use crate::domain::incident::filings::{self, FilingState};
use crate::domain::incident::vocabulary::Term;
use crate::domain::pms_year::{Month, OccurrenceState, PmsYear};
use crate::i18n::{t, t_args};
use crate::settings::RenewalSettings;
use crate::store::report::ReportData;

use super::model::{
    ActionLine, AuditReport, AuditRow, CertificationSection, CheckLine, ControlRow, EducationRow, FilingLine, Gap,
    IncidentRow, PostLine, RecordRow,
};

/// The period a report covers, both days included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// The default: the current validity period up to today, or the last two years when no
    /// cycle is recorded (or the recorded one starts after today).
    pub fn default_for(current_valid_from: Option<NaiveDate>, today: NaiveDate) -> Self {
        let two_years_ago = today.checked_sub_months(chrono::Months::new(24)).unwrap_or(today);
        let from = current_valid_from.filter(|d| *d <= today).unwrap_or(two_years_ago);
        Self { from, to: today }
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.to
    }
}

/// The PMS year that contains `day` for the organisation's start month.
pub fn pms_year_of(day: NaiveDate, start_month: i32) -> PmsYear {
    let start = u32::try_from(start_month).ok().and_then(|m| Month::new(m).ok()).unwrap_or(Month::APRIL);
    PmsYear::containing(day, start)
}

fn labels<T: Term>(lang: Lang, terms: impl IntoIterator<Item = T>) -> String {
    terms.into_iter().map(|term| t(lang, &term.label_key())).collect::<Vec<_>>().join("、")
}

/// Builds the report of `data` for `period`, in `lang`, as of `today`.
pub fn build(
    data: &ReportData,
    catalog: &Catalog,
    renewal: &RenewalSettings,
    period: Period,
    lang: Lang,
    today: NaiveDate,
) -> AuditReport {
    let names: HashMap<i32, &str> = data.members.iter().map(|m| (m.user.id, m.user.display_name.as_str())).collect();
    let evidence_by_control = data.evidence.by_control(&data.controls, &data.duties);
    let locale = crate::i18n::Locale::new(lang, data.organisation.date_style);

    let certification = data.certifications.first().map(|cert| {
        let view = crate::view::renewal::renewal_view_with(renewal, cert, locale, today);
        let mut body = t(lang, &format!("body-{}", cert.examination_body));
        if let Some(other) = &cert.examination_body_other {
            body = format!("{body} {other}");
        }
        CertificationSection {
            registration_number: t_args(
                lang,
                "certification-registration-number-printed",
                &[("number", cert.registration_number.clone())],
            ),
            examination_body: body,
            first_granted_on: cert.first_granted_on,
            valid_from: cert.valid_from,
            valid_until: cert.valid_until,
            status: t(lang, &cert.status.label_key()),
            window_opens: view.window.window_opens,
            window_closes: view.window.window_closes,
            phase: view.phase_text,
        }
    });

    let rows: HashMap<&str, &crate::entities::organisation_control::Model> =
        data.controls.iter().map(|c| (c.control_id.as_str(), c)).collect();
    let controls: Vec<ControlRow> = catalog
        .controls()
        .filter_map(|entry| {
            let row = rows.get(entry.id.as_str())?;
            let evidence = evidence_by_control.get(&row.id).copied().unwrap_or_default();
            Some(ControlRow {
                id: entry.id.clone(),
                guideline_ref: entry.guideline_display().to_owned(),
                title: crate::view::controls_tree::title(entry, lang),
                applicable: row.applicable,
                justification: row.not_applicable_reason.clone().unwrap_or_default(),
                status: if row.applicable { t(lang, row.status.label_key()) } else { t(lang, "status-not_applicable") },
                owner: row.owner_user_id.and_then(|id| names.get(&id)).map(|n| (*n).to_owned()).unwrap_or_default(),
                internal_rule: row.internal_rule.clone(),
                evidence_count: usize::try_from(evidence.count).unwrap_or(0),
                latest_evidence: evidence.latest,
                last_review: row.last_reviewed_on,
                next_review: row.next_review_due,
            })
        })
        .collect();

    let (records, education, audits) = operating_records(data, period, lang, today);
    let incidents = incident_rows(data, lang, today);
    let gaps = gaps(data, &controls, &records, &incidents, locale, today);
    let member_names: HashMap<i32, String> = names.iter().map(|(id, n)| (*id, (*n).to_owned())).collect();
    let pms_structure = crate::view::pms_structure::posts_held(data.pms_structure.as_ref(), &member_names, lang)
        .into_iter()
        .map(|held| PostLine { post: t(lang, &held.post.label_key()), holder: held.holder })
        .collect();
    AuditReport {
        lang,
        dates: data.organisation.date_style,
        sections: super::model::section_heads(lang),
        organisation: data.organisation.name.clone(),
        from: period.from,
        to: period.to,
        generated_on: today,
        certification,
        controls,
        records,
        education,
        audits,
        incidents,
        gaps,
        pms_structure,
    }
}

/// The 教育実施サマリー of each training of the period, computed from its attendances.
fn training_summaries(data: &ReportData, lang: Lang) -> Vec<EducationRow> {
    use crate::domain::training::{Attendance, Worker};
    let workers: Vec<Worker> = data
        .people
        .iter()
        .map(|p| Worker {
            id: p.id,
            department_id: p.department_id,
            employment: p.employment,
            joined_on: p.joined_on,
            left_on: p.left_on,
        })
        .collect();
    data.trainings
        .iter()
        .map(|training| {
            let plan = crate::store::trainings::plan_of(training);
            let attendances: Vec<Attendance> = data
                .attendances
                .iter()
                .filter(|a| a.training_id == training.id)
                .map(|a| Attendance { person_id: a.person_id, attended_on: a.attended_on, score: a.score })
                .collect();
            let (_, summary) = crate::domain::training::assess(&plan, &workers, &attendances);
            let breakdown = summary
                .by_employment
                .iter()
                .map(|(employment, c)| {
                    format!("{} {}/{}", crate::i18n::t(lang, &employment.label_key()), c.trained, c.audience)
                })
                .collect::<Vec<_>>()
                .join(" · ");
            let total = summary.total;
            let count = |n: usize| i32::try_from(n).unwrap_or(i32::MAX);
            EducationRow {
                pms_year: training.pms_year,
                title: training.title.clone(),
                performed_on: training.ends_on,
                people_in_scope: Some(count(total.audience)),
                people_trained: Some(count(total.trained)),
                rate: Some(total.rate()),
                breakdown,
                absentee_follow_up: crate::i18n::t_args(
                    lang,
                    "report-training-follow-up",
                    &[
                        ("failed", total.failed.to_string()),
                        ("not_yet", total.not_yet.to_string()),
                        ("newcomers", total.newcomers.to_string()),
                    ],
                ),
            }
        })
        .collect()
}

fn operating_records(
    data: &ReportData,
    period: Period,
    lang: Lang,
    today: NaiveDate,
) -> (Vec<RecordRow>, Vec<EducationRow>, Vec<AuditRow>) {
    let (by_record, by_training) = (data.evidence.by_record(), data.evidence.by_training());
    let duties: Vec<&crate::entities::duty::Model> = data.duties.iter().filter(|d| d.enabled).collect();
    // From the year before: an occurrence due before the period may have been done inside it.
    let mut year = pms_year_of(period.from, data.organisation.pms_year_start_month).previous();
    let last = pms_year_of(period.to, data.organisation.pms_year_start_month);
    let (mut records, mut education, mut audits) = (Vec::new(), Vec::new(), Vec::new());
    while year.first_day() <= last.first_day() {
        for row in crate::view::duty_schedule::rows(&duties, &data.records, &data.trainings, year, today, lang) {
            for item in &row.occurrences {
                let in_period = period.contains(item.occurrence.due_on)
                    || item.record.is_some_and(|r| period.contains(r.performed_on))
                    || item.training.is_some_and(|t| period.contains(t.ends_on));
                if !in_period || matches!(item.state, OccurrenceState::Upcoming | OccurrenceState::Untracked) {
                    continue;
                }
                records.push(RecordRow {
                    duty: row.name.clone(),
                    clause: row.duty.control_id.clone(),
                    pms_year: item.occurrence.pms_year,
                    due_on: item.occurrence.due_on,
                    state: t(lang, &item.state.label_key()),
                    state_key: item.state.as_str(),
                    // A training duty done by the year's training: its period's end, and its title.
                    performed_on: item.record.map(|r| r.performed_on).or(item.training.map(|t| t.ends_on)),
                    performed_by: item.record.map(|r| r.performed_by.clone()).unwrap_or_default(),
                    summary: item
                        .record
                        .map(|r| r.summary.clone())
                        .or(item.training.map(|t| t.title.clone()))
                        .unwrap_or_default(),
                    evidence_count: match (item.record, item.training) {
                        (Some(r), _) => by_record.get(&r.id).copied().unwrap_or_default(),
                        (None, Some(t)) => by_training.get(&t.id).copied().unwrap_or_default(),
                        (None, None) => 0,
                    },
                });
                let Some(record) = item.record else { continue };
                match row.record_kind {
                    RecordKind::Training => education.push(EducationRow {
                        pms_year: record.pms_year,
                        title: String::new(),
                        performed_on: record.performed_on,
                        people_in_scope: record.people_in_scope,
                        people_trained: record.people_trained,
                        rate: match (record.people_in_scope, record.people_trained) {
                            (Some(scope), Some(trained)) if scope > 0 => u32::try_from(trained * 100 / scope).ok(),
                            _ => None,
                        },
                        breakdown: String::new(),
                        absentee_follow_up: record.absentee_follow_up.clone().unwrap_or_default(),
                    }),
                    RecordKind::InternalAudit | RecordKind::ManagementReview => audits.push(AuditRow {
                        kind: row.name.clone(),
                        pms_year: record.pms_year,
                        performed_on: record.performed_on,
                        performed_by: record.performed_by.clone(),
                        findings: record.findings_count,
                        summary: record.summary.clone(),
                        decisions: record.decisions.clone().unwrap_or_default(),
                    }),
                    RecordKind::Plain => {}
                }
            }
        }
        year = year.next();
    }
    records.sort_by(|a, b| a.due_on.cmp(&b.due_on).then_with(|| a.duty.cmp(&b.duty)));
    education.extend(training_summaries(data, lang));
    education.sort_by_key(|e| e.performed_on);
    audits.sort_by_key(|a| a.performed_on);
    (records, education, audits)
}

fn incident_rows(data: &ReportData, lang: Lang, today: NaiveDate) -> Vec<IncidentRow> {
    let mut filings: HashMap<i32, Vec<&crate::entities::incident_filing::Model>> = HashMap::new();
    for row in &data.filings {
        filings.entry(row.incident_id).or_default().push(row);
    }
    let mut checks: HashMap<i32, Vec<&crate::entities::control_check::Model>> = HashMap::new();
    for row in &data.checks {
        checks.entry(row.incident_id).or_default().push(row);
    }
    let mut actions: HashMap<i32, Vec<&crate::entities::corrective_action::Model>> = HashMap::new();
    for row in &data.actions {
        if let Some(incident) = row.incident_id {
            actions.entry(incident).or_default().push(row);
        }
    }
    data.incidents
        .iter()
        .map(|incident| {
            let facts = IncidentFacts::from_json_text(&incident.facts).ok();
            let mut lines: Vec<FilingLine> = filings
                .get(&incident.id)
                .map(Vec::as_slice)
                .unwrap_or_default()
                .iter()
                .filter_map(|row| {
                    let due = crate::store::incidents::due_of(row)?;
                    let track = due.track;
                    let state = filings::state(&due, row.submitted_on, today);
                    (state != FilingState::NotRequired).then(|| FilingLine {
                        track: t(lang, &track.label_key()),
                        due_on: due.deadline(),
                        submitted_on: row.submitted_on,
                        state: t(lang, &format!("filing-state-{}", state.as_str())),
                        state_key: state.as_str(),
                    })
                })
                .collect();
            lines.sort_by_key(|l| l.due_on);
            IncidentRow {
                id: incident.id,
                title: incident.title.clone(),
                discovered_on: incident.discovered_on,
                status: t(lang, &incident.status.label_key()),
                kinds: facts.as_ref().map(|f| labels(lang, f.kinds.iter().copied())).unwrap_or_default(),
                causes: facts.as_ref().map(|f| labels(lang, f.causes.iter().copied())).unwrap_or_default(),
                affected_people: facts.as_ref().and_then(|f| f.affected_people).and_then(|n| i64::try_from(n).ok()),
                filings: lines,
                checks: checks
                    .get(&incident.id)
                    .map(Vec::as_slice)
                    .unwrap_or_default()
                    .iter()
                    .filter(|r| r.flagged || r.state != CheckState::Open)
                    .map(|r| CheckLine {
                        control_id: r.control_id.clone(),
                        open: r.state == CheckState::Open,
                        priority: t(lang, &r.priority.label_key()),
                        state: t(lang, &r.state.label_key()),
                        note: r.decision_note.clone().unwrap_or_default(),
                    })
                    .collect(),
                actions: actions
                    .get(&incident.id)
                    .map(Vec::as_slice)
                    .unwrap_or_default()
                    .iter()
                    .map(|a| ActionLine {
                        title: a.title.clone(),
                        due_on: a.due_on,
                        status: t(lang, &a.status.label_key()),
                        completed_on: a.completed_on,
                    })
                    .collect(),
            }
        })
        .collect()
}

fn gaps(
    data: &ReportData,
    controls: &[ControlRow],
    records: &[RecordRow],
    incidents: &[IncidentRow],
    locale: crate::i18n::Locale,
    today: NaiveDate,
) -> Vec<Gap> {
    let lang = locale.lang;
    let gap = |kind: &str, subject: String, detail: String| Gap { kind: t(lang, kind), subject, detail };
    let mut gaps = Vec::new();
    for record in records.iter().filter(|r| r.state_key == "overdue") {
        gaps.push(gap(
            "gap-duty-overdue",
            record.duty.clone(),
            t_args(lang, "gap-due-on", &[("date", locale.date(record.due_on))]),
        ));
    }
    for control in controls.iter().filter(|c| c.applicable) {
        if control.evidence_count == 0 {
            gaps.push(gap("gap-control-no-evidence", format!("{} {}", control.id, control.title), String::new()));
        }
        if let Some(due) = control.next_review.filter(|d| *d < today) {
            gaps.push(gap(
                "gap-control-review-overdue",
                format!("{} {}", control.id, control.title),
                t_args(lang, "gap-due-on", &[("date", locale.date(due))]),
            ));
        }
    }
    for incident in incidents {
        for line in &incident.filings {
            // A report still within its deadline is not a gap yet.
            let kind = match line.state_key {
                "overdue" => "gap-filing-unfiled",
                "submitted_late" => "gap-filing-late",
                _ => continue,
            };
            let detail =
                line.due_on.map(|d| t_args(lang, "gap-due-on", &[("date", locale.date(d))])).unwrap_or_default();
            gaps.push(gap(kind, format!("{}: {}", incident.title, line.track), detail));
        }
        for check in incident.checks.iter().filter(|r| r.open) {
            gaps.push(gap(
                "gap-check-open",
                format!("{}: {}", incident.title, check.control_id),
                check.priority.clone(),
            ));
        }
    }
    for action in data.actions.iter().filter(|a| a.status == ActionStatus::Open) {
        gaps.push(gap(
            if action.due_on < today { "gap-action-overdue" } else { "gap-action-open" },
            action.title.clone(),
            t_args(lang, "gap-due-on", &[("date", locale.date(action.due_on))]),
        ));
    }
    gaps
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn empty(name: &str) -> ReportData {
        let now = chrono::Utc::now();
        ReportData {
            organisation: crate::entities::organisation::Model {
                id: 1,
                name: name.to_owned(),
                pms_year_start_month: 4,
                date_style: crate::domain::lang::DateStyle::Western,
                data_version: 0,
                created_at: now,
                updated_at: now,
            },
            certifications: Vec::new(),
            controls: Vec::new(),
            evidence: Default::default(),
            members: Vec::new(),
            duties: Vec::new(),
            records: Vec::new(),
            incidents: Vec::new(),
            filings: Vec::new(),
            checks: Vec::new(),
            actions: Vec::new(),
            trainings: Vec::new(),
            attendances: Vec::new(),
            people: Vec::new(),
            pms_structure: None,
        }
    }

    #[test]
    fn a_report_without_gaps_says_so_in_every_format() {
        use askama::Template;
        let catalogs = crate::domain::catalog::Catalogs::builtin().unwrap();
        let renewal = crate::settings::Settings::load(None).unwrap().renewal;
        let period = Period { from: day("2025-04-01"), to: day("2026-03-31") };
        let report = build(&empty("株式会社空"), catalogs.current(), &renewal, period, Lang::Ja, day("2026-11-27"));
        assert!(report.gaps.is_empty());
        let html = crate::web::report::StandaloneReport::new(&report).render().unwrap();
        assert!(html.contains("id=\"report-no-gaps\""), "the page states it");
        let gaps = super::super::tables::tables(&report)
            .into_iter()
            .find(|t| t.key() == super::super::model::SectionKey::Gaps)
            .unwrap();
        assert_eq!(gaps.rows.len(), 1, "the table states it too");
        assert!(gaps.rows[0][0].text().starts_with("不備は見つかりませんでした"));
    }

    #[test]
    fn the_default_period_is_the_current_validity_up_to_today_or_two_years() {
        let today = day("2026-11-27");
        assert_eq!(Period::default_for(Some(day("2025-06-01")), today), Period { from: day("2025-06-01"), to: today });
        assert_eq!(Period::default_for(None, today), Period { from: day("2024-11-27"), to: today });
        assert_eq!(Period::default_for(Some(day("2027-01-01")), today).from, day("2024-11-27"), "a future cycle");
    }
}
