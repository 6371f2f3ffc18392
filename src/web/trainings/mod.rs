//! `/orgs/{org}/trainings`: training (教育) person by person. A plan per PMS year (the four topics,
//! method, audience, period, pass mark), its attendances, and the 教育実施サマリー and each
//! person's standing computed from them.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use sea_orm::TransactionTrait;
use serde::Deserialize;

use crate::domain::people::EmploymentType;
use crate::domain::term::Term;
use crate::domain::text::free_text;
use crate::domain::training::{Audience, Counts, Topic};
use crate::domain::{FieldErrors, Lang};
use crate::entities::{person, training};
use crate::jobs::training_follow_up;
use crate::store::audit::{self, Changes, Entry};
use crate::store::evidence::Subject;
use crate::store::paging::{Page, SortKey};
use crate::store::trainings::{AttendanceValues, TrainingValues};
use crate::store::{self, audit::Actor};
use crate::web::error::{AppError, AppResult};
use crate::web::evidence::{EvidenceForm, EvidencePanel, EvidenceRefusal, EvidenceTarget};
use crate::web::forms::{FormState, OrgPath};
use crate::web::list::{ListQuery, ListView};
use crate::web::page::{PageContext, render, render_with_status, see_other};
use crate::web::session::FlashKind;
use crate::web::state::AppState;
use crate::web::viewer::Viewer;

#[derive(Debug, Deserialize)]
pub struct TrainingPath {
    pub org: i32,
    pub training: i32,
}

/// The plan form (`topics`, `departments` and `employments` repeat: read with `serde_html_form`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct TrainingForm {
    pub pms_year: String,
    pub title: String,
    pub topics: Vec<String>,
    pub method: String,
    pub departments: Vec<String>,
    pub employments: Vec<String>,
    pub starts_on: String,
    pub ends_on: String,
    pub pass_mark: String,
    pub notes: String,
}

impl TrainingForm {
    fn parse(&self, departments: &[i32]) -> Result<TrainingValues, FieldErrors> {
        let mut errors = FieldErrors::new();
        let pms_year = self.pms_year.trim().parse::<i32>().ok().filter(|y| (1990..=9999).contains(y));
        if pms_year.is_none() {
            errors.add("pms_year", "error-pms-year");
        }
        let title = errors.take("title", free_text(&self.title, 200, true)).unwrap_or_default();
        let topics: Vec<Topic> = self.topics.iter().filter_map(|t| Topic::parse(t).ok()).collect();
        if !crate::domain::training::missing_topics(&topics).is_empty() {
            errors.add("topics", "error-training-topics");
        }
        let method = errors.take("method", free_text(&self.method, 100, true)).unwrap_or_default();
        let chosen_departments: Vec<i32> = self.departments.iter().filter_map(|d| d.parse().ok()).collect();
        if chosen_departments.iter().any(|d| !departments.contains(d)) {
            errors.add("departments", "error-choice");
        }
        let employments: Vec<EmploymentType> =
            self.employments.iter().filter_map(|e| EmploymentType::parse(e).ok()).collect();
        let date = |text: &str| crate::domain::control::parse_date(text).ok();
        let (starts_on, ends_on) = (date(&self.starts_on), date(&self.ends_on));
        if starts_on.is_none() {
            errors.add("starts_on", "error-date");
        }
        if ends_on.is_none() {
            errors.add("ends_on", "error-date");
        }
        if let (Some(start), Some(end)) = (starts_on, ends_on)
            && end < start
        {
            errors.add("ends_on", "error-training-period");
        }
        let pass_mark = if self.pass_mark.trim().is_empty() {
            Some(None)
        } else {
            match self.pass_mark.trim().parse::<i32>() {
                Ok(mark) if (0..=1000).contains(&mark) => Some(Some(mark)),
                _ => {
                    errors.add("pass_mark", "error-score");
                    None
                }
            }
        };
        let notes = errors.take("notes", free_text(&self.notes, 4000, false)).unwrap_or_default();
        match (pms_year, starts_on, ends_on, pass_mark) {
            (Some(pms_year), Some(starts_on), Some(ends_on), Some(pass_mark)) if errors.is_empty() => {
                Ok(TrainingValues {
                    pms_year,
                    title,
                    topics,
                    method,
                    audience: Audience { departments: chosen_departments, employments },
                    starts_on,
                    ends_on,
                    pass_mark,
                    notes,
                })
            }
            _ => Err(errors),
        }
    }
}

