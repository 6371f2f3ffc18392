//! The reports an incident makes due, and the state of each over time. Five reports: the
//! Privacy Mark body's preliminary (速報) and final (確報), the PPC's preliminary and final, and
//! the notice to the individuals (本人通知). Dates follow the product's convention (discovery is
//! day 0, calendar days); the notice is "prompt" in the law, and this product targets it on the
//! preliminary report's dates (target and latest day).

use chrono::NaiveDate;

use super::tracks::{AppiReport, PmarkReport};

/// One of the five reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Track {
    PmarkPreliminary,
    PmarkFinal,
    PpcPreliminary,
    PpcFinal,
    IndividualsNotice,
}

impl Track {
    pub const ALL: [Track; 5] =
        [Track::PmarkPreliminary, Track::PmarkFinal, Track::PpcPreliminary, Track::PpcFinal, Track::IndividualsNotice];

    pub fn as_str(self) -> &'static str {
        match self {
            Track::PmarkPreliminary => "pmark_preliminary",
            Track::PmarkFinal => "pmark_final",
            Track::PpcPreliminary => "ppc_preliminary",
            Track::PpcFinal => "ppc_final",
            Track::IndividualsNotice => "individuals_notice",
        }
    }

    /// # Errors
    /// `error-choice` for an unknown name.
    pub fn parse(text: &str) -> Result<Self, &'static str> {
        Self::ALL.into_iter().find(|t| t.as_str() == text).ok_or("error-choice")
    }

    /// Whether the law (APPI) requires it, as opposed to the Privacy Mark contract: reminders of
    /// legal reports cannot be turned off.
    pub fn is_legal_duty(self) -> bool {
        matches!(self, Track::PpcPreliminary | Track::PpcFinal | Track::IndividualsNotice)
    }
}

crate::domain::term::term_of!(Track, "report-track");

/// Whether a report is due, and by when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Due {
    pub track: Track,
    pub required: bool,
    /// The target date.
    pub due_on: Option<NaiveDate>,
    /// The latest acceptable date, where the convention gives one after the target.
    pub latest_on: Option<NaiveDate>,
}

impl Due {
    /// The day after which an unsubmitted report is overdue.
    pub fn deadline(&self) -> Option<NaiveDate> {
        self.latest_on.or(self.due_on)
    }
}

/// The five reports an assessment makes due (or not).
pub fn due_reports(pmark: &PmarkReport, appi: &AppiReport) -> [Due; 5] {
    [
        Due {
            track: Track::PmarkPreliminary,
            required: pmark.preliminary_due.is_some(),
            due_on: pmark.preliminary_due,
            latest_on: pmark.preliminary_latest,
        },
        Due { track: Track::PmarkFinal, required: pmark.required, due_on: Some(pmark.final_due), latest_on: None },
        Due {
            track: Track::PpcPreliminary,
            required: appi.reportable,
            due_on: appi.preliminary_due,
            latest_on: appi.preliminary_latest,
        },
        Due { track: Track::PpcFinal, required: appi.reportable, due_on: appi.final_due, latest_on: None },
        Due {
            track: Track::IndividualsNotice,
            required: appi.notify_individuals,
            due_on: if appi.notify_individuals { appi.preliminary_due } else { None },
            latest_on: if appi.notify_individuals { appi.preliminary_latest } else { None },
        },
    ]
}

/// Where a report stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReportState {
    NotRequired,
    Due,
    Overdue,
    Submitted,
    SubmittedLate,
}

impl ReportState {
    pub fn as_str(self) -> &'static str {
        match self {
            ReportState::NotRequired => "not_required",
            ReportState::Due => "due",
            ReportState::Overdue => "overdue",
            ReportState::Submitted => "submitted",
            ReportState::SubmittedLate => "submitted_late",
        }
    }

    /// Whether the report still needs filing.
    pub fn is_outstanding(self) -> bool {
        matches!(self, ReportState::Due | ReportState::Overdue)
    }
}

