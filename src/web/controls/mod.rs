//! `/orgs/{org}/controls`: the organisation's controls as a tree, each control's page with its
//! evidence and history, and the edit form with optimistic locking.

pub mod form;

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use sea_orm::TransactionTrait;
use serde::Deserialize;

use crate::domain::FieldErrors;
use crate::domain::catalog::CatalogEntry;
use crate::domain::control::ControlStatus;
use crate::entities::{evidence, organisation_control};
use crate::store::controls::UpdateError;
use crate::store::incident_list::CheckSort;
use crate::store::organisations::Member;
use crate::store::{self, audit::Actor, evidence::Subject};
use crate::web::error::{AppError, AppResult};
use crate::web::evidence::{EvidencePanel, EvidenceRefusal, EvidenceTarget, uploader_names};
use crate::web::forms::OrgPath;
use crate::web::list::{ListQuery, ListView, NoFilter};
use crate::web::page::{PageContext, render, render_with_status, see_other};
use crate::web::session::FlashKind;
use crate::web::state::AppState;
use crate::web::viewer::Viewer;

use self::form::ControlForm;
use crate::view::controls_tree::{FilterQuery, Group, Inputs};

#[derive(Debug, Deserialize)]
pub struct ControlPath {
    pub org: i32,
    pub control: String,
}

#[derive(Template)]
#[template(path = "controls/index.html")]
struct IndexPage<'a> {
    ctx: PageContext,
    org_id: i32,
    /// The rendered tree (`controls/groups.html`), from the organisation's snapshot.
    groups_html: &'a str,
    /// The filters as submitted, to keep the filter form filled.
    query: FilterQuery,
    members: &'a [Member],
    statuses: [ControlStatus; 4],
    /// How many control rows the filters left.
    shown: usize,
}

pub use crate::i18n::Translator;

#[derive(Template)]
#[template(path = "controls/groups.html")]
struct GroupsFragment<'a> {
    ctx: Translator,
    org_id: i32,
    groups: Vec<Group<'a>>,
    statuses: [ControlStatus; 4],
}

/// Everything the control page shows besides the form.
struct ControlView {
    entry: CatalogEntry,
    control: organisation_control::Model,
    members: Vec<Member>,
    evidence: Vec<evidence::Model>,
    /// The control's 変更履歴, newest first.
    history: Vec<crate::web::history::Row>,
}

#[derive(Template)]
#[template(path = "controls/show.html", blocks = ["title", "content"])]
struct ShowPage {
    ctx: PageContext,
    org_id: i32,
    can_edit: bool,
    view: ControlView,
    form: ControlForm,
    errors: FieldErrors,
    statuses: [ControlStatus; 4],
    /// The control's evidence and upload form (`evidence/panel.html`).
    evidence: EvidencePanel,
    /// Checks of this control that incidents asked for, with the incident's title, newest first.
    incident_checks: Vec<(crate::entities::control_check::Model, String)>,
    /// The paging of `incident_checks`.
    checks_list: ListView,
}

#[derive(Template)]
#[template(path = "controls/conflict.html")]
struct ConflictPage {
    ctx: PageContext,
    org_id: i32,
    entry: CatalogEntry,
    /// What someone else saved meanwhile.
    theirs: ControlForm,
    /// What this user tried to save, to submit again on top of theirs.
    yours: ControlForm,
    member_names: HashMap<String, String>,
}

impl ShowPage {
    fn owner_name(&self, id: &str) -> String {
        self.view
            .members
            .iter()
            .find(|m| m.user.id.to_string() == id)
            .map(|m| m.user.display_name.clone())
            .unwrap_or_default()
    }
}

impl ConflictPage {
    fn owner_name(&self, id: &str) -> String {
        self.member_names.get(id).cloned().unwrap_or_else(|| "—".to_owned())
    }
}

