//! What the report says, already in the reader's language: every format prints these strings.

use chrono::NaiveDate;

use crate::domain::Lang;

/// The whole report.
#[derive(Debug, Clone)]
pub struct AuditReport {
    pub lang: Lang,
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

/// 1. The mark.
#[derive(Debug, Clone)]
pub struct CertificationSection {
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

/// 2. A row of the statement of applicability.
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

/// 3. One occurrence of a yearly duty in the period.
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

/// 4. An incident of the period.
#[derive(Debug, Clone)]
pub struct IncidentRow {
    pub id: i32,
    pub title: String,
    pub discovered_on: NaiveDate,
    pub status: String,
    pub kinds: String,
    pub causes: String,
    pub affected_people: String,
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

/// 5. Something an examiner would ask about.
#[derive(Debug, Clone)]
pub struct Gap {
    /// What kind of gap, in words.
    pub kind: String,
    /// What it is about (a duty and its due date, a control, an incident's report…).
    pub subject: String,
    pub detail: String,
}
