//! Every field the audit trail records, per kind of record, with what its values are: the one
//! list that `audit::record` checks entries against, that the history pages read to show values
//! as the UI shows them, and that the label test iterates.

/// What a recorded value is, so that it can be shown the way the pages show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValueKind {
    /// Free text, shown as entered.
    Text,
    /// A day, `YYYY-MM-DD`.
    Date,
    /// Yes or no.
    Flag,
    /// A number of things (people, bytes), shown with separators.
    Count,
    /// A plain number (a year, a slot, a record number), shown as is.
    Number,
    /// A month of the year, 1 to 12.
    Month,
    /// A user id.
    User,
    /// A control's clause id (`A.3.7.2`).
    Clause,
    /// A list of clause ids.
    Clauses,
    /// An incident id.
    Incident,
    /// A corrective action id.
    CorrectiveAction,
    /// A duty id.
    Duty,
    /// A department id.
    Department,
    /// A person id.
    Person,
    /// A list of department ids (stored as a JSON array).
    Departments,
    /// A list of values of one closed set (stored as a JSON array of names): the label prefix.
    Choices(&'static str),
    /// An incident's facts (a JSON object).
    Facts,
    /// The filing deadlines a recomputation changed (`track: before -> after` lines).
    FilingChanges,
    /// A value that is not stored (a password): only the fact that it changed.
    Secret,
    /// One value of a closed set (`domain::term::Term`): the prefix of its label keys.
    Choice(&'static str),
}

/// The kind of a value of the closed set `T`, labelled like the pages label it.
const fn choice<T: Term>() -> ValueKind {
    Choice(T::LABEL_PREFIX)
}

use crate::domain::Lang;
use crate::domain::Role;
use crate::domain::certification::{CertificationStatus, ExaminationBody};
use crate::domain::control::ControlStatus;
use crate::domain::corrective_action::ActionStatus;
use crate::domain::incident::filings::Track;
use crate::domain::incident::{CheckState, IncidentStatus, TimelineKind};
use crate::domain::lang::DateStyle;
use crate::domain::outbox::OutboxState;
use crate::domain::people::{EmploymentType, PmsRole};
use crate::domain::pms_year::Frequency;
use crate::domain::term::Term;
use crate::domain::training::Topic;
use ValueKind::*;

/// The label group of the fields evidence entries record, whatever record the evidence is for.
pub const EVIDENCE: &str = "evidence";

/// `(label group, field, kind)`: the label group is the entry's entity, or `EVIDENCE` for
/// `add_evidence` entries. Field labels are `history-field-<group>-<field>`.
pub const FIELDS: &[(&str, &str, ValueKind)] = &[
    ("certification", "registration_number", Text),
    ("certification", "examination_body", choice::<ExaminationBody>()),
    ("certification", "examination_body_other", Text),
    ("certification", "first_granted_on", Date),
    ("certification", "valid_from", Date),
    ("certification", "valid_until", Date),
    ("certification", "status", choice::<CertificationStatus>()),
    ("certification", "applied_on", Date),
    ("certification", "notes", Text),
    ("certification", "previous_cycle", Number),
    ("certification", "renewal_decided_on", Date),
    ("control", "applicable", Flag),
    ("control", "not_applicable_reason", Text),
    ("control", "status", choice::<ControlStatus>()),
    ("control", "owner_user_id", User),
    ("control", "internal_rule", Text),
    ("control", "notes", Text),
    ("control", "last_reviewed_on", Date),
    ("control", "next_review_due", Date),
    ("corrective_action", "title", Text),
    ("corrective_action", "description", Text),
    ("corrective_action", "owner", User),
    ("corrective_action", "due_on", Date),
    ("corrective_action", "incident_id", Incident),
    ("corrective_action", "control_ids", Clauses),
    ("corrective_action", "status", choice::<ActionStatus>()),
    ("corrective_action", "completed_on", Date),
    ("corrective_action", "completion_note", Text),
    ("corrective_action", "completed_by", User),
    ("duty", "name", Text),
    ("duty", "control_id", Clause),
    ("duty", "frequency", choice::<Frequency>()),
    ("duty", "due_month", Month),
    ("duty", "enabled", Flag),
    ("duty_record", "duty_id", Duty),
    ("duty_record", "pms_year", Number),
    ("duty_record", "slot", Number),
    ("duty_record", "performed_on", Date),
    ("duty_record", "performed_by", Text),
    ("duty_record", "summary", Text),
    ("duty_record", "people_in_scope", Count),
    ("duty_record", "people_trained", Count),
    ("duty_record", "absentee_follow_up", Text),
    ("duty_record", "findings_count", Count),
    ("duty_record", "decisions", Text),
    ("incident", "title", Text),
    ("incident", "discovered_on", Date),
    ("incident", "description", Text),
    ("incident", "cause_narrative", Text),
    ("incident", "contractor", Text),
    ("incident", "facts", Facts),
    ("incident", "status", choice::<IncidentStatus>()),
    ("incident", "filings", FilingChanges),
    ("incident", "new_checks", Clauses),
    ("incident", "unflagged_checks", Clauses),
    ("incident", "track", choice::<Track>()),
    ("incident", "submitted_on", Date),
    ("incident", "reference", Text),
    ("incident", "control_id", Clause),
    ("incident", "state", choice::<CheckState>()),
    ("incident", "decision_note", Text),
    ("incident", "corrective_action_id", CorrectiveAction),
    ("incident", "occurred_on", Date),
    ("incident", "kind", choice::<TimelineKind>()),
    ("incident", "note", Text),
    ("invitation", "email", Text),
    ("invitation", "role", choice::<Role>()),
    ("invitation", "accepted_by", User),
    ("mail", "recipient", Text),
    ("membership", "user_id", User),
    ("membership", "role", choice::<Role>()),
    ("membership", "reminders_opt_out", Flag),
    ("organisation", "name", Text),
    ("organisation", "pms_year_start_month", Month),
    ("organisation", "date_style", choice::<DateStyle>()),
    ("outbox", "state", choice::<OutboxState>()),
    ("pms_structure", "representative_user_id", User),
    ("pms_structure", "representative_name", Text),
    ("pms_structure", "pi_manager_user_id", User),
    ("pms_structure", "pi_manager_name", Text),
    ("pms_structure", "pi_manager_deputy_user_id", User),
    ("pms_structure", "pi_manager_deputy_name", Text),
    ("pms_structure", "audit_lead_user_id", User),
    ("pms_structure", "audit_lead_name", Text),
    ("pms_structure", "audit_lead_deputy_user_id", User),
    ("pms_structure", "audit_lead_deputy_name", Text),
    ("reminder_recipient", "email", Text),
    ("reminder_recipient", "lang", choice::<Lang>()),
    ("user", "email", Text),
    ("user", "display_name", Text),
    ("user", "locale", choice::<Lang>()),
    ("user", "password", Secret),
    (EVIDENCE, "description", Text),
    (EVIDENCE, "effective_on", Date),
    ("department", "name", Text),
    ("person", "employee_number", Text),
    ("person", "name", Text),
    ("person", "kana", Text),
    ("person", "department_id", Department),
    ("person", "employment", choice::<EmploymentType>()),
    ("person", "employment_label", Text),
    ("person", "joined_on", Date),
    ("person", "left_on", Date),
    ("person", "email", Text),
    ("person", "roles", Choices(PmsRole::LABEL_PREFIX)),
    ("training", "pms_year", Number),
    ("training", "title", Text),
    ("training", "topics", Choices(Topic::LABEL_PREFIX)),
    ("training", "method", Text),
    ("training", "audience_departments", Departments),
    ("training", "audience_employments", Choices(EmploymentType::LABEL_PREFIX)),
    ("training", "starts_on", Date),
    ("training", "ends_on", Date),
    ("training", "pass_mark", Number),
    ("training", "notes", Text),
    ("training", "person_id", Person),
    ("training", "attended_on", Date),
    ("training", "score", Number),
    ("training", "note", Text),
    ("training", "notices", Count),
    ("training", "unreachable", Count),
    (EVIDENCE, "file_name", Text),
    (EVIDENCE, "sha256", Text),
    (EVIDENCE, "size_bytes", Count),
    (EVIDENCE, "url", Text),
    (EVIDENCE, "evidence_id", Number),
    (EVIDENCE, "supersedes_id", Number),
];

/// The label group of an entry's fields.
pub fn group<'a>(entity: &'a str, action: &str) -> &'a str {
    if action == "add_evidence" { EVIDENCE } else { entity }
}

/// What the field `field` of an entry holds; `None` for a field this list does not know (an
/// entry recorded by an older version).
pub fn kind(entity: &str, action: &str, field: &str) -> Option<ValueKind> {
    let group = group(entity, action);
    FIELDS.iter().find(|(g, f, _)| *g == group && *f == field).map(|(_, _, kind)| *kind)
}

/// Where the field comes in `FIELDS` (the order histories list fields in); unknown fields last.
pub fn position(entity: &str, action: &str, field: &str) -> usize {
    let group = group(entity, action);
    FIELDS.iter().position(|(g, f, _)| *g == group && *f == field).unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_field_is_listed_twice() {
        for (i, (group, field, _)) in FIELDS.iter().enumerate() {
            assert!(!FIELDS[i + 1..].iter().any(|(g, f, _)| g == group && f == field), "{group}.{field}");
        }
    }

    #[test]
    fn evidence_fields_share_one_group_whatever_the_record() {
        assert_eq!(kind("control", "add_evidence", "size_bytes"), Some(Count));
        assert_eq!(kind("control", "update", "status"), Some(choice::<ControlStatus>()));
        assert_eq!(kind("control", "update", "size_bytes"), None);
    }
}
