//! A Privacy Mark certification cycle: registration number, examination body, validity, status.

use chrono::{Days, Months, NaiveDate};

/// Status of a validity cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CertificationStatus {
    Valid,
    /// A renewal application was filed (in time, the mark stays valid until the decision).
    RenewalApplied,
    Lapsed,
    Revoked,
}

impl CertificationStatus {
    pub const ALL: [CertificationStatus; 4] = [
        CertificationStatus::Valid,
        CertificationStatus::RenewalApplied,
        CertificationStatus::Lapsed,
        CertificationStatus::Revoked,
    ];

    /// # Errors
    /// The translation key of the message for an unknown status.
    pub fn parse(text: &str) -> Result<Self, &'static str> {
        match text.trim() {
            "valid" => Ok(Self::Valid),
            "renewal_applied" => Ok(Self::RenewalApplied),
            "lapsed" => Ok(Self::Lapsed),
            "revoked" => Ok(Self::Revoked),
            _ => Err("error-choice"),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Valid => "valid",
            Self::RenewalApplied => "renewal_applied",
            Self::Lapsed => "lapsed",
            Self::Revoked => "revoked",
        }
    }
}

crate::domain::term::term_of!(CertificationStatus, "certification-status");

crate::domain::term::term! {
    /// The examination bodies (審査機関) offered in the form; anything else is `Other` with a
    /// name. Only the bodies named in our domain notes are listed.
    ExaminationBody, "body" {
        Jipdec => "jipdec",
        Jisa => "jisa",
        Sarc => "sarc",
        Other => "other",
    }
}

impl ExaminationBody {
    /// # Errors
    /// The translation key of the message for a body not in the list.
    pub fn parse(text: &str) -> Result<Self, &'static str> {
        <Self as crate::domain::term::Term>::parse(text.trim()).map_err(|_| "error-choice")
    }
}

/// A registration number (登録番号), stored canonically as `10823456(05)`: digits, optionally the
/// renewal count in parentheses. It is accepted as printed on the registration certificate
/// (登録証) and the mark: `第10823456(05)号`, in full-width digits and parentheses
/// (`第１０８２３４５６（０５）号`), with spaces (half- or full-width) anywhere, and in English
/// as `No. 10823456(05)`.
///
/// # Errors
/// The translation key of the message for anything else.
pub fn parse_registration_number(text: &str) -> Result<String, &'static str> {
    let compact: String = text
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '（' => '(',
            '）' => ')',
            '．' => '.',
            'Ｎ' => 'N',
            'ｏ' => 'o',
            other => other,
        })
        .filter(|c| !c.is_whitespace())
        .collect();
    // The printed frame: 第…号, or No. … in English.
    let unframed = compact.strip_prefix('第').map(|rest| rest.strip_suffix('号').unwrap_or(rest));
    let unframed = unframed
        .or_else(|| ["No.", "no.", "NO.", "No", "no", "NO"].iter().find_map(|prefix| compact.strip_prefix(prefix)));
    let normalised = unframed.unwrap_or(&compact).to_owned();
    let (number, suffix) = match normalised.split_once('(') {
        Some((number, rest)) => (number, Some(rest)),
        None => (normalised.as_str(), None),
    };
    let number_ok = (4..=10).contains(&number.len()) && number.bytes().all(|b| b.is_ascii_digit());
    let suffix_ok = suffix.is_none_or(|s| {
        s.strip_suffix(')').is_some_and(|n| (1..=3).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit()))
    });
    if compact.is_empty() {
        Err("error-required")
    } else if number_ok && suffix_ok {
        Ok(normalised)
    } else {
        Err("error-registration-number")
    }
}

/// The last day of a two-year validity starting on `valid_from` (2022-12-02 → 2024-12-01).
pub fn two_year_expiry(valid_from: NaiveDate) -> NaiveDate {
    valid_from.checked_add_months(Months::new(24)).and_then(|d| d.checked_sub_days(Days::new(1))).unwrap_or(valid_from)
}

/// The next cycle after a renewal decision: two years from the previous expiry.
pub fn next_cycle(previous_valid_until: NaiveDate) -> (NaiveDate, NaiveDate) {
    let from = previous_valid_until + Days::new(1);
    (from, previous_valid_until.checked_add_months(Months::new(24)).unwrap_or(from))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn registration_numbers_are_normalised_and_checked() {
        assert_eq!(parse_registration_number(" 10823456(05) ").unwrap(), "10823456(05)");
        assert_eq!(parse_registration_number("１０８２３４５６（０５）").unwrap(), "10823456(05)");
        assert_eq!(parse_registration_number("10823456").unwrap(), "10823456");
        for bad in ["abc", "123", "10823456(", "10823456(x)", "10823456(1234)"] {
            assert!(parse_registration_number(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_registration_number(""), Err("error-required"));
    }

    #[test]
    fn registration_numbers_are_accepted_as_printed_on_the_certificate() {
        for printed in [
            "第12345678(01)号",
            "第１２３４５６７８（０１）号",
            "第 12345678 (01) 号",
            "　第１２３４５６７８（０１）号　",
            "第12345678（01）号",
            "No. 12345678(01)",
            "no.12345678 (01)",
            "１２３４５６７８（０１）",
        ] {
            assert_eq!(parse_registration_number(printed), Ok("12345678(01)".to_owned()), "{printed}");
        }
        assert_eq!(parse_registration_number("第12345678号"), Ok("12345678".to_owned()));
        for bad in ["第号", "第12345678(01)号号", "第第12345678(01)号", "12345678(01)号第", "第abc号", "No.", "第"]
        {
            assert_eq!(parse_registration_number(bad), Err("error-registration-number"), "{bad}");
        }
        assert_eq!(parse_registration_number("   "), Err("error-required"));
    }

    #[test]
    fn validity_runs_two_years_and_renewal_continues_from_the_old_expiry() {
        assert_eq!(two_year_expiry(d(2022, 12, 2)), d(2024, 12, 1));
        assert_eq!(two_year_expiry(d(2024, 3, 1)), d(2026, 2, 28));
        assert_eq!(next_cycle(d(2024, 12, 1)), (d(2024, 12, 2), d(2026, 12, 1)));
        assert_eq!(next_cycle(d(2026, 2, 28)), (d(2026, 3, 1), d(2028, 2, 28)));
    }
}
