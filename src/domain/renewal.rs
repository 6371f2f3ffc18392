//! The two-year Privacy Mark cycle: the renewal application window and its milestones.
//!
//! JIPDEC: the window runs from the day after the date 8 months before expiry to the date 4 months
//! before expiry (expiry 2024-12-01 → 2024-04-02 … 2024-08-01). "N months before" keeps the day of
//! the month, or takes the month's last day where it has no such day. A closing day that is not a
//! business day of the examination body moves to the next business day: weekends, Japanese public
//! holidays, the year-end closure (29 December – 3 January) and any extra closed days configured.

use std::collections::BTreeSet;

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use serde::Serialize;

/// Which days the examination body is closed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BusinessCalendar {
    /// Further closed days (an examination body's own holidays).
    pub extra_closed: BTreeSet<NaiveDate>,
}

thread_local! {
    static HOLIDAYS: jpholiday::jpholiday::JPHoliday<'static> = jpholiday::jpholiday::JPHoliday::new();
}

/// A Japanese public holiday (including substitute and citizens' holidays), from the jpholiday
/// crate's rules of the Cabinet Office's calendar.
pub fn is_public_holiday(date: NaiveDate) -> bool {
    HOLIDAYS.with(|h| h.is_holiday(&date))
}

impl BusinessCalendar {
    /// Whether the examination body is closed on `date`.
    pub fn is_closed(&self, date: NaiveDate) -> bool {
        let year_end = (date.month() == 12 && date.day() >= 29) || (date.month() == 1 && date.day() <= 3);
        matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
            || year_end
            || is_public_holiday(date)
            || self.extra_closed.contains(&date)
    }

    /// `date`, or the next day the body is open.
    pub fn next_business_day(&self, date: NaiveDate) -> NaiveDate {
        let mut day = date;
        // A year-end closure plus a long weekend is at most nine days; a month bounds any config.
        for _ in 0..31 {
            if !self.is_closed(day) {
                return day;
            }
            match day.succ_opt() {
                Some(next) => day = next,
                None => return day,
            }
        }
        day
    }
}

/// `n` months before `date`, keeping the day of the month or taking the month's last day.
pub fn months_before(date: NaiveDate, n: u32) -> NaiveDate {
    date.checked_sub_months(Months::new(n)).unwrap_or(NaiveDate::MIN)
}

/// The renewal dates of one validity period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RenewalWindow {
    /// The last day of validity.
    pub expiry: NaiveDate,
    /// When preparation should start (by default 9 months before expiry).
    pub prepare_from: NaiveDate,
    /// The first day an application is accepted.
    pub window_opens: NaiveDate,
    /// The last day an application is accepted (moved to a business day).
    pub window_closes: NaiveDate,
}

impl RenewalWindow {
    /// The window for a mark expiring on `expiry`; preparation starts `prepare_months` before.
    pub fn for_expiry(expiry: NaiveDate, prepare_months: u32, calendar: &BusinessCalendar) -> Self {
        let window_opens = months_before(expiry, 8) + Days::new(1);
        let window_closes = calendar.next_business_day(months_before(expiry, 4));
        Self { expiry, prepare_from: months_before(expiry, prepare_months), window_opens, window_closes }
    }

    /// The reminder milestones, in date order.
    pub fn milestones(&self) -> Vec<(Milestone, NaiveDate)> {
        let close = self.window_closes;
        let mut all = vec![
            (Milestone::PrepareFrom, self.prepare_from),
            (Milestone::WindowOpens, self.window_opens),
            (Milestone::OneMonthBeforeClose, months_before(close, 1)),
            (Milestone::TwoWeeksBeforeClose, close - Days::new(14)),
            (Milestone::OneWeekBeforeClose, close - Days::new(7)),
            (Milestone::WindowCloses, close),
            (Milestone::Expiry, self.expiry),
        ];
        all.sort_by_key(|(_, date)| *date);
        all
    }

