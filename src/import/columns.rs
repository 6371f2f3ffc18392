//! Finding a list's columns by the headers people write (compared without spaces, brackets,
//! `・`, `_` or case, full-width made half-width), and naming a refused cell by its line and its
//! column as the file heads it. One way for every import.

use std::collections::HashMap;

use crate::domain::people::normalize;
use crate::import::sheet::Sheet;

/// The columns an import reads: each with the headers that name it, the usual one first.
pub type Columns = &'static [(&'static str, &'static [&'static str])];

/// A cell refused: its line, its column as the file names it, the cell's text, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellRefusal {
    pub line: usize,
    pub column: String,
    pub value: String,
    pub message_key: &'static str,
    pub detail: Option<String>,
}

fn header_key(header: &str) -> String {
    normalize(header).to_lowercase().replace([' ', '(', ')', '[', ']', '（', '）', '・', '_'], "")
}

/// Where a sheet has each column it was read for.
pub struct Located<'s> {
    sheet: &'s Sheet,
    at: HashMap<&'static str, usize>,
    /// Headers no column takes (shown, so that nobody thinks they were imported).
    pub ignored: Vec<String>,
}

impl<'s> Located<'s> {
    /// The columns of `sheet`; the first header naming a column takes it.
    ///
    /// # Errors
    /// One refusal per `required` column the sheet lacks, on the header line.
    pub fn find(sheet: &'s Sheet, columns: Columns, required: &[&str]) -> Result<Self, Vec<CellRefusal>> {
        let mut at = HashMap::new();
        let mut ignored = Vec::new();
        for (index, header) in sheet.headers.iter().enumerate() {
            let key = header_key(header);
            match columns.iter().find(|(_, names)| names.iter().any(|n| header_key(n) == key)) {
                Some((column, _)) if !at.contains_key(column) => {
                    at.insert(*column, index);
                }
                _ if !header.is_empty() => ignored.push(header.clone()),
                _ => {}
            }
        }
        let missing: Vec<CellRefusal> = required
            .iter()
            .filter(|c| !at.contains_key(*c))
            .map(|c| CellRefusal {
                line: sheet.header_line,
                column: columns
                    .iter()
                    .find(|(name, _)| name == c)
                    .map(|(_, names)| names[0].to_owned())
                    .unwrap_or_default(),
                value: String::new(),
                message_key: "error-import-missing-column",
                detail: None,
            })
            .collect();
        if missing.is_empty() { Ok(Self { sheet, at, ignored }) } else { Err(missing) }
    }

    pub fn has(&self, column: &str) -> bool {
        self.at.contains_key(column)
    }

    /// The columns found, in the order of `columns`.
    pub fn present(&self, columns: Columns) -> Vec<&'static str> {
        columns.iter().map(|(c, _)| *c).filter(|c| self.has(c)).collect()
    }

    /// A row's cell of `column` (empty when the sheet lacks the column or the row the cell).
    pub fn cell<'c>(&self, cells: &'c [String], column: &str) -> &'c str {
        self.at.get(column).and_then(|i| cells.get(*i)).map_or("", String::as_str)
    }

    /// The refusal of a row's cell of `column`, named by the file's header.
    pub fn refuse(
        &self,
        line: usize,
        cells: &[String],
        column: &str,
        message_key: &'static str,
        detail: Option<String>,
    ) -> CellRefusal {
        CellRefusal {
            line,
            column: self.at.get(column).map(|i| self.sheet.headers[*i].clone()).unwrap_or_default(),
            value: self.cell(cells, column).to_owned(),
            message_key,
            detail,
        }
    }
}
