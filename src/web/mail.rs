//! `/orgs/{org}/mail` (admins): who receives the reminders, the outbox with a retry for failed
//! rows, a test e-mail, and what this server's reminder scheduler last did.

use crate::domain::outbox::{MessageKind, OutboxState};
use crate::domain::term::Term;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use sea_orm::TransactionTrait;
use serde::Deserialize;

use crate::domain::{EmailAddress, FieldErrors, Lang};
use crate::entities::{outbox, reminder_recipient};
use crate::i18n::{self, Translator};
use crate::jobs::scheduler::{Health, PassOutcome, SchedulerState};
use crate::store::audit::{self, Actor, Changes, Entry};
use crate::store::outbox::OutboxSort;
use crate::store::{self, outbox::NewMessage};
use crate::web::error::{AppError, AppResult};
use crate::web::forms::OrgPath;
use crate::web::list::{ListQuery, ListView};
use crate::web::page::{PageContext, render_with_status, see_other};
use crate::web::session::FlashKind;
use crate::web::state::AppState;
use crate::web::viewer::Viewer;

#[derive(Debug, Deserialize)]
pub struct RowPath {
    pub org: i32,
    pub id: i64,
}

#[derive(Debug, Deserialize)]
pub struct RecipientPath {
    pub org: i32,
    pub id: i32,
}

/// The outbox filter as the URL carries it.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Filter {
    /// One of `store::outbox::STATES`, or empty for all.
    pub state: String,
}

/// The outbox list's state in the URL.
pub type OutboxQuery = ListQuery<OutboxSort, Filter>;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RecipientForm {
    pub email: String,
    pub lang: String,
}

/// What the scheduler of this server did, in words for the page.
pub struct SchedulerView {
    /// Translation key of the state.
    pub state_key: &'static str,
    pub finished_at: Option<chrono::DateTime<chrono::Utc>>,
    pub report: Option<crate::jobs::pass::PassReport>,
    pub needs_attention: bool,
    pub interval_minutes: u64,
}

impl SchedulerView {
    pub fn of(state: &AppState) -> Self {
        let scheduler = &state.scheduler;
        let (state_key, finished_at, report) = match scheduler.state() {
            SchedulerState::Disabled => ("scheduler-disabled", None, None),
            SchedulerState::MailSettingsBroken => ("scheduler-mail-broken", None, None),
            SchedulerState::Starting => ("scheduler-starting", None, None),
            SchedulerState::Ran(pass) => {
                let at = Some(pass.finished_at);
                match pass.outcome {
                    PassOutcome::Completed(report) => ("scheduler-ran", at, Some(report)),
                    PassOutcome::Failed => ("scheduler-failed", at, None),
                }
            }
        };
        Self {
            state_key,
            finished_at,
            report,
            needs_attention: scheduler.health(state.clock.now()) == Health::Attention,
            interval_minutes: scheduler.interval_minutes(),
        }
    }
}

#[derive(Template)]
#[template(path = "mail/index.html")]
struct MailPage {
    ctx: PageContext,
    org_id: i32,
    scheduler: SchedulerView,
    /// `file` or `smtp`.
    transport: String,
    recipients: Vec<reminder_recipient::Model>,
    form: RecipientForm,
    errors: FieldErrors,
    /// The state filter (`None` for all) and the count per state.
    filter: Option<OutboxState>,
    counts: Vec<(OutboxState, i64)>,
    total: i64,
    rows: Vec<outbox::Model>,
    /// The outbox's paging, order and links that keep the filter.
    list: ListView,
}

impl MailPage {
    fn lang_name(lang: &Lang) -> &'static str {
        lang.native_name()
    }

    fn recipients_of(row: &outbox::Model) -> String {
        serde_json::from_str::<Vec<String>>(&row.recipients).map(|r| r.join(", ")).unwrap_or_default()
    }
}

