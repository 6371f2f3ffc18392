//! A spreadsheet as rows of text: CSV or TSV (UTF-8 with or without a BOM, or Shift_JIS as Excel
//! saves it in Japan) or the first sheet of an XLSX workbook. Each row keeps the line number a
//! person sees in Excel, so that a refusal can name it.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

/// The header row and the data rows below it, blank rows left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    /// The line of the header row.
    pub header_line: usize,
    pub headers: Vec<String>,
    /// `(line number, cells)`, cells as text (dates as `YYYY-MM-DD`).
    pub rows: Vec<(usize, Vec<String>)>,
}

/// Why a file could not be read as a sheet.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SheetError {
    #[error("the file has no header row")]
    Empty,
    #[error("the file is neither CSV nor XLSX: {0}")]
    Unreadable(String),
}

impl SheetError {
    /// The translation key of the message a user sees.
    pub fn message_key(&self) -> &'static str {
        match self {
            SheetError::Empty => "error-import-empty",
            SheetError::Unreadable(_) => "error-import-unreadable",
        }
    }
}

/// Reads `bytes`: XLSX when it is a ZIP archive, CSV or TSV otherwise.
///
/// # Errors
/// When the workbook cannot be opened or there is no header row.
pub fn read(bytes: &[u8]) -> Result<Sheet, SheetError> {
    let grid = if bytes.starts_with(b"PK\x03\x04") { xlsx(bytes)? } else { csv(&decode(bytes))? };
    let mut lines = grid.into_iter().filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()));
    let (header_line, headers) = lines.next().ok_or(SheetError::Empty)?;
    let headers = headers.into_iter().map(|h| h.trim().to_owned()).collect();
    Ok(Sheet { header_line, headers, rows: lines.collect() })
}

/// The text of a CSV file: UTF-8 (a BOM dropped), else Shift_JIS.
fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => encoding_rs::SHIFT_JIS.decode(bytes).0.into_owned(),
    }
}

fn csv(text: &str) -> Result<Vec<(usize, Vec<String>)>, SheetError> {
    let first = text.lines().next().unwrap_or_default();
    let delimiter = if first.contains('\t') && !first.contains(',') { b'\t' } else { b',' };
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| SheetError::Unreadable(e.to_string()))?;
        // The line the record's first cell is on: the reader's position may still be on a blank
        // line it skipped.
        let bytes = text.as_bytes();
        let mut start = record.position().map_or(0, |p| usize::try_from(p.byte()).unwrap_or(0)).min(bytes.len());
        while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        let line = bytes[..start].iter().filter(|b| **b == b'\n').count() + 1;
        rows.push((line, record.iter().map(str::to_owned).collect()));
    }
    Ok(rows)
}

fn xlsx(bytes: &[u8]) -> Result<Vec<(usize, Vec<String>)>, SheetError> {
    let mut workbook: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e: calamine::XlsxError| SheetError::Unreadable(e.to_string()))?;
    let range =
        workbook.worksheet_range_at(0).ok_or(SheetError::Empty)?.map_err(|e| SheetError::Unreadable(e.to_string()))?;
    let (first_row, first_column) = range.start().unwrap_or((0, 0));
    let pad = first_column as usize;
    Ok(range
        .rows()
        .enumerate()
        .map(|(i, cells)| {
            let mut row = vec![String::new(); pad];
            row.extend(cells.iter().map(cell_text));
            (first_row as usize + i + 1, row)
        })
        .collect())
}

/// A cell as text: numbers without a trailing `.0`, dates as `YYYY-MM-DD`.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty | Data::Error(_) => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) if d.is_datetime() => serial_date(d.as_f64()).unwrap_or_else(|| d.as_f64().to_string()),
        Data::DateTime(d) => d.as_f64().to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.chars().take(10).collect(),
    }
}

/// An Excel serial day (1900 system: day 60 is the 29 February 1900 that never was).
fn serial_date(serial: f64) -> Option<String> {
    let days = serial.floor() as i64;
    let epoch = chrono::NaiveDate::from_ymd_opt(1899, 12, 30)?;
    let date = epoch.checked_add_signed(chrono::Duration::days(days))?;
    Some(date.format("%Y-%m-%d").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_in_utf8_with_a_bom_and_blank_lines_keeps_excel_line_numbers() {
        let sheet = read("\u{FEFF}社員番号,氏名\n\n0001,山田 花子\n0002,\"佐藤, 一郎\"\n".as_bytes()).unwrap();
        assert_eq!(sheet.headers, ["社員番号", "氏名"]);
        assert_eq!(
            sheet.rows,
            vec![(3, vec!["0001".into(), "山田 花子".into()]), (4, vec!["0002".into(), "佐藤, 一郎".into()])]
        );
    }

    #[test]
    fn shift_jis_csv_as_excel_saves_it_in_japan_is_read() {
        let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode("社員番号,氏名\r\n0001,山田 花子\r\n");
        let sheet = read(&bytes).unwrap();
        assert_eq!(sheet.rows[0].1[1], "山田 花子");
    }

    #[test]
    fn tab_separated_text_is_read_too() {
        let sheet = read("社員番号\t氏名\n7\t鈴木\n".as_bytes()).unwrap();
        assert_eq!(sheet.rows[0].1, ["7", "鈴木"]);
    }

    #[test]
    fn an_xlsx_with_dates_and_numbers_gives_text_cells() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write(0, 0, "社員番号").unwrap();
        sheet.write(0, 1, "入社日").unwrap();
        sheet.write(1, 0, 12).unwrap();
        let format = rust_xlsxwriter::Format::new().set_num_format("yyyy/mm/dd");
        let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2024, 4, 1).unwrap();
        sheet.write_datetime_with_format(1, 1, &date, &format).unwrap();
        let bytes = book.save_to_buffer().unwrap();
        let read = read(&bytes).unwrap();
        assert_eq!(read.headers, ["社員番号", "入社日"]);
        assert_eq!(read.rows, vec![(2, vec!["12".to_owned(), "2024-04-01".to_owned()])]);
    }

    #[test]
    fn a_file_without_rows_or_a_broken_archive_is_refused() {
        assert_eq!(read(b"\n\n"), Err(SheetError::Empty));
        assert!(matches!(read(b"PK\x03\x04broken"), Err(SheetError::Unreadable(_))));
    }
}
