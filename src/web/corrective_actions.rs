//! `/orgs/{org}/corrective-actions`: corrective actions (是正処置) raised from incidents, each with
//! an owner, a due date, the controls it addresses, its completion record and evidence.

use crate::domain::corrective_action::ActionStatus;
use crate::domain::term::Term;
use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use sea_orm::TransactionTrait;
use serde::Deserialize;

use crate::domain::FieldErrors;
use crate::domain::text::free_text;
use crate::entities::corrective_action;
use crate::store::corrective_actions::{ActionFilter, ActionSort, CompletionValues, NewAction};
use crate::store::edit::CorrectionError;
use crate::store::evidence::Subject;
use crate::store::{self, audit::Actor};
use crate::web::error::{AppError, AppResult};
use crate::web::evidence::{EvidenceForm, EvidencePanel, EvidenceRefusal, EvidenceTarget, uploader_names};
use crate::web::forms::OrgPath;
use crate::web::incidents::IncidentPath;
use crate::web::incidents::progress::Refused;
use crate::web::list::{ListQuery, ListView};
use crate::web::page::{PageContext, render_with_status, see_other};
use crate::web::session::FlashKind;
use crate::web::state::AppState;
use crate::web::viewer::Viewer;

const MAX_TITLE_CHARS: usize = 200;
const MAX_TEXT_CHARS: usize = 4000;

#[derive(Debug, Deserialize)]
pub struct ActionPath {
    pub org: i32,
    pub action: i32,
}

/// The "new corrective action" form of an incident (`control_ids` repeats, so it is read with
/// `serde_html_form`).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ActionForm {
    pub title: String,
    pub description: String,
    pub owner: String,
    pub due_on: String,
    pub control_ids: Vec<String>,
    /// A correction of a done action: its completion record.
    pub completed_on: String,
    pub completion_note: String,
    /// The version a correction was loaded at (unused when raising an action).
    pub lock_version: String,
}

impl ActionForm {
    /// The correction form of a stored action.
    fn of(action: &corrective_action::Model) -> Self {
        Self {
            title: action.title.clone(),
            description: action.description.clone(),
            owner: action.owner.clone(),
            due_on: action.due_on.to_string(),
            control_ids: serde_json::from_str(&action.control_ids).unwrap_or_default(),
            completed_on: action.completed_on.map(|d| d.to_string()).unwrap_or_default(),
            completion_note: action.completion_note.clone().unwrap_or_default(),
            lock_version: action.lock_version.to_string(),
        }
    }
}

/// A completion date and note as typed (the completion form, or a correction of a done action).
fn parse_completion(
    errors: &mut FieldErrors,
    completed_on: &str,
    note: &str,
    today: chrono::NaiveDate,
) -> Option<CompletionValues> {
    let date = match crate::domain::control::parse_date(completed_on) {
        Ok(date) if date > today => {
            errors.add("completed_on", "error-date-in-future");
            None
        }
        Ok(date) => Some(date),
        Err(_) => {
            errors.add("completed_on", if completed_on.trim().is_empty() { "error-required" } else { "error-date" });
            None
        }
    };
    let note = errors.take("completion_note", free_text(note, MAX_TEXT_CHARS, true));
    Some(CompletionValues { completed_on: date?, completion_note: note? })
}

impl ActionForm {
    fn validate(&self, members: &[i32], flagged: &[String]) -> Result<NewAction, FieldErrors> {
        let mut errors = FieldErrors::new();
        let title = errors.take("title", free_text(&self.title, MAX_TITLE_CHARS, true)).unwrap_or_default();
        let description =
            errors.take("description", free_text(&self.description, MAX_TEXT_CHARS, false)).unwrap_or_default();
        let owner = self.owner.parse::<i32>().ok().filter(|id| members.contains(id));
        if owner.is_none() {
            errors.add("owner", "error-owner-not-member");
        }
        let due_on = crate::domain::control::parse_date(&self.due_on).ok();
        if due_on.is_none() {
            errors.add("due_on", if self.due_on.trim().is_empty() { "error-required" } else { "error-date" });
        }
        if self.control_ids.iter().any(|c| !flagged.contains(c)) {
            errors.add("control_ids", "error-choice");
        }
        match (owner, due_on) {
            (Some(owner), Some(due_on)) if errors.is_empty() => Ok(NewAction {
                incident_id: None,
                title,
                description,
                owner,
                due_on,
                control_ids: self.control_ids.clone(),
            }),
            _ => Err(errors),
        }
    }
}

