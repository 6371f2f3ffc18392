//! The control edit form: strings in, `ControlChanges` out, or field errors.

use serde::Deserialize;

use crate::domain::FieldErrors;
use crate::domain::control::{ControlStatus, default_next_review, parse_optional_date};
use crate::domain::text::free_text;
use crate::entities::organisation_control;
use crate::store::controls::ControlChanges;

const MAX_RULE_CHARS: usize = 500;
const MAX_TEXT_CHARS: usize = 5000;

/// The form's fields as submitted (and as shown again on an error).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ControlForm {
    /// `yes` or `no`.
    pub applicable: String,
    pub not_applicable_reason: String,
    pub status: String,
    /// A member's user id, or empty.
    pub owner: String,
    pub internal_rule: String,
    pub notes: String,
    pub last_reviewed_on: String,
    pub next_review_due: String,
    /// The version the form was loaded at.
    pub lock_version: String,
}

impl ControlForm {
    /// The form filled from a stored control.
    pub fn from_model(model: &organisation_control::Model) -> Self {
        Self {
            applicable: if model.applicable { "yes" } else { "no" }.to_owned(),
            not_applicable_reason: model.not_applicable_reason.clone().unwrap_or_default(),
            status: model.status.as_str().to_owned(),
            owner: model.owner_user_id.map(|id| id.to_string()).unwrap_or_default(),
            internal_rule: model.internal_rule.clone(),
            notes: model.notes.clone(),
            last_reviewed_on: model.last_reviewed_on.map(|d| d.to_string()).unwrap_or_default(),
            next_review_due: model.next_review_due.map(|d| d.to_string()).unwrap_or_default(),
            lock_version: model.lock_version.to_string(),
        }
    }

    /// Validates the form; `member_ids` are the users who may own a control.
    ///
    /// # Errors
    /// The field errors, when any field is invalid.
    pub fn parse(&self, member_ids: &[i32]) -> Result<(ControlChanges, i32), FieldErrors> {
        let mut errors = FieldErrors::new();
        let applicable = match self.applicable.as_str() {
            "yes" => Some(true),
            "no" => Some(false),
            _ => {
                errors.add("applicable", "error-choice");
                None
            }
        };
        let reason = self.not_applicable_reason.trim();
        if applicable == Some(false) && reason.is_empty() {
            errors.add("not_applicable_reason", "error-justification-required");
        }
        if let Err(key) = free_text(reason, MAX_TEXT_CHARS, false) {
            errors.add("not_applicable_reason", key);
        }
        let status = errors.take("status", ControlStatus::parse(&self.status));
        let owner = match self.owner.trim() {
            "" => Some(None),
            text => match text.parse::<i32>() {
                Ok(id) if member_ids.contains(&id) => Some(Some(id)),
                _ => {
                    errors.add("owner", "error-owner-not-member");
                    None
                }
            },
        };
        if let Err(key) = free_text(&self.internal_rule, MAX_RULE_CHARS, false) {
            errors.add("internal_rule", key);
        }
        if let Err(key) = free_text(&self.notes, MAX_TEXT_CHARS, false) {
            errors.add("notes", key);
        }
        let last = errors.take("last_reviewed_on", parse_optional_date(&self.last_reviewed_on)).flatten();
        let next = errors.take("next_review_due", parse_optional_date(&self.next_review_due)).flatten();
        if let (Some(last), Some(next)) = (last, next)
            && next < last
        {
            errors.add("next_review_due", "error-next-review-before-last");
        }
        let lock_version = self.lock_version.trim().parse::<i32>().ok();
        if lock_version.is_none() {
            errors.add("lock_version", "error-stale-form");
        }
        match (applicable, status, owner, lock_version) {
            (Some(applicable), Some(status), Some(owner_user_id), Some(version)) if errors.is_empty() => Ok((
                ControlChanges {
                    applicable,
                    not_applicable_reason: Some(reason.to_owned()).filter(|r| !applicable && !r.is_empty()),
                    status,
                    owner_user_id,
                    internal_rule: self.internal_rule.trim().to_owned(),
                    notes: self.notes.trim_end().to_owned(),
                    last_reviewed_on: last,
                    next_review_due: next.or_else(|| last.map(default_next_review)),
                },
                version,
            )),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> ControlForm {
        ControlForm {
            applicable: "yes".into(),
            status: "implemented".into(),
            owner: "3".into(),
            internal_rule: "個人情報保護規程 第12条".into(),
            last_reviewed_on: "2026-05-15".into(),
            lock_version: "4".into(),
            ..ControlForm::default()
        }
    }

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    #[test]
    fn a_valid_form_gives_changes_with_the_default_next_review() -> TestResult {
        let (changes, version) = valid().parse(&[3]).map_err(|e| format!("{e:?}"))?;
        assert_eq!(version, 4);
        assert_eq!(changes.owner_user_id, Some(3));
        assert_eq!(changes.next_review_due.map(|d| d.to_string()).as_deref(), Some("2027-05-15"));
        assert_eq!(changes.not_applicable_reason, None);
        Ok(())
    }

    #[test]
    fn not_applicable_needs_a_justification() -> TestResult {
        let form = ControlForm { applicable: "no".into(), ..valid() };
        assert_eq!(form.parse(&[3]).unwrap_err().get("not_applicable_reason"), Some("error-justification-required"));
        let justified = ControlForm { not_applicable_reason: "委託は行っていない".into(), ..form };
        let (changes, _) = justified.parse(&[3]).map_err(|e| format!("{e:?}"))?;
        assert_eq!(changes.not_applicable_reason.as_deref(), Some("委託は行っていない"));
        Ok(())
    }

    #[test]
    fn bad_fields_are_each_named() {
        let form = ControlForm {
            status: "done".into(),
            owner: "99".into(),
            last_reviewed_on: "2026-13-01".into(),
            lock_version: "x".into(),
            ..valid()
        };
        let errors = form.parse(&[3]).unwrap_err();
        for field in ["status", "owner", "last_reviewed_on", "lock_version"] {
            assert!(errors.get(field).is_some(), "{field}");
        }
        let backwards = ControlForm { next_review_due: "2026-01-01".into(), ..valid() };
        assert_eq!(backwards.parse(&[3]).unwrap_err().get("next_review_due"), Some("error-next-review-before-last"));
    }
}
