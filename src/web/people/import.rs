//! `/orgs/{org}/people/import`: the HR list (CSV or XLSX) uploaded, read and checked, and shown as
//! what it would do before anything is written: refused cells by line and column (422, nothing
//! written), else the people it creates, the fields it changes, the departments it adds and, for a
//! full list, who it marks as left. "取り込む" sends the same file back (hex in the form, so that
//! any instance can apply it) and applies the plan in one transaction.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use futures_util::StreamExt;
use sea_orm::TransactionTrait;

use crate::entities::person;
use crate::import::people::{CellRefusal, PeopleSheet};
use crate::store;
use crate::store::audit::Actor;
use crate::store::people::{ImportPlan, Outcome};
use crate::web::error::{AppError, AppResult};
use crate::web::forms::OrgPath;
use crate::web::page::{PageContext, render, render_with_status, see_other};
use crate::web::session::FlashKind;
use crate::web::state::AppState;
use crate::web::viewer::Viewer;

/// How many rows of a plan the preview lists (the counts cover all of them).
const PREVIEW_ROWS: usize = 200;

#[derive(Template)]
#[template(path = "people/import.html")]
struct FormPage {
    ctx: PageContext,
    org_id: i32,
    max_mb: u64,
    /// The refusal of the file itself (unreadable, too large, missing columns).
    error: Option<String>,
    /// The first refused cells, in the order of the file.
    refusals: Vec<RefusalLine>,
    /// Refused cells beyond those listed.
    more_refusals: usize,
    file_name: String,
}

/// A refused cell as the page lists it.
pub struct RefusalLine {
    pub line: usize,
    pub column: String,
    pub value: String,
    pub message: String,
}

/// One row of the preview.
pub struct PreviewLine {
    pub line: usize,
    pub employee_number: String,
    pub name: String,
    pub department: String,
    /// Empty for a new person; the labels of the fields that change otherwise.
    pub changes: Vec<String>,
}

#[derive(Template)]
#[template(path = "people/preview.html")]
struct PreviewPage {
    ctx: PageContext,
    org_id: i32,
    file_name: String,
    /// The file, hex-encoded, sent back by "取り込む".
    content: String,
    full: bool,
    created: usize,
    updated: usize,
    unchanged: usize,
    new_departments: Vec<String>,
    leavers: Vec<person::Model>,
    lines: Vec<PreviewLine>,
    /// Rows of the plan not listed (beyond `PREVIEW_ROWS`).
    more: usize,
    ignored_headers: Vec<String>,
    has_employment: bool,
}

/// The form's fields: the file (or its hex content, on apply) and whether it is a full list.
#[derive(Default)]
struct Upload {
    file_name: String,
    bytes: Vec<u8>,
    full: bool,
}

async fn read_upload(mut payload: Multipart, limit: u64) -> AppResult<Result<Upload, &'static str>> {
    let mut upload = Upload::default();
    let limit = usize::try_from(limit).unwrap_or(usize::MAX);
    let mut fields = 0;
    while let Some(field) = payload.next().await {
        let mut field = field.map_err(|_| AppError::BadRequest("malformed upload"))?;
        fields += 1;
        if fields > 8 {
            return Err(AppError::BadRequest("too many fields"));
        }
        let name = field.content_disposition().and_then(|d| d.get_name()).unwrap_or_default().to_owned();
        if name == "file" {
            upload.file_name =
                field.content_disposition().and_then(|d| d.get_filename()).unwrap_or_default().to_owned();
        }
        let mut data = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|_| AppError::BadRequest("malformed upload"))?;
            // Hex doubles the size of the content sent back.
            if data.len() + chunk.len() > limit.saturating_mul(2) + 1024 {
                return Ok(Err("error-upload-too-large"));
            }
            data.extend_from_slice(&chunk);
        }
        match name.as_str() {
            "file" => upload.bytes = data,
            "content" => {
                upload.bytes = hex::decode(data.trim_ascii()).map_err(|_| AppError::BadRequest("malformed content"))?;
            }
            "file_name" => upload.file_name = String::from_utf8_lossy(&data).into_owned(),
            "full" => upload.full = data == b"1",
            _ => {}
        }
    }
    if upload.bytes.len() > limit {
        return Ok(Err("error-upload-too-large"));
    }
    if upload.bytes.is_empty() {
        return Ok(Err("error-import-no-file"));
    }
    Ok(Ok(upload))
}

fn refusal_lines(viewer: &Viewer, refusals: &[CellRefusal]) -> (Vec<RefusalLine>, usize) {
    let more = refusals.len().saturating_sub(crate::import::LISTED_REFUSALS);
    let lines = refusals
        .iter()
        .take(crate::import::LISTED_REFUSALS)
        .map(|r| RefusalLine {
            line: r.line,
            column: r.column.clone(),
            value: r.value.clone(),
            message: crate::i18n::t_args(
                viewer.lang,
                r.message_key,
                &[("detail", r.detail.clone().unwrap_or_default())],
            ),
        })
        .collect();
    (lines, more)
}

/// The form again, with why the file was refused (422).
fn refused(
    viewer: &Viewer,
    state: &AppState,
    org: i32,
    file_name: String,
    error: Option<&str>,
    (refusals, more): (Vec<RefusalLine>, usize),
) -> AppResult<HttpResponse> {
    let page = FormPage {
        ctx: viewer.page(Some(org)),
        org_id: org,
        max_mb: state.settings.uploads.max_mb,
        error: error.map(|key| crate::i18n::t(viewer.lang, key)),
        more_refusals: more,
        refusals,
        file_name,
    };
    render_with_status(&page, StatusCode::UNPROCESSABLE_ENTITY)
}

