//! The PMS year (many Japanese organisations run April to March) and the occurrences of yearly
//! duties derived from it. Nothing here is entered by hand: due dates follow from the duty's
//! frequency and due month and the organisation's PMS year start.

use chrono::{Datelike, Months, NaiveDate};

/// A month of the year, 1 to 12.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month(u32);

impl Month {
    /// The start of the fiscal year most Japanese organisations use, and pmark's default.
    pub const APRIL: Month = Month(4);

    /// # Errors
    /// The translation key of the message for a value outside 1..=12.
    pub fn new(value: u32) -> Result<Self, &'static str> {
        if (1..=12).contains(&value) { Ok(Self(value)) } else { Err("error-month") }
    }

    /// # Errors
    /// As `new`, for text that is not a number.
    pub fn parse(text: &str) -> Result<Self, &'static str> {
        text.trim().parse::<u32>().map_err(|_| "error-month").and_then(Self::new)
    }

    pub fn get(self) -> u32 {
        self.0
    }

    /// This month plus `n` months, wrapping around December.
    pub fn plus(self, n: u32) -> Self {
        Self((self.0 - 1 + n) % 12 + 1)
    }
}

/// How often a duty recurs within a PMS year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Frequency {
    Yearly,
    HalfYearly,
    Quarterly,
    Monthly,
}

impl Frequency {
    pub const ALL: [Frequency; 4] =
        [Frequency::Yearly, Frequency::HalfYearly, Frequency::Quarterly, Frequency::Monthly];

    /// # Errors
    /// The translation key of the message for an unknown frequency.
    pub fn parse(text: &str) -> Result<Self, &'static str> {
        match text.trim() {
            "yearly" => Ok(Frequency::Yearly),
            "half_yearly" => Ok(Frequency::HalfYearly),
            "quarterly" => Ok(Frequency::Quarterly),
            "monthly" => Ok(Frequency::Monthly),
            _ => Err("error-frequency"),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Frequency::Yearly => "yearly",
            Frequency::HalfYearly => "half_yearly",
            Frequency::Quarterly => "quarterly",
            Frequency::Monthly => "monthly",
        }
    }

    /// Occurrences per PMS year.
    pub fn per_year(self) -> u32 {
        match self {
            Frequency::Yearly => 1,
            Frequency::HalfYearly => 2,
            Frequency::Quarterly => 4,
            Frequency::Monthly => 12,
        }
    }
}

crate::domain::term::term_of!(Frequency, "frequency");

/// The PMS year that starts in `start_month` of calendar year `label` (FY2026 = 2026-04-01 …
/// 2027-03-31 for an April start).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PmsYear {
    pub label: i32,
    pub start_month: Month,
}

impl PmsYear {
    /// The PMS year a date falls in.
    pub fn containing(date: NaiveDate, start_month: Month) -> Self {
        let label = if date.month() >= start_month.get() { date.year() } else { date.year() - 1 };
        Self { label, start_month }
    }

    /// The first day.
    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.label, self.start_month.get(), 1).unwrap_or(NaiveDate::MIN)
    }

    /// The last day (the day before the next PMS year starts).
    pub fn last_day(self) -> NaiveDate {
        self.next().first_day().pred_opt().unwrap_or(NaiveDate::MAX)
    }

    pub fn next(self) -> Self {
        Self { label: self.label + 1, ..self }
    }

    pub fn previous(self) -> Self {
        Self { label: self.label - 1, ..self }
    }

    /// The months of the year in order, with their calendar year.
    pub fn months(self) -> impl Iterator<Item = (i32, Month)> {
        (0..12).map(move |i| {
            let month = self.start_month.plus(i);
            let year = if month.get() >= self.start_month.get() { self.label } else { self.label + 1 };
            (year, month)
        })
    }

    /// The last day of `month` within this PMS year.
    pub fn month_end(self, month: Month) -> NaiveDate {
        let (year, _) = self.months().find(|(_, m)| *m == month).unwrap_or((self.label, month));
        last_day_of_month(year, month.get())
    }
}

