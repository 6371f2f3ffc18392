//! Forms of the PMS calendar: a duty's record, a duty's schedule, an organisation's own duty.

use chrono::NaiveDate;
use serde::Deserialize;

use crate::domain::FieldErrors;
use crate::domain::control::parse_optional_date;
use crate::domain::duties::RecordKind;
use crate::domain::pms_year::{Frequency, Month};
use crate::store::duties::{NewDuty, NewRecord};

const MAX_NAME_CHARS: usize = 100;
const MAX_TEXT_CHARS: usize = 5000;

/// The record form as submitted.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RecordForm {
    pub performed_on: String,
    pub performed_by: String,
    pub summary: String,
    pub people_in_scope: String,
    pub people_trained: String,
    pub absentee_follow_up: String,
    pub findings_count: String,
    pub decisions: String,
    /// The version of the record a correction was loaded at (unused when recording).
    pub lock_version: String,
}

impl RecordForm {
    /// The correction form of a stored record.
    pub fn of(record: &crate::entities::duty_record::Model) -> Self {
        let number = |n: Option<i32>| n.map(|n| n.to_string()).unwrap_or_default();
        Self {
            performed_on: record.performed_on.to_string(),
            performed_by: record.performed_by.clone(),
            summary: record.summary.clone(),
            people_in_scope: number(record.people_in_scope),
            people_trained: number(record.people_trained),
            absentee_follow_up: record.absentee_follow_up.clone().unwrap_or_default(),
            findings_count: number(record.findings_count),
            decisions: record.decisions.clone().unwrap_or_default(),
            lock_version: record.lock_version.to_string(),
        }
    }

    /// Validates a correction: the record's values as when recording, and the version read.
    ///
    /// # Errors
    /// The field errors (`lock_version` when the version is not a number).
    pub fn parse_correction(&self, kind: RecordKind, today: NaiveDate) -> Result<(NewRecord, i32), FieldErrors> {
        let version = self.lock_version.trim().parse::<i32>();
        match (self.parse(kind, today), version) {
            (Ok(values), Ok(version)) => Ok((values, version)),
            (Err(mut errors), Err(_)) => {
                errors.add("lock_version", "error-stale-form");
                Err(errors)
            }
            (Ok(_), Err(_)) => {
                let mut errors = FieldErrors::new();
                errors.add("lock_version", "error-stale-form");
                Err(errors)
            }
            (Err(errors), Ok(_)) => Err(errors),
        }
    }
}

fn count(errors: &mut FieldErrors, field: &'static str, text: &str) -> Option<i32> {
    match text.trim().parse::<i32>() {
        Ok(n) if (0..=1_000_000).contains(&n) => Some(n),
        Ok(_) => {
            errors.add(field, "error-count-range");
            None
        }
        Err(_) => {
            errors.add(field, if text.trim().is_empty() { "error-required" } else { "error-number" });
            None
        }
    }
}

fn bounded(errors: &mut FieldErrors, field: &'static str, text: &str, max: usize, required: bool) -> String {
    let value = text.trim();
    if required && value.is_empty() {
        errors.add(field, "error-required");
    } else if value.chars().count() > max {
        errors.add(field, "error-too-long");
    } else if crate::domain::text::has_forbidden_characters(value) {
        errors.add(field, "error-control-characters");
    }
    value.to_owned()
}

impl RecordForm {
    /// Validates the record of a duty whose extra fields depend on `kind`.
    ///
    /// # Errors
    /// The field errors.
    pub fn parse(&self, kind: RecordKind, today: NaiveDate) -> Result<NewRecord, FieldErrors> {
        let mut errors = FieldErrors::new();
        let performed_on = match parse_optional_date(&self.performed_on) {
            Ok(Some(date)) if date > today => {
                errors.add("performed_on", "error-date-in-future");
                None
            }
            Ok(Some(date)) => Some(date),
            Ok(None) => {
                errors.add("performed_on", "error-required");
                None
            }
            Err(key) => {
                errors.add("performed_on", key);
                None
            }
        };
        let performed_by = bounded(&mut errors, "performed_by", &self.performed_by, MAX_NAME_CHARS, true);
        let summary = bounded(&mut errors, "summary", &self.summary, MAX_TEXT_CHARS, true);
        let mut record = NewRecord { performed_by, summary, ..NewRecord::default() };
        match kind {
            RecordKind::Training => {
                let scope = count(&mut errors, "people_in_scope", &self.people_in_scope);
                let trained = count(&mut errors, "people_trained", &self.people_trained);
                let follow_up =
                    bounded(&mut errors, "absentee_follow_up", &self.absentee_follow_up, MAX_TEXT_CHARS, false);
                if let (Some(scope), Some(trained)) = (scope, trained) {
                    if trained > scope {
                        errors.add("people_trained", "error-trained-over-scope");
                    } else if trained < scope && follow_up.is_empty() {
                        errors.add("absentee_follow_up", "error-follow-up-required");
                    }
                }
                record.people_in_scope = scope;
                record.people_trained = trained;
                record.absentee_follow_up = Some(follow_up).filter(|f| !f.is_empty());
            }
            RecordKind::InternalAudit => {
                record.findings_count = count(&mut errors, "findings_count", &self.findings_count)
            }
            RecordKind::ManagementReview => {
                record.decisions = Some(bounded(&mut errors, "decisions", &self.decisions, MAX_TEXT_CHARS, true));
            }
            RecordKind::Plain => {}
        }
        match performed_on {
            Some(date) if errors.is_empty() => Ok(NewRecord { performed_on: date, ..record }),
            _ => Err(errors),
        }
    }
}