/// How the trainings list is ordered: newest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrainingSort {
    StartsOn,
}

impl SortKey for TrainingSort {
    const ALL: &'static [Self] = &[TrainingSort::StartsOn];
    const DEFAULT: Self = TrainingSort::StartsOn;

    fn key(self) -> &'static str {
        "starts_on"
    }

    fn descending_first(self) -> bool {
        true
    }
}

#[derive(Template)]
#[template(path = "trainings/index.html")]
struct ListPage {
    ctx: PageContext,
    org_id: i32,
    rows: Vec<training::Model>,
    list: ListView,
    can_edit: bool,
    form: FormState<TrainingForm>,
    /// `(id, path)` of every department.
    departments: Vec<(i32, String)>,
    topics: &'static [Topic],
    employments: &'static [EmploymentType],
}

async fn list_page(
    state: &AppState,
    viewer: &Viewer,
    org: i32,
    list: &ListQuery<TrainingSort, crate::web::list::NoFilter>,
    form: FormState<TrainingForm>,
) -> AppResult<ListPage> {
    let membership = viewer.member()?;
    let mut all = store::trainings::list(&state.db, org).await?;
    if !list.descending {
        all.reverse();
    }
    let page = Page::of(all, list.page, list.per);
    let mut departments: Vec<(i32, String)> =
        crate::web::people::department_names(state, org).await?.into_iter().collect();
    departments.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(ListPage {
        ctx: viewer.page(Some(org)),
        org_id: org,
        list: list.view(format!("/orgs/{org}/trainings"), &page),
        rows: page.rows,
        can_edit: membership.role.can_edit(),
        form,
        departments,
        topics: Topic::ALL,
        employments: EmploymentType::ALL,
    })
}

/// `GET /orgs/{org}/trainings`: the trainings, newest first, and the form for a new one.
pub async fn index(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<OrgPath>,
    list: ListQuery<TrainingSort, crate::web::list::NoFilter>,
) -> AppResult<HttpResponse> {
    let start = u32::try_from(viewer.member()?.organisation.pms_year_start_month).unwrap_or(4);
    let start = crate::domain::pms_year::Month::new(start).unwrap_or(crate::domain::pms_year::Month::APRIL);
    let year = crate::domain::pms_year::PmsYear::containing(state.clock.today(), start).label;
    let form = TrainingForm {
        pms_year: year.to_string(),
        topics: Topic::ALL.iter().map(|t| t.as_str().to_owned()).collect(),
        ..TrainingForm::default()
    };
    render(&list_page(&state, &viewer, path.org, &list, FormState::new("training-form", form)).await?)
}

/// `POST /orgs/{org}/trainings`: a new training.
pub async fn create(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<OrgPath>,
    body: web::Bytes,
) -> AppResult<HttpResponse> {
    let user = viewer.user()?;
    let form: TrainingForm = serde_html_form::from_bytes(&body).map_err(|_| AppError::BadRequest("malformed form"))?;
    let departments: Vec<i32> = store::people::departments(&state.db, path.org).await?.iter().map(|d| d.id).collect();
    let values = match form.parse(&departments) {
        Ok(values) => values,
        Err(errors) => {
            let page = list_page(
                &state,
                &viewer,
                path.org,
                &ListQuery::default(),
                FormState::refused("training-form", form, errors),
            )
            .await?;
            return render_with_status(&page, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let txn = state.db.begin().await?;
    let created = store::trainings::create(&txn, &Actor::user(user.id, &user.email), path.org, &values).await?;
    txn.commit().await?;
    viewer.flash(FlashKind::Success, "training-created", Some(created.title.clone()));
    Ok(see_other(&format!("/orgs/{}/trainings/{}", path.org, created.id)))
}

/// The standings list's filter (`standing`: trained, failed, not_yet, newcomer; empty for all).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct StandingFilter {
    pub standing: String,
}

/// The order of the standings list: by reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StandingSort {
    Kana,
}

impl SortKey for StandingSort {
    const ALL: &'static [Self] = &[StandingSort::Kana];
    const DEFAULT: Self = StandingSort::Kana;

    fn key(self) -> &'static str {
        "kana"
    }
}

