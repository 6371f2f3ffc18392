//! XLSX: a sheet per section, the header row frozen and bold, column widths that fit Japanese
//! text (a full-width character counts double), dates as real dates.

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};

use super::model::AuditReport;
use super::tables::{Cell, tables};

/// The widest a column gets, in character widths.
const MAX_WIDTH: usize = 60;

/// Display width of text: full-width (CJK) characters count two.
fn width(text: &str) -> usize {
    text.chars().map(|c| if (c as u32) >= 0x1100 { 2 } else { 1 }).sum()
}

/// The report as an XLSX workbook.
///
/// # Errors
/// When the writer fails.
pub fn write(report: &AuditReport) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let header = Format::new().set_bold().set_background_color("#E8EEF6").set_text_wrap();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let wrap = Format::new().set_text_wrap();
    for table in tables(report) {
        let sheet = workbook.add_worksheet();
        sheet.set_name(table.key)?;
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
                    Cell::Date(None) | Cell::Number(None) => {}
                }
                if let Some(w) = widths.get_mut(c) {
                    let shown = match cell {
                        Cell::Date(_) => 10,
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
    fn full_width_characters_count_double() {
        assert_eq!(width("A.3.3.1"), 7);
        assert_eq!(width("安全管理措置"), 12);
    }
}
