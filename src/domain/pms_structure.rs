//! The PMS 体制: the posts JIS Q 15001 asks an organisation to fill (代表者, 個人情報保護管理者,
//! 個人情報保護監査責任者) and their deputies, each held by a member of the organisation or by
//! someone outside the tool, named. The audit lead must be independent of the manager
//! (JIS Q 15001:2017 A.3.7.2: the audit lead is appointed apart from the PI protection manager).

use crate::domain::term::{Term, term};

term! {
    /// A post of the PMS 体制, in the order the settings form and the report list them.
    Post, "pms-post" {
        /// 代表者 (トップマネジメント).
        Representative => "representative",
        /// 個人情報保護管理者.
        PiManager => "pi_manager",
        /// 個人情報保護管理者の代理.
        PiManagerDeputy => "pi_manager_deputy",
        /// 個人情報保護監査責任者.
        AuditLead => "audit_lead",
        /// 個人情報保護監査責任者の代理.
        AuditLeadDeputy => "audit_lead_deputy",
    }
}

/// Who holds a post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Holder {
    /// A member of the organisation (a user id).
    Member(i32),
    /// Someone outside the tool, by name.
    Named(String),
}

/// The longest name typed for a post.
pub const NAME_MAX_CHARS: usize = 100;

/// Who holds each post (`None`: not recorded).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PmsStructure {
    pub representative: Option<Holder>,
    pub pi_manager: Option<Holder>,
    pub pi_manager_deputy: Option<Holder>,
    pub audit_lead: Option<Holder>,
    pub audit_lead_deputy: Option<Holder>,
}

impl PmsStructure {
    /// The holder of `post`.
    pub fn holder(&self, post: Post) -> Option<&Holder> {
        match post {
            Post::Representative => self.representative.as_ref(),
            Post::PiManager => self.pi_manager.as_ref(),
            Post::PiManagerDeputy => self.pi_manager_deputy.as_ref(),
            Post::AuditLead => self.audit_lead.as_ref(),
            Post::AuditLeadDeputy => self.audit_lead_deputy.as_ref(),
        }
    }

    /// Whether no post is recorded.
    pub fn is_empty(&self) -> bool {
        Post::ALL.iter().all(|p| self.holder(*p).is_none())
    }

    /// Refuses an audit lead who is the PI protection manager: the same member, the same typed
    /// name, or a typed name that is the member's name (`member_name` gives a member's name).
    ///
    /// # Errors
    /// `error-pms-audit-lead-independent`, for the audit lead's field.
    pub fn check_independence(&self, member_name: impl Fn(i32) -> Option<String>) -> Result<(), &'static str> {
        match (&self.audit_lead, &self.pi_manager) {
            (Some(lead), Some(manager)) if same_person(lead, manager, &member_name) => {
                Err("error-pms-audit-lead-independent")
            }
            _ => Ok(()),
        }
    }
}

/// A name compared the way people type it: spaces (half- and full-width) ignored.
fn comparable(name: &str) -> String {
    name.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Whether two holders are the same person.
fn same_person(a: &Holder, b: &Holder, member_name: impl Fn(i32) -> Option<String>) -> bool {
    let name_of = |h: &Holder| match h {
        Holder::Member(id) => member_name(*id).map(|n| comparable(&n)),
        Holder::Named(name) => Some(comparable(name)),
    };
    match (a, b) {
        (Holder::Member(x), Holder::Member(y)) => x == y,
        _ => name_of(a).is_some_and(|n| !n.is_empty() && Some(n) == name_of(b)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(id: i32) -> Option<String> {
        (id == 7).then(|| "山田 太郎".to_owned())
    }

    fn with(lead: Holder, manager: Holder) -> PmsStructure {
        PmsStructure { audit_lead: Some(lead), pi_manager: Some(manager), ..PmsStructure::default() }
    }

    #[test]
    fn the_audit_lead_may_not_be_the_manager_by_account_or_by_name() {
        let refused = Err("error-pms-audit-lead-independent");
        assert_eq!(with(Holder::Member(7), Holder::Member(7)).check_independence(names), refused);
        assert_eq!(with(Holder::Named("山田　太郎".into()), Holder::Member(7)).check_independence(names), refused);
        assert_eq!(with(Holder::Member(7), Holder::Named("山田太郎".into())).check_independence(names), refused);
        assert_eq!(
            with(Holder::Named("佐藤 花子".into()), Holder::Named("佐藤花子".into())).check_independence(names),
            refused
        );
    }

    #[test]
    fn different_people_or_an_unfilled_post_pass() {
        assert_eq!(with(Holder::Member(7), Holder::Member(8)).check_independence(names), Ok(()));
        assert_eq!(with(Holder::Named("佐藤 花子".into()), Holder::Member(7)).check_independence(names), Ok(()));
        // A member whose name is unknown is not taken for a typed name.
        assert_eq!(with(Holder::Member(9), Holder::Named(String::new())).check_independence(names), Ok(()));
        let lead_only = PmsStructure { audit_lead: Some(Holder::Member(7)), ..PmsStructure::default() };
        assert_eq!(lead_only.check_independence(names), Ok(()));
        assert!(PmsStructure::default().is_empty());
    }
}
