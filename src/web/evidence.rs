//! Evidence uploads (multipart: a file, or a link) and downloads. Files are streamed to a staging
//! folder with a size limit while their SHA-256 is computed; a refused upload leaves nothing behind.
//! Downloads are served only to members, always as attachments with the stored content type.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, web};
use chrono::NaiveDate;
use futures_util::StreamExt;
use sea_orm::TransactionTrait;
use serde::Deserialize;

use crate::domain::control::parse_optional_date;
use crate::domain::{FieldErrors, UploadName};
use crate::store::evidence::{Content, NewEvidence, StoredFile, Subject};
use crate::store::files::{EvidenceFiles, StageError, StagedFile};
use crate::store::{self, audit::Actor};
use crate::web::error::{AppError, AppResult};
use crate::web::state::AppState;
use crate::web::viewer::Viewer;

const MAX_TEXT_FIELD_BYTES: usize = 10 * 1024;
const MAX_FIELDS: usize = 16;
const MAX_DESCRIPTION_CHARS: usize = 500;
const MAX_URL_CHARS: usize = 2000;

/// The evidence form's text fields, kept to show again after a refusal.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct EvidenceForm {
    /// `file` or `link`.
    pub kind: String,
    pub description: String,
    pub effective_on: String,
    pub url: String,
    pub supersedes_id: String,
    /// What the evidence is for, where a page offers a choice (an incident's reports and
    /// timeline entries: `report:<track>` or `timeline:<id>`).
    pub attach_to: String,
}

/// A parsed multipart upload: text fields, and the staged file if one was sent.
pub struct Upload {
    pub form: EvidenceForm,
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
    pub description: String,
    pub effective_on: NaiveDate,
    pub supersedes_id: Option<i32>,
    pub content: ValidatedContent,
}

pub enum ValidatedContent {
    File { name: UploadName, content_type: String, staged: StagedFile },
    Link(String),
}

/// Checks an upload; on refusal, the staged file is deleted and the status says why (413 for a
/// file over the limit, 422 otherwise).
pub async fn validate(
    files: &EvidenceFiles,
    upload: Upload,
    today: NaiveDate,
    allowed_supersedes: &[i32],
) -> Result<Validated, (EvidenceForm, FieldErrors, StatusCode)> {
    let Upload { form, file } = upload;
    let mut errors = FieldErrors::new();
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
    let content = match form.kind.as_str() {
        "link" => {
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
        "file" => match file {
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
    match (content, effective_on) {
        (Some(content), Some(effective_on)) if errors.is_empty() => {
            Ok(Validated { description, effective_on, supersedes_id, content })
        }
        (content, _) => {
            if let Some(ValidatedContent::File { staged, .. }) = content {
                files.discard(staged).await;
            }
            Err((form, errors, status))
        }
    }
}

/// Stores a validated upload: the row and the file, both or neither.
///
/// # Errors
/// When the database or the disk fails; nothing is left half-written.
pub async fn store(
    state: &AppState,
    actor: &Actor,
    organisation_id: i32,
    subject: Subject,
    valid: Validated,
) -> AppResult<()> {
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
        subject,
        description: valid.description,
        effective_on: valid.effective_on,
        supersedes_id: valid.supersedes_id,
        content,
    };
    // An early return drops the staged file, which deletes it.
    let txn = state.db.begin().await?;
    store::evidence::insert(&txn, actor, organisation_id, new).await?;
    let committed_key = match file_to_commit {
        Some((staged, key)) => {
            state.evidence_files.commit(staged, &key).await.map_err(|e| AppError::Internal(e.into()))?;
            Some(key)
        }
        None => None,
    };
    if let Err(e) = txn.commit().await {
        if let Some(key) = committed_key {
            state.evidence_files.remove(&key).await;
        }
        return Err(e.into());
    }
    Ok(())
}

#[derive(Debug, Deserialize)]
pub struct EvidencePath {
    pub org: i32,
    pub evidence: i32,
}

/// `Content-Disposition: attachment` with the original name (RFC 6266 / 5987) and an ASCII fallback.
fn attachment(file_name: &str, id: i32) -> String {
    let fallback: String = file_name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') { c } else { '_' })
        .collect();
    let fallback = if fallback.trim_matches('_').is_empty() { format!("evidence-{id}") } else { fallback };
    let encoded: String = file_name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

pub async fn download(state: web::Data<AppState>, path: web::Path<EvidencePath>) -> AppResult<HttpResponse> {
    let found = store::evidence::find(&state.db, path.org, path.evidence).await?.ok_or(AppError::NotFound)?;
    let (Some(key), Some(file_name)) = (found.storage_key.as_deref(), found.file_name.as_deref()) else {
        return Err(AppError::NotFound);
    };
    let bytes = state
        .evidence_files
        .read(key)
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("evidence {} unreadable: {e}", found.id)))?;
    let content_type = found
        .content_type
        .as_deref()
        .and_then(|t| HeaderValue::from_str(t).ok())
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type))
        .insert_header((header::CONTENT_DISPOSITION, attachment(file_name, found.id)))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(bytes))
}

/// `POST /orgs/{org}/controls/{control}/evidence`.
pub async fn upload_for_control(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<crate::web::controls::ControlPath>,
    payload: Multipart,
) -> AppResult<HttpResponse> {
    let user = viewer.user()?;
    let catalog = state.catalogs.current();
    let control =
        store::controls::find(&state.db, path.org, &catalog.version, &path.control).await?.ok_or(AppError::NotFound)?;
    let upload = read_upload(&state.evidence_files, payload, state.settings.uploads.max_bytes()).await?;
    let existing: Vec<i32> = store::evidence::list_for(&state.db, path.org, Subject::Control(control.id))
        .await?
        .iter()
        .map(|e| e.id)
        .collect();
    match validate(&state.evidence_files, upload, state.clock.today(), &existing).await {
        Ok(valid) => {
            store(&state, &Actor::user(user.id, &user.email), path.org, Subject::Control(control.id), valid).await?;
            viewer.flash(crate::web::session::FlashKind::Success, "evidence-added", None);
            Ok(crate::web::page::see_other(&format!("/orgs/{}/controls/{}#evidence", path.org, path.control)))
        }
        Err((form, errors, status)) => {
            let refused = crate::web::controls::Refused {
                evidence_form: form,
                evidence_errors: errors,
                status,
                ..Default::default()
            };
            crate::web::controls::show_page(&state, &viewer, path.org, &path.control, refused).await
        }
    }
}

/// The routes of this resource, with the access each needs (see `web::routes`).
pub fn routes(r: &mut crate::web::routes::Routes) {
    use crate::web::routes::Access::*;
    use crate::web::viewer::Need;
    r.post("/orgs/{org}/controls/{control}/evidence", Member(Need::Edit), upload_for_control).get(
        "/orgs/{org}/evidence/{evidence}/download",
        Member(Need::Read),
        download,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attachment_names_are_encoded_and_have_an_ascii_fallback() {
        assert_eq!(attachment("report.pdf", 1), "attachment; filename=\"report.pdf\"; filename*=UTF-8''report.pdf");
        let ja = attachment("教育記録 2026.xlsx", 7);
        assert!(ja.starts_with("attachment; filename=\"_____2026.xlsx\""), "{ja}");
        assert!(ja.contains("filename*=UTF-8''%E6%95%99%E8%82%B2"), "{ja}");
        assert!(attachment("\"quoted\".txt", 2).contains("filename=\"_quoted_.txt\""));
    }
}