fn last_day_of_month(year: i32, month: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, 1)
        .and_then(|first| first.checked_add_months(Months::new(1)))
        .and_then(|next| next.pred_opt())
        .unwrap_or(NaiveDate::MAX)
}

/// One time a duty falls due: identified by its PMS year and slot (0-based order within the year),
/// so that moving the due month keeps records attached to the same occurrence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occurrence {
    pub pms_year: i32,
    pub slot: u32,
    /// The last day of the due month.
    pub due_on: NaiveDate,
}

/// The occurrences of a duty in one PMS year, in date order. Monthly duties fall due at the end
/// of every month; the others in `due_month` and every 12 / n months after it.
pub fn occurrences(frequency: Frequency, due_month: Month, year: PmsYear) -> Vec<Occurrence> {
    let step = 12 / frequency.per_year();
    let first = if frequency == Frequency::Monthly { year.start_month } else { due_month };
    let mut dates: Vec<NaiveDate> = (0..frequency.per_year()).map(|i| year.month_end(first.plus(i * step))).collect();
    dates.sort_unstable();
    dates
        .into_iter()
        .enumerate()
        .map(|(slot, due_on)| Occurrence { pms_year: year.label, slot: u32::try_from(slot).unwrap_or(0), due_on })
        .collect()
}

/// Where an occurrence stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum OccurrenceState {
    /// A record exists.
    Done,
    /// Past its due date with no record.
    Overdue,
    /// Due within the look-ahead window.
    DueSoon,
    /// Later.
    Upcoming,
    /// Due before the duty was set up in pmark: not expected to have a record here.
    Untracked,
}

impl OccurrenceState {
    pub const ALL: [OccurrenceState; 5] = [
        OccurrenceState::Done,
        OccurrenceState::Overdue,
        OccurrenceState::DueSoon,
        OccurrenceState::Upcoming,
        OccurrenceState::Untracked,
    ];

    pub fn of(due_on: NaiveDate, has_record: bool, today: NaiveDate, look_ahead_days: i64) -> Self {
        if has_record {
            OccurrenceState::Done
        } else if due_on < today {
            OccurrenceState::Overdue
        } else if (due_on - today).num_days() <= look_ahead_days {
            OccurrenceState::DueSoon
        } else {
            OccurrenceState::Upcoming
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            OccurrenceState::Done => "done",
            OccurrenceState::Overdue => "overdue",
            OccurrenceState::DueSoon => "due_soon",
            OccurrenceState::Upcoming => "upcoming",
            OccurrenceState::Untracked => "untracked",
        }
    }
}