/// A summary line as shown.
pub struct SummaryLine {
    pub label: String,
    pub counts: Counts,
}

#[derive(Template)]
#[template(path = "trainings/show.html", blocks = ["title", "content"])]
struct ShowPage {
    ctx: PageContext,
    org_id: i32,
    training: training::Model,
    topics: Vec<Topic>,
    audience: String,
    lines: Vec<SummaryLine>,
    total: Counts,
    followed_up: usize,
    people: Vec<(person::Model, &'static str)>,
    list: ListView,
    filter: StandingFilter,
    can_edit: bool,
    attendance: FormState<AttendanceForm>,
    /// The follow-up notices it would send, for those who manage.
    follow_up: Option<FollowUpView>,
    /// Its materials and records (教材、受講記録の原本).
    evidence: EvidencePanel,
    history: Vec<crate::web::history::Row>,
}

/// The follow-up notices of a training as the page announces them.
pub struct FollowUpView {
    pub due: usize,
    /// Who is told, and how, in words.
    pub plan: String,
    pub unreachable: String,
}

impl FollowUpView {
    fn of(plan: &training_follow_up::Plan, lang: Lang) -> Self {
        Self {
            due: plan.due(),
            plan: crate::i18n::t_args(
                lang,
                "training-follow-up-plan",
                &[
                    ("due", plan.due().to_string()),
                    ("direct", plan.direct().to_string()),
                    ("through", plan.through_heads().to_string()),
                ],
            ),
            unreachable: plan.unreachable.join("、"),
        }
    }
}

/// One attendance typed in: the person by employee number, the day, the score, a note.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct AttendanceForm {
    pub employee_number: String,
    pub attended_on: String,
    pub score: String,
    pub note: String,
}