/// `POST /orgs/{org}/incidents/{incident}/actions`: a corrective action for the incident.
pub async fn create_for_incident(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<IncidentPath>,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let user = viewer.user()?;
    let incident = store::incidents::find(&state.db, path.org, path.incident).await?.ok_or(AppError::NotFound)?;
    let members: Vec<i32> =
        store::organisations::members(&state.db, path.org).await?.iter().map(|m| m.user.id).collect();
    let flagged: Vec<String> =
        store::incidents::checks_of_incident(&state.db, incident.id).await?.into_iter().map(|r| r.control_id).collect();
    let form: ActionForm = serde_html_form::from_bytes(&body).map_err(|_| AppError::BadRequest("malformed form"))?;
    let new = match form.validate(&members, &flagged) {
        Ok(new) => NewAction { incident_id: Some(incident.id), ..new },
        Err(errors) => {
            let values = HashMap::from([
                ("title", form.title),
                ("description", form.description),
                ("owner", form.owner),
                ("due_on", form.due_on),
                ("control_ids", form.control_ids.join(",")),
            ]);
            let refused = Refused { form: "action".to_owned(), errors, values };
            let page =
                crate::web::incidents::show_page(&state, &viewer, path.org, path.incident, Some(refused)).await?;
            return render_with_status(&page, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let txn = state.db.begin().await?;
    let created = store::corrective_actions::create(&txn, &Actor::user(user.id, &user.email), path.org, new).await?;
    txn.commit().await?;
    viewer.flash(FlashKind::Success, "action-created", Some(created.title));
    Ok(see_other(&format!("/orgs/{}/incidents/{}#actions", path.org, path.incident)))
}

/// One line of the list.
pub struct ActionRow {
    pub action: corrective_action::Model,
    pub owner: String,
    pub overdue: bool,
    pub incident_title: Option<String>,
}

/// The list's own filter as the URL carries it (the search is the list component's `q`).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListFilter {
    /// `open` or `done`, or empty for both.
    pub status: String,
}

#[derive(Template)]
#[template(path = "corrective_actions/index.html", blocks = ["title", "content"])]
struct ListPage {
    ctx: PageContext,
    org_id: i32,
    rows: Vec<ActionRow>,
    /// Paging, order, search and the links that keep the filter.
    list: ListView,
    filter: ListFilter,
    statuses: &'static [ActionStatus],
}

async fn member_names(state: &AppState, org: i32) -> Result<HashMap<i32, String>, sea_orm::DbErr> {
    Ok(store::organisations::members(&state.db, org)
        .await?
        .into_iter()
        .map(|m| (m.user.id, m.user.display_name))
        .collect())
}

/// `GET /orgs/{org}/corrective-actions`: one page of the actions, with the titles of only the
/// incidents that page names.
pub async fn index(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<OrgPath>,
    list: ListQuery<ActionSort, ListFilter>,
) -> AppResult<HttpResponse> {
    crate::web::cached::org_page(&state, &viewer, async |ctx| {
        let today = state.clock.today();
        let names = member_names(&state, path.org).await?;
        let filter = ActionFilter { status: ActionStatus::parse(&list.filter.status).ok(), title: list.search.clone() };
        let page = store::corrective_actions::page(&state.db, path.org, &filter, list.request()).await?;
        let view = list.view(format!("/orgs/{}/corrective-actions", path.org), &page);
        let incident_ids: Vec<i32> = page.rows.iter().filter_map(|a| a.incident_id).collect();
        let titles = store::incident_list::titles(&state.db, path.org, &incident_ids).await?;
        let rows = page
            .rows
            .into_iter()
            .map(|action| ActionRow {
                owner: owner_name(&names, &action.owner),
                overdue: action.status == ActionStatus::Open && action.due_on < today,
                incident_title: action.incident_id.and_then(|id| titles.get(&id).cloned()),
                action,
            })
            .collect();
        Ok(ListPage { ctx, org_id: path.org, rows, list: view, filter: list.filter, statuses: ActionStatus::ALL })
    })
    .await
}

crate::cached_blocks!(ListPage);

fn owner_name(names: &HashMap<i32, String>, owner: &str) -> String {
    owner.parse::<i32>().ok().and_then(|id| names.get(&id).cloned()).unwrap_or_else(|| owner.to_owned())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CompletionForm {
    pub completed_on: String,
    pub completion_note: String,
}

#[derive(Template)]
#[template(path = "corrective_actions/show.html")]
struct ShowPage {
    ctx: PageContext,
    org_id: i32,
    action: corrective_action::Model,
    owner: String,
    controls: Vec<String>,
    incident_title: Option<String>,
    overdue: bool,
    can_edit: bool,
    completion: CompletionForm,
    errors: FieldErrors,
    /// The action's evidence and upload form (`evidence/panel.html`).
    evidence: EvidencePanel,
    /// The action's 変更履歴, newest first.
    history: Vec<crate::web::history::Row>,
    /// The correction form: the stored values, or the ones refused.
    correction: ActionForm,
    correction_errors: FieldErrors,
    /// The members an action can be given to, by user id.
    members: Vec<(i32, String)>,
    /// The controls the action can address: those its incident flagged and those it names.
    control_choices: Vec<String>,
}

impl ShowPage {
    fn control_ticked(&self, control: &str) -> bool {
        self.correction.control_ids.iter().any(|c| c == control)
    }
}

struct ShowRefusal {
    completion: CompletionForm,
    errors: FieldErrors,
    evidence: Option<EvidenceRefusal>,
    /// A refused (or conflicting) correction, with its errors.
    correction: Option<(ActionForm, FieldErrors)>,
    status: StatusCode,
}

impl Default for ShowRefusal {
    fn default() -> Self {
        Self {
            completion: CompletionForm::default(),
            errors: FieldErrors::new(),
            evidence: None,
            correction: None,
            status: StatusCode::OK,
        }
    }
}

async fn show_page(
    state: &AppState,
    viewer: &Viewer,
    org: i32,
    id: i32,
    refusal: ShowRefusal,
) -> AppResult<HttpResponse> {
    let membership = viewer.member()?;
    let action = store::corrective_actions::find(&state.db, org, id).await?.ok_or(AppError::NotFound)?;
    let members = store::organisations::members(&state.db, org).await?;
    let names = uploader_names(&members);
    let incident_title = match action.incident_id {
        Some(incident) => store::incidents::find(&state.db, org, incident).await?.map(|i| i.title),
        None => None,
    };
    let completion = if refusal.errors.is_empty() {
        CompletionForm { completed_on: state.clock.today().to_string(), completion_note: String::new() }
    } else {
        refusal.completion
    };
    let history = crate::web::history::panel(
        state,
        org,
        viewer.locale(),
        &[store::audit::Subjects::one("corrective_action", action.id)],
    )
    .await?;
    let control_choices = control_choices(state, &action).await?;
    let (correction, correction_errors) =
        refusal.correction.unwrap_or_else(|| (ActionForm::of(&action), FieldErrors::new()));
    let page = ShowPage {
        members: members.iter().map(|m| (m.user.id, m.user.display_name.clone())).collect(),
        control_choices,
        correction,
        correction_errors,
        history,
        ctx: viewer.page(Some(org)),
        org_id: org,
        owner: owner_name(&names, &action.owner),
        controls: serde_json::from_str(&action.control_ids).unwrap_or_default(),
        incident_title,
        overdue: action.status == ActionStatus::Open && action.due_on < state.clock.today(),
        can_edit: membership.role.can_edit(),
        completion,
        errors: refusal.errors,
        evidence: EvidencePanel::new(
            org,
            format!("/orgs/{org}/corrective-actions/{id}/evidence"),
            store::evidence::list_for(&state.db, org, Subject::CorrectiveAction(action.id))
                .await?
                .into_iter()
                .map(Into::into)
                .collect(),
            names,
            membership.role.can_edit(),
            state.settings.uploads.max_mb,
        )
        .refused(refusal.evidence),
        action,
    };
    render_with_status(&page, refusal.status)
}

pub async fn show(state: web::Data<AppState>, viewer: Viewer, path: web::Path<ActionPath>) -> AppResult<HttpResponse> {
    show_page(&state, &viewer, path.org, path.action, ShowRefusal::default()).await
}

/// The controls an action can address: those its incident flagged, and those it already names.
async fn control_choices(state: &AppState, action: &corrective_action::Model) -> AppResult<Vec<String>> {
    let mut choices: Vec<String> = match action.incident_id {
        Some(incident) => {
            store::incidents::checks_of_incident(&state.db, incident).await?.into_iter().map(|c| c.control_id).collect()
        }
        None => Vec::new(),
    };
    choices.extend(serde_json::from_str::<Vec<String>>(&action.control_ids).unwrap_or_default());
    choices.sort();
    choices.dedup();
    Ok(choices)
}

/// `POST .../correct`: corrects an action (and a done action's completion record); the page
/// shows the change in its history.
pub async fn correct(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<ActionPath>,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let user = viewer.user()?;
    let action = store::corrective_actions::find(&state.db, path.org, path.action).await?.ok_or(AppError::NotFound)?;
    let form: ActionForm = serde_html_form::from_bytes(&body).map_err(|_| AppError::BadRequest("malformed form"))?;
    let members: Vec<i32> =
        store::organisations::members(&state.db, path.org).await?.iter().map(|m| m.user.id).collect();
    let choices = control_choices(&state, &action).await?;
    let refuse = |form: ActionForm, errors: FieldErrors, status: StatusCode| ShowRefusal {
        correction: Some((form, errors)),
        status,
        ..ShowRefusal::default()
    };
    let mut errors = FieldErrors::new();
    let values = form.validate(&members, &choices).map_err(|e| errors = e).ok();
    let completion = (action.status == ActionStatus::Done)
        .then(|| parse_completion(&mut errors, &form.completed_on, &form.completion_note, state.clock.today()));
    let version = form.lock_version.trim().parse::<i32>().ok();
    if version.is_none() {
        errors.add("lock_version", "error-stale-form");
    }
    let (Some(values), Some(version), true) = (values, version, errors.is_empty()) else {
        let refusal = refuse(form, errors, StatusCode::UNPROCESSABLE_ENTITY);
        return show_page(&state, &viewer, path.org, path.action, refusal).await;
    };
    let values = NewAction { incident_id: action.incident_id, ..values };
    let completion = completion.flatten();
    let txn = state.db.begin().await?;
    let actor = Actor::user(user.id, &user.email);
    match store::corrective_actions::correct(&txn, &actor, &action, version, &values, completion.as_ref()).await {
        Ok(_) => txn.commit().await?,
        Err(CorrectionError::Conflict(theirs)) => {
            drop(txn);
            let mut errors = FieldErrors::new();
            errors.add("lock_version", "record-conflict");
            let refusal = refuse(ActionForm::of(&theirs), errors, StatusCode::CONFLICT);
            return show_page(&state, &viewer, path.org, path.action, refusal).await;
        }
        Err(CorrectionError::Database(e)) => return Err(e.into()),
    }
    viewer.flash(FlashKind::Success, "action-corrected", None);
    Ok(see_other(&format!("/orgs/{}/corrective-actions/{}", path.org, path.action)))
}

/// `POST .../complete`: the completion record.
pub async fn complete(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<ActionPath>,
    form: web::Form<CompletionForm>,
) -> AppResult<HttpResponse> {
    let user = viewer.user()?;
    let action = store::corrective_actions::find(&state.db, path.org, path.action).await?.ok_or(AppError::NotFound)?;
    let form = form.into_inner();
    let mut errors = FieldErrors::new();
    if action.status != ActionStatus::Open {
        errors.add("completed_on", "error-action-already-done");
    }
    let completion = parse_completion(&mut errors, &form.completed_on, &form.completion_note, state.clock.today());
    let Some(CompletionValues { completed_on, completion_note: note }) = completion.filter(|_| errors.is_empty())
    else {
        let refusal = ShowRefusal {
            completion: form,
            errors,
            status: StatusCode::UNPROCESSABLE_ENTITY,
            ..ShowRefusal::default()
        };
        return show_page(&state, &viewer, path.org, path.action, refusal).await;
    };
    let txn = state.db.begin().await?;
    store::corrective_actions::complete(&txn, &Actor::user(user.id, &user.email), action, completed_on, &note).await?;
    txn.commit().await?;
    viewer.flash(FlashKind::Success, "action-completed", None);
    Ok(see_other(&format!("/orgs/{}/corrective-actions/{}", path.org, path.action)))
}

/// A corrective action as an evidence target (`/orgs/{org}/corrective-actions/{action}/evidence`).
pub struct ActionEvidence(corrective_action::Model);

impl EvidenceTarget for ActionEvidence {
    type Path = ActionPath;

    async fn find(state: &AppState, _: &Viewer, path: &ActionPath) -> AppResult<Self> {
        let action = store::corrective_actions::find(&state.db, path.org, path.action).await?;
        action.map(Self).ok_or(AppError::NotFound)
    }

    async fn subject(&self, _: &AppState, _: &EvidenceForm) -> AppResult<Option<Subject>> {
        Ok(Some(Subject::CorrectiveAction(self.0.id)))
    }

    fn page(path: &ActionPath) -> String {
        format!("/orgs/{}/corrective-actions/{}", path.org, path.action)
    }

    async fn render_refused(
        state: &AppState,
        viewer: &Viewer,
        path: &ActionPath,
        refusal: EvidenceRefusal,
    ) -> AppResult<HttpResponse> {
        let refused = ShowRefusal { status: refusal.status, evidence: Some(refusal), ..ShowRefusal::default() };
        show_page(state, viewer, path.org, path.action, refused).await
    }
}

/// The routes of this resource, with the access each needs (see `web::routes`).
pub fn routes(r: &mut crate::web::routes::Routes) {
    use crate::web::routes::Access::*;
    use crate::web::viewer::Need;
    r.post("/orgs/{org}/incidents/{incident}/actions", Member(Need::Edit), create_for_incident)
        .back_to("/orgs/{org}/incidents/{incident}/actions", "/orgs/{org}/incidents/{incident}#actions")
        .get("/orgs/{org}/corrective-actions", Member(Need::Read), index)
        .get("/orgs/{org}/corrective-actions/{action}", Member(Need::Read), show)
        .post("/orgs/{org}/corrective-actions/{action}/complete", Member(Need::Edit), complete)
        .back_to("/orgs/{org}/corrective-actions/{action}/complete", "/orgs/{org}/corrective-actions/{action}")
        .post("/orgs/{org}/corrective-actions/{action}/correct", Member(Need::Edit), correct)
        .back_to("/orgs/{org}/corrective-actions/{action}/correct", "/orgs/{org}/corrective-actions/{action}");
    crate::web::evidence::attach::<ActionEvidence>(
        r,
        "/orgs/{org}/corrective-actions/{action}/evidence",
        "/orgs/{org}/corrective-actions/{action}#evidence",
    );
}
