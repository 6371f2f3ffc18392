//! The yearly duties every Privacy Mark holder has, each tied to its Annex A control, with the
//! month it usually falls due relative to the start of the PMS year.

use crate::domain::pms_year::{Frequency, Month};

/// A duty pmark sets up for every organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BuiltinDuty {
    /// Stable key, also the translation key suffix (`duty-register_review`).
    pub key: &'static str,
    /// The control the duty evidences.
    pub control_id: &'static str,
    pub frequency: Frequency,
    /// Months after the PMS year start (0 = first month) in which it falls due by default.
    pub default_offset_months: u32,
    /// What its record asks for beyond date, person and summary.
    pub record_kind: RecordKind,
}

/// The extra fields a duty's record carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RecordKind {
    Plain,
    /// People in scope, trained, follow-up of those absent.
    Training,
    /// Number of findings.
    InternalAudit,
    /// Decisions taken.
    ManagementReview,
}

impl RecordKind {
    pub const ALL: [RecordKind; 4] =
        [RecordKind::Plain, RecordKind::Training, RecordKind::InternalAudit, RecordKind::ManagementReview];

    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Plain => "plain",
            RecordKind::Training => "training",
            RecordKind::InternalAudit => "internal_audit",
            RecordKind::ManagementReview => "management_review",
        }
    }

    pub fn parse(text: &str) -> Self {
        match text {
            "training" => RecordKind::Training,
            "internal_audit" => RecordKind::InternalAudit,
            "management_review" => RecordKind::ManagementReview,
            _ => RecordKind::Plain,
        }
    }
}

crate::domain::term::term_of!(RecordKind, "record-kind");

/// The built-in duties (see the shared domain README, "Yearly duties"). The default months suit
/// the usual cycle: register and risk review early, training mid-year, audit, then review.
pub const BUILTIN_DUTIES: &[BuiltinDuty] = &[
    BuiltinDuty {
        key: "register_review",
        control_id: "A.3.3.1",
        frequency: Frequency::Yearly,
        default_offset_months: 1,
        record_kind: RecordKind::Plain,
    },
    BuiltinDuty {
        key: "risk_assessment",
        control_id: "A.3.3.3",
        frequency: Frequency::Yearly,
        default_offset_months: 2,
        record_kind: RecordKind::Plain,
    },
    BuiltinDuty {
        key: "legal_register_review",
        control_id: "A.3.3.2",
        frequency: Frequency::Yearly,
        default_offset_months: 2,
        record_kind: RecordKind::Plain,
    },
    BuiltinDuty {
        key: "training",
        control_id: "A.3.4.5",
        frequency: Frequency::Yearly,
        default_offset_months: 5,
        record_kind: RecordKind::Training,
    },
    BuiltinDuty {
        key: "operational_check",
        control_id: "A.3.7.1",
        frequency: Frequency::Monthly,
        default_offset_months: 0,
        record_kind: RecordKind::Plain,
    },
    BuiltinDuty {
        key: "contractor_evaluation",
        control_id: "A.3.4.3.4",
        frequency: Frequency::Yearly,
        default_offset_months: 4,
        record_kind: RecordKind::Plain,
    },
    BuiltinDuty {
        key: "internal_audit",
        control_id: "A.3.7.2",
        frequency: Frequency::Yearly,
        default_offset_months: 8,
        record_kind: RecordKind::InternalAudit,
    },
    BuiltinDuty {
        key: "management_review",
        control_id: "A.3.7.3",
        frequency: Frequency::Yearly,
        default_offset_months: 10,
        record_kind: RecordKind::ManagementReview,
    },
];

impl BuiltinDuty {
    /// The calendar month it falls due for an organisation whose PMS year starts in `start`.
    pub fn default_due_month(&self, start: Month) -> Month {
        start.plus(self.default_offset_months)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::catalog::Catalogs;

    #[test]
    fn every_builtin_duty_points_at_a_control_of_the_current_catalog() {
        let catalogs = Catalogs::builtin().unwrap();
        for duty in BUILTIN_DUTIES {
            let entry = catalogs.current().get(duty.control_id).unwrap_or_else(|| panic!("{}", duty.key));
            assert!(entry.is_control(), "{}", duty.key);
        }
    }

    #[test]
    fn with_an_april_start_the_management_review_falls_in_february() {
        let april = Month::new(4).unwrap();
        let review = BUILTIN_DUTIES.iter().find(|d| d.key == "management_review").unwrap();
        assert_eq!(review.default_due_month(april).get(), 2);
        let audit = BUILTIN_DUTIES.iter().find(|d| d.key == "internal_audit").unwrap();
        assert_eq!(audit.default_due_month(april).get(), 12);
    }
}