async fn show_page(
    state: &AppState,
    viewer: &Viewer,
    org: i32,
    id: i32,
    list: &ListQuery<StandingSort, StandingFilter>,
    attendance: FormState<AttendanceForm>,
    evidence_refusal: Option<EvidenceRefusal>,
) -> AppResult<ShowPage> {
    let membership = viewer.member()?;
    let training = store::trainings::find(&state.db, org, id).await?.ok_or(AppError::NotFound)?;
    let computed = store::trainings::state(&state.db, &training).await?;
    let departments = store::people::departments(&state.db, org).await?;
    let names = crate::web::people::names_of(&departments);
    let plan = store::trainings::plan_of(&training);
    let mut audience: Vec<String> = plan.audience.departments.iter().filter_map(|d| names.get(d).cloned()).collect();
    audience.extend(plan.audience.employments.iter().map(|e| crate::i18n::t(viewer.lang, &e.label_key())));
    let audience = if audience.is_empty() {
        crate::i18n::t(viewer.lang, "training-audience-everyone")
    } else {
        audience.join("、")
    };
    let lines = computed
        .summary
        .by_employment
        .iter()
        .map(|(employment, counts)| SummaryLine {
            label: crate::i18n::t(viewer.lang, &employment.label_key()),
            counts: *counts,
        })
        .collect();
    let can_edit = membership.role.can_edit();
    let follow_up = if can_edit {
        let plan =
            training_follow_up::plan(&state.db, &training, &computed.standings, &departments, state.clock.today())
                .await
                .map_err(AppError::Internal)?;
        Some(FollowUpView::of(&plan, viewer.lang))
    } else {
        None
    };
    let wanted = list.filter.standing.as_str();
    let standings: Vec<(person::Model, &'static str)> = computed
        .standings
        .into_iter()
        .map(|(person, standing)| (person, standing.as_str()))
        .filter(|(_, key)| wanted.is_empty() || *key == wanted)
        .collect();
    let page = Page::of(standings, list.page, list.per);
    let history = crate::web::history::panel(
        state,
        org,
        viewer.locale(),
        &[store::audit::Subjects::one("training", training.id)],
    )
    .await?;
    let snapshot = state.snapshot(&membership.organisation).await?;
    let evidence = EvidencePanel::new(
        org,
        format!("/orgs/{org}/trainings/{id}/evidence"),
        store::evidence::list_for(&state.db, org, Subject::Training(training.id))
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
        snapshot.member_names.clone(),
        can_edit,
        state.settings.uploads.max_mb,
    )
    .refused(evidence_refusal);
    Ok(ShowPage {
        ctx: viewer.page(Some(org)),
        org_id: org,
        evidence,
        topics: store::trainings::topics_of(&training),
        audience,
        lines,
        total: computed.summary.total,
        followed_up: computed.summary.followed_up,
        list: list.view(format!("/orgs/{org}/trainings/{id}"), &page).with_anchor("standings"),
        people: page.rows,
        filter: StandingFilter { standing: list.filter.standing.clone() },
        can_edit,
        attendance,
        follow_up,
        history,
        training,
    })
}

/// `GET /orgs/{org}/trainings/{training}`: the summary and each person's standing.
pub async fn show(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<TrainingPath>,
    list: ListQuery<StandingSort, StandingFilter>,
) -> AppResult<HttpResponse> {
    // Computed over every person of the organisation: rendered once per data version (people,
    // trainings and attendances move it) and served from the cache after that.
    crate::web::cached::org_page(&state, &viewer, async |ctx| {
        let form = FormState::new("attendance-form", AttendanceForm::default());
        let page = show_page(&state, &viewer, path.org, path.training, &list, form, None).await?;
        Ok(ShowPage { ctx, ..page })
    })
    .await
}

crate::cached_blocks!(ShowPage);

/// `POST /orgs/{org}/trainings/{training}/attendances`: one attendance typed in.
pub async fn record_attendance(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<TrainingPath>,
    form: web::Form<AttendanceForm>,
) -> AppResult<HttpResponse> {
    let user = viewer.user()?;
    let form = form.into_inner();
    let training = store::trainings::find(&state.db, path.org, path.training).await?.ok_or(AppError::NotFound)?;
    let mut errors = FieldErrors::new();
    let person = match crate::domain::people::employee_number(&form.employee_number) {
        Ok(number) => {
            let found = store::people::find_by_number(&state.db, path.org, &number).await?;
            if found.is_none() {
                errors.add("employee_number", "error-import-unknown-person");
            }
            found
        }
        Err(key) => {
            errors.add("employee_number", key);
            None
        }
    };
    let attended_on = errors.take("attended_on", crate::domain::people::date(&form.attended_on));
    if attended_on.is_some_and(|d| d > state.clock.today()) {
        errors.add("attended_on", "error-date-in-future");
    }
    let score = if form.score.trim().is_empty() {
        None
    } else {
        let parsed = form.score.trim().parse::<i32>().ok().filter(|s| (0..=1000).contains(s));
        if parsed.is_none() {
            errors.add("score", "error-score");
        }
        parsed
    };
    let note = errors.take("note", free_text(&form.note, 200, false));
    let (Some(person), Some(attended_on), Some(note)) = (person, attended_on, note) else {
        return refuse(&state, &viewer, &path, form, errors).await;
    };
    if !errors.is_empty() {
        return refuse(&state, &viewer, &path, form, errors).await;
    }
    let values =
        AttendanceValues { person_id: person.id, attended_on, score, note: (!note.is_empty()).then_some(note) };
    let txn = state.db.begin().await?;
    store::trainings::record_attendances(&txn, &Actor::user(user.id, &user.email), &training, &[values]).await?;
    txn.commit().await?;
    viewer.flash(FlashKind::Success, "attendance-recorded", Some(person.name));
    Ok(see_other(&format!("/orgs/{}/trainings/{}#standings", path.org, path.training)))
}

async fn refuse(
    state: &AppState,
    viewer: &Viewer,
    path: &TrainingPath,
    form: AttendanceForm,
    errors: FieldErrors,
) -> AppResult<HttpResponse> {
    let page = show_page(
        state,
        viewer,
        path.org,
        path.training,
        &ListQuery::default(),
        FormState::refused("attendance-form", form, errors),
        None,
    )
    .await?;
    render_with_status(&page, StatusCode::UNPROCESSABLE_ENTITY)
}

/// A training as the target of evidence: its materials, attendance sheets, test papers.
pub struct TrainingEvidence(training::Model);

impl EvidenceTarget for TrainingEvidence {
    type Path = TrainingPath;

    async fn find(state: &AppState, _: &Viewer, path: &TrainingPath) -> AppResult<Self> {
        let found = store::trainings::find(&state.db, path.org, path.training).await?;
        found.map(Self).ok_or(AppError::NotFound)
    }

    async fn subject(&self, _: &AppState, _: &EvidenceForm) -> AppResult<Option<Subject>> {
        Ok(Some(Subject::Training(self.0.id)))
    }

    fn page(path: &TrainingPath) -> String {
        format!("/orgs/{}/trainings/{}", path.org, path.training)
    }

    async fn render_refused(
        state: &AppState,
        viewer: &Viewer,
        path: &TrainingPath,
        refusal: EvidenceRefusal,
    ) -> AppResult<HttpResponse> {
        let status = refusal.status;
        let form = FormState::new("attendance-form", AttendanceForm::default());
        let page =
            show_page(state, viewer, path.org, path.training, &ListQuery::default(), form, Some(refusal)).await?;
        render_with_status(&page, status)
    }
}

/// The follow-up notices' language.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct FollowUpForm {
    pub lang: String,
}

