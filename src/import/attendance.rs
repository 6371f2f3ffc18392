//! An attendance sheet (an e-learning export, or a typed-up paper sheet) as attendances of one
//! training: people found by employee number, dates and scores checked, every refusal named by
//! line and column. Nothing is written here.

use std::collections::HashMap;

use crate::domain::people::{date, employee_number, normalize};
use crate::import::columns::{CellRefusal, Columns, Located};
use crate::import::sheet::Sheet;
use crate::store::trainings::AttendanceValues;

const COLUMNS: Columns = &[
    (
        "employee_number",
        &["社員番号", "従業員番号", "職員番号", "社員コード", "ユーザーid", "employeenumber", "employee_number"],
    ),
    ("attended_on", &["受講日", "受講年月日", "実施日", "完了日", "日付", "attendedon", "date"]),
    ("score", &["点数", "得点", "スコア", "テスト結果", "score"]),
    ("note", &["備考", "メモ", "note"]),
];

/// The attendances a sheet holds, and every refused cell.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AttendanceSheet {
    pub rows: Vec<(usize, AttendanceValues)>,
    pub refusals: Vec<CellRefusal>,
}

/// Reads the attendances of `sheet`; `people` maps employee numbers to person ids.
///
/// # Errors
/// When the employee number or date column is missing.
pub fn read(sheet: &Sheet, people: &HashMap<String, i32>) -> Result<AttendanceSheet, Vec<CellRefusal>> {
    let located = Located::find(sheet, COLUMNS, &["employee_number", "attended_on"])?;
    let mut read = AttendanceSheet::default();
    for (line, cells) in &sheet.rows {
        let cell = |column: &str| located.cell(cells, column);
        let mut refusals = Vec::new();
        let mut refuse = |column: &str, message_key: &'static str| {
            refusals.push(located.refuse(*line, cells, column, message_key, None))
        };
        let person = match employee_number(cell("employee_number")) {
            Ok(number) => people.get(&number).copied().or_else(|| {
                refuse("employee_number", "error-import-unknown-person");
                None
            }),
            Err(key) => {
                refuse("employee_number", key);
                None
            }
        };
        let attended_on = date(cell("attended_on")).map_err(|key| refuse("attended_on", key)).ok();
        let score_text = normalize(cell("score")).replace(['点', '%', '％'], "");
        let score = if score_text.is_empty() {
            Some(None)
        } else {
            match score_text.parse::<i32>() {
                Ok(score) if (0..=1000).contains(&score) => Some(Some(score)),
                _ => {
                    refuse("score", "error-score");
                    None
                }
            }
        };
        let note = crate::domain::text::free_text(&normalize(cell("note")), 200, false)
            .map_err(|key| refuse("note", key))
            .ok()
            .map(|n| (!n.is_empty()).then_some(n));
        match (person, attended_on, score, note) {
            (Some(person_id), Some(attended_on), Some(score), Some(note)) if refusals.is_empty() => {
                read.rows.push((*line, AttendanceValues { person_id, attended_on, score, note }));
            }
            _ => read.refusals.extend(refusals),
        }
    }
    Ok(read)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_e_learning_export_is_read_and_unknown_people_and_bad_scores_are_named() {
        let sheet = crate::import::sheet::read(
            "従業員番号,完了日,得点,備考\n1,2026/6/10,95点,\n2,2026/6/11,abc,\n9,2026/6/12,80,\n3,令和8年6月13日,,紙で受講\n".as_bytes(),
        )
        .unwrap();
        let people = HashMap::from([("1".to_owned(), 11), ("2".to_owned(), 12), ("3".to_owned(), 13)]);
        let read = read(&sheet, &people).unwrap();
        assert_eq!(read.rows.len(), 2);
        assert_eq!(read.rows[0].1.score, Some(95));
        assert_eq!((read.rows[1].1.person_id, read.rows[1].1.note.as_deref()), (13, Some("紙で受講")));
        let refused: Vec<_> = read.refusals.iter().map(|r| (r.line, r.column.as_str(), r.message_key)).collect();
        assert_eq!(refused, [(3, "得点", "error-score"), (4, "従業員番号", "error-import-unknown-person")]);
    }
}
