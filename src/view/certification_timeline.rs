//! The two-year validity cycle as a picture: the cycle as a bar, the application window shaded,
//! milestones as dots, quarter ticks, and today as a line. Pure geometry in whole pixels; the
//! certification page draws it as inline SVG.

use chrono::{Datelike, Months, NaiveDate};

use crate::domain::renewal::RenewalWindow;

pub const LEFT: i32 = 30;
pub const WIDTH: i32 = 760;
pub const HEIGHT: i32 = 70;
pub const BAR_Y: i32 = 30;

/// A labelled tick.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tick {
    pub x: i32,
    pub label: String,
}

/// A milestone dot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dot {
    pub x: i32,
    /// Tooltip: the date and the milestone's name.
    pub title: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CycleTimeline {
    pub width: i32,
    pub height: i32,
    pub bar_y: i32,
    pub window_x1: i32,
    pub window_x2: i32,
    pub ticks: Vec<Tick>,
    pub dots: Vec<Dot>,
    pub today_x: Option<i32>,
}

/// A tick's label: 2026年10月, Oct 2026.
fn month_of_year(locale: crate::i18n::Locale, on: NaiveDate) -> String {
    match locale.lang {
        crate::domain::Lang::Ja => format!("{}年{}月", on.year(), on.month()),
        crate::domain::Lang::En => on.format("%b %Y").to_string(),
    }
}

/// Lays out the cycle from `valid_from` to the window's expiry; `names` labels the milestones.
pub fn build(
    valid_from: NaiveDate,
    window: &RenewalWindow,
    today: NaiveDate,
    names: &[(&str, NaiveDate)],
    locale: crate::i18n::Locale,
) -> CycleTimeline {
    let days = (window.expiry - valid_from).num_days().max(1);
    let x = |date: NaiveDate| {
        let offset = (date - valid_from).num_days().clamp(0, days);
        LEFT + i32::try_from(offset * i64::from(WIDTH) / days).unwrap_or(0)
    };
    let mut ticks = Vec::new();
    let mut tick = NaiveDate::from_ymd_opt(valid_from.year(), valid_from.month(), 1).unwrap_or(valid_from);
    while tick <= window.expiry {
        if tick >= valid_from && tick.month() % 3 == 1 {
            ticks.push(Tick { x: x(tick), label: month_of_year(locale, tick) });
        }
        match tick.checked_add_months(Months::new(1)) {
            Some(next) => tick = next,
            None => break,
        }
    }
    let dots =
        names.iter().map(|(name, date)| Dot { x: x(*date), title: format!("{} {name}", locale.date(*date)) }).collect();
    let today_x = (today >= valid_from && today <= window.expiry).then(|| x(today));
    CycleTimeline {
        width: LEFT * 2 + WIDTH,
        height: HEIGHT,
        bar_y: BAR_Y,
        window_x1: x(window.window_opens),
        window_x2: x(window.window_closes),
        ticks,
        dots,
        today_x,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::renewal::BusinessCalendar;

    #[test]
    fn the_window_sits_in_the_last_third_of_the_cycle_and_today_is_placed() -> Result<(), Box<dyn std::error::Error>> {
        let from = NaiveDate::from_ymd_opt(2022, 12, 2).ok_or("date")?;
        let window = RenewalWindow::for_expiry(
            NaiveDate::from_ymd_opt(2024, 12, 1).ok_or("date")?,
            9,
            &BusinessCalendar::default(),
        );
        let today = NaiveDate::from_ymd_opt(2024, 7, 9).ok_or("date")?;
        let timeline = build(
            from,
            &window,
            today,
            &[("open", window.window_opens), ("close", window.window_closes)],
            crate::i18n::Locale::default(),
        );
        assert!(timeline.window_x1 > LEFT + WIDTH * 60 / 100 && timeline.window_x1 < timeline.window_x2);
        assert!(timeline.window_x2 < LEFT + WIDTH * 85 / 100);
        let today_x = timeline.today_x.ok_or("today inside the cycle")?;
        assert!(today_x > timeline.window_x1 && today_x < timeline.window_x2, "9 July 2024 is inside the window");
        assert_eq!(timeline.ticks.first().map(|t| t.label.as_str()), Some("2023年1月"));
        assert!(timeline.ticks.windows(2).all(|t| t[0].x < t[1].x));
        assert_eq!(timeline.dots.len(), 2);
        Ok(())
    }
}