/// `POST /orgs/{org}/trainings/{training}/follow-ups`: queues the follow-up notices (追加教育のご
/// 案内) of everyone still due, recorded in the training's history.
pub async fn send_follow_ups(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<TrainingPath>,
    form: web::Form<FollowUpForm>,
) -> AppResult<HttpResponse> {
    let user = viewer.user()?;
    let membership = viewer.member()?;
    let training = store::trainings::find(&state.db, path.org, path.training).await?.ok_or(AppError::NotFound)?;
    // An unknown language is not worth a refused form: the select offers two, Japanese first.
    let lang = Lang::parse(&form.lang).unwrap_or_default();
    let today = state.clock.today();
    let computed = store::trainings::state(&state.db, &training).await?;
    let departments = store::people::departments(&state.db, path.org).await?;
    let plan = training_follow_up::plan(&state.db, &training, &computed.standings, &departments, today)
        .await
        .map_err(AppError::Internal)?;
    let txn = state.db.begin().await?;
    let added = training_follow_up::enqueue(
        &txn,
        &membership.organisation.name,
        &training,
        &plan,
        crate::i18n::Locale::new(lang, membership.organisation.date_style),
        state.clock.now(),
        today,
    )
    .await
    .map_err(AppError::Internal)?;
    if added > 0 {
        let unreachable = i64::try_from(plan.unreachable.len()).unwrap_or(i64::MAX);
        let changes = Changes::new()
            .created("notices", i64::try_from(added).unwrap_or(i64::MAX))
            .created("unreachable", unreachable);
        audit::record(
            &txn,
            &Actor::user(user.id, &user.email),
            Entry::new(Some(path.org), "training", training.id, "notify_follow_up", changes),
        )
        .await?;
    }
    txn.commit().await?;
    if added > 0 {
        state.scheduler.wake();
        viewer.flash(FlashKind::Success, "training-follow-up-sent", Some(added.to_string()));
    } else {
        viewer.flash(FlashKind::Success, "training-follow-up-nothing-new", None);
    }
    Ok(see_other(&format!("/orgs/{}/trainings/{}#follow-up", path.org, path.training)))
}

/// The routes of this resource, with the access each needs (see `web::routes`).
pub fn routes(r: &mut crate::web::routes::Routes) {
    use crate::web::routes::Access::*;
    use crate::web::viewer::Need;
    r.get("/orgs/{org}/trainings", Member(Need::Read), index)
        .post("/orgs/{org}/trainings", Member(Need::Edit), create)
        .get("/orgs/{org}/trainings/{training}", Member(Need::Read), show)
        .post("/orgs/{org}/trainings/{training}/attendances", Member(Need::Edit), record_attendance)
        .post("/orgs/{org}/trainings/{training}/follow-ups", Member(Need::Edit), send_follow_ups)
        .back_to("/orgs/{org}/trainings/{training}/attendances", "/orgs/{org}/trainings/{training}#attendance-form");
    crate::web::evidence::attach::<TrainingEvidence>(
        r,
        "/orgs/{org}/trainings/{training}/evidence",
        "/orgs/{org}/trainings/{training}#evidence",
    );
}
