//! Reading, checking and storing one upload (multipart: a file, or a link). Files are streamed to
//! a staging folder with a size limit while their SHA-256 is computed; a refused upload leaves
//! nothing behind. The same rules for every record type.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use chrono::NaiveDate;
use futures_util::StreamExt;
use sea_orm::TransactionTrait;
use serde::Deserialize;

use crate::domain::control::parse_optional_date;
use crate::domain::evidence::EvidenceKind;
use crate::domain::term::Term;
use crate::domain::{FieldErrors, UploadName};
use crate::store::evidence::{Content, NewEvidence, StoredFile, Subject};
use crate::store::files::{EvidenceFiles, StageError, StagedFile};
use crate::store::{self, audit::Actor};
use crate::web::error::{AppError, AppResult};
use crate::web::state::AppState;

const MAX_TEXT_FIELD_BYTES: usize = 10 * 1024;
const MAX_FIELDS: usize = 16;
const MAX_DESCRIPTION_CHARS: usize = 500;
const MAX_URL_CHARS: usize = 2000;

/// The evidence form's text fields, kept to show again after a refusal.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct EvidenceForm {
    /// `file` or `link`.
    pub kind: String,
    /// What the evidence shows.
    pub description: String,
    /// When the thing it proves was done (`YYYY-MM-DD`).
    pub effective_on: String,
    /// The link, when `kind` is `link`.
    pub url: String,
    /// The id of the evidence this one replaces, or empty.
    pub supersedes_id: String,
    /// What the evidence is for, where a page offers a choice (an incident's filings and
    /// timeline entries: `filing:<track>` or `timeline:<id>`).
    pub attach_to: String,
}

/// A parsed multipart upload: text fields, and the staged file if one was sent.
pub struct Upload {
    /// The text fields.
    pub form: EvidenceForm,
    /// The file's name, content type and staging result.
    pub file: Option<(String, String, Result<StagedFile, StageError>)>,
}

async fn read_text(field: &mut actix_multipart::Field) -> AppResult<String> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.next().await {
        let chunk = chunk.map_err(|_| AppError::BadRequest("the upload was interrupted"))?;
        if bytes.len() + chunk.len() > MAX_TEXT_FIELD_BYTES {
            return Err(AppError::BadRequest("a text field is too long"));
        }
        bytes.extend_from_slice(&chunk);
    }
    String::from_utf8(bytes).map_err(|_| AppError::BadRequest("a text field is not UTF-8"))
}

/// Reads the multipart body. The file is staged as it arrives, never held in memory.
///
/// # Errors
/// `BadRequest` for a malformed body.
pub async fn read_upload(files: &EvidenceFiles, mut payload: Multipart, limit: u64) -> AppResult<Upload> {
    let mut form = EvidenceForm::default();
    let mut file = None;
    let mut fields = 0;
    while let Some(field) = payload.next().await {
        let mut field = field.map_err(|_| AppError::BadRequest("malformed upload"))?;
        fields += 1;
        if fields > MAX_FIELDS {
            return Err(AppError::BadRequest("too many fields"));
        }
        let name = field.content_disposition().and_then(|d| d.get_name()).unwrap_or_default().to_owned();
        if name == "file" {
            let file_name = field.content_disposition().and_then(|d| d.get_filename()).unwrap_or_default().to_owned();
            let content_type = field
                .content_type()
                .map_or_else(|| "application/octet-stream".to_owned(), |m| m.essence_str().to_owned());
            if file_name.is_empty() {
                // No file chosen: browsers still send an empty part.
                while field.next().await.is_some() {}
                continue;
            }
            let staged = files.stage(&mut field, limit).await;
            if let Some((_, _, Ok(previous))) = file.replace((file_name, content_type, staged)) {
                files.discard(previous).await;
            }
            continue;
        }
        let value = read_text(&mut field).await?;
        match name.as_str() {
            "kind" => form.kind = value,
            "description" => form.description = value,
            "effective_on" => form.effective_on = value,
            "url" => form.url = value,
            "supersedes_id" => form.supersedes_id = value,
            "attach_to" => form.attach_to = value,
            _ => {}
        }
    }
    Ok(Upload { form, file })
}

/// What a valid upload becomes, before the file is committed.
pub struct Validated {
    /// What it attaches to.
    pub subject: Subject,
    /// The trimmed description.
    pub description: String,
    /// When the thing it proves was done.
    pub effective_on: NaiveDate,
    /// The evidence this one replaces (of the same subject).
    pub supersedes_id: Option<i32>,
    /// The file or the link.
    pub content: ValidatedContent,
}

/// A valid upload's content.
pub enum ValidatedContent {
    /// A staged file, deleted when dropped unless committed.
    File { name: UploadName, content_type: String, staged: StagedFile },
    /// A checked `http(s)` URL.
    Link(String),
}

/// A refused upload: the values as entered, the errors, and the status (413 for a file over the
/// limit, 422 otherwise).
#[derive(Debug, Clone)]
pub struct EvidenceRefusal {
    /// The text fields as submitted.
    pub form: EvidenceForm,
    /// Field errors as translation keys.
    pub errors: FieldErrors,
    /// The response status.
    pub status: StatusCode,
}

/// What an upload is checked against, besides its own fields.
pub struct Rules<'a> {
    /// The latest allowed effective date (today in Japan).
    pub today: NaiveDate,
    /// The evidence ids of the subject, which a new version may supersede.
    pub supersedable: &'a [i32],
    /// What the upload attaches to; `None` (a choice the page did not offer) puts `attach_to` in error.
    pub subject: Option<Subject>,
}