    /// When an application filed on `applied_on` came, against this window. JIPDEC accepts a
    /// renewal application only inside the window; one filed later is not a renewal (the mark
    /// lapses and the organisation applies as new), and none can be filed before it opens.
    pub fn application_timing(&self, applied_on: NaiveDate) -> ApplicationTiming {
        if applied_on < self.window_opens {
            ApplicationTiming::BeforeWindow
        } else if applied_on > self.window_closes {
            ApplicationTiming::AfterWindow
        } else {
            ApplicationTiming::InWindow
        }
    }

    /// Where `today` stands.
    pub fn phase(&self, today: NaiveDate) -> Phase {
        if today > self.expiry {
            Phase::Expired
        } else if today > self.window_closes {
            Phase::WindowClosed { days_to_expiry: (self.expiry - today).num_days() }
        } else if today >= self.window_opens {
            Phase::WindowOpen { days_left: (self.window_closes - today).num_days() }
        } else if today >= self.prepare_from {
            Phase::Preparing { days_to_open: (self.window_opens - today).num_days() }
        } else {
            Phase::Early { days_to_prepare: (self.prepare_from - today).num_days() }
        }
    }
}

/// When a renewal application was filed, against the window of the cycle it renews.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApplicationTiming {
    /// Before the window opened: not an application JIPDEC accepts (a date typed wrong, or the
    /// day the papers were prepared).
    BeforeWindow,
    InWindow,
    /// After the window closed: a late filing, which our domain notes treat as no renewal.
    AfterWindow,
}

/// A date that triggers a reminder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Milestone {
    PrepareFrom,
    WindowOpens,
    OneMonthBeforeClose,
    TwoWeeksBeforeClose,
    OneWeekBeforeClose,
    WindowCloses,
    Expiry,
}

impl Milestone {
    pub const ALL: [Milestone; 7] = [
        Milestone::PrepareFrom,
        Milestone::WindowOpens,
        Milestone::OneMonthBeforeClose,
        Milestone::TwoWeeksBeforeClose,
        Milestone::OneWeekBeforeClose,
        Milestone::WindowCloses,
        Milestone::Expiry,
    ];

    /// Its stable name (`window_opens`), used in outbox keys and, prefixed with `milestone-`, as
    /// its translation key.
    pub fn as_str(self) -> &'static str {
        match self {
            Milestone::PrepareFrom => "prepare_from",
            Milestone::WindowOpens => "window_opens",
            Milestone::OneMonthBeforeClose => "one_month_before_close",
            Milestone::TwoWeeksBeforeClose => "two_weeks_before_close",
            Milestone::OneWeekBeforeClose => "one_week_before_close",
            Milestone::WindowCloses => "window_closes",
            Milestone::Expiry => "expiry",
        }
    }

    /// The translation key of its label.
    pub fn label_key(self) -> String {
        format!("milestone-{}", self.as_str())
    }
}