pub async fn index(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<OrgPath>,
    query: web::Query<FilterQuery>,
) -> AppResult<HttpResponse> {
    let membership = viewer.member()?;
    let snapshot = state.snapshot(&membership.organisation).await?;
    let today = state.clock.today();
    let filters = query.filters();
    let locale = viewer.locale();
    let key = format!("controls|{}|{}|{:?}", locale.key(), today, filters);
    let fragment = snapshot.fragment(key, || {
        let inputs = Inputs {
            catalog: state.catalogs.current(),
            controls: &snapshot.controls,
            evidence: &snapshot.evidence,
            member_names: &snapshot.member_names,
            open_checks: &snapshot.open_check_controls,
            lang: viewer.lang,
            today,
        };
        let groups = crate::view::controls_tree::build(&inputs, &filters);
        let count = groups.iter().flat_map(|g| &g.rows).filter(|r| r.is_control).count();
        let html =
            GroupsFragment { ctx: Translator::new(locale), org_id: path.org, groups, statuses: ControlStatus::ALL }
                .render()?;
        Ok::<_, askama::Error>(store::snapshot::Fragment { html, count, ..Default::default() })
    })?;
    render(&IndexPage {
        ctx: viewer.page(Some(path.org)),
        org_id: path.org,
        groups_html: &fragment.html,
        query: query.into_inner(),
        members: &snapshot.members,
        statuses: ControlStatus::ALL,
        shown: fragment.count,
    })
}

async fn load_view(state: &AppState, org: i32, clause: &str, locale: crate::i18n::Locale) -> AppResult<ControlView> {
    let catalog = state.catalogs.current();
    let entry = catalog.get(clause).filter(|e| e.is_control()).ok_or(AppError::NotFound)?.clone();
    let control = store::controls::find(&state.db, org, &catalog.version, clause).await?.ok_or(AppError::NotFound)?;
    let members = store::organisations::members(&state.db, org).await?;
    let evidence = store::evidence::list_for(&state.db, org, Subject::Control(control.id)).await?;
    let history =
        crate::web::history::panel(state, org, locale, &[store::audit::Subjects::one("control", control.id)]).await?;
    Ok(ControlView { entry, control, members, evidence, history })
}

/// What a control page shows again after a refused form or upload.
pub(crate) struct Refused {
    /// The control form as submitted (`None`: as stored).
    pub form: Option<ControlForm>,
    pub errors: FieldErrors,
    /// A refused evidence upload.
    pub evidence: Option<EvidenceRefusal>,
    pub status: StatusCode,
}

impl Default for Refused {
    fn default() -> Self {
        Self { form: None, errors: FieldErrors::new(), evidence: None, status: StatusCode::OK }
    }
}

/// The page of the control's incident checks in the URL (`page`, `per`).
pub type ChecksQuery = ListQuery<CheckSort, NoFilter>;

/// Renders the control page (also after a refused form or upload), its checks' first page.
pub(crate) async fn show_page(
    state: &AppState,
    viewer: &Viewer,
    org: i32,
    clause: &str,
    refused: Refused,
) -> AppResult<HttpResponse> {
    render_show(state, viewer, org, clause, refused, &ChecksQuery::default()).await
}

/// Renders the control page with the requested page of its incident checks.
async fn render_show(
    state: &AppState,
    viewer: &Viewer,
    org: i32,
    clause: &str,
    refused: Refused,
    checks_query: &ChecksQuery,
) -> AppResult<HttpResponse> {
    let status = refused.status;
    render_with_status(&build_show(state, viewer, org, clause, refused, checks_query).await?, status)
}

/// The control page with the requested page of its incident reviews.
async fn build_show(
    state: &AppState,
    viewer: &Viewer,
    org: i32,
    clause: &str,
    refused: Refused,
    checks_query: &ChecksQuery,
) -> AppResult<ShowPage> {
    let Refused { form, errors, evidence: evidence_refusal, status: _ } = refused;
    let membership = viewer.member()?;
    let can_edit = membership.role.can_edit();
    let view = load_view(state, org, clause, viewer.locale()).await?;
    let form = form.unwrap_or_else(|| ControlForm::from_model(&view.control));
    let evidence = EvidencePanel::new(
        org,
        format!("/orgs/{org}/controls/{clause}/evidence"),
        view.evidence.iter().cloned().map(Into::into).collect(),
        uploader_names(&view.members),
        can_edit,
        state.settings.uploads.max_mb,
    )
    .refused(evidence_refusal);
    let checks = store::incident_list::checks_of_control(&state.db, org, clause, checks_query.request()).await?;
    let checks_list =
        checks_query.view(format!("/orgs/{org}/controls/{clause}"), &checks).with_anchor("incident-checks");
    let ids: Vec<i32> = checks.rows.iter().map(|r| r.incident_id).collect();
    let titles = store::incident_list::titles(&state.db, org, &ids).await?;
    let incident_checks = checks
        .rows
        .into_iter()
        .map(|r| {
            let title = titles.get(&r.incident_id).cloned().unwrap_or_default();
            (r, title)
        })
        .collect();
    Ok(ShowPage {
        incident_checks,
        checks_list,
        evidence,
        ctx: viewer.page(Some(org)),
        org_id: org,
        can_edit,
        view,
        form,
        errors,
        statuses: ControlStatus::ALL,
    })
}

