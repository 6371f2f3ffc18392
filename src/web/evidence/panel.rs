//! The evidence part of a page (`templates/evidence/panel.html`): the list and the upload form with
//! its file/link choice, the same on every page that has evidence.

use std::collections::HashMap;

use crate::domain::FieldErrors;
use crate::entities::evidence;
use crate::store::organisations::Member;
use crate::web::forms::FormState;

use super::{EvidenceForm, EvidenceRefusal, FORM_ID};

/// One listed piece of evidence.
pub struct EvidenceRow {
    /// The stored row.
    pub item: evidence::Model,
    /// What it proves, as an `attach_to` value, on pages that offer a choice (else empty).
    pub target: String,
}

impl From<evidence::Model> for EvidenceRow {
    fn from(item: evidence::Model) -> Self {
        Self { item, target: String::new() }
    }
}

/// Everything `evidence/panel.html` shows; a page template has it as its `evidence` field.
pub struct EvidencePanel {
    /// The organisation (download links).
    pub org_id: i32,
    /// The evidence, in the order to show.
    pub rows: Vec<EvidenceRow>,
    /// Whether the viewer may upload.
    pub can_edit: bool,
    /// Where the form posts (without the CSRF token and the fragment).
    pub action: String,
    /// The form's values, errors and id.
    pub form: FormState<EvidenceForm>,
    /// The largest upload in megabytes, for the hint.
    pub max_upload_mb: u64,
    /// `(attach_to value, label)` when the page offers a choice of what the evidence proves.
    pub targets: Option<Vec<(String, String)>>,
    /// The list's element id (`evidence-list`).
    pub list_id: &'static str,
    /// Whether the form sits in a closed `<details>` until it is refused (long pages).
    pub collapsed: bool,
    uploader_names: HashMap<i32, String>,
}

/// Member id → display name, for "uploaded by".
pub fn uploader_names(members: &[Member]) -> HashMap<i32, String> {
    members.iter().map(|m| (m.user.id, m.user.display_name.clone())).collect()
}

impl EvidencePanel {
    /// A panel with an empty form. `uploader_names` from [`uploader_names`].
    pub fn new(
        org_id: i32,
        action: String,
        rows: Vec<EvidenceRow>,
        uploader_names: HashMap<i32, String>,
        can_edit: bool,
        max_upload_mb: u64,
    ) -> Self {
        Self {
            org_id,
            rows,
            can_edit,
            action,
            form: FormState::new(FORM_ID, EvidenceForm::default()),
            max_upload_mb,
            targets: None,
            list_id: "evidence-list",
            collapsed: false,
            uploader_names,
        }
    }

    /// Offers a choice of what the evidence proves (`attach_to`); the form shows only when there
    /// is something to choose.
    #[must_use]
    pub fn with_targets(mut self, targets: Vec<(String, String)>) -> Self {
        self.targets = Some(targets);
        self
    }

    /// Shows the form as refused: the values entered and the errors.
    #[must_use]
    pub fn refused(mut self, refusal: Option<EvidenceRefusal>) -> Self {
        if let Some(refusal) = refusal {
            self.form = FormState::refused(FORM_ID, refusal.form, refusal.errors);
        }
        self
    }

    /// The name of whoever uploaded, or `#id` for a former member.
    pub fn uploader_name(&self, id: &i32) -> String {
        self.uploader_names.get(id).cloned().unwrap_or_else(|| format!("#{id}"))
    }

    /// The label of an `attach_to` value.
    pub fn target_label(&self, value: &str) -> String {
        self.targets.iter().flatten().find(|(v, _)| v == value).map(|(_, label)| label.clone()).unwrap_or_default()
    }

    /// Whether the upload form shows.
    pub fn shows_form(&self) -> bool {
        self.can_edit && self.targets.as_ref().is_none_or(|t| !t.is_empty())
    }

    /// The form's field errors.
    pub fn errors(&self) -> &FieldErrors {
        &self.form.errors
    }
}
