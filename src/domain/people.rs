//! People (従業者) and departments (部門): the closed sets of employment types (雇用区分) and PMS
//! roles, and the rules for one person's values as an HR list writes them (full-width digits,
//! half-width kana, Japanese dates and labels).

use chrono::NaiveDate;

use crate::domain::term::term;

term! {
    /// 雇用区分. `Other` carries the organisation's own name for it (嘱託, 出向…) beside it.
    EmploymentType, "employment" {
        /// 役員.
        Executive => "executive",
        /// 正社員.
        Regular => "regular",
        /// 契約社員 (嘱託 included).
        Contract => "contract",
        /// パート・アルバイト.
        PartTime => "part_time",
        /// 派遣社員.
        Dispatched => "dispatched",
        Other => "other",
    }
}

term! {
    /// A role a person holds in the PMS.
    PmsRole, "pms-role" {
        /// 代表者 (トップマネジメント).
        Representative => "representative",
        /// 個人情報保護管理者.
        PiManager => "pi_manager",
        /// 個人情報保護監査責任者.
        AuditLead => "audit_lead",
        /// 部門責任者.
        DepartmentHead => "department_head",
        /// 内部監査員.
        InternalAuditor => "internal_auditor",
        /// 事務局.
        Secretariat => "secretariat",
    }
}

/// The employment type a cell names, in Japanese (with the usual variants) or by its stable name.
/// Anything else that is not empty is `Other`, and the caller keeps the text as its label.
pub fn employment_of(text: &str) -> EmploymentType {
    let t = normalize(text).replace([' ', '・', '/'], "").to_lowercase();
    let is = |words: &[&str]| words.iter().any(|w| t == *w);
    if is(&["役員", "取締役", "執行役員", "監査役", "executive"]) {
        EmploymentType::Executive
    } else if is(&["正社員", "正規社員", "正規", "社員", "regular"]) {
        EmploymentType::Regular
    } else if is(&["契約社員", "契約", "嘱託", "嘱託社員", "contract"]) {
        EmploymentType::Contract
    } else if is(&["パート", "アルバイト", "パートアルバイト", "パートタイマー", "part_time"]) {
        EmploymentType::PartTime
    } else if is(&["派遣", "派遣社員", "派遣労働者", "dispatched"]) {
        EmploymentType::Dispatched
    } else {
        EmploymentType::Other
    }
}

/// The PMS roles a cell lists, separated by 、 , ・ / ; or spaces. `Err` names the first word that
/// is not a role.
pub fn roles_of(text: &str) -> Result<Vec<PmsRole>, String> {
    let text = normalize(text);
    let mut roles = Vec::new();
    for word in text.split(['、', ',', '・', '/', ';', ' ', '，']).map(str::trim).filter(|w| !w.is_empty()) {
        let role = match word.to_lowercase().as_str() {
            "代表者" | "代表" | "代表取締役" | "トップマネジメント" | "representative" => {
                PmsRole::Representative
            }
            "個人情報保護管理者" | "管理者" | "pi_manager" => PmsRole::PiManager,
            "個人情報保護監査責任者" | "監査責任者" | "audit_lead" => PmsRole::AuditLead,
            "部門責任者" | "部門長" | "department_head" => PmsRole::DepartmentHead,
            "内部監査員" | "監査員" | "internal_auditor" => PmsRole::InternalAuditor,
            "事務局" | "pms事務局" | "secretariat" => PmsRole::Secretariat,
            _ => return Err(word.to_owned()),
        };
        if !roles.contains(&role) {
            roles.push(role);
        }
    }
    roles.sort();
    Ok(roles)
}

/// Full-width ASCII (０-９, Ａ-Ｚ, ＠, （）…) and the ideographic space as their half-width forms,
/// half-width katakana as full-width, surrounding spaces trimmed and runs of spaces made one.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let c = match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{FF61}'..='\u{FF9F}' => {
                let (full, mark) = (half_width_kana(c), chars.peek().copied());
                match (mark, full.and_then(|f| voiced(f, mark))) {
                    (Some(_), Some(joined)) => {
                        chars.next();
                        joined
                    }
                    _ => full.unwrap_or(c),
                }
            }
            c => c,
        };
        if c.is_whitespace() && (out.is_empty() || out.ends_with(' ')) {
            continue;
        }
        out.push(if c.is_whitespace() { ' ' } else { c });
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// The full-width katakana (or punctuation) of a half-width one.
fn half_width_kana(c: char) -> Option<char> {
    const TABLE: &str = "。「」、・ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン゛゜";
    let index = (c as u32).checked_sub(0xFF61)? as usize;
    TABLE.chars().nth(index)
}

