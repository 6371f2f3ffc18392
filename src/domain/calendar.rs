//! The Japan day: Privacy Mark deadlines, PPC filings, renewal windows and every "today" on a page
//! are counted in Japan Standard Time (UTC+9, no daylight saving), whatever the server's zone.

use chrono::{DateTime, FixedOffset, NaiveDate, Offset, Utc};

/// Seconds east of UTC of Japan Standard Time.
const JST_SECONDS: i32 = 9 * 3600;

/// Japan Standard Time as a chrono offset.
#[must_use]
pub fn jst() -> FixedOffset {
    // 9 hours is within chrono's ±24 h range, so this never falls back.
    FixedOffset::east_opt(JST_SECONDS).unwrap_or_else(|| Utc.fix())
}

/// The instant `now` on a Japanese clock.
#[must_use]
pub fn japan_time(now: DateTime<Utc>) -> DateTime<FixedOffset> {
    now.with_timezone(&jst())
}

/// The calendar day in Japan at the instant `now`.
#[must_use]
pub fn japan_day(now: DateTime<Utc>) -> NaiveDate {
    japan_time(now).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).map(|t| t.with_timezone(&Utc)).expect("instant")
    }

    #[test]
    fn the_japan_day_turns_at_midnight_jst() {
        let day = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
        assert_eq!(japan_day(at("2026-11-30T14:59:59Z")), day("2026-11-30"));
        assert_eq!(japan_day(at("2026-11-30T15:00:00Z")), day("2026-12-01"));
        assert_eq!(japan_day(at("2026-12-01T08:59:00Z")), day("2026-12-01"));
    }

    #[test]
    fn japan_time_is_nine_hours_ahead() {
        assert_eq!(japan_time(at("2026-12-01T00:30:00Z")).format("%H:%M").to_string(), "09:30");
    }
}
