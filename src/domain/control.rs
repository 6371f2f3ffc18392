//! An organisation's control: applicability, status, review dates.

use chrono::{Months, NaiveDate};

/// Implementation status of a control.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ControlStatus {
    NotStarted,
    InProgress,
    Implemented,
    NeedsReview,
}

impl ControlStatus {
    pub const ALL: [ControlStatus; 4] =
        [ControlStatus::NotStarted, ControlStatus::InProgress, ControlStatus::Implemented, ControlStatus::NeedsReview];

    /// # Errors
    /// The translation key of the message for an unknown status.
    pub fn parse(text: &str) -> Result<Self, &'static str> {
        match text.trim() {
            "not_started" => Ok(ControlStatus::NotStarted),
            "in_progress" => Ok(ControlStatus::InProgress),
            "implemented" => Ok(ControlStatus::Implemented),
            "needs_review" => Ok(ControlStatus::NeedsReview),
            _ => Err("error-status"),
        }
    }

    /// The translation key of its label.
    pub fn label_key(self) -> &'static str {
        match self {
            ControlStatus::NotStarted => "status-not_started",
            ControlStatus::InProgress => "status-in_progress",
            ControlStatus::Implemented => "status-implemented",
            ControlStatus::NeedsReview => "status-needs_review",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ControlStatus::NotStarted => "not_started",
            ControlStatus::InProgress => "in_progress",
            ControlStatus::Implemented => "implemented",
            ControlStatus::NeedsReview => "needs_review",
        }
    }
}

crate::domain::term::term_of!(ControlStatus, "status");

impl ControlStatus {
    /// The status a control is counted and filtered under: one that an incident flagged needs
    /// review until its check is decided, whatever its recorded status.
    pub fn counting_checks(self, check_open: bool) -> ControlStatus {
        if check_open { ControlStatus::NeedsReview } else { self }
    }
}

/// The default next review: one year after the last (29 February → 28 February).
pub fn default_next_review(last_reviewed_on: NaiveDate) -> NaiveDate {
    last_reviewed_on.checked_add_months(Months::new(12)).unwrap_or(last_reviewed_on)
}

/// Parses an optional ISO date from a form field (`YYYY-MM-DD`; empty means none).
///
/// # Errors
/// The translation key of the message for text that is not a date.
pub fn parse_optional_date(text: &str) -> Result<Option<NaiveDate>, &'static str> {
    let text = text.trim();
    if text.is_empty() {
        return Ok(None);
    }
    parse_date(text).map(Some)
}

/// Parses a required ISO date from a form field.
///
/// # Errors
/// `error-required` for an empty field, `error-date` for text that is not a date.
pub fn parse_required_date(text: &str) -> Result<NaiveDate, &'static str> {
    parse_optional_date(text)?.ok_or("error-required")
}

/// A date typed as `YYYY-MM-DD`, in the years 1900–9999 (what every store and format handles:
/// Excel has no dates before 1900, and a four-digit year rules out typos like `0202`).
///
/// # Errors
/// `error-date`.
pub fn parse_date(text: &str) -> Result<NaiveDate, &'static str> {
    use chrono::Datelike;
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .ok()
        .filter(|d| (1900..=9999).contains(&d.year()))
        .ok_or("error-date")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_outside_the_years_1900_to_9999_are_refused() {
        assert_eq!(parse_date("0202-05-01"), Err("error-date"));
        assert_eq!(parse_date("+10000-01-01"), Err("error-date"));
        assert!(parse_date("1900-01-01").is_ok() && parse_date("2026-11-27").is_ok());
        assert_eq!(parse_optional_date(" "), Ok(None));
    }

    #[test]
    fn the_next_review_is_a_year_later_even_from_a_leap_day() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(default_next_review(d(2026, 5, 15)), d(2027, 5, 15));
        assert_eq!(default_next_review(d(2028, 2, 29)), d(2029, 2, 28));
    }

    #[test]
    fn statuses_round_trip_and_dates_parse() {
        for status in ControlStatus::ALL {
            assert_eq!(ControlStatus::parse(status.as_str()), Ok(status));
        }
        assert!(ControlStatus::parse("done").is_err());
        assert_eq!(parse_optional_date(" "), Ok(None));
        assert!(parse_optional_date("2026-02-30").is_err());
        assert_eq!(parse_optional_date("2026-02-28").unwrap().unwrap().to_string(), "2026-02-28");
    }
}