/// A full-width kana with the (half-width) voicing mark that follows it, as one character.
fn voiced(base: char, mark: Option<char>) -> Option<char> {
    let offset = match mark? {
        '\u{FF9E}' => 1,
        '\u{FF9F}' => 2,
        _ => return None,
    };
    if base == 'ウ' && offset == 1 {
        return Some('ヴ');
    }
    let voiceable = "カキクケコサシスセソタチツテトハヒフヘホ";
    if !voiceable.contains(base) || (offset == 2 && !"ハヒフヘホ".contains(base)) {
        return None;
    }
    char::from_u32(base as u32 + offset)
}

/// An employee number (社員番号): letters, digits, `-` and `_`, at most 32, full-width accepted.
///
/// # Errors
/// `error-employee-number` when it is empty or has other characters.
pub fn employee_number(text: &str) -> Result<String, &'static str> {
    let number = normalize(text);
    let valid = !number.is_empty()
        && number.chars().count() <= 32
        && number.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if valid { Ok(number) } else { Err("error-employee-number") }
}

/// A reading in kana (フリガナ): katakana or hiragana and spaces, stored as full-width katakana.
///
/// # Errors
/// `error-kana` when it has other characters.
pub fn kana(text: &str) -> Result<String, &'static str> {
    let kana: String = normalize(text)
        .chars()
        .map(|c| if ('ぁ'..='ゖ').contains(&c) { char::from_u32(c as u32 + 0x60).unwrap_or(c) } else { c })
        .collect();
    let valid = kana.chars().count() <= 100
        && kana.chars().all(|c| ('ァ'..='ヺ').contains(&c) || matches!(c, 'ー' | ' ' | '・' | 'ヽ' | 'ヾ'));
    if valid { Ok(kana) } else { Err("error-kana") }
}

/// A date as HR lists write it: 2024-04-01, 2024/4/1, 2024.4.1, 2024年4月1日, or in the Japanese
/// era (令和6年4月1日, R6.4.1, 平成31年4月30日, 元年 for year 1).
///
/// # Errors
/// `error-date` when it is none of those or not a day of the calendar.
pub fn date(text: &str) -> Result<NaiveDate, &'static str> {
    let text = normalize(text).replace(' ', "");
    let (era_start, rest) = era(&text);
    let numbers: Vec<&str> = rest.split(['-', '/', '.', '年', '月', '日']).filter(|p| !p.is_empty()).collect();
    let [year, month, day] = numbers.as_slice() else {
        return Err("error-date-formats");
    };
    let year = if *year == "元" { 1 } else { year.parse::<i32>().map_err(|_| "error-date-formats")? };
    let year = match era_start {
        Some(start) if year >= 1 => start + year - 1,
        Some(_) => return Err("error-date-formats"),
        None => year,
    };
    let (Ok(month), Ok(day)) = (month.parse::<u32>(), day.parse::<u32>()) else {
        return Err("error-date-formats");
    };
    if !(1900..=9999).contains(&year) {
        return Err("error-date-formats");
    }
    NaiveDate::from_ymd_opt(year, month, day).ok_or("error-date-formats")
}

/// The first year of the era the text starts with, and the rest.
fn era(text: &str) -> (Option<i32>, &str) {
    const ERAS: &[(&str, i32)] = &[
        ("令和", 2019),
        ("平成", 1989),
        ("昭和", 1926),
        ("R", 2019),
        ("H", 1989),
        ("S", 1926),
        ("r", 2019),
        ("h", 1989),
        ("s", 1926),
    ];
    ERAS.iter()
        .find_map(|(name, start)| text.strip_prefix(name).map(|rest| (Some(*start), rest)))
        .unwrap_or((None, text))
}

/// A department path as a cell writes it: 営業部 / 第一課 (also ＞ > ／ \ as separators), at most
/// five levels of at most 100 characters each.
///
/// # Errors
/// `error-department` when a level is empty or too long, or there are too many.
pub fn department_path(text: &str) -> Result<Vec<String>, &'static str> {
    let text = normalize(text);
    if text.is_empty() {
        return Ok(Vec::new());
    }
    let levels: Vec<String> = text.split(['/', '>', '＞', '\\', '＼']).map(|l| l.trim().to_owned()).collect();
    let valid = levels.len() <= 5 && levels.iter().all(|l| !l.is_empty() && l.chars().count() <= 100);
    if valid { Ok(levels) } else { Err("error-department") }
}

