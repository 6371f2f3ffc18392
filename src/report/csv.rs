//! CSV per section: UTF-8 with a byte-order mark, so that Excel opens Japanese text correctly.

use super::tables::{Cell, Table};

/// A cell as CSV text. Text that a spreadsheet would read as a formula (`=`, `+`, `-`, `@`, a tab
/// or a carriage return first) gets a leading apostrophe, so that an incident title like
/// `=HYPERLINK(…)` stays text (OWASP's CSV injection advice); numbers and dates are left alone.
fn cell_text(cell: &Cell) -> String {
    match cell {
        Cell::Text(text) if text.starts_with(['=', '+', '-', '@', '\t', '\r']) => format!("'{text}"),
        other => other.text(),
    }
}

/// One table as CSV bytes, BOM first.
///
/// # Errors
/// When the CSV writer fails (it writes to memory, so only on a bug).
pub fn write(table: &Table) -> Result<Vec<u8>, csv::Error> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(&mut out);
        writer.write_record(&table.headers)?;
        for row in &table.rows {
            writer.write_record(row.iter().map(cell_text))?;
        }
        writer.flush()?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_that_looks_like_a_formula_is_kept_as_text_and_numbers_are_not_touched() {
        let table = Table {
            head: crate::report::model::section_heads(crate::domain::Lang::Ja).remove(0),
            headers: vec!["a".into(), "b".into()],
            rows: vec![vec![Cell::Text("=HYPERLINK(\"http://x\")".into()), Cell::Number(Some(-3))]],
        };
        let text = String::from_utf8(write(&table).unwrap()[3..].to_vec()).unwrap();
        assert!(text.contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "{text}");
        assert!(text.contains(",-3\r\n"), "{text}");
    }
}
