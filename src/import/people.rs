//! The HR list (従業者名簿) as people: columns found by their usual Japanese headers (氏名 or 名前,
//! 社員番号 or 従業員番号, 所属 or 部署…), every cell checked by the same rules as the form, and
//! every refusal named by line and column. Nothing is written here.

use std::collections::HashMap;

use crate::domain::people::{PersonValues, RawPerson, department_path, employee_number};
pub use crate::import::columns::CellRefusal;
use crate::import::columns::{Columns, Located};
use crate::import::sheet::Sheet;

/// A column the import reads, with the headers that name it (compared without spaces, brackets or
/// case, full-width made half-width).
const COLUMNS: Columns = &[
    (
        "employee_number",
        &[
            "社員番号",
            "従業員番号",
            "職員番号",
            "社員コード",
            "従業員コード",
            "社員no",
            "社員id",
            "employeenumber",
            "employeeid",
            "employee_number",
        ],
    ),
    ("name", &["氏名", "名前", "社員名", "従業員名", "name"]),
    ("kana", &["フリガナ", "ふりがな", "カナ", "氏名カナ", "氏名フリガナ", "よみがな", "kana"]),
    ("department", &["所属", "部署", "部門", "所属部署", "所属部門", "部署名", "部門名", "department"]),
    ("employment", &["雇用区分", "雇用形態", "社員区分", "区分", "employment", "employmenttype"]),
    ("joined_on", &["入社日", "入社年月日", "採用日", "着任日", "joined", "joinedon"]),
    ("left_on", &["退職日", "退社日", "退職年月日", "離任日", "left", "lefton"]),
    ("email", &["メールアドレス", "メール", "eメール", "e-mail", "email", "mail"]),
    ("roles", &["pms役割", "pmsの役割", "役割", "pmsroles", "roles"]),
];

/// Columns without which no row can be read.
const REQUIRED: &[&str] = &["employee_number", "name"];

/// One row read: the person and the department path it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRow {
    pub line: usize,
    pub person: PersonValues,
    pub department: Vec<String>,
}

/// What a sheet holds: the rows that can be imported, every refused cell, and headers the import
/// does not read (shown so that nobody thinks a column was taken).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PeopleSheet {
    pub rows: Vec<PersonRow>,
    pub refusals: Vec<CellRefusal>,
    pub ignored_headers: Vec<String>,
    /// Whether the sheet has an employment-type column (without one, new people are 正社員).
    pub has_employment: bool,
    /// The columns the sheet has (`name`, `department`…): a column it lacks leaves the stored
    /// value as it is.
    pub present: Vec<&'static str>,
}

/// Reads the people of `sheet`.
///
/// # Errors
/// When a required column is missing: one refusal per missing column, on the header line.
pub fn read(sheet: &Sheet) -> Result<PeopleSheet, Vec<CellRefusal>> {
    let located = Located::find(sheet, COLUMNS, REQUIRED)?;
    let mut read = PeopleSheet {
        ignored_headers: located.ignored.clone(),
        has_employment: located.has("employment"),
        present: located.present(COLUMNS),
        ..Default::default()
    };
    let mut first_line_of: HashMap<String, usize> = HashMap::new();
    for (line, cells) in &sheet.rows {
        let cell = |column: &str| located.cell(cells, column);
        let raw = RawPerson {
            employee_number: cell("employee_number"),
            name: cell("name"),
            kana: cell("kana"),
            employment: cell("employment"),
            joined_on: cell("joined_on"),
            left_on: cell("left_on"),
            email: cell("email"),
            roles: cell("roles"),
        };
        let refuse = |field: &str, message_key, detail| located.refuse(*line, cells, field, message_key, detail);
        let mut refusals: Vec<CellRefusal> = Vec::new();
        let person = raw
            .parse()
            .map_err(|refused| refusals.extend(refused.into_iter().map(|r| refuse(r.field, r.message_key, r.detail))))
            .ok();
        let department =
            department_path(cell("department")).map_err(|key| refusals.push(refuse("department", key, None))).ok();
        // A number seen before is refused even when that earlier row was refused for another cell:
        // fixing that row must not make this one overwrite it.
        if let Ok(number) = employee_number(cell("employee_number")) {
            match first_line_of.get(&number) {
                Some(first) => {
                    refusals.push(refuse("employee_number", "error-import-duplicate", Some(first.to_string())))
                }
                None => {
                    first_line_of.insert(number, *line);
                }
            }
        }
        match (person, department) {
            (Some(person), Some(department)) if refusals.is_empty() => {
                read.rows.push(PersonRow { line: *line, person, department });
            }
            _ => read.refusals.extend(refusals),
        }
    }
    Ok(read)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::people::EmploymentType;

    fn sheet(text: &str) -> Sheet {
        crate::import::sheet::read(text.as_bytes()).unwrap()
    }

    #[test]
    fn headers_are_found_by_their_usual_names_and_others_are_listed_as_ignored() {
        let read = read(&sheet(
            "従業員番号,名前,部署,雇用形態,入社年月日,備考\n１２,鈴木 一郎,営業部/第一課,ﾊﾟｰﾄ,2020/4/1,メモ\n",
        ))
        .unwrap();
        assert_eq!(read.ignored_headers, ["備考"]);
        assert_eq!(read.rows.len(), 1);
        let row = &read.rows[0];
        assert_eq!((row.line, row.person.employee_number.as_str()), (2, "12"));
        assert_eq!(row.person.employment, EmploymentType::PartTime);
        assert_eq!(row.department, ["営業部", "第一課"]);
        assert!(read.has_employment);
    }

    #[test]
    fn every_refused_cell_is_named_by_line_and_column_and_the_good_rows_are_kept() {
        let text = "社員番号,氏名,入社日,メールアドレス\n1,山田,2024/13/01,yamada@example.jp\n2,佐藤,2024/4/1,not-an-address\n3,田中,,\n1,重複,,\n";
        let read = read(&sheet(text)).unwrap();
        assert_eq!(read.rows.iter().map(|r| r.line).collect::<Vec<_>>(), [4]);
        let refused: Vec<_> = read.refusals.iter().map(|r| (r.line, r.column.as_str(), r.message_key)).collect();
        assert_eq!(
            refused,
            [
                (2, "入社日", "error-date-formats"),
                (3, "メールアドレス", "error-email-invalid"),
                (5, "社員番号", "error-import-duplicate")
            ],
            "row 5 repeats the number of row 2: refused even though row 2 was refused for its date"
        );
        assert_eq!(read.refusals[0].value, "2024/13/01");
    }

    #[test]
    fn a_repeated_employee_number_names_the_line_it_first_appeared_on() {
        let read = read(&sheet("社員番号,氏名\n7,山田\n７,佐藤\n")).unwrap();
        assert_eq!(read.refusals.len(), 1);
        assert_eq!((read.refusals[0].line, read.refusals[0].message_key), (3, "error-import-duplicate"));
        assert_eq!(read.refusals[0].detail.as_deref(), Some("2"));
    }

    #[test]
    fn a_missing_required_column_is_refused_on_the_header_line() {
        let refused = read(&sheet("氏名,部署\n山田,総務部\n")).unwrap_err();
        assert_eq!(refused.len(), 1);
        assert_eq!((refused[0].line, refused[0].column.as_str()), (1, "社員番号"));
    }
}
