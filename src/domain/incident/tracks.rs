//! The two reporting tracks of an incident and their deadlines (`../shared/domain/README.md`).
//!
//! - Privacy Mark (to the examination body): every 事故 is reported. The preliminary report (速報)
//!   is due when an APPI category applies; the final report (確報) always, 30 days after
//!   discovery, 60 with possible wrongful intent.
//! - APPI (to the PPC, 法26条): reportable when personal data was leaked, lost, destroyed or
//!   tampered with (改ざん is 毀損 in the PPC guideline), and a category applies, unless the data
//!   was strongly encrypted. The individuals are notified whenever it is reportable.
//!
//! Dates: calendar days, the discovery day is day 0; preliminary = +3 (latest +5).
//! Choices where the shared texts are silent:
//! - `my_number` alone is no APPI category: 特定個人情報 has its own PPC rules under 番号法, so
//!   a note says to check them.
//! - `financial_damage`: `credit_card`, `card_security_code`, `bank_account`, and
//!   `login_credentials` of an EC site or together with card or bank data (credentials that can
//!   pay). Other login credentials get a note instead.
//! - `wrongful_intent`: the causes an attacker or a thief stands behind (web vulnerability,
//!   unauthorised access, web skimming, a vendor's script, malware, ransomware, phishing, insider
//!   theft, a stolen item), an `external_attacker` party or an `attacker_claim`. A lost item,
//!   misdelivery, misconfiguration or disposal error alone is not.
//! - With strong encryption the categories are empty, so the Privacy Mark track needs no
//!   preliminary report and its final report is due in 30 days.

use std::collections::BTreeSet;

use chrono::{Days, NaiveDate};
use serde::Serialize;

use super::facts::IncidentFacts;
use super::vocabulary::{Category, Cause, DataItem, DetectedBy, Kind, Party, System};

/// The kinds that are 漏えい等 under the APPI.
pub const APPI_KINDS: &[Kind] = &[Kind::Leak, Kind::Loss, Kind::Destruction, Kind::Tampering];

/// Causes that mean possible wrongful intent (PPC category 3).
pub const WRONGFUL_CAUSES: &[Cause] = &[
    Cause::WebVulnerability,
    Cause::UnauthorizedAccess,
    Cause::WebSkimming,
    Cause::ThirdPartyScript,
    Cause::Malware,
    Cause::Ransomware,
    Cause::Phishing,
    Cause::InsiderTheft,
    Cause::StolenItem,
];

/// Data that means possible financial damage on its own (PPC category 2).
pub const FINANCIAL_DATA: &[DataItem] = &[DataItem::CreditCard, DataItem::CardSecurityCode, DataItem::BankAccount];

/// APPI reporting started to be mandatory on this day (改正法 施行).
pub fn mandatory_since() -> NaiveDate {
    NaiveDate::from_ymd_opt(2022, 4, 1).unwrap_or(NaiveDate::MIN)
}

/// The Privacy Mark track.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PmarkReport {
    /// Always: every 事故 is reported to the examination body.
    pub required: bool,
    /// The preliminary report (速報) target, when an APPI category applies.
    pub preliminary_due: Option<NaiveDate>,
    /// The latest day for the preliminary report (discovery + 5).
    pub preliminary_latest: Option<NaiveDate>,
    /// The final report (確報).
    pub final_due: NaiveDate,
}

/// The APPI track.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppiReport {
    pub reportable: bool,
    /// The categories that apply (empty when exempt or when no leak-type kind applies).
    pub categories: Vec<Category>,
    /// `strong_encryption` when that exempts the event.
    pub exemptions: Vec<&'static str>,
    pub preliminary_due: Option<NaiveDate>,
    pub preliminary_latest: Option<NaiveDate>,
    pub final_due: Option<NaiveDate>,
    /// 本人通知: whenever the event is reportable.
    pub notify_individuals: bool,
    /// The input fields whose unknown value leaves the conclusion open.
    pub open_questions: Vec<&'static str>,
}

/// A remark on the assessment, in both languages, with a stable code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    pub code: &'static str,
    pub en: &'static str,
    pub ja: &'static str,
}

const fn note(code: &'static str, en: &'static str, ja: &'static str) -> Note {
    Note { code, en, ja }
}

/// Both tracks and the notes about them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reporting {
    pub pmark: PmarkReport,
    pub appi: AppiReport,
    pub notes: Vec<Note>,
}

fn after(day: NaiveDate, days: u64) -> NaiveDate {
    // Facts carry four-digit years, so this never saturates in practice.
    day.checked_add_days(Days::new(days)).unwrap_or(NaiveDate::MAX)
}

