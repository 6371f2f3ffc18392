//! The PMS year as a picture: twelve month columns, a row per duty with its due marks (rings) and
//! done marks (dots), and today as a line. Pure geometry; the template draws it as inline SVG.

use chrono::NaiveDate;

use crate::domain::pms_year::{OccurrenceState, PmsYear};
use crate::i18n::Translator;
use crate::view::duty_schedule::DutyRow;

pub const LABEL_WIDTH: i32 = 180;
pub const CHART_WIDTH: i32 = 720;
pub const ROW_HEIGHT: i32 = 28;
pub const HEADER_HEIGHT: i32 = 28;

/// A month column.
#[derive(Debug, Clone, PartialEq)]
pub struct MonthTick {
    pub x: i32,
    pub label: String,
}

/// A mark on a duty's row.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    pub x: i32,
    /// `due`, `overdue`, `done`, `untracked`.
    pub kind: &'static str,
    /// Tooltip text.
    pub title: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TimelineRow {
    pub y: i32,
    pub name: String,
    pub marks: Vec<Mark>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    pub width: i32,
    pub height: i32,
    pub months: Vec<MonthTick>,
    pub rows: Vec<TimelineRow>,
    /// Where today falls, when it is inside the year.
    pub today_x: Option<i32>,
}

/// Whole pixels: integers format several times faster than floats, and the picture needs no more.
fn x_of(year: PmsYear, date: NaiveDate) -> i32 {
    let days = (year.last_day() - year.first_day()).num_days() + 1;
    let offset = (date - year.first_day()).num_days().clamp(0, days - 1);
    LABEL_WIDTH + i32::try_from((2 * offset + 1) * i64::from(CHART_WIDTH) / (2 * days)).unwrap_or(0)
}

/// Lays out the timeline of `year` for the given duty rows (from `duty_schedule::rows`).
pub fn build(year: PmsYear, rows: &[DutyRow], today: NaiveDate, ctx: &Translator) -> Timeline {
    let month_label = |m: u32| ctx.tp("month-short-", &m.to_string());
    let months = year
        .months()
        .map(|(y, m)| MonthTick {
            x: x_of(year, NaiveDate::from_ymd_opt(y, m.get(), 1).unwrap_or(year.first_day())) - 1,
            label: month_label(m.get()),
        })
        .collect();
    let rows: Vec<TimelineRow> = rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let mut marks = Vec::new();
            for item in &row.occurrences {
                let kind = match item.state {
                    OccurrenceState::Overdue => "overdue",
                    OccurrenceState::Untracked => "untracked",
                    _ => "due",
                };
                marks.push(Mark {
                    x: x_of(year, item.occurrence.due_on),
                    kind,
                    title: format!("{} {}", row.name, ctx.date(item.occurrence.due_on)),
                });
                if let Some(record) = &item.record {
                    marks.push(Mark {
                        x: x_of(year, record.performed_on),
                        kind: "done",
                        title: format!("{} ✓ {}", row.name, ctx.date(record.performed_on)),
                    });
                }
            }
            let i = i32::try_from(i).unwrap_or(0);
            TimelineRow { y: HEADER_HEIGHT + ROW_HEIGHT * i + ROW_HEIGHT / 2, name: row.name.clone(), marks }
        })
        .collect();
    let height = HEADER_HEIGHT + ROW_HEIGHT * i32::try_from(rows.len()).unwrap_or(0) + 8;
    let today_x = (today >= year.first_day() && today <= year.last_day()).then(|| x_of(year, today));
    Timeline { width: LABEL_WIDTH + CHART_WIDTH + 10, height, months, rows, today_x }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::pms_year::Month;

    fn ja() -> Translator {
        Translator { lang: crate::domain::Lang::Ja, dates: crate::domain::lang::DateStyle::Western }
    }

    #[test]
    fn the_year_spans_the_chart_and_today_is_placed_inside_it() -> Result<(), Box<dyn std::error::Error>> {
        let year = PmsYear { label: 2026, start_month: Month::APRIL };
        let timeline = build(year, &[], NaiveDate::from_ymd_opt(2026, 10, 1).ok_or("date")?, &ja());
        assert_eq!(timeline.months.len(), 12);
        assert_eq!(timeline.months[0].label, "4月");
        assert!(timeline.months[0].x >= LABEL_WIDTH - 1 && timeline.months[0].x <= LABEL_WIDTH + 1);
        assert!(timeline.months.windows(2).all(|w| w[0].x < w[1].x));
        let today = timeline.today_x.ok_or("today is inside the year")?;
        assert!(
            today > LABEL_WIDTH + CHART_WIDTH * 45 / 100 && today < LABEL_WIDTH + CHART_WIDTH * 55 / 100,
            "{today}"
        );
        let outside = build(year, &[], NaiveDate::from_ymd_opt(2027, 4, 1).ok_or("date")?, &ja());
        assert_eq!(outside.today_x, None);
        Ok(())
    }
}
