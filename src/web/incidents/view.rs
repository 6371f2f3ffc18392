//! What the incident pages show, computed from the stored rows and a fresh assessment of the
//! stored facts.

use crate::domain::incident::CheckState;
use crate::domain::incident::vocabulary::Priority;
use chrono::NaiveDate;

use crate::domain::Lang;
use crate::domain::incident::filings::{self, FilingState, Track};
use crate::domain::incident::vocabulary::Term;
use crate::domain::incident::{Assessment, CheckRules, IncidentFacts};
use crate::entities::{control_check, incident, incident_filing};
use crate::i18n;

/// One of the five filings, with its state today.
pub struct FilingRow {
    pub track: Track,
    pub required: bool,
    pub due_on: Option<NaiveDate>,
    pub latest_on: Option<NaiveDate>,
    pub submitted_on: Option<NaiveDate>,
    pub reference: String,
    pub submitted_by: Option<i32>,
    pub state: FilingState,
    /// Days left to the deadline (negative when overdue), while outstanding.
    pub days_left: Option<i64>,
    /// Days left to the target day (`due_on`), while outstanding: a preliminary report has a
    /// target and a later latest day, and a target reached today is not "two days left".
    pub target_days: Option<i64>,
}

impl FilingRow {
    /// The suffix of the labels of its form: the notice to the individuals is given (通知), not
    /// filed with a receipt number (提出, 受付番号) like the reports to the authorities.
    pub fn wording(&self) -> &'static str {
        if self.track == Track::IndividualsNotice { "-notice" } else { "" }
    }

    /// The time left in words: 本日が期限, あと3日, 2日超過, or for a filing with a latest day
    /// after its target, where the target stands.
    pub fn days_text(&self, lang: &crate::domain::Lang) -> Option<String> {
        let lang = *lang;
        let days = self.days_left?;
        let n = |d: i64| vec![("days", crate::i18n::format::number(d))];
        let (key, args) = match (self.latest_on.is_some(), self.target_days) {
            _ if days < 0 => ("incident-days-over", n(-days)),
            _ if days == 0 => ("incident-days-today", Vec::new()),
            (true, Some(0)) => ("incident-days-target-today", n(days)),
            (true, Some(target)) if target < 0 => ("incident-days-target-passed", n(days)),
            (true, Some(target)) if target < days => (
                "incident-days-target-ahead",
                vec![("target", crate::i18n::format::number(target)), ("days", crate::i18n::format::number(days))],
            ),
            _ => ("incident-days-left", n(days)),
        };
        Some(crate::i18n::t_args(lang, key, &args))
    }
}

impl FilingRow {
    pub fn of(row: &incident_filing::Model, today: NaiveDate) -> Option<Self> {
        let due = crate::store::incidents::due_of(row)?;
        let state = filings::state(&due, row.submitted_on, today);
        Some(Self {
            track: due.track,
            required: row.required,
            due_on: row.due_on,
            latest_on: row.latest_on,
            submitted_on: row.submitted_on,
            reference: row.reference.clone().unwrap_or_default(),
            submitted_by: row.submitted_by,
            state,
            days_left: if state.is_outstanding() { due.deadline().map(|d| (d - today).num_days()) } else { None },
            target_days: if state.is_outstanding() { due.due_on.map(|d| (d - today).num_days()) } else { None },
        })
    }
}

/// One control check with its texts in the viewer's language.
pub struct CheckRow {
    pub model: control_check::Model,
    pub title: String,
    pub guideline_ref: String,
    pub reasons: Vec<String>,
}

impl CheckRow {
    pub fn of(model: control_check::Model, rules_catalog: &crate::domain::catalog::Catalog, lang: Lang) -> Self {
        let entry = rules_catalog.get(&model.control_id);
        let title = entry.map(|e| crate::view::controls_tree::title(e, lang)).unwrap_or_default();
        let guideline_ref = entry.map(|e| e.guideline_display().to_owned()).unwrap_or_default();
        let text = if lang == Lang::Ja { &model.reasons_ja } else { &model.reasons_en };
        let reasons = serde_json::from_str::<Vec<String>>(text)
            .unwrap_or_default()
            .iter()
            .map(|reason| super::reasons::humanize(reason, lang))
            .collect();
        Self { model, title, guideline_ref, reasons }
    }

    /// Sort key: open and flagged first, then by priority.
    pub fn sort_key(&self) -> (bool, Priority, i32) {
        (!(self.model.flagged && self.model.state == CheckState::Open), self.model.priority, self.model.id)
    }
}

