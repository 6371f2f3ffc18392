//! The PMS calendar's view model: each duty's occurrences in a PMS year with their state and
//! record, derived (never typed in) from the duty's frequency and due month. A training duty's
//! occurrence is also done by the year's trainings (教育計画) whose period has ended: their
//! attendances are its record, nobody types it again.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::domain::Lang;
use crate::domain::duties::RecordKind;
use crate::domain::pms_year::{Frequency, Occurrence, OccurrenceState, PmsYear, occurrences};
use crate::entities::{duty, duty_record, training};
use crate::i18n;
pub use crate::store::duties::schedule_of;

/// Days ahead that count as "due soon" on the calendar and dashboard.
pub const LOOK_AHEAD_DAYS: i64 = 60;

/// One occurrence as shown.
#[derive(Debug, Clone)]
pub struct OccurrenceView<'a> {
    pub occurrence: Occurrence,
    /// `done`, `overdue`, `due_soon`, `upcoming`, or `untracked` (due before the duty existed).
    pub state: OccurrenceState,
    pub record: Option<&'a duty_record::Model>,
    /// The training whose records fulfil it (a training duty's occurrence without a typed record).
    pub training: Option<&'a training::Model>,
}

/// One duty with its occurrences in the year.
#[derive(Debug, Clone)]
pub struct DutyRow<'a> {
    pub duty: &'a duty::Model,
    pub name: String,
    pub frequency: Frequency,
    pub record_kind: RecordKind,
    pub occurrences: Vec<OccurrenceView<'a>>,
}

/// The name of a duty in the UI language.
pub fn duty_name(duty: &duty::Model, lang: Lang) -> String {
    match (&duty.builtin_key, &duty.name) {
        (Some(key), _) => i18n::t(lang, &format!("duty-{key}")),
        (None, Some(name)) => name.clone(),
        (None, None) => format!("#{}", duty.id),
    }
}

/// The trainings of `pms_year` whose period ended by `today`, first ended first: the n-th
/// fulfils the n-th occurrence of a training duty that year.
fn held(trainings: &[training::Model], pms_year: i32, today: NaiveDate) -> Vec<&training::Model> {
    let mut held: Vec<&training::Model> =
        trainings.iter().filter(|t| t.pms_year == pms_year && t.ends_on <= today).collect();
    held.sort_by_key(|t| (t.ends_on, t.id));
    held
}