/// One person's values, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonValues {
    pub employee_number: String,
    pub name: String,
    pub kana: Option<String>,
    pub employment: EmploymentType,
    /// The organisation's own name of an `Other` employment type (嘱託, 出向…).
    pub employment_label: Option<String>,
    pub joined_on: Option<NaiveDate>,
    pub left_on: Option<NaiveDate>,
    pub email: Option<String>,
    pub roles: Vec<PmsRole>,
}

/// One person's values as typed or read from a cell, before they are checked.
#[derive(Debug, Clone, Copy, Default)]
pub struct RawPerson<'a> {
    pub employee_number: &'a str,
    pub name: &'a str,
    pub kana: &'a str,
    /// Empty: 正社員.
    pub employment: &'a str,
    pub joined_on: &'a str,
    pub left_on: &'a str,
    pub email: &'a str,
    pub roles: &'a str,
}

/// A value refused: the field, the translation key of the reason, and a detail to show with it
/// (the word that is not a role).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub field: &'static str,
    pub message_key: &'static str,
    pub detail: Option<String>,
}

impl RawPerson<'_> {
    /// The checked values, or every field refused.
    ///
    /// # Errors
    /// Each refused field with its reason.
    pub fn parse(&self) -> Result<PersonValues, Vec<Refused>> {
        fn optional(text: &str) -> Option<&str> {
            (!normalize(text).is_empty()).then_some(text)
        }
        fn take<T>(refused: &mut Vec<Refused>, field: &'static str, result: Result<T, &'static str>) -> Option<T> {
            result.map_err(|message_key| refused.push(Refused { field, message_key, detail: None })).ok()
        }
        let mut refused = Vec::new();
        let employee_number = take(&mut refused, "employee_number", employee_number(self.employee_number));
        let name = take(&mut refused, "name", crate::domain::text::free_text(&normalize(self.name), 100, true));
        let kana = take(&mut refused, "kana", optional(self.kana).map(kana).transpose());
        let joined_on = take(&mut refused, "joined_on", optional(self.joined_on).map(date).transpose());
        let left_on = take(&mut refused, "left_on", optional(self.left_on).map(date).transpose());
        let email = take(
            &mut refused,
            "email",
            optional(self.email)
                .map(|e| crate::domain::EmailAddress::parse(&normalize(e)).map(|e| e.as_str().to_owned()))
                .transpose(),
        );
        let employment_text = crate::domain::text::free_text(&normalize(self.employment), 50, false);
        let employment_text = take(&mut refused, "employment", employment_text);
        let roles = match roles_of(self.roles) {
            Ok(roles) => Some(roles),
            Err(word) => {
                refused.push(Refused { field: "roles", message_key: "error-pms-role", detail: Some(word) });
                None
            }
        };
        if let (Some(Some(joined)), Some(Some(left))) = (joined_on, left_on)
            && left < joined
        {
            refused.push(Refused { field: "left_on", message_key: "error-left-before-joined", detail: None });
        }
        match (employee_number, name, kana, joined_on, left_on, email, employment_text, roles) {
            (
                Some(employee_number),
                Some(name),
                Some(kana),
                Some(joined_on),
                Some(left_on),
                Some(email),
                Some(text),
                Some(roles),
            ) if refused.is_empty() => {
                let employment = if text.is_empty() { EmploymentType::Regular } else { employment_of(&text) };
                let employment_label = (employment == EmploymentType::Other).then_some(text);
                Ok(PersonValues {
                    employee_number,
                    name,
                    kana,
                    employment,
                    employment_label,
                    joined_on,
                    left_on,
                    email,
                    roles,
                })
            }
            _ => Err(refused),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_digits_letters_and_half_width_kana_are_made_standard() {
        assert_eq!(normalize("　Ａ０１２３　"), "A0123");
        assert_eq!(normalize("ﾔﾏﾀﾞ ﾀﾛｳ"), "ヤマダ タロウ");
        assert_eq!(normalize("ﾊﾟｰﾄ"), "パート");
        assert_eq!(normalize("ｳﾞｨ"), "ヴィ");
        assert_eq!(normalize("山田　　花子"), "山田 花子");
    }

    #[test]
    fn employee_numbers_accept_full_width_and_refuse_other_characters() {
        assert_eq!(employee_number("０００１２"), Ok("00012".to_owned()));
        assert_eq!(employee_number("E-0012"), Ok("E-0012".to_owned()));
        assert_eq!(employee_number(""), Err("error-employee-number"));
        assert_eq!(employee_number("12 34"), Err("error-employee-number"));
        assert_eq!(employee_number("山田"), Err("error-employee-number"));
    }

    #[test]
    fn kana_is_stored_as_full_width_katakana() {
        assert_eq!(kana("やまだ はなこ"), Ok("ヤマダ ハナコ".to_owned()));
        assert_eq!(kana("ﾔﾏﾀﾞ ﾊﾅｺ"), Ok("ヤマダ ハナコ".to_owned()));
        assert_eq!(kana("山田"), Err("error-kana"));
    }

    #[test]
    fn dates_are_read_as_hr_lists_write_them_including_the_japanese_era() {
        let d = |y, m, day| Ok(NaiveDate::from_ymd_opt(y, m, day).unwrap());
        assert_eq!(date("2024-04-01"), d(2024, 4, 1));
        assert_eq!(date("2024/4/1"), d(2024, 4, 1));
        assert_eq!(date("２０２４年４月１日"), d(2024, 4, 1));
        assert_eq!(date("令和6年4月1日"), d(2024, 4, 1));
        assert_eq!(date("令和元年5月1日"), d(2019, 5, 1));
        assert_eq!(date("H31.4.30"), d(2019, 4, 30));
        assert_eq!(date("2024/2/30"), Err("error-date-formats"));
        assert_eq!(date("来月"), Err("error-date-formats"));
        assert_eq!(date("令和0年1月1日"), Err("error-date-formats"));
    }

    #[test]
    fn employment_types_are_read_from_their_usual_japanese_names() {
        assert_eq!(employment_of("正社員"), EmploymentType::Regular);
        assert_eq!(employment_of("パート・アルバイト"), EmploymentType::PartTime);
        assert_eq!(employment_of("ｱﾙﾊﾞｲﾄ"), EmploymentType::PartTime);
        assert_eq!(employment_of("派遣"), EmploymentType::Dispatched);
        assert_eq!(employment_of("取締役"), EmploymentType::Executive);
        assert_eq!(employment_of("出向"), EmploymentType::Other);
    }

    #[test]
    fn roles_are_a_sorted_set_and_an_unknown_one_is_named() {
        assert_eq!(
            roles_of("内部監査員、部門責任者、内部監査員"),
            Ok(vec![PmsRole::DepartmentHead, PmsRole::InternalAuditor])
        );
        assert_eq!(roles_of(""), Ok(vec![]));
        assert_eq!(roles_of("事務局・社長"), Err("社長".to_owned()));
    }

    #[test]
    fn a_person_is_checked_field_by_field_and_every_refusal_is_named() {
        let raw = RawPerson {
            employee_number: "０１２",
            name: "山田　花子",
            kana: "ﾔﾏﾀﾞ ﾊﾅｺ",
            employment: "嘱託",
            joined_on: "令和2年4月1日",
            email: "Hanako@Example.JP",
            roles: "内部監査員",
            ..RawPerson::default()
        };
        let person = raw.parse().unwrap();
        assert_eq!(person.employee_number, "012");
        assert_eq!(person.name, "山田 花子");
        assert_eq!(person.kana.as_deref(), Some("ヤマダ ハナコ"));
        assert_eq!(person.employment, EmploymentType::Contract);
        assert_eq!(person.employment_label, None);
        assert_eq!(person.email.as_deref(), Some("hanako@example.jp"));
        let other = RawPerson { employment: "出向", ..raw }.parse().unwrap();
        assert_eq!((other.employment, other.employment_label.as_deref()), (EmploymentType::Other, Some("出向")));
        let default = RawPerson { employment: "", ..raw }.parse().unwrap();
        assert_eq!(default.employment, EmploymentType::Regular, "an empty type is 正社員");

        let bad = RawPerson { employee_number: "", left_on: "2019-01-01", roles: "社長", ..raw }.parse().unwrap_err();
        let fields: Vec<_> = bad.iter().map(|r| (r.field, r.message_key)).collect();
        assert_eq!(
            fields,
            [
                ("employee_number", "error-employee-number"),
                ("roles", "error-pms-role"),
                ("left_on", "error-left-before-joined")
            ]
        );
        assert_eq!(bad[1].detail.as_deref(), Some("社長"));
    }

    #[test]
    fn department_paths_split_on_the_usual_separators() {
        assert_eq!(department_path("営業部／第一課"), Ok(vec!["営業部".to_owned(), "第一課".to_owned()]));
        assert_eq!(department_path("営業部 > 第一課"), Ok(vec!["営業部".to_owned(), "第一課".to_owned()]));
        assert_eq!(department_path(""), Ok(vec![]));
        assert_eq!(department_path("営業部//第一課"), Err("error-department"));
    }
}
