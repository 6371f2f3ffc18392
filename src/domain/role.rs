//! Roles of a member in an organisation and what each may do.

use serde::{Deserialize, Serialize};

/// A member's role. Ordered from most to least powerful.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Manages the organisation and its members, and edits everything.
    Admin,
    /// Edits all compliance data.
    Officer,
    /// Reads everything, including the audit trail (an internal or external examiner).
    Auditor,
    /// Reads compliance data.
    Viewer,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Admin, Role::Officer, Role::Auditor, Role::Viewer];

    /// # Errors
    /// The translation key of the message for an unknown role.
    pub fn parse(value: &str) -> Result<Self, &'static str> {
        match value.trim() {
            "admin" => Ok(Role::Admin),
            "officer" => Ok(Role::Officer),
            "auditor" => Ok(Role::Auditor),
            "viewer" => Ok(Role::Viewer),
            _ => Err("error-role-unknown"),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Officer => "officer",
            Role::Auditor => "auditor",
            Role::Viewer => "viewer",
        }
    }

    /// Manage the organisation's settings and members.
    pub fn can_manage_organisation(self) -> bool {
        self == Role::Admin
    }

    /// Create and change compliance data.
    pub fn can_edit(self) -> bool {
        matches!(self, Role::Admin | Role::Officer)
    }

    /// Read the audit trail.
    pub fn can_read_audit_trail(self) -> bool {
        matches!(self, Role::Admin | Role::Auditor)
    }
}

crate::domain::term::term_of!(Role, "role");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_round_trips_through_its_name() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
        }
        assert!(Role::parse("owner").is_err());
    }

    #[test]
    fn only_admins_manage_and_only_admins_and_officers_edit() {
        let managers: Vec<_> = Role::ALL.into_iter().filter(|r| r.can_manage_organisation()).collect();
        let editors: Vec<_> = Role::ALL.into_iter().filter(|r| r.can_edit()).collect();
        let audit: Vec<_> = Role::ALL.into_iter().filter(|r| r.can_read_audit_trail()).collect();
        assert_eq!(managers, [Role::Admin]);
        assert_eq!(editors, [Role::Admin, Role::Officer]);
        assert_eq!(audit, [Role::Admin, Role::Auditor]);
    }
}