/// Where a day stands in the renewal cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Before preparation should start.
    Early { days_to_prepare: i64 },
    /// Preparing; the window is not open yet.
    Preparing { days_to_open: i64 },
    /// Applications are accepted (申請受付期間中).
    WindowOpen { days_left: i64 },
    /// The window has closed; without an application in time the mark lapses at expiry.
    WindowClosed { days_to_expiry: i64 },
    /// Past expiry.
    Expired,
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn window(expiry: NaiveDate) -> RenewalWindow {
        RenewalWindow::for_expiry(expiry, 9, &BusinessCalendar::default())
    }

    #[test]
    fn the_jipdec_example() {
        let w = window(d(2024, 12, 1));
        assert_eq!((w.window_opens, w.window_closes), (d(2024, 4, 2), d(2024, 8, 1)));
        assert_eq!(w.prepare_from, d(2024, 3, 1));
    }

    #[test]
    fn month_end_and_leap_year_expiries_take_the_last_day_of_the_month() {
        // 31 October → 8 months before is 28/29 February, 4 months before is 30 June.
        let w = window(d(2027, 10, 31));
        assert_eq!(w.window_opens, d(2027, 3, 1), "2027-02-28 + 1 day");
        assert_eq!(w.window_closes, d(2027, 6, 30), "a Wednesday");
        let leap = window(d(2028, 10, 31));
        assert_eq!(leap.window_opens, d(2028, 3, 1), "2028-02-29 + 1 day");
        assert_eq!(months_before(d(2028, 6, 29), 4), d(2028, 2, 29));
        assert_eq!(months_before(d(2026, 6, 30), 4), d(2026, 2, 28));
    }

    #[test]
    fn a_closing_day_on_a_weekend_holiday_run_or_the_year_end_moves_to_the_next_business_day() {
        // Golden Week 2026: 3 May (Sun, 憲法記念日) … 6 May (振替休日).
        assert_eq!(window(d(2026, 9, 3)).window_closes, d(2026, 5, 7));
        // 4 months before 2027-01-06 is Sunday 2026-09-06 → Monday 7 September.
        assert_eq!(window(d(2027, 1, 6)).window_closes, d(2026, 9, 7));
        // 4 months before 2027-04-30 is Wednesday 2026-12-30, in the year-end closure.
        assert_eq!(window(d(2027, 4, 30)).window_closes, d(2027, 1, 4));
        // An extra closed day of the examination body counts too.
        let calendar = BusinessCalendar { extra_closed: BTreeSet::from([d(2024, 8, 1)]) };
        assert_eq!(RenewalWindow::for_expiry(d(2024, 12, 1), 9, &calendar).window_closes, d(2024, 8, 2));
    }

    #[test]
    fn phases_and_milestones_follow_the_calendar() {
        let w = window(d(2024, 12, 1));
        assert_eq!(w.phase(d(2024, 7, 9)), Phase::WindowOpen { days_left: 23 });
        assert_eq!(w.phase(d(2024, 3, 15)), Phase::Preparing { days_to_open: 18 });
        assert_eq!(w.phase(d(2024, 8, 2)), Phase::WindowClosed { days_to_expiry: 121 });
        assert_eq!(w.phase(d(2024, 12, 2)), Phase::Expired);
        assert!(matches!(w.phase(d(2023, 1, 1)), Phase::Early { .. }));
        let milestones = w.milestones();
        assert_eq!(milestones.len(), 7);
        assert!(milestones.windows(2).all(|p| p[0].1 <= p[1].1));
        assert_eq!(milestones.iter().find(|(m, _)| *m == Milestone::OneWeekBeforeClose).unwrap().1, d(2024, 7, 25));
    }

    #[test]
    fn an_application_is_timely_from_the_opening_to_the_closing_day_inclusive() {
        let w = window(d(2024, 12, 1));
        assert_eq!(w.application_timing(d(2024, 4, 1)), ApplicationTiming::BeforeWindow);
        assert_eq!(w.application_timing(d(2024, 4, 2)), ApplicationTiming::InWindow);
        assert_eq!(w.application_timing(d(2024, 8, 1)), ApplicationTiming::InWindow);
        assert_eq!(w.application_timing(d(2024, 8, 2)), ApplicationTiming::AfterWindow);
        // A closing day moved to the next business day moves the last timely day with it.
        let moved = window(d(2027, 4, 30));
        assert_eq!(moved.application_timing(d(2027, 1, 4)), ApplicationTiming::InWindow);
        assert_eq!(moved.application_timing(d(2027, 1, 5)), ApplicationTiming::AfterWindow);
    }

    proptest! {
        #[test]
        fn the_window_lies_inside_the_validity_and_opens_before_it_closes(days in 0i64..(365 * 60)) {
            let expiry = d(2000, 1, 1) + chrono::Duration::days(days);
            let granted = months_before(expiry, 24);
            let w = window(expiry);
            prop_assert!(w.window_opens > granted);
            prop_assert!(w.window_opens < w.window_closes);
            prop_assert!(w.window_closes < w.expiry);
            prop_assert!(!BusinessCalendar::default().is_closed(w.window_closes));
            prop_assert!((w.window_closes - months_before(expiry, 4)).num_days() <= 10, "moved by at most a closure");
            prop_assert!(w.prepare_from <= w.window_opens);
        }
    }
}
