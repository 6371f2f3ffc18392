//! The one clock of the application: every business "now" and "today" (deadlines, due dates,
//! date validation, reminder planning, scheduler health) is read from the `Clock` in the
//! application state, so a test can set the time (for example 00:30 JST, when the UTC date is
//! still yesterday) and every page agrees on the day.
//!
//! Row timestamps that record when something was written (`created_at`, audit events, session
//! expiry) are wall-clock facts and stay on the system time.

use std::sync::{Arc, RwLock};

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::calendar;

/// The system clock, or a fixed instant set by a test. Cheap to clone: clones share the setting.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    fixed: Arc<RwLock<Option<DateTime<Utc>>>>,
}

impl Clock {
    /// The system clock.
    #[must_use]
    pub fn system() -> Self {
        Self::default()
    }

    /// A clock stopped at `at` (until `set` or `release`).
    #[must_use]
    pub fn fixed(at: DateTime<Utc>) -> Self {
        Self { fixed: Arc::new(RwLock::new(Some(at))) }
    }

    /// Stops this clock, and every clone of it, at `at`.
    pub fn set(&self, at: DateTime<Utc>) {
        if let Ok(mut fixed) = self.fixed.write() {
            *fixed = Some(at);
        }
    }

    /// Back to the system time.
    pub fn release(&self) {
        if let Ok(mut fixed) = self.fixed.write() {
            *fixed = None;
        }
    }

    /// The current instant.
    #[must_use]
    pub fn now(&self) -> DateTime<Utc> {
        self.fixed.read().ok().and_then(|fixed| *fixed).unwrap_or_else(Utc::now)
    }

    /// Today in Japan: the day deadlines, due dates and date checks count in.
    #[must_use]
    pub fn today(&self) -> NaiveDate {
        calendar::japan_day(self.now())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_clock_is_shared_by_its_clones_and_counts_the_japan_day() {
        let clock = Clock::system();
        let copy = clock.clone();
        let at = DateTime::parse_from_rfc3339("2026-11-30T15:30:00Z").expect("instant").with_timezone(&Utc);
        clock.set(at);
        assert_eq!(copy.now(), at);
        assert_eq!(copy.today().to_string(), "2026-12-01");
        clock.release();
        assert!(copy.now() > at);
    }
}