/// Checks an upload; on refusal, the staged file is deleted.
///
/// # Errors
/// The refusal with the entered values, when any field is invalid.
pub async fn validate(files: &EvidenceFiles, upload: Upload, rules: &Rules<'_>) -> Result<Validated, EvidenceRefusal> {
    let Upload { form, file } = upload;
    let today = rules.today;
    let allowed_supersedes = rules.supersedable;
    let mut errors = FieldErrors::new();
    if rules.subject.is_none() {
        errors.add("attach_to", "error-choice");
    }
    let mut status = StatusCode::UNPROCESSABLE_ENTITY;
    let description = form.description.trim().to_owned();
    if description.is_empty() {
        errors.add("description", "error-required");
    } else if description.chars().count() > MAX_DESCRIPTION_CHARS {
        errors.add("description", "error-too-long");
    } else if crate::domain::text::has_forbidden_characters(&description) {
        errors.add("description", "error-control-characters");
    }
    let effective_on = match parse_optional_date(&form.effective_on) {
        Ok(Some(date)) if date > today => {
            errors.add("effective_on", "error-date-in-future");
            None
        }
        Ok(Some(date)) => Some(date),
        Ok(None) => {
            errors.add("effective_on", "error-required");
            None
        }
        Err(key) => {
            errors.add("effective_on", key);
            None
        }
    };
    let supersedes_id = match form.supersedes_id.trim() {
        "" => None,
        text => match text.parse::<i32>() {
            Ok(id) if allowed_supersedes.contains(&id) => Some(id),
            _ => {
                errors.add("supersedes_id", "error-choice");
                None
            }
        },
    };
    let mut staged_file = None;
    let content = match EvidenceKind::parse(&form.kind) {
        Ok(EvidenceKind::Link) => {
            let url = form.url.trim();
            let valid = (url.starts_with("https://") || url.starts_with("http://"))
                && url.len() > "https://".len()
                && url.chars().count() <= MAX_URL_CHARS
                && !url.chars().any(|c| c.is_whitespace() || c.is_control());
            if !valid {
                errors.add("url", "error-url");
            }
            if let Some((_, _, Ok(staged))) = file {
                files.discard(staged).await;
            }
            valid.then(|| ValidatedContent::Link(url.to_owned()))
        }
        Ok(EvidenceKind::File) => match file {
            None => {
                errors.add("file", "error-file-required");
                None
            }
            Some((name, content_type, staged)) => match (UploadName::parse(&name), staged) {
                (Ok(name), Ok(staged)) => {
                    staged_file = Some((name, content_type, staged));
                    None
                }
                (Err(key), Ok(staged)) => {
                    files.discard(staged).await;
                    errors.add("file", key);
                    None
                }
                (_, Err(StageError::TooLarge(_))) => {
                    errors.add("file", "error-file-too-large");
                    status = StatusCode::PAYLOAD_TOO_LARGE;
                    None
                }
                (_, Err(StageError::Empty)) => {
                    errors.add("file", "error-file-empty");
                    None
                }
                (_, Err(e)) => {
                    tracing::warn!(error = %e, "evidence upload failed");
                    errors.add("file", "error-file-interrupted");
                    None
                }
            },
        },
        _ => {
            errors.add("kind", "error-choice");
            if let Some((_, _, Ok(staged))) = file {
                files.discard(staged).await;
            }
            None
        }
    };
    let content = match (content, staged_file) {
        (Some(content), _) => Some(content),
        (None, Some((name, content_type, staged))) if errors.is_empty() => {
            Some(ValidatedContent::File { name, content_type, staged })
        }
        (None, Some((_, _, staged))) => {
            files.discard(staged).await;
            None
        }
        (None, None) => None,
    };
    match (content, effective_on, rules.subject) {
        (Some(content), Some(effective_on), Some(subject)) if errors.is_empty() => {
            Ok(Validated { subject, description, effective_on, supersedes_id, content })
        }
        (content, _, _) => {
            if let Some(ValidatedContent::File { staged, .. }) = content {
                files.discard(staged).await;
            }
            Err(EvidenceRefusal { form, errors, status })
        }
    }
}

/// Stores a validated upload: the row and the content (`uploads.storage`), both or neither.
///
/// # Errors
/// When the database or the disk fails; nothing is left half-written.
pub async fn store(state: &AppState, actor: &Actor, organisation_id: i32, valid: Validated) -> AppResult<()> {
    let (content, file_to_commit) = match valid.content {
        ValidatedContent::Link(url) => (Content::Link(url), None),
        ValidatedContent::File { name, content_type, staged } => {
            let key = EvidenceFiles::new_key(organisation_id);
            let stored = StoredFile {
                file_name: name.as_str().to_owned(),
                content_type,
                size_bytes: i64::try_from(staged.size_bytes).unwrap_or(i64::MAX),
                sha256: staged.sha256.clone(),
                storage_key: key.clone(),
            };
            (Content::File(stored), Some((staged, key)))
        }
    };
    let new = NewEvidence {
        subject: valid.subject,
        description: valid.description,
        effective_on: valid.effective_on,
        supersedes_id: valid.supersedes_id,
        content,
    };
    // An early return drops the staged file, which deletes it.
    let txn = state.db.begin().await?;
    store::evidence::insert(&txn, actor, organisation_id, new).await?;
    let kept_key = match file_to_commit {
        Some((staged, key)) => {
            state.evidence.keep(&txn, staged, &key).await.map_err(|e| AppError::Internal(e.into()))?;
            Some(key)
        }
        None => None,
    };
    if let Err(e) = txn.commit().await {
        if let Some(key) = kept_key {
            state.evidence.forget(&key).await;
        }
        return Err(e.into());
    }
    Ok(())
}