/// A duty's schedule form.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ScheduleForm {
    /// `on` when checked; absent otherwise.
    pub enabled: String,
    pub due_month: String,
}

impl ScheduleForm {
    /// # Errors
    /// The field errors.
    pub fn parse(&self) -> Result<(bool, Month), FieldErrors> {
        let mut errors = FieldErrors::new();
        let month = errors.take("due_month", Month::parse(&self.due_month));
        match month {
            Some(month) => Ok((self.enabled == "on", month)),
            None => Err(errors),
        }
    }
}

/// The form adding an organisation's own duty.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct NewDutyForm {
    pub name: String,
    pub control_id: String,
    pub frequency: String,
    pub due_month: String,
}

impl NewDutyForm {
    /// `control_ids` are the controls a duty may be tied to.
    ///
    /// # Errors
    /// The field errors.
    pub fn parse(&self, control_ids: &[&str]) -> Result<NewDuty, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = bounded(&mut errors, "name", &self.name, MAX_NAME_CHARS, true);
        let control_id = self.control_id.trim();
        if !control_ids.contains(&control_id) {
            errors.add("control_id", "error-choice");
        }
        let frequency = errors.take("frequency", Frequency::parse(&self.frequency));
        let due_month = errors.take("due_month", Month::parse(&self.due_month));
        match (frequency, due_month) {
            (Some(frequency), Some(due_month)) if errors.is_empty() => {
                Ok(NewDuty { name, control_id: control_id.to_owned(), frequency, due_month })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 27).unwrap_or_default()
    }

    fn training() -> RecordForm {
        RecordForm {
            performed_on: "2026-09-10".into(),
            performed_by: "山田 花子".into(),
            summary: "全従業者向け個人情報保護教育".into(),
            people_in_scope: "40".into(),
            people_trained: "38".into(),
            absentee_follow_up: "欠席者2名は10月に個別実施".into(),
            ..RecordForm::default()
        }
    }

    #[test]
    fn a_training_record_needs_counts_and_a_follow_up_for_absentees() {
        let record = training().parse(RecordKind::Training, today());
        assert_eq!(record.map(|r| (r.people_in_scope, r.people_trained)).ok(), Some((Some(40), Some(38))));
        let no_follow_up = RecordForm { absentee_follow_up: String::new(), ..training() };
        assert_eq!(
            no_follow_up.parse(RecordKind::Training, today()).unwrap_err().get("absentee_follow_up"),
            Some("error-follow-up-required")
        );
        let everyone = RecordForm { people_trained: "40".into(), absentee_follow_up: String::new(), ..training() };
        assert!(everyone.parse(RecordKind::Training, today()).is_ok());
        let too_many = RecordForm { people_trained: "41".into(), ..training() };
        assert_eq!(
            too_many.parse(RecordKind::Training, today()).unwrap_err().get("people_trained"),
            Some("error-trained-over-scope")
        );
        let negative = RecordForm { people_in_scope: "-1".into(), ..training() };
        assert_eq!(
            negative.parse(RecordKind::Training, today()).unwrap_err().get("people_in_scope"),
            Some("error-count-range")
        );
    }

    #[test]
    fn dates_in_the_future_and_missing_fields_are_refused() {
        let future = RecordForm { performed_on: "2026-11-28".into(), ..training() };
        assert_eq!(
            future.parse(RecordKind::Plain, today()).unwrap_err().get("performed_on"),
            Some("error-date-in-future")
        );
        let empty = RecordForm::default().parse(RecordKind::ManagementReview, today()).unwrap_err();
        for field in ["performed_on", "performed_by", "summary", "decisions"] {
            assert!(empty.get(field).is_some(), "{field}");
        }
        let audit = RecordForm { findings_count: "x".into(), ..training() };
        assert_eq!(
            audit.parse(RecordKind::InternalAudit, today()).unwrap_err().get("findings_count"),
            Some("error-number")
        );
    }

    #[test]
    fn a_new_duty_needs_a_known_control_frequency_and_month() {
        let form = NewDutyForm {
            name: "入退室記録の確認".into(),
            control_id: "A.3.4.3.2".into(),
            frequency: "quarterly".into(),
            due_month: "6".into(),
        };
        let duty = form.parse(&["A.3.4.3.2"]);
        assert_eq!(duty.as_ref().map(|d| (d.frequency, d.due_month.get())).ok(), Some((Frequency::Quarterly, 6)));
        let bad = NewDutyForm { control_id: "A.9".into(), frequency: "weekly".into(), due_month: "13".into(), ..form };
        let errors = bad.parse(&["A.3.4.3.2"]).unwrap_err();
        for field in ["control_id", "frequency", "due_month"] {
            assert!(errors.get(field).is_some(), "{field}");
        }
    }
}
