//! CSV per section: UTF-8 with a byte-order mark, so that Excel opens Japanese text correctly.

use super::tables::Table;

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
            writer.write_record(row.iter().map(super::tables::Cell::text))?;
        }
        writer.flush()?;
    }
    Ok(out)
}
