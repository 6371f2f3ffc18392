//! What the report says, already in the reader's language: every format prints these strings.

use chrono::NaiveDate;

use crate::domain::Lang;

/// Whether a section stands on its own (numbered 1, 2 …, starting a page when printed) or belongs
/// to the section before it (numbered 3.1, 3.2 …).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Top,
    Sub,
}

/// Declares the sections: the enum, their stable keys (CSV addresses, ASCII file names) and
/// `SECTIONS`, their print order.
macro_rules! sections {
    ($($variant:ident => $key:literal, $level:ident;)+) => {
        /// A section of the report.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum SectionKey {
            $($variant),+
        }

        /// The report's sections in the order every format prints them; each format numbers
        /// them from this list alone (`AuditReport::sections`).
        pub const SECTIONS: &[(SectionKey, Level)] = &[$((SectionKey::$variant, Level::$level)),+];

        impl SectionKey {
            /// The stable key: the CSV address and the ASCII file name.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(SectionKey::$variant => $key),+
                }
            }
        }
    };
}

// The one list of the report's sections. A new section is one line here; the compiler then
// points at `tables::table` (CSV, XLSX, PDF), and `tests/api/report.rs` at the HTML.
sections! {
    Certification => "certification", Top;
    PmsStructure => "pms_structure", Sub;
    Controls => "controls", Top;
    Records => "records", Top;
    Education => "education", Sub;
    Audits => "audits", Sub;
    Incidents => "incidents", Top;
    Filings => "incident_filings", Sub;
    Checks => "control_checks", Sub;
    Gaps => "gaps", Top;
}

impl SectionKey {
    /// The section with this stable key.
    pub fn parse(key: &str) -> Option<Self> {
        SECTIONS.iter().map(|(s, _)| *s).find(|s| s.as_str() == key)
    }

    /// The translation key of its title (`report-section-controls`).
    pub fn title_key(self) -> String {
        format!("report-section-{}", self.as_str())
    }
}

/// A section as printed: its number (`3.1`) and title in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectionHead {
    pub key: SectionKey,
    pub level: Level,
    pub number: String,
    pub title: String,
}

impl SectionHead {
    /// The heading every format prints: `3.1 教育実施サマリ`.
    pub fn heading(&self) -> String {
        format!("{} {}", self.number, self.title)
    }
}

/// Numbers `SECTIONS` (1, 2, 3, 3.1, 3.2, 4 …) with titles in `lang`.
pub fn section_heads(lang: Lang) -> Vec<SectionHead> {
    let (mut top, mut sub) = (0, 0);
    SECTIONS
        .iter()
        .map(|&(key, level)| {
            let number = match level {
                Level::Top => {
                    top += 1;
                    sub = 0;
                    top.to_string()
                }
                Level::Sub => {
                    sub += 1;
                    format!("{top}.{sub}")
                }
            };
            SectionHead { key, level, number, title: crate::i18n::t(lang, &key.title_key()) }
        })
        .collect()
}

/// The whole report.
#[derive(Debug, Clone)]
pub struct AuditReport {
    pub lang: Lang,
    /// How the organisation writes dates (西暦 or 和暦).
    pub dates: crate::domain::lang::DateStyle,
    /// Every section, numbered, in print order (from `SECTIONS`).
    pub sections: Vec<SectionHead>,
    pub organisation: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub generated_on: NaiveDate,
    pub certification: Option<CertificationSection>,
    pub controls: Vec<ControlRow>,
    pub records: Vec<RecordRow>,
    /// 教育実施サマリ: per PMS year.
    pub education: Vec<EducationRow>,
    /// 内部監査・マネジメントレビューのサマリ.
    pub audits: Vec<AuditRow>,
    pub incidents: Vec<IncidentRow>,
    pub gaps: Vec<Gap>,
    /// PMS体制: the posts recorded, in the settings form's order.
    pub pms_structure: Vec<PostLine>,
}

/// PMS体制: one post and who holds it.
#[derive(Debug, Clone)]
pub struct PostLine {
    pub post: String,
    pub holder: String,
}

