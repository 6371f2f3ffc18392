//! The filings an incident makes due, and the state of each over time. Five filings: the
//! Privacy Mark body's preliminary (速報) and final (確報), the PPC's preliminary and final, and
//! the notice to the individuals (本人通知). Dates follow the product's convention (discovery is
//! day 0, calendar days); the notice is "prompt" in the law, and this product targets it on the
//! preliminary filing's dates (target and latest day).

use chrono::NaiveDate;

use super::tracks::{AppiReport, PmarkReport};

/// One of the five filings.
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
    /// legal filings cannot be turned off.
    pub fn is_legal_duty(self) -> bool {
        matches!(self, Track::PpcPreliminary | Track::PpcFinal | Track::IndividualsNotice)
    }
}

crate::domain::term::term_of!(Track, "filing-track");

/// Whether a filing is due, and by when.
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
    /// The day after which an unsubmitted filing is overdue.
    pub fn deadline(&self) -> Option<NaiveDate> {
        self.latest_on.or(self.due_on)
    }
}

/// The five filings an assessment makes due (or not).
pub fn due_filings(pmark: &PmarkReport, appi: &AppiReport) -> [Due; 5] {
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

/// Where a filing stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FilingState {
    NotRequired,
    Due,
    Overdue,
    Submitted,
    SubmittedLate,
}

impl FilingState {
    pub fn as_str(self) -> &'static str {
        match self {
            FilingState::NotRequired => "not_required",
            FilingState::Due => "due",
            FilingState::Overdue => "overdue",
            FilingState::Submitted => "submitted",
            FilingState::SubmittedLate => "submitted_late",
        }
    }

    /// Whether the filing still needs filing.
    pub fn is_outstanding(self) -> bool {
        matches!(self, FilingState::Due | FilingState::Overdue)
    }
}

/// The state of a filing on `today`. A filing filed by its deadline (the latest day where there
/// is one) is on time; a filing that is not required but was filed anyway counts as submitted.
pub fn state(due: &Due, submitted_on: Option<NaiveDate>, today: NaiveDate) -> FilingState {
    let deadline = due.deadline();
    match (due.required, submitted_on) {
        (false, None) => FilingState::NotRequired,
        (false, Some(_)) => FilingState::Submitted,
        (true, Some(on)) if deadline.is_some_and(|d| on > d) => FilingState::SubmittedLate,
        (true, Some(_)) => FilingState::Submitted,
        (true, None) if deadline.is_some_and(|d| today > d) => FilingState::Overdue,
        (true, None) => FilingState::Due,
    }
}

/// What changed in one filing's due-ness when the facts changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueChange {
    pub track: Track,
    pub before: Due,
    pub after: Due,
}

/// The filings whose requirement or dates differ between two assessments.
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
        assert_eq!(state(&due, None, day("2019-07-26")), FilingState::Due);
        assert_eq!(state(&due, None, day("2019-07-30")), FilingState::Due, "past the target, within the latest day");
        assert_eq!(state(&due, None, day("2019-07-31")), FilingState::Due);
        assert_eq!(state(&due, None, day("2019-08-01")), FilingState::Overdue);
    }

    #[test]
    fn a_filed_report_is_on_time_or_late_whatever_today_is() {
        let due = preliminary();
        assert_eq!(state(&due, Some(day("2019-07-31")), day("2030-01-01")), FilingState::Submitted);
        assert_eq!(state(&due, Some(day("2019-08-01")), day("2019-08-01")), FilingState::SubmittedLate);
        let fin = Due { track: Track::PpcFinal, required: true, due_on: Some(day("2019-09-24")), latest_on: None };
        assert_eq!(state(&fin, Some(day("2019-09-25")), day("2019-09-25")), FilingState::SubmittedLate);
        assert_eq!(state(&fin, None, day("2019-09-25")), FilingState::Overdue);
    }

    #[test]
    fn a_report_that_is_not_required_is_not_due_but_a_voluntary_one_counts() {
        let none = Due { track: Track::PpcFinal, required: false, due_on: None, latest_on: None };
        assert_eq!(state(&none, None, day("2024-01-01")), FilingState::NotRequired);
        assert_eq!(state(&none, Some(day("2024-01-01")), day("2024-01-01")), FilingState::Submitted);
        assert!(!FilingState::NotRequired.is_outstanding());
        assert!(FilingState::Overdue.is_outstanding());
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