/// The facts as labelled lists for the page.
pub struct FactRow {
    pub field: &'static str,
    pub values: Vec<String>,
}

fn labels<T: Term>(lang: Lang, terms: impl IntoIterator<Item = T>) -> Vec<String> {
    terms.into_iter().map(|t| i18n::t(lang, &t.label_key())).collect()
}

/// The facts of an incident as label rows.
pub fn fact_rows(facts: &IncidentFacts, locale: crate::i18n::Locale) -> Vec<FactRow> {
    let lang = locale.lang;
    let flag = |value: Option<bool>| {
        vec![i18n::t(
            lang,
            match value {
                Some(true) => "incident-flag-yes",
                Some(false) => "incident-flag-no",
                None => "incident-flag-unknown",
            },
        )]
    };
    let date = |d: Option<NaiveDate>| vec![d.map_or_else(|| i18n::t(lang, "incident-unknown"), |d| locale.date(d))];
    vec![
        FactRow { field: "discovered_on", values: vec![locale.date(facts.discovered_on)] },
        FactRow { field: "occurred_from", values: date(facts.occurred_from) },
        FactRow { field: "occurred_to", values: date(facts.occurred_to) },
        FactRow { field: "kinds", values: labels(lang, facts.kinds.iter().copied()) },
        FactRow { field: "causes", values: labels(lang, facts.causes.iter().copied()) },
        FactRow { field: "data", values: labels(lang, facts.data.iter().copied()) },
        FactRow {
            field: "affected_people",
            values: vec![
                facts.affected_people.map_or_else(|| i18n::t(lang, "incident-unknown"), crate::i18n::format::number),
            ],
        },
        FactRow { field: "parties", values: labels(lang, facts.parties.iter().copied()) },
        FactRow { field: "systems", values: labels(lang, facts.systems.iter().copied()) },
        FactRow { field: "detected_by", values: labels(lang, facts.detected_by) },
        FactRow { field: "strongly_encrypted", values: flag(facts.strongly_encrypted) },
        FactRow { field: "retained_beyond_need", values: flag(facts.retained_beyond_need) },
        FactRow { field: "possible_only", values: flag(facts.possible_only) },
    ]
}

/// The stored facts and their assessment by today's rules (`None` if the stored JSON no longer
/// parses, which only a hand edit of the database can cause).
pub fn assess(incident: &incident::Model, rules: &CheckRules) -> Option<(IncidentFacts, Assessment)> {
    let facts = IncidentFacts::from_json_text(&incident.facts).ok()?;
    let assessment = rules.assess(&facts);
    Some((facts, assessment))
}

/// The APPI categories as labels.
pub fn category_labels(assessment: &Assessment, lang: Lang) -> Vec<String> {
    labels(lang, assessment.appi.categories.iter().copied())
}

/// The assessment's notes in the viewer's language.
pub fn notes(assessment: &Assessment, lang: Lang) -> Vec<String> {
    assessment.notes.iter().map(|n| if lang == Lang::Ja { n.ja } else { n.en }.to_owned()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Lang;

    fn row(days_left: i64, target_days: i64, latest: bool) -> FilingRow {
        let on = NaiveDate::from_ymd_opt(2026, 12, 1);
        FilingRow {
            track: Track::PpcPreliminary,
            required: true,
            due_on: on,
            latest_on: if latest { on } else { None },
            submitted_on: None,
            reference: String::new(),
            submitted_by: None,
            state: FilingState::Due,
            days_left: Some(days_left),
            target_days: Some(target_days),
        }
    }

    #[test]
    fn a_target_reached_today_is_said_so_not_counted_to_the_latest_day() {
        assert_eq!(row(2, 0, true).days_text(&Lang::Ja).unwrap(), "本日が目標日（最終日まであと2日）");
        assert_eq!(row(1, -1, true).days_text(&Lang::Ja).unwrap(), "目標日を過ぎています（最終日まであと1日）");
        assert_eq!(row(0, 0, false).days_text(&Lang::Ja).unwrap(), "本日が期限");
        assert_eq!(row(3, 3, false).days_text(&Lang::Ja).unwrap(), "あと3日");
        assert_eq!(row(5, 3, true).days_text(&Lang::Ja).unwrap(), "目標日まであと3日（最終日まであと5日）");
        assert_eq!(row(-4, -4, false).days_text(&Lang::En).unwrap(), "4 days overdue");
    }
}
