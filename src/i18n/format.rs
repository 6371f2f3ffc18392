//! Dates, times and numbers as a reader of each language writes them: 2026年12月1日 (or 令和8年12月1日
//! where the organisation chooses 和暦), 2026年12月1日 21:56, 107,661 in Japanese; 1 Dec 2026,
//! 1 Dec 2026, 21:56 JST, 107,661 in English. Every page, e-mail and printed report formats through
//! here; forms and machine-readable exports keep ISO dates.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Utc};

use crate::domain::Lang;
use crate::domain::lang::DateStyle;

/// Japan Standard Time, in which every time is shown.
const JST_SECONDS: i32 = 9 * 3600;

/// The eras of 和暦, newest first: name and first day.
const ERAS: [(&str, (i32, u32, u32)); 3] = [("令和", (2019, 5, 1)), ("平成", (1989, 1, 8)), ("昭和", (1926, 12, 25))];

const MONTHS_EN: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// The year as 和暦 (`令和8年`, `令和元年`), or `None` before 昭和.
fn era_year(date: NaiveDate) -> Option<String> {
    ERAS.iter().find_map(|(name, (y, m, d))| {
        let first = NaiveDate::from_ymd_opt(*y, *m, *d)?;
        (date >= first).then(|| {
            let year = date.year() - y + 1;
            if year == 1 { format!("{name}元年") } else { format!("{name}{year}年") }
        })
    })
}

/// A date in `lang`, in the organisation's style.
pub fn date(lang: Lang, style: DateStyle, date: NaiveDate) -> String {
    match lang {
        Lang::Ja => {
            let year = match style {
                DateStyle::JapaneseEra => era_year(date),
                DateStyle::Western => None,
            }
            .unwrap_or_else(|| format!("{}年", date.year()));
            format!("{year}{}月{}日", date.month(), date.day())
        }
        Lang::En => format!("{} {} {}", date.day(), MONTHS_EN[date.month0() as usize], date.year()),
    }
}

/// A moment in Japan Standard Time, to the minute.
pub fn date_time(lang: Lang, style: DateStyle, at: DateTime<Utc>) -> String {
    let jst =
        FixedOffset::east_opt(JST_SECONDS).map_or_else(|| at.naive_utc(), |tz| at.with_timezone(&tz).naive_local());
    let day = date(lang, style, jst.date());
    match lang {
        Lang::Ja => format!("{day} {}", jst.format("%H:%M")),
        Lang::En => format!("{day}, {} JST", jst.format("%H:%M")),
    }
}

/// A whole number with thousands separators (107,661), in either language.
pub fn number<N: TryInto<i64>>(n: N) -> String {
    let n: i64 = n.try_into().unwrap_or(i64::MAX);
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// What templates hand to `date`: a date, a reference to one, or the ISO text a form holds (shown
/// as it was typed when it is not a date).
pub trait AsDate {
    /// The date, or the text to show as it is.
    fn as_date(&self) -> Result<NaiveDate, String>;
}

impl AsDate for NaiveDate {
    fn as_date(&self) -> Result<NaiveDate, String> {
        Ok(*self)
    }
}

impl AsDate for str {
    fn as_date(&self) -> Result<NaiveDate, String> {
        NaiveDate::parse_from_str(self.trim(), "%Y-%m-%d").map_err(|_| self.to_owned())
    }
}

impl AsDate for String {
    fn as_date(&self) -> Result<NaiveDate, String> {
        self.as_str().as_date()
    }
}

impl<T: AsDate + ?Sized> AsDate for &T {
    fn as_date(&self) -> Result<NaiveDate, String> {
        (**self).as_date()
    }
}

/// How the dates of one reader are written: the language and the organisation's style.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Locale {
    pub lang: Lang,
    pub dates: DateStyle,
}

impl Locale {
    pub fn new(lang: Lang, dates: DateStyle) -> Self {
        Self { lang, dates }
    }

    /// A date (or a form's ISO text) as this reader writes it.
    pub fn date(self, on: impl AsDate) -> String {
        on.as_date().map_or_else(|raw| raw, |on| date(self.lang, self.dates, on))
    }

    pub fn date_time(self, at: DateTime<Utc>) -> String {
        date_time(self.lang, self.dates, at)
    }

    /// A part of a cache key: fragments differ by language and date style.
    pub fn key(self) -> String {
        format!("{}-{}", self.lang.code(), self.dates.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn japanese_dates_are_written_with_year_month_day() {
        assert_eq!(date(Lang::Ja, DateStyle::Western, on(2026, 12, 1)), "2026年12月1日");
        assert_eq!(date(Lang::Ja, DateStyle::Western, on(2027, 4, 30)), "2027年4月30日");
    }

    #[test]
    fn the_japanese_era_counts_from_its_first_day_and_calls_the_first_year_gannen() {
        assert_eq!(date(Lang::Ja, DateStyle::JapaneseEra, on(2026, 12, 1)), "令和8年12月1日");
        assert_eq!(date(Lang::Ja, DateStyle::JapaneseEra, on(2019, 5, 1)), "令和元年5月1日");
        assert_eq!(date(Lang::Ja, DateStyle::JapaneseEra, on(2019, 4, 30)), "平成31年4月30日");
        assert_eq!(date(Lang::Ja, DateStyle::JapaneseEra, on(1989, 1, 8)), "平成元年1月8日");
        assert_eq!(date(Lang::Ja, DateStyle::JapaneseEra, on(1989, 1, 7)), "昭和64年1月7日");
        // Before 昭和 the western year is written.
        assert_eq!(date(Lang::Ja, DateStyle::JapaneseEra, on(1920, 1, 1)), "1920年1月1日");
    }

    #[test]
    fn english_keeps_its_own_format_whatever_the_style() {
        assert_eq!(date(Lang::En, DateStyle::Western, on(2026, 12, 1)), "1 Dec 2026");
        assert_eq!(date(Lang::En, DateStyle::JapaneseEra, on(2026, 12, 1)), "1 Dec 2026");
    }

    #[test]
    fn times_are_shown_in_japan_standard_time() {
        let at = DateTime::parse_from_rfc3339("2026-11-30T15:05:00Z").unwrap().with_timezone(&Utc);
        assert_eq!(date_time(Lang::Ja, DateStyle::Western, at), "2026年12月1日 00:05");
        assert_eq!(date_time(Lang::En, DateStyle::Western, at), "1 Dec 2026, 00:05 JST");
    }

    #[test]
    fn numbers_get_thousands_separators() {
        assert_eq!(number(0), "0");
        assert_eq!(number(999), "999");
        assert_eq!(number(1000), "1,000");
        assert_eq!(number(107_661), "107,661");
        assert_eq!(number(-1_234_567), "-1,234,567");
        assert_eq!(number(2000_u64), "2,000");
        assert_eq!(number(2000_usize), "2,000");
    }
}