/// The categories that the facts make apply, before exemptions.
pub fn categories(facts: &IncidentFacts) -> BTreeSet<Category> {
    let mut found = BTreeSet::new();
    if !facts.kinds.iter().any(|k| APPI_KINDS.contains(k)) {
        return found;
    }
    if facts.data.contains(&DataItem::Sensitive) {
        found.insert(Category::Sensitive);
    }
    let paying_credentials = facts.data.contains(&DataItem::LoginCredentials)
        && (facts.systems.contains(&System::EcSite) || facts.data.iter().any(|d| FINANCIAL_DATA.contains(d)));
    if paying_credentials || facts.data.iter().any(|d| FINANCIAL_DATA.contains(d)) {
        found.insert(Category::FinancialDamage);
    }
    if facts.causes.iter().any(|c| WRONGFUL_CAUSES.contains(c))
        || facts.parties.contains(&Party::ExternalAttacker)
        || facts.detected_by == Some(DetectedBy::AttackerClaim)
    {
        found.insert(Category::WrongfulIntent);
    }
    if facts.affected_people.is_some_and(|n| n > 1000) {
        found.insert(Category::Over1000);
    }
    found
}

/// Both reporting tracks of an incident.
pub fn reporting(facts: &IncidentFacts) -> Reporting {
    let day0 = facts.discovered_on;
    let leak_kind = facts.kinds.iter().any(|k| APPI_KINDS.contains(k));
    let found = categories(facts);
    let exempt = facts.strongly_encrypted == Some(true) && leak_kind;
    let applying: Vec<Category> = if exempt { Vec::new() } else { found.iter().copied().collect() };
    let reportable = !applying.is_empty();
    let final_days = if applying.contains(&Category::WrongfulIntent) { 60 } else { 30 };
    let final_due = after(day0, final_days);
    let (preliminary_due, preliminary_latest) =
        if reportable { (Some(after(day0, 3)), Some(after(day0, 5))) } else { (None, None) };

    let mut notes = Vec::new();
    let mut open_questions = Vec::new();
    if leak_kind && !exempt {
        if facts.affected_people.is_none() && found.is_empty() {
            open_questions.push("affected_people");
            notes.push(note(
                "affected_people_unknown",
                "affected_people is unknown: more than 1,000 people would make the event reportable to the PPC.",
                "影響を受けた本人の数が不明です。1,000人を超える場合は個人情報保護委員会への報告対象になります。",
            ));
        }
        if facts.strongly_encrypted.is_none() && reportable {
            open_questions.push("strongly_encrypted");
            notes.push(note(
                "encryption_unknown",
                "strongly_encrypted is unknown: data under strong encryption would be exempt from the PPC report.",
                "高度な暗号化の有無が不明です。高度な暗号化等の措置が講じられていれば報告対象外になります。",
            ));
        }
    }
    if !leak_kind {
        notes.push(note(
            "no_leak_kind",
            "No leak, loss, destruction or tampering: no PPC leak report (法26条); the Privacy Mark report is still due.",
            "漏えい・滅失・毀損（改ざんを含む）に当たらないため、個人情報保護委員会への漏えい等報告の対象外です。審査機関への事故報告は必要です。",
        ));
    }
    if exempt {
        notes.push(note(
            "strong_encryption",
            "Strongly encrypted data is exempt from the PPC report; the Privacy Mark report is still due.",
            "高度な暗号化等の措置により漏えい等報告の対象外です。審査機関への事故報告は必要です。",
        ));
    }
    if facts.possible_only == Some(true) {
        notes.push(note(
            "possible_only",
            "A possibility (おそれ) counts like a certainty for both reports.",
            "漏えい等の「おそれ」も、確定した事態と同様に報告の対象です。",
        ));
    }
    if facts.data.contains(&DataItem::MyNumber) {
        notes.push(note(
            "my_number",
            "My Number data: the 番号法 and the PPC's rules for specific personal information set their own reporting duties (e.g. more than 100 people); check them as well.",
            "特定個人情報が含まれます。番号法及び特定個人情報の漏えい等に関する委員会規則による報告（100人超など）も確認してください。",
        ));
    }
    if leak_kind && facts.data.contains(&DataItem::LoginCredentials) && !found.contains(&Category::FinancialDamage) {
        notes.push(note(
            "login_credentials",
            "Login credentials: if they give access to payments or money transfers, possible financial damage applies.",
            "ログインID・パスワードで送金・決済ができる場合は、財産的被害のおそれがある事態に当たります。",
        ));
    }
    if day0 < mandatory_since() {
        notes.push(note(
            "before_2022_04_01",
            "Discovered before 2022-04-01: reporting to the PPC was then a best-effort duty; the categories and dates shown are today's rules.",
            "2022年4月1日より前に発覚した事故です。当時の個人情報保護委員会への報告は努力義務でした。表示の区分と期限は現行の規定によります。",
        ));
    }

    Reporting {
        pmark: PmarkReport { required: true, preliminary_due, preliminary_latest, final_due },
        appi: AppiReport {
            reportable,
            categories: applying,
            exemptions: if exempt { vec!["strong_encryption"] } else { Vec::new() },
            preliminary_due,
            preliminary_latest,
            final_due: reportable.then_some(final_due),
            notify_individuals: reportable,
            open_questions,
        },
        notes,
    }
}

#[cfg(test)]
#[path = "tracks_tests.rs"]
mod tests;