pub async fn show(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<ControlPath>,
    checks: ChecksQuery,
) -> AppResult<HttpResponse> {
    crate::web::cached::org_page(&state, &viewer, async |ctx| {
        let page = build_show(&state, &viewer, path.org, &path.control, Refused::default(), &checks).await?;
        Ok(ShowPage { ctx, ..page })
    })
    .await
}

crate::cached_blocks!(ShowPage);

pub async fn update(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<ControlPath>,
    form: web::Form<ControlForm>,
) -> AppResult<HttpResponse> {
    let user = viewer.user()?;
    let catalog = state.catalogs.current();
    let entry = catalog.get(&path.control).filter(|e| e.is_control()).ok_or(AppError::NotFound)?.clone();
    let current =
        store::controls::find(&state.db, path.org, &catalog.version, &path.control).await?.ok_or(AppError::NotFound)?;
    let members = store::organisations::members(&state.db, path.org).await?;
    let member_ids: Vec<i32> = members.iter().map(|m| m.user.id).collect();
    let form = form.into_inner();
    let (changes, expected_version) = match form.parse(&member_ids) {
        Ok(parsed) => parsed,
        Err(errors) => {
            let refused =
                Refused { form: Some(form), errors, status: StatusCode::UNPROCESSABLE_ENTITY, ..Refused::default() };
            return show_page(&state, &viewer, path.org, &path.control, refused).await;
        }
    };
    let txn = state.db.begin().await?;
    match store::controls::update(&txn, &Actor::user(user.id, &user.email), &current, expected_version, &changes).await
    {
        Ok(_) => txn.commit().await?,
        Err(UpdateError::Conflict(theirs)) => {
            drop(txn);
            let member_names = members.iter().map(|m| (m.user.id.to_string(), m.user.display_name.clone())).collect();
            let mut yours = form;
            yours.lock_version = theirs.lock_version.to_string();
            let page = ConflictPage {
                ctx: viewer.page(Some(path.org)),
                org_id: path.org,
                entry,
                theirs: ControlForm::from_model(&theirs),
                yours,
                member_names,
            };
            return render_with_status(&page, StatusCode::CONFLICT);
        }
        Err(UpdateError::NotFound) => return Err(AppError::NotFound),
        Err(UpdateError::Database(e)) => return Err(e.into()),
    }
    viewer.flash(FlashKind::Success, "control-saved", Some(path.control.clone()));
    Ok(see_other(&format!("/orgs/{}/controls/{}", path.org, path.control)))
}

/// A control as an evidence target (`/orgs/{org}/controls/{control}/evidence`).
pub struct ControlEvidence(organisation_control::Model);

impl EvidenceTarget for ControlEvidence {
    type Path = ControlPath;

    async fn find(state: &AppState, _: &Viewer, path: &ControlPath) -> AppResult<Self> {
        let catalog = state.catalogs.current();
        let control = store::controls::find(&state.db, path.org, &catalog.version, &path.control).await?;
        control.map(Self).ok_or(AppError::NotFound)
    }

    async fn subject(&self, _: &AppState, _: &crate::web::evidence::EvidenceForm) -> AppResult<Option<Subject>> {
        Ok(Some(Subject::Control(self.0.id)))
    }

    fn page(path: &ControlPath) -> String {
        format!("/orgs/{}/controls/{}", path.org, path.control)
    }

    async fn render_refused(
        state: &AppState,
        viewer: &Viewer,
        path: &ControlPath,
        refusal: EvidenceRefusal,
    ) -> AppResult<HttpResponse> {
        let refused = Refused { status: refusal.status, evidence: Some(refusal), ..Refused::default() };
        show_page(state, viewer, path.org, &path.control, refused).await
    }
}

/// The routes of this resource, with the access each needs (see `web::routes`).
pub fn routes(r: &mut crate::web::routes::Routes) {
    use crate::web::routes::Access::*;
    use crate::web::viewer::Need;
    r.get("/orgs/{org}/controls", Member(Need::Read), index)
        .get("/orgs/{org}/controls/{control}", Member(Need::Read), show)
        .post("/orgs/{org}/controls/{control}", Member(Need::Edit), update);
    crate::web::evidence::attach::<ControlEvidence>(
        r,
        "/orgs/{org}/controls/{control}/evidence",
        "/orgs/{org}/controls/{control}#evidence",
    );
}
