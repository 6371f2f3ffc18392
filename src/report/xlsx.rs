//! XLSX: a sheet per section, named by its number and title (`2 管理策（適用宣言）`) in the order of
//! `SECTIONS`, the header row frozen and bold, column widths that fit Japanese text (a full-width
//! character counts double), counts as numbers, rates as percentages, dates as real dates shown
//! as 2026年4月1日 to a Japanese reader and 2026-04-01 to an English one.

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};

use crate::domain::Lang;

use super::model::AuditReport;
use super::tables::{Cell, tables};

/// The widest a column gets, in character widths.
const MAX_WIDTH: usize = 60;

/// Display width of text: full-width (CJK) characters count two.
fn width(text: &str) -> usize {
    text.chars().map(|c| if (c as u32) >= 0x1100 { 2 } else { 1 }).sum()
}

/// The number format of dates: 2026年4月1日 for a Japanese reader.
fn date_format(lang: Lang) -> &'static str {
    match lang {
        Lang::Ja => "yyyy\"年\"m\"月\"d\"日\"",
        Lang::En => "yyyy-mm-dd",
    }
}

/// The widest date `date_format` shows, to size the columns.
fn date_shown(lang: Lang) -> &'static str {
    match lang {
        Lang::Ja => "2026年12月31日",
        Lang::En => "2026-12-31",
    }
}

/// The report as an XLSX workbook.
///
/// # Errors
/// When the writer fails.
pub fn write(report: &AuditReport) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let header = Format::new().set_bold().set_background_color("#E8EEF6").set_text_wrap();
    let date = Format::new().set_num_format(date_format(report.lang));
    let percent = Format::new().set_num_format("0%");
    let wrap = Format::new().set_text_wrap();
    let date_width = width(date_shown(report.lang));
    for table in tables(report) {
        let sheet = workbook.add_worksheet();
        sheet.set_name(table.head.heading())?;
        let mut widths: Vec<usize> = table.headers.iter().map(|h| width(h)).collect();
        for (col, title) in table.headers.iter().enumerate() {
            let col = u16::try_from(col).unwrap_or(u16::MAX);
            sheet.write_string_with_format(0, col, title, &header)?;
        }
        for (r, row) in table.rows.iter().enumerate() {
            let r = u32::try_from(r + 1).unwrap_or(u32::MAX);
            for (c, cell) in row.iter().enumerate() {
                let col = u16::try_from(c).unwrap_or(u16::MAX);
                match cell {
                    Cell::Text(text) => {
                        sheet.write_string_with_format(r, col, text, &wrap)?;
                    }
                    Cell::Date(Some(day)) => {
                        use chrono::Datelike;
                        let excel = u16::try_from(day.year()).ok().and_then(|year| {
                            ExcelDateTime::from_ymd(
                                year,
                                u8::try_from(day.month()).ok()?,
                                u8::try_from(day.day()).ok()?,
                            )
                            .ok()
                        });
                        match excel {
                            Some(excel) => sheet.write_datetime_with_format(r, col, &excel, &date)?,
                            // A date Excel cannot hold (before 1900) is written as text.
                            None => sheet.write_string(r, col, day.to_string())?,
                        };
                    }
                    Cell::Number(Some(n)) => {
                        #[allow(clippy::cast_precision_loss)]
                        sheet.write_number(r, col, *n as f64)?;
                    }
                    Cell::Percent(Some(p)) => {
                        sheet.write_number_with_format(r, col, f64::from(*p) / 100.0, &percent)?;
                    }
                    Cell::Date(None) | Cell::Number(None) | Cell::Percent(None) => {}
                }
                if let Some(w) = widths.get_mut(c) {
                    let shown = match cell {
                        Cell::Date(_) => date_width,
                        other => width(&other.text()),
                    };
                    *w = (*w).max(shown);
                }
            }
        }
        for (col, w) in widths.iter().enumerate() {
            let col = u16::try_from(col).unwrap_or(u16::MAX);
            #[allow(clippy::cast_precision_loss)]
            sheet.set_column_width(col, ((*w).clamp(6, MAX_WIDTH) + 2) as f64)?;
        }
        sheet.set_freeze_panes(1, 0)?;
    }
    workbook.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::width;

    #[test]
    fn every_sheet_name_is_a_section_heading_excel_accepts_in_both_languages() {
        for lang in crate::domain::Lang::ALL {
            for head in crate::report::model::section_heads(lang) {
                let name = head.heading();
                assert!(name.encode_utf16().count() <= 31, "{name}: Excel allows 31 characters");
                assert!(!name.contains(['[', ']', ':', '*', '?', '/', '\\']), "{name}");
                assert!(!name.contains("report-section"), "{name}: a title, not its key");
            }
        }
    }

    #[test]
    fn full_width_characters_count_double() {
        assert_eq!(width("A.3.3.1"), 7);
        assert_eq!(width("安全管理措置"), 12);
    }
}
