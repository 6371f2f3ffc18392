//! Evidence (証跡): files and links attached to a record, with one upload path, one set of rules,
//! one page part and one download for every record type.
//!
//! # How a record type opts in
//!
//! A register that wants evidence (people, training, contractors, audits…) needs:
//!
//! 1. **Storage**: a `Subject` variant in `src/store/evidence.rs` and its column on the
//!    `evidence` table (a migration), as `Subject::CorrectiveAction` has.
//! 2. **A target**: `impl EvidenceTarget for MyRecord` next to the record's handlers: its path
//!    type, how to find it in the organisation (404 otherwise), its subject, its page, and how its
//!    page renders with a refused form (see `src/web/corrective_actions.rs`, about 30 lines).
//! 3. **A route**: in `src/web/mod.rs`,
//!    `.service(evidence::route::<MyRecord>("/my-records/{record}/evidence", "/my-records/{record}"))`
//!    (the POST, and a GET that sends a reloaded address back to the page).
//! 4. **The page part**: an `evidence: EvidencePanel` field on the page's template struct, built
//!    with `EvidencePanel::new(…)` (plus `.refused(…)` after a refusal), and
//!    `{% include "evidence/panel.html" %}` in its template.
//!
//! Uploads are then checked by the same rules (description, an effective date not after today in
//! Japan, a file within the size limit or an `http(s)` link, a version of the same subject's
//! evidence), answered 422 (413 for an oversize file) with the values kept and the page scrolled to
//! the form, and downloaded through `/orgs/{org}/evidence/{id}/download`.

mod download;
mod panel;
mod upload;

use actix_multipart::Multipart;
use actix_web::{HttpResponse, web};
use serde::de::DeserializeOwned;

use crate::store::evidence::Subject;
use crate::store::{self, audit::Actor};
use crate::web::error::AppResult;
use crate::web::page::see_other;
use crate::web::session::FlashKind;
use crate::web::state::AppState;
use crate::web::viewer::Viewer;

pub use self::download::{EvidencePath, download};
pub use self::panel::{EvidencePanel, EvidenceRow, uploader_names};
pub use self::upload::{
    EvidenceForm, EvidenceRefusal, Rules, Upload, Validated, ValidatedContent, read_upload, store, validate,
};

/// A record type evidence can be attached to. Implement it, add the route and the page part (see
/// the module documentation).
// The handlers run on actix's per-thread runtime, so the futures need not be `Send`.
#[allow(async_fn_in_trait)]
pub trait EvidenceTarget: Sized + 'static {
    /// The path parameters of the upload URL (`{org}` among them).
    type Path: DeserializeOwned + 'static;

    /// The record the path names, within that organisation.
    ///
    /// # Errors
    /// `NotFound` when there is no such record in the organisation; database errors.
    async fn find(state: &AppState, viewer: &Viewer, path: &Self::Path) -> AppResult<Self>;

    /// What an upload attaches to. Records with one subject ignore the form; a page that offers a
    /// choice reads `form.attach_to` and answers `None` for a choice it did not offer.
    async fn subject(&self, state: &AppState, form: &EvidenceForm) -> AppResult<Option<Subject>>;

    /// The owning page's path: a stored upload returns to `{page}#evidence`.
    fn page(path: &Self::Path) -> String;

    /// The owning page with the refused evidence form, with the refusal's status.
    ///
    /// # Errors
    /// When the page cannot be loaded or rendered.
    async fn render_refused(
        state: &AppState,
        viewer: &Viewer,
        path: &Self::Path,
        refusal: EvidenceRefusal,
    ) -> AppResult<HttpResponse>;
}

/// The evidence form's element id, which its `action` ends with so a refusal scrolls to it.
pub const FORM_ID: &str = "evidence-form";

/// `POST …/evidence` of any target: read, check by the shared rules, store, redirect; or the
/// owning page again with the form refused.
///
/// # Errors
/// 403/404 from the organisation and the record; `BadRequest` for a malformed body; storage errors.
pub async fn upload<T: EvidenceTarget>(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<T::Path>,
    payload: Multipart,
) -> AppResult<HttpResponse> {
    // The organisation the route's access check authorized (`{org}` of the path).
    let org = viewer.member()?.organisation.id;
    let user = viewer.user()?;
    let target = T::find(&state, &viewer, &path).await?;
    let upload = read_upload(state.evidence.staging(), payload, state.settings.uploads.max_bytes()).await?;
    let subject = target.subject(&state, &upload.form).await?;
    let supersedable: Vec<i32> = match subject {
        Some(subject) => store::evidence::list_for(&state.db, org, subject).await?.iter().map(|e| e.id).collect(),
        None => Vec::new(),
    };
    let rules = Rules { today: state.clock.today(), supersedable: &supersedable, subject };
    match validate(state.evidence.staging(), upload, &rules).await {
        Ok(valid) => {
            store(&state, &Actor::user(user.id, &user.email), org, valid).await?;
            viewer.flash(FlashKind::Success, "evidence-added", None);
            Ok(see_other(&format!("{}#evidence", T::page(&path))))
        }
        Err(refusal) => T::render_refused(&state, &viewer, &path, refusal).await,
    }
}

/// The upload route of a target, for editors: `POST upload_path` stores, and `GET upload_path`
/// (a reloaded address after a refusal) redirects to `page_path`.
pub fn attach<T: EvidenceTarget>(r: &mut crate::web::routes::Routes, upload_path: &str, page_path: &'static str) {
    use crate::web::routes::Access::Member;
    use crate::web::viewer::Need;
    r.post(upload_path, Member(Need::Edit), upload::<T>).back_to(upload_path, page_path);
}

/// The download route (any member).
pub fn routes(r: &mut crate::web::routes::Routes) {
    use crate::web::routes::Access::Member;
    use crate::web::viewer::Need;
    r.get("/orgs/{org}/evidence/{evidence}/download", Member(Need::Read), download);
}