async fn page(
    state: &AppState,
    viewer: &Viewer,
    org_id: i32,
    list: OutboxQuery,
    form: RecipientForm,
    errors: FieldErrors,
    status: StatusCode,
) -> AppResult<HttpResponse> {
    let by_state = store::outbox::counts_by_state(&state.db, org_id).await?;
    let counts: Vec<(OutboxState, i64)> = OutboxState::ALL
        .iter()
        .map(|s| (*s, by_state.iter().find(|(state, _)| state == s).map_or(0, |(_, n)| *n)))
        .collect();
    let known = OutboxState::parse(&list.filter.state).ok();
    // The counts shown above the list give its length: no separate count.
    let listed: i64 = counts.iter().filter(|(s, _)| known.is_none_or(|k| k == *s)).map(|(_, n)| n).sum();
    let page =
        store::outbox::page(&state.db, org_id, known, u64::try_from(listed).unwrap_or(0), list.request()).await?;
    render_with_status(
        &MailPage {
            ctx: viewer.page(Some(org_id)),
            org_id,
            scheduler: SchedulerView::of(state),
            transport: state.settings.mail.transport.clone(),
            recipients: store::reminder_recipients::list(&state.db, org_id).await?,
            form,
            errors,
            filter: known,
            total: counts.iter().map(|(_, n)| n).sum(),
            counts,
            list: list.view(format!("/orgs/{org_id}/mail"), &page).with_anchor("outbox-heading"),
            rows: page.rows,
        },
        status,
    )
}

pub async fn show(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<OrgPath>,
    list: OutboxQuery,
) -> AppResult<HttpResponse> {
    let form = RecipientForm { email: String::new(), lang: viewer.lang.code().to_owned() };
    page(&state, &viewer, path.org, list, form, FieldErrors::new(), StatusCode::OK).await
}

pub async fn add_recipient(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<OrgPath>,
    form: web::Form<RecipientForm>,
) -> AppResult<HttpResponse> {
    let user = viewer.user()?;
    let form = form.into_inner();
    let mut errors = FieldErrors::new();
    let email = errors.take("email", EmailAddress::parse(&form.email));
    let lang = errors.take("lang", Lang::parse(&form.lang));
    let (Some(email), Some(lang)) = (email, lang) else {
        return page(&state, &viewer, path.org, OutboxQuery::default(), form, errors, StatusCode::UNPROCESSABLE_ENTITY)
            .await;
    };
    let txn = state.db.begin().await?;
    let added =
        store::reminder_recipients::add(&txn, &Actor::user(user.id, &user.email), path.org, &email, lang).await?;
    txn.commit().await?;
    if !added {
        errors.add("email", "error-recipient-exists");
        return page(&state, &viewer, path.org, OutboxQuery::default(), form, errors, StatusCode::UNPROCESSABLE_ENTITY)
            .await;
    }
    viewer.flash(FlashKind::Success, "mail-recipient-added", Some(email.as_str().to_owned()));
    Ok(see_other(&format!("/orgs/{}/mail", path.org)))
}

pub async fn remove_recipient(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<RecipientPath>,
) -> AppResult<HttpResponse> {
    let user = viewer.user()?;
    let txn = state.db.begin().await?;
    let removed =
        store::reminder_recipients::remove(&txn, &Actor::user(user.id, &user.email), path.org, path.id).await?;
    txn.commit().await?;
    if !removed {
        return Err(AppError::NotFound);
    }
    viewer.flash(FlashKind::Success, "mail-recipient-removed", None);
    Ok(see_other(&format!("/orgs/{}/mail", path.org)))
}

#[derive(Template)]
#[template(path = "email/test_message.txt")]
struct TestText<'a> {
    ctx: Translator,
    organisation: &'a str,
    link: &'a str,
}

#[derive(Template)]
#[template(path = "email/test_message.html")]
struct TestHtml<'a> {
    ctx: Translator,
    organisation: &'a str,
    link: &'a str,
}

