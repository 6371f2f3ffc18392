//! The PMS 体制 form of the organisation settings (saved by `POST /orgs/{org}/pms-structure`,
//! `web::organisations`): who holds each post, a member chosen from a list or a name typed for
//! someone outside the tool.

use serde::Deserialize;

use crate::domain::FieldErrors;
use crate::domain::pms_structure::{Holder, NAME_MAX_CHARS, PmsStructure, Post};
use crate::domain::term::Term;
use crate::entities::pms_structure;
use crate::store;
use crate::store::organisations::Member;

/// The form's element id.
pub const FORM_ID: &str = "pms-structure";

/// Each post as a member (`<post>_member`, a user id or empty) or a typed name (`<post>_name`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct StructureForm {
    pub representative_member: String,
    pub representative_name: String,
    pub pi_manager_member: String,
    pub pi_manager_name: String,
    pub pi_manager_deputy_member: String,
    pub pi_manager_deputy_name: String,
    pub audit_lead_member: String,
    pub audit_lead_name: String,
    pub audit_lead_deputy_member: String,
    pub audit_lead_deputy_name: String,
    /// The version the form was loaded at (0: never saved).
    pub lock_version: String,
}

/// The names of a post's two inputs.
pub fn field_names(post: Post) -> (&'static str, &'static str) {
    match post {
        Post::Representative => ("representative_member", "representative_name"),
        Post::PiManager => ("pi_manager_member", "pi_manager_name"),
        Post::PiManagerDeputy => ("pi_manager_deputy_member", "pi_manager_deputy_name"),
        Post::AuditLead => ("audit_lead_member", "audit_lead_name"),
        Post::AuditLeadDeputy => ("audit_lead_deputy_member", "audit_lead_deputy_name"),
    }
}

impl StructureForm {
    /// The values of a post's two inputs: the member chosen, the name typed.
    pub fn values(&self, post: Post) -> (&str, &str) {
        match post {
            Post::Representative => (&self.representative_member, &self.representative_name),
            Post::PiManager => (&self.pi_manager_member, &self.pi_manager_name),
            Post::PiManagerDeputy => (&self.pi_manager_deputy_member, &self.pi_manager_deputy_name),
            Post::AuditLead => (&self.audit_lead_member, &self.audit_lead_name),
            Post::AuditLeadDeputy => (&self.audit_lead_deputy_member, &self.audit_lead_deputy_name),
        }
    }

    fn set(&mut self, post: Post, member: String, name: String) {
        let (m, n) = match post {
            Post::Representative => (&mut self.representative_member, &mut self.representative_name),
            Post::PiManager => (&mut self.pi_manager_member, &mut self.pi_manager_name),
            Post::PiManagerDeputy => (&mut self.pi_manager_deputy_member, &mut self.pi_manager_deputy_name),
            Post::AuditLead => (&mut self.audit_lead_member, &mut self.audit_lead_name),
            Post::AuditLeadDeputy => (&mut self.audit_lead_deputy_member, &mut self.audit_lead_deputy_name),
        };
        (*m, *n) = (member, name);
    }

    /// The form filled from the stored 体制 (empty before its first save).
    pub fn from_stored(stored: Option<&pms_structure::Model>) -> Self {
        let mut form = Self { lock_version: stored.map_or(0, |s| s.lock_version).to_string(), ..Self::default() };
        if let Some(row) = stored {
            let structure = store::pms_structure::structure_of(row);
            for post in Post::ALL {
                let (member, name) = match structure.holder(*post) {
                    Some(Holder::Member(id)) => (id.to_string(), String::new()),
                    Some(Holder::Named(name)) => (String::new(), name.clone()),
                    None => (String::new(), String::new()),
                };
                form.set(*post, member, name);
            }
        }
        form
    }

    /// The 体制 entered, and the version it was loaded at.
    ///
    /// # Errors
    /// The field errors: a member who is not one, both a member and a name for one post, a name
    /// too long, an audit lead who is the PI protection manager.
    pub fn parse(&self, members: &[Member]) -> Result<(PmsStructure, i32), FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut structure = PmsStructure::default();
        for post in Post::ALL {
            let (member_field, name_field) = field_names(*post);
            let (member, name) = self.values(*post);
            let member = member.trim();
            let name = errors.take(name_field, crate::domain::text::free_text(name, NAME_MAX_CHARS, false));
            let holder = match (member, name) {
                (_, None) => continue,
                ("", Some(name)) if name.is_empty() => None,
                ("", Some(name)) => Some(Holder::Named(name)),
                (member, Some(name)) => {
                    let id = member.parse::<i32>().ok().filter(|id| members.iter().any(|m| m.user.id == *id));
                    match id {
                        None => {
                            errors.add(member_field, "error-pms-not-a-member");
                            continue;
                        }
                        Some(_) if !name.is_empty() => {
                            errors.add(member_field, "error-pms-member-or-name");
                            continue;
                        }
                        Some(id) => Some(Holder::Member(id)),
                    }
                }
            };
            match post {
                Post::Representative => structure.representative = holder,
                Post::PiManager => structure.pi_manager = holder,
                Post::PiManagerDeputy => structure.pi_manager_deputy = holder,
                Post::AuditLead => structure.audit_lead = holder,
                Post::AuditLeadDeputy => structure.audit_lead_deputy = holder,
            }
        }
        let name_of = |id: i32| members.iter().find(|m| m.user.id == id).map(|m| m.user.display_name.clone());
        if let Err(key) = structure.check_independence(name_of) {
            let (member_field, name_field) = field_names(Post::AuditLead);
            let field = if matches!(structure.audit_lead, Some(Holder::Member(_))) { member_field } else { name_field };
            errors.add(field, key);
        }
        let version = self.lock_version.trim().parse::<i32>();
        if version.is_err() {
            errors.add("lock_version", "error-stale-form");
        }
        match version {
            Ok(version) if errors.is_empty() => Ok((structure, version)),
            _ => Err(errors),
        }
    }
}
