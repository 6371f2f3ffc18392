//! Evidence downloads: served only to members, always as attachments, with the content type the
//! uploader declared only when it is on a short list of inert types. Anything else (scripts,
//! HTML, SVG …) is `application/octet-stream`, so a file never runs as same-origin content even if
//! a browser ignored the attachment disposition (`X-Content-Type-Options: nosniff` is on every
//! response, see `startup`).

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::store;
use crate::web::error::{AppError, AppResult};
use crate::web::state::AppState;

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

/// Types a browser shows or hands to a viewer without running anything of ours.
const INERT_TYPES: &[&str] = &[
    "application/pdf",
    "image/png",
    "image/jpeg",
    "image/gif",
    "text/plain",
    "text/csv",
    "application/msword",
    "application/vnd.ms-excel",
    "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/zip",
];

/// The content type to serve for a stored (uploader-declared) one.
fn served_type(stored: Option<&str>) -> HeaderValue {
    let octets = HeaderValue::from_static("application/octet-stream");
    let Some(stored) = stored else { return octets };
    let essence = stored.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    if !INERT_TYPES.contains(&essence.as_str()) {
        return octets;
    }
    HeaderValue::from_str(stored).unwrap_or(octets)
}

/// `GET /orgs/{org}/evidence/{evidence}/download`.
pub async fn download(state: web::Data<AppState>, path: web::Path<EvidencePath>) -> AppResult<HttpResponse> {
    let found = store::evidence::find(&state.db, path.org, path.evidence).await?.ok_or(AppError::NotFound)?;
    let (Some(key), Some(file_name)) = (found.storage_key.as_deref(), found.file_name.as_deref()) else {
        return Err(AppError::NotFound);
    };
    let content = state
        .evidence
        .download(&state.db, key)
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("evidence {} unreadable: {e}", found.id)))?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, served_type(found.content_type.as_deref())))
        .insert_header((header::CONTENT_DISPOSITION, attachment(file_name, found.id)))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .no_chunking(content.size_bytes)
        .streaming(content.chunks))
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

    #[test]
    fn only_inert_types_are_served_as_declared() {
        for (stored, served) in [
            (Some("application/pdf"), "application/pdf"),
            (Some("text/plain; charset=utf-8"), "text/plain; charset=utf-8"),
            (Some("IMAGE/PNG"), "IMAGE/PNG"),
            (Some("text/javascript"), "application/octet-stream"),
            (Some("text/html"), "application/octet-stream"),
            (Some("image/svg+xml"), "application/octet-stream"),
            (Some("text/plainx"), "application/octet-stream"),
            (None, "application/octet-stream"),
        ] {
            assert_eq!(served_type(stored), served, "{stored:?}");
        }
    }
}