/// The state of a report on `today`. A report filed by its deadline (the latest day where there
/// is one) is on time; a report that is not required but was filed anyway counts as submitted.
pub fn state(due: &Due, submitted_on: Option<NaiveDate>, today: NaiveDate) -> ReportState {
    let deadline = due.deadline();
    match (due.required, submitted_on) {
        (false, None) => ReportState::NotRequired,
        (false, Some(_)) => ReportState::Submitted,
        (true, Some(on)) if deadline.is_some_and(|d| on > d) => ReportState::SubmittedLate,
        (true, Some(_)) => ReportState::Submitted,
        (true, None) if deadline.is_some_and(|d| today > d) => ReportState::Overdue,
        (true, None) => ReportState::Due,
    }
}

/// What changed in one report's due-ness when the facts changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueChange {
    pub track: Track,
    pub before: Due,
    pub after: Due,
}

/// The reports whose requirement or dates differ between two assessments.
pub fn changes(before: &[Due], after: &[Due]) -> Vec<DueChange> {
    after
        .iter()
        .filter_map(|new| {
            let old = before.iter().find(|d| d.track == new.track)?;
            (old != new).then_some(DueChange { track: new.track, before: *old, after: *new })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn preliminary() -> Due {
        Due {
            track: Track::PpcPreliminary,
            required: true,
            due_on: Some(day("2019-07-29")),
            latest_on: Some(day("2019-07-31")),
        }
    }

    #[test]
    fn an_unfiled_report_is_due_until_its_latest_day_then_overdue() {
        let due = preliminary();
        assert_eq!(state(&due, None, day("2019-07-26")), ReportState::Due);
        assert_eq!(state(&due, None, day("2019-07-30")), ReportState::Due, "past the target, within the latest day");
        assert_eq!(state(&due, None, day("2019-07-31")), ReportState::Due);
        assert_eq!(state(&due, None, day("2019-08-01")), ReportState::Overdue);
    }

    #[test]
    fn a_filed_report_is_on_time_or_late_whatever_today_is() {
        let due = preliminary();
        assert_eq!(state(&due, Some(day("2019-07-31")), day("2030-01-01")), ReportState::Submitted);
        assert_eq!(state(&due, Some(day("2019-08-01")), day("2019-08-01")), ReportState::SubmittedLate);
        let fin = Due { track: Track::PpcFinal, required: true, due_on: Some(day("2019-09-24")), latest_on: None };
        assert_eq!(state(&fin, Some(day("2019-09-25")), day("2019-09-25")), ReportState::SubmittedLate);
        assert_eq!(state(&fin, None, day("2019-09-25")), ReportState::Overdue);
    }

    #[test]
    fn a_report_that_is_not_required_is_not_due_but_a_voluntary_one_counts() {
        let none = Due { track: Track::PpcFinal, required: false, due_on: None, latest_on: None };
        assert_eq!(state(&none, None, day("2024-01-01")), ReportState::NotRequired);
        assert_eq!(state(&none, Some(day("2024-01-01")), day("2024-01-01")), ReportState::Submitted);
        assert!(!ReportState::NotRequired.is_outstanding());
        assert!(ReportState::Overdue.is_outstanding());
    }

    #[test]
    fn changes_name_only_the_reports_that_moved() {
        let before = [preliminary()];
        let same = changes(&before, &before);
        assert!(same.is_empty());
        let later = Due { due_on: Some(day("2019-08-02")), latest_on: Some(day("2019-08-04")), ..preliminary() };
        let moved = changes(&before, &[later]);
        assert_eq!(moved.len(), 1);
        assert_eq!(moved[0].track, Track::PpcPreliminary);
    }

    #[test]
    fn track_names_round_trip_and_only_appi_reports_are_legal_duties() {
        for track in Track::ALL {
            assert_eq!(Track::parse(track.as_str()), Ok(track));
        }
        assert!(Track::PpcFinal.is_legal_duty() && !Track::PmarkFinal.is_legal_duty());
        assert_eq!(Track::parse("jipdec"), Err("error-choice"));
    }
}