/// The mark.
#[derive(Debug, Clone)]
pub struct CertificationSection {
    /// As printed on the certificate (第10823456(05)号, No. 10823456(05)).
    pub registration_number: String,
    pub examination_body: String,
    pub first_granted_on: NaiveDate,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
    pub status: String,
    pub window_opens: NaiveDate,
    pub window_closes: NaiveDate,
    /// Where today stands, in words.
    pub phase: String,
}

/// A row of the statement of applicability.
#[derive(Debug, Clone)]
pub struct ControlRow {
    pub id: String,
    pub guideline_ref: String,
    pub title: String,
    pub applicable: bool,
    pub justification: String,
    pub status: String,
    pub owner: String,
    pub internal_rule: String,
    pub evidence_count: usize,
    pub latest_evidence: Option<NaiveDate>,
    pub last_review: Option<NaiveDate>,
    pub next_review: Option<NaiveDate>,
}

/// One occurrence of a yearly duty in the period.
#[derive(Debug, Clone)]
pub struct RecordRow {
    pub duty: String,
    pub clause: String,
    pub pms_year: i32,
    pub due_on: NaiveDate,
    pub state: String,
    /// `overdue`, `done`, … (for styling and gaps).
    pub state_key: &'static str,
    pub performed_on: Option<NaiveDate>,
    pub performed_by: String,
    pub summary: String,
    pub evidence_count: usize,
}

#[derive(Debug, Clone)]
pub struct EducationRow {
    pub pms_year: i32,
    /// The training's name (empty for a yearly duty record that only has counts).
    pub title: String,
    pub performed_on: NaiveDate,
    pub people_in_scope: Option<i32>,
    pub people_trained: Option<i32>,
    /// Trained over in scope, in per cent.
    pub rate: Option<u32>,
    /// Per employment type, `正社員 118/120 · パート・アルバイト 30/32`, computed from attendances.
    pub breakdown: String,
    pub absentee_follow_up: String,
}

#[derive(Debug, Clone)]
pub struct AuditRow {
    /// Internal audit or management review.
    pub kind: String,
    pub pms_year: i32,
    pub performed_on: NaiveDate,
    pub performed_by: String,
    pub findings: Option<i32>,
    pub summary: String,
    pub decisions: String,
}

/// An incident of the period.
#[derive(Debug, Clone)]
pub struct IncidentRow {
    pub id: i32,
    pub title: String,
    pub discovered_on: NaiveDate,
    pub status: String,
    pub kinds: String,
    pub causes: String,
    /// `None` when not known yet.
    pub affected_people: Option<i64>,
    pub filings: Vec<FilingLine>,
    pub checks: Vec<CheckLine>,
    pub actions: Vec<ActionLine>,
}

#[derive(Debug, Clone)]
pub struct FilingLine {
    pub track: String,
    pub due_on: Option<NaiveDate>,
    pub submitted_on: Option<NaiveDate>,
    pub state: String,
    pub state_key: &'static str,
}

#[derive(Debug, Clone)]
pub struct CheckLine {
    pub control_id: String,
    /// Still to be decided (and still flagged).
    pub open: bool,
    pub priority: String,
    pub state: String,
    pub note: String,
}

#[derive(Debug, Clone)]
pub struct ActionLine {
    pub title: String,
    pub due_on: NaiveDate,
    pub status: String,
    pub completed_on: Option<NaiveDate>,
}

/// Something an examiner would ask about.
#[derive(Debug, Clone)]
pub struct Gap {
    /// What kind of gap, in words.
    pub kind: String,
    /// What it is about (a duty and its due date, a control, an incident's report…).
    pub subject: String,
    pub detail: String,
}

impl AuditReport {
    /// The head of `key` (`build` puts every section in `sections`).
    pub fn head(&self, key: SectionKey) -> SectionHead {
        self.sections.iter().find(|s| s.key == key).cloned().unwrap_or_else(|| SectionHead {
            key,
            level: Level::Top,
            number: String::new(),
            title: String::new(),
        })
    }
}

impl AuditReport {
    /// The reader's language and the organisation's date style.
    pub fn locale(&self) -> crate::i18n::Locale {
        crate::i18n::Locale::new(self.lang, self.dates)
    }
}