/// The rows of the calendar for `year`, for the duties given (records and trainings of any years
/// may be passed).
pub fn rows<'a>(
    duties: &[&'a duty::Model],
    records: &'a [duty_record::Model],
    trainings: &'a [training::Model],
    year: PmsYear,
    today: NaiveDate,
    lang: Lang,
) -> Vec<DutyRow<'a>> {
    let by_occurrence: HashMap<(i32, i32, i32), &duty_record::Model> =
        records.iter().map(|r| ((r.duty_id, r.pms_year, r.slot), r)).collect();
    let mut held_by_year: HashMap<i32, Vec<&training::Model>> = HashMap::new();
    duties
        .iter()
        .map(|duty| {
            let (frequency, due_month) = schedule_of(duty);
            let tracked_from = duty.created_at.date_naive();
            let occurrences = occurrences(frequency, due_month, year)
                .into_iter()
                .map(|occurrence| {
                    let slot = i32::try_from(occurrence.slot).unwrap_or(0);
                    let record = by_occurrence.get(&(duty.id, occurrence.pms_year, slot)).copied();
                    let training = if record.is_none() && duty.record_kind == RecordKind::Training {
                        let held = held_by_year
                            .entry(occurrence.pms_year)
                            .or_insert_with(|| held(trainings, occurrence.pms_year, today));
                        usize::try_from(slot).ok().and_then(|i| held.get(i)).copied()
                    } else {
                        None
                    };
                    let done = record.is_some() || training.is_some();
                    let state = if !done && occurrence.due_on < tracked_from {
                        OccurrenceState::Untracked
                    } else {
                        OccurrenceState::of(occurrence.due_on, done, today, LOOK_AHEAD_DAYS)
                    };
                    OccurrenceView { occurrence, state, record, training }
                })
                .collect();
            DutyRow { name: duty_name(duty, lang), frequency, record_kind: duty.record_kind, duty, occurrences }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::domain::pms_year::Month;

    fn duty(id: i32, frequency: &str, due_month: i32, created: (i32, u32, u32)) -> duty::Model {
        duty::Model {
            id,
            organisation_id: 1,
            builtin_key: Some("training".into()),
            name: None,
            catalog_version: "JIS Q 15001:2017".into(),
            control_id: "A.3.4.5".into(),
            frequency: Frequency::parse(frequency).expect("a frequency"),
            due_month,
            record_kind: RecordKind::Training,
            enabled: true,
            lock_version: 1,
            created_at: Utc.with_ymd_and_hms(created.0, created.1, created.2, 0, 0, 0).single().unwrap_or_default(),
            updated_at: Utc::now(),
        }
    }

    fn record(duty_id: i32, pms_year: i32, slot: i32) -> duty_record::Model {
        duty_record::Model {
            id: 1,
            organisation_id: 1,
            duty_id,
            pms_year,
            slot,
            performed_on: NaiveDate::from_ymd_opt(2026, 9, 10).unwrap_or_default(),
            performed_by: "山田".into(),
            summary: "全従業者教育".into(),
            people_in_scope: Some(40),
            people_trained: Some(38),
            absentee_follow_up: Some("後日個別に実施".into()),
            findings_count: None,
            decisions: None,
            recorded_by: 1,
            lock_version: 1,
            created_at: Utc::now(),
        }
    }

    #[test]
    fn occurrences_get_their_records_and_states() {
        let year = PmsYear { label: 2026, start_month: Month::APRIL };
        let today = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap_or_default();
        let duties = [duty(1, "yearly", 9, (2025, 1, 1)), duty(2, "monthly", 4, (2026, 6, 15))];
        let records = [record(1, 2026, 0)];
        let rows = rows(&[&duties[0], &duties[1]], &records, &[], year, today, Lang::Ja);
        assert_eq!(rows[0].name, "教育の実施");
        assert_eq!(rows[0].occurrences[0].state, OccurrenceState::Done);
        let monthly: Vec<_> = rows[1].occurrences.iter().map(|o| o.state.as_str()).collect();
        assert_eq!(&monthly[..2], ["untracked", "untracked"], "April and May came before the duty existed");
        assert_eq!(monthly[2], "overdue", "June 30 was after it was created");
        assert_eq!(monthly[7], "due_soon", "November");
        assert_eq!(monthly[11], "upcoming", "March");
    }

    fn training(id: i32, pms_year: i32, ends_on: (i32, u32, u32)) -> training::Model {
        training::Model {
            id,
            organisation_id: 1,
            pms_year,
            title: format!("教育 {id}"),
            topics: "[]".into(),
            method: "eラーニング".into(),
            audience_departments: "[]".into(),
            audience_employments: "[]".into(),
            starts_on: NaiveDate::from_ymd_opt(ends_on.0, ends_on.1, 1).unwrap_or_default(),
            ends_on: NaiveDate::from_ymd_opt(ends_on.0, ends_on.1, ends_on.2).unwrap_or_default(),
            pass_mark: None,
            notes: String::new(),
            lock_version: 1,
            created_by: 1,
            created_at: Utc::now(),
            updated_at: Utc::now(),
        }
    }

    #[test]
    fn a_training_duty_is_done_by_the_years_training_once_its_period_has_ended() {
        let year = PmsYear { label: 2026, start_month: Month::APRIL };
        let duties = [duty(1, "yearly", 9, (2025, 1, 1))];
        let trainings = [training(7, 2026, (2026, 9, 30)), training(8, 2025, (2025, 9, 30))];
        let on = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap_or_default();
        let running = rows(&[&duties[0]], &[], &trainings, year, on(9, 29), Lang::Ja);
        assert_eq!(running[0].occurrences[0].state, OccurrenceState::DueSoon, "still running");
        assert!(running[0].occurrences[0].training.is_none());
        let ended = rows(&[&duties[0]], &[], &trainings, year, on(10, 1), Lang::Ja);
        assert_eq!(ended[0].occurrences[0].state, OccurrenceState::Done);
        assert_eq!(ended[0].occurrences[0].training.map(|t| t.id), Some(7), "this year's, not last year's");
        let typed = [record(1, 2026, 0)];
        let both = rows(&[&duties[0]], &typed, &trainings, year, on(10, 1), Lang::Ja);
        assert!(
            both[0].occurrences[0].record.is_some() && both[0].occurrences[0].training.is_none(),
            "a typed record wins"
        );
    }
}