/// Queues a test e-mail to the admin's own address and wakes the scheduler.
pub async fn send_test(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<OrgPath>,
) -> AppResult<HttpResponse> {
    let membership = viewer.member()?;
    let user = viewer.user()?;
    let lang = user.locale;
    let organisation = membership.organisation.name.as_str();
    let link = format!("{}/orgs/{}/mail", state.public_url, path.org);
    let ctx = || Translator { lang, dates: membership.organisation.date_style };
    let message = NewMessage {
        organisation_id: Some(path.org),
        dedupe_key: format!("test:{}:{}", path.org, crate::security::tokens::new_token()),
        kind: MessageKind::Test,
        recipients: vec![user.email.clone()],
        lang,
        subject: i18n::t_args(lang, "mail-test-subject", &[("organisation", organisation.to_owned())]),
        body_text: TestText { ctx: ctx(), organisation, link: &link }.render().map_err(AppError::from)?,
        body_html: TestHtml { ctx: ctx(), organisation, link: &link }.render().map_err(AppError::from)?,
        skip_reason: None,
    };
    let txn = state.db.begin().await?;
    store::outbox::enqueue(&txn, message, state.clock.now()).await?;
    audit::record(
        &txn,
        &Actor::user(user.id, &user.email),
        Entry::new(
            Some(path.org),
            "mail",
            "test".to_owned(),
            "create",
            Changes::new().created("recipient", user.email.clone()),
        ),
    )
    .await?;
    txn.commit().await?;
    state.scheduler.wake();
    let key = if matches!(state.scheduler.state(), SchedulerState::Disabled | SchedulerState::MailSettingsBroken) {
        "mail-test-queued-not-running"
    } else {
        "mail-test-queued"
    };
    viewer.flash(FlashKind::Success, key, Some(user.email.clone()));
    Ok(see_other(&format!("/orgs/{}/mail", path.org)))
}

/// Puts a failed row back in the queue.
pub async fn retry(state: web::Data<AppState>, viewer: Viewer, path: web::Path<RowPath>) -> AppResult<HttpResponse> {
    let user = viewer.user()?;
    let txn = state.db.begin().await?;
    let retried = store::outbox::retry(&txn, path.org, path.id, state.clock.now()).await?;
    if retried {
        audit::record(
            &txn,
            &Actor::user(user.id, &user.email),
            Entry::new(
                Some(path.org),
                "outbox",
                path.id,
                "retry",
                Changes::new().changed("state", "failed", "pending"),
            ),
        )
        .await?;
    }
    txn.commit().await?;
    if !retried {
        // Not a failed row of this organisation (perhaps already retried by someone else).
        viewer.flash(FlashKind::Error, "mail-retry-not-failed", None);
        return Ok(see_other(&format!("/orgs/{}/mail", path.org)));
    }
    state.scheduler.wake();
    viewer.flash(FlashKind::Success, "mail-retry-queued", None);
    Ok(see_other(&format!("/orgs/{}/mail?state=pending", path.org)))
}

/// The routes of this resource, with the access each needs (see `web::routes`).
pub fn routes(r: &mut crate::web::routes::Routes) {
    use crate::web::routes::Access::*;
    use crate::web::viewer::Need;
    r.get("/orgs/{org}/mail", Member(Need::Manage), show)
        .post("/orgs/{org}/mail/recipients", Member(Need::Manage), add_recipient)
        .back_to("/orgs/{org}/mail/recipients", "/orgs/{org}/mail#recipient-form")
        .post("/orgs/{org}/mail/recipients/{id}/remove", Member(Need::Manage), remove_recipient)
        .back_to("/orgs/{org}/mail/recipients/{id}/remove", "/orgs/{org}/mail")
        .post("/orgs/{org}/mail/test", Member(Need::Manage), send_test)
        .back_to("/orgs/{org}/mail/test", "/orgs/{org}/mail")
        .post("/orgs/{org}/mail/outbox/{id}/retry", Member(Need::Manage), retry)
        .back_to("/orgs/{org}/mail/outbox/{id}/retry", "/orgs/{org}/mail");
}