/// `GET /orgs/{org}/people/import`: the upload form.
pub async fn form(state: web::Data<AppState>, viewer: Viewer, path: web::Path<OrgPath>) -> AppResult<HttpResponse> {
    render(&FormPage {
        ctx: viewer.page(Some(path.org)),
        org_id: path.org,
        max_mb: state.settings.uploads.max_mb,
        error: None,
        refusals: Vec::new(),
        more_refusals: 0,
        file_name: String::new(),
    })
}

/// Reads and checks an upload: the people it holds, or the refusal page.
async fn checked(
    state: &AppState,
    viewer: &Viewer,
    org: i32,
    payload: Multipart,
) -> AppResult<Result<(Upload, PeopleSheet), HttpResponse>> {
    let upload = match read_upload(payload, state.settings.uploads.max_bytes()).await? {
        Ok(upload) => upload,
        Err(key) => return Ok(Err(refused(viewer, state, org, String::new(), Some(key), (Vec::new(), 0))?)),
    };
    let sheet = match crate::import::sheet::read(&upload.bytes) {
        Ok(sheet) => sheet,
        Err(e) => {
            return Ok(Err(refused(viewer, state, org, upload.file_name, Some(e.message_key()), (Vec::new(), 0))?));
        }
    };
    match crate::import::people::read(&sheet) {
        Ok(read) if read.refusals.is_empty() => Ok(Ok((upload, read))),
        Ok(read) => {
            let lines = refusal_lines(viewer, &read.refusals);
            Ok(Err(refused(viewer, state, org, upload.file_name, None, lines)?))
        }
        Err(missing) => {
            let lines = refusal_lines(viewer, &missing);
            Ok(Err(refused(viewer, state, org, upload.file_name, None, lines)?))
        }
    }
}

/// `POST /orgs/{org}/people/import`: the dry run. Nothing is written.
pub async fn preview(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<OrgPath>,
    payload: Multipart,
) -> AppResult<HttpResponse> {
    let (upload, read) = match checked(&state, &viewer, path.org, payload).await? {
        Ok(checked) => checked,
        Err(page) => return Ok(page),
    };
    let plan = store::people::plan_import(&state.db, path.org, &read.rows, &read.present, upload.full).await?;
    let lines = preview_lines(&viewer, &plan);
    let listed = lines.len().min(PREVIEW_ROWS);
    let more = lines.len() - listed;
    render(&PreviewPage {
        ctx: viewer.page(Some(path.org)),
        org_id: path.org,
        content: hex::encode(&upload.bytes),
        file_name: upload.file_name,
        full: upload.full,
        created: plan.count(|o| *o == Outcome::Create),
        updated: plan.count(|o| matches!(o, Outcome::Update(_))),
        unchanged: plan.count(|o| *o == Outcome::Unchanged),
        new_departments: plan.new_departments.iter().map(|p| p.join(" / ")).collect(),
        leavers: plan.leavers.clone(),
        lines: lines.into_iter().take(PREVIEW_ROWS).collect(),
        more,
        ignored_headers: read.ignored_headers,
        has_employment: read.has_employment,
    })
}

fn preview_lines(viewer: &Viewer, plan: &ImportPlan) -> Vec<PreviewLine> {
    plan.rows
        .iter()
        .filter_map(|(row, outcome)| {
            let changes = match outcome {
                Outcome::Create => Vec::new(),
                Outcome::Update(fields) => {
                    fields.iter().map(|f| crate::i18n::t(viewer.lang, &format!("history-field-person-{f}"))).collect()
                }
                Outcome::Unchanged => return None,
            };
            Some(PreviewLine {
                line: row.line,
                employee_number: row.person.employee_number.clone(),
                name: row.person.name.clone(),
                department: row.department.join(" / "),
                changes,
            })
        })
        .collect()
}

/// `POST /orgs/{org}/people/import/apply`: reads the same file again, plans and applies it in one
/// transaction, and goes back to the list with what it did.
pub async fn apply(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<OrgPath>,
    payload: Multipart,
) -> AppResult<HttpResponse> {
    let user = viewer.user()?;
    let (upload, read) = match checked(&state, &viewer, path.org, payload).await? {
        Ok(checked) => checked,
        Err(page) => return Ok(page),
    };
    let txn = state.db.begin().await?;
    let plan = store::people::plan_import(&txn, path.org, &read.rows, &read.present, upload.full).await?;
    let actor = Actor::user(user.id, &user.email);
    let done = store::people::apply_import(&txn, &actor, path.org, &plan, state.clock.today()).await?;
    txn.commit().await?;
    let summary = crate::i18n::t_args(
        viewer.lang,
        "import-summary",
        &[
            ("created", done.created.to_string()),
            ("updated", done.updated.to_string()),
            ("unchanged", done.unchanged.to_string()),
            ("left", done.left.to_string()),
            ("departments", done.departments.to_string()),
        ],
    );
    viewer.flash(FlashKind::Success, "people-imported", Some(summary));
    Ok(see_other(&format!("/orgs/{}/people", path.org)))
}