crate::domain::term::term_of!(OccurrenceState, "state");

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn april() -> Month {
        Month::new(4).unwrap()
    }

    #[test]
    fn an_april_pms_year_runs_to_the_end_of_march() {
        let fy = PmsYear::containing(date(2027, 3, 31), april());
        assert_eq!(fy.label, 2026);
        assert_eq!((fy.first_day(), fy.last_day()), (date(2026, 4, 1), date(2027, 3, 31)));
        assert_eq!(PmsYear::containing(date(2026, 4, 1), april()).label, 2026);
        let calendar = PmsYear::containing(date(2026, 12, 31), Month::new(1).unwrap());
        assert_eq!((calendar.first_day(), calendar.last_day()), (date(2026, 1, 1), date(2026, 12, 31)));
    }

    #[test]
    fn occurrences_fall_at_month_ends_across_the_year_boundary_and_in_leap_years() {
        let fy = PmsYear { label: 2027, start_month: april() };
        let management_review = occurrences(Frequency::Yearly, Month::new(2).unwrap(), fy);
        assert_eq!(management_review, vec![Occurrence { pms_year: 2027, slot: 0, due_on: date(2028, 2, 29) }]);
        let half = occurrences(Frequency::HalfYearly, Month::new(9).unwrap(), fy);
        assert_eq!(half.iter().map(|o| o.due_on).collect::<Vec<_>>(), vec![date(2027, 9, 30), date(2028, 3, 31)]);
        let quarterly = occurrences(Frequency::Quarterly, Month::new(5).unwrap(), fy);
        assert_eq!(
            quarterly.iter().map(|o| o.due_on).collect::<Vec<_>>(),
            vec![date(2027, 5, 31), date(2027, 8, 31), date(2027, 11, 30), date(2028, 2, 29)]
        );
        let monthly = occurrences(Frequency::Monthly, Month::new(7).unwrap(), fy);
        assert_eq!(monthly.first().unwrap().due_on, date(2027, 4, 30));
        assert_eq!(monthly[8].due_on, date(2027, 12, 31));
        assert_eq!(monthly[9].due_on, date(2028, 1, 31));
        assert_eq!(monthly.last().unwrap().due_on, date(2028, 3, 31));
    }

    #[test]
    fn states_follow_the_calendar() {
        let due = date(2026, 6, 30);
        assert_eq!(OccurrenceState::of(due, true, date(2027, 1, 1), 60), OccurrenceState::Done);
        assert_eq!(OccurrenceState::of(due, false, date(2026, 7, 1), 60), OccurrenceState::Overdue);
        assert_eq!(OccurrenceState::of(due, false, due, 60), OccurrenceState::DueSoon);
        assert_eq!(OccurrenceState::of(due, false, date(2026, 5, 1), 60), OccurrenceState::DueSoon);
        assert_eq!(OccurrenceState::of(due, false, date(2026, 4, 1), 60), OccurrenceState::Upcoming);
    }

    fn frequency() -> impl Strategy<Value = Frequency> {
        prop::sample::select(Frequency::ALL.to_vec())
    }

    proptest! {
        #[test]
        fn every_occurrence_lies_in_its_pms_year_at_a_month_end_in_order(
            label in 1990i32..2200, start in 1u32..=12, due in 1u32..=12, frequency in frequency()
        ) {
            let year = PmsYear { label, start_month: Month::new(start).unwrap() };
            let found = occurrences(frequency, Month::new(due).unwrap(), year);
            prop_assert_eq!(found.len() as u32, frequency.per_year());
            for (i, occurrence) in found.iter().enumerate() {
                prop_assert_eq!(occurrence.slot as usize, i);
                prop_assert_eq!(occurrence.pms_year, label);
                prop_assert!(occurrence.due_on >= year.first_day() && occurrence.due_on <= year.last_day());
                prop_assert_eq!(occurrence.due_on.succ_opt().unwrap().day(), 1, "a month end");
                prop_assert_eq!(PmsYear::containing(occurrence.due_on, year.start_month), year);
            }
            for pair in found.windows(2) {
                prop_assert!(pair[0].due_on < pair[1].due_on);
                let months = (pair[1].due_on.year() - pair[0].due_on.year()) * 12
                    + pair[1].due_on.month() as i32 - pair[0].due_on.month() as i32;
                prop_assert_eq!(months as u32, 12 / frequency.per_year(), "evenly spaced");
            }
            if frequency != Frequency::Monthly {
                prop_assert!(found.iter().any(|o| o.due_on.month() == due), "the due month is kept");
            }
        }

        #[test]
        fn consecutive_pms_years_tile_the_calendar(label in 1990i32..2200, start in 1u32..=12) {
            let year = PmsYear { label, start_month: Month::new(start).unwrap() };
            prop_assert_eq!(year.last_day().succ_opt().unwrap(), year.next().first_day());
            prop_assert_eq!(year.previous().next(), year);
            let days = (year.last_day() - year.first_day()).num_days() + 1;
            prop_assert!(days == 365 || days == 366);
        }
    }
}
