//! The renewal decision (更新の決定) and its undoing. Recording a decision ends the current
//! validity and starts the next one, so it takes the day it was decided and the new validity,
//! asks to be confirmed, and is refused unless a timely renewal application was recorded. An
//! admin can undo the last decision: the previous cycle, kept untouched, is current again.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use chrono::{Days, NaiveDate};
use sea_orm::TransactionTrait;
use serde::Deserialize;

use super::{Shown, page, parse_validity};
use crate::domain::FieldErrors;
use crate::domain::certification::next_cycle;
use crate::domain::control::parse_required_date;
use crate::domain::renewal::{ApplicationTiming, RenewalWindow};
use crate::entities::certification;
use crate::store::certifications::RenewalDecision;
use crate::store::{self, audit::Actor};
use crate::web::error::{AppError, AppResult};
use crate::web::forms::{FormState, OrgPath};
use crate::web::page::see_other;
use crate::web::session::FlashKind;
use crate::web::state::AppState;
use crate::web::viewer::Viewer;

/// The element id of the decision form.
pub const DECISION_FORM: &str = "renewal-form";
/// The element id of the undo form.
pub const UNDO_FORM: &str = "renewal-undo-form";
/// The value of a ticked confirmation box.
const CONFIRMED: &str = "yes";

/// Refuses, under `applied_on`, an application date outside `window` (JIPDEC accepts a renewal
/// application only inside it), naming the window's dates.
pub fn check_application(errors: &mut FieldErrors, window: &RenewalWindow, applied_on: NaiveDate) {
    let key = match window.application_timing(applied_on) {
        ApplicationTiming::InWindow => return,
        ApplicationTiming::BeforeWindow => "error-applied-before-window",
        ApplicationTiming::AfterWindow => "error-applied-after-window",
    };
    errors.add_with(
        "applied_on",
        key,
        vec![
            ("applied", applied_on.to_string()),
            ("opens", window.window_opens.to_string()),
            ("closes", window.window_closes.to_string()),
        ],
    );
}

/// The renewal decision as entered.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct DecisionForm {
    /// 更新決定日: the day the examination body decided the renewal.
    pub decided_on: String,
    pub valid_from: String,
    /// Empty: two years from `valid_from`.
    pub valid_until: String,
    /// `yes` when the switch to the new validity was confirmed.
    pub confirmed: String,
    /// The id of the cycle the decision renews, as the page showed it.
    pub cycle: String,
}

impl DecisionForm {
    /// The form for the current cycle: decided today, the next two-year term.
    pub fn proposed(current: Option<&certification::Model>, today: NaiveDate) -> Self {
        let (valid_from, valid_until) =
            current.map(|c| next_cycle(c.valid_until)).map(|(f, u)| (f.to_string(), u.to_string())).unwrap_or_default();
        Self {
            decided_on: today.to_string(),
            valid_from,
            valid_until,
            confirmed: String::new(),
            cycle: current.map(|c| c.id.to_string()).unwrap_or_default(),
        }
    }

    /// The decision, or why it cannot be recorded for `current` (whose window is `window`).
    fn parse(
        &self,
        current: &certification::Model,
        window: &RenewalWindow,
        today: NaiveDate,
    ) -> Result<RenewalDecision, FieldErrors> {
        let mut errors = FieldErrors::new();
        if self.cycle.trim() != current.id.to_string() {
            errors.add("cycle", "error-renewal-stale");
        }
        match current.applied_on {
            None => errors.add("applied_on", "error-renewal-not-applied"),
            Some(applied_on) => check_application(&mut errors, window, applied_on),
        }
        let decided_on = errors.take("decided_on", parse_required_date(&self.decided_on));
        if decided_on.is_some_and(|d| d > today) {
            errors.add("decided_on", "error-date-in-future");
        }
        if let (Some(decided), Some(applied)) = (decided_on, current.applied_on)
            && decided < applied
        {
            errors.add_with("decided_on", "error-decided-before-application", vec![("applied", applied.to_string())]);
        }
        let (valid_from, valid_until) = parse_validity(&mut errors, &self.valid_from, &self.valid_until);
        let day_after_expiry = current.valid_until + Days::new(1);
        if let Some(from) = valid_from
            && (from <= current.valid_from || from > day_after_expiry)
        {
            errors.add_with(
                "valid_from",
                "error-renewal-valid-from",
                vec![("current", current.valid_from.to_string()), ("next", day_after_expiry.to_string())],
            );
        }
        if valid_until.is_some_and(|until| until <= current.valid_until) {
            errors.add_with(
                "valid_until",
                "error-renewal-valid-until",
                vec![("expiry", current.valid_until.to_string())],
            );
        }
        if self.confirmed != CONFIRMED {
            errors.add("confirmed", "error-renewal-confirm");
        }
        match (decided_on, valid_from, valid_until) {
            (Some(decided_on), Some(valid_from), Some(valid_until)) if errors.is_empty() => {
                Ok(RenewalDecision { decided_on, valid_from, valid_until })
            }
            _ => Err(errors),
        }
    }
}

/// The confirmation of an undo.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct UndoForm {
    /// `yes` when the undo was confirmed.
    pub confirmed: String,
    /// The id of the cycle to remove, as the page showed it.
    pub cycle: String,
}

impl UndoForm {
    /// The form for the current cycle.
    pub fn of(current: Option<&certification::Model>) -> Self {
        Self { confirmed: String::new(), cycle: current.map(|c| c.id.to_string()).unwrap_or_default() }
    }

    fn parse(&self, latest: &certification::Model) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        if self.cycle.trim() != latest.id.to_string() {
            errors.add("cycle", "error-renewal-stale");
        }
        if self.confirmed != CONFIRMED {
            errors.add("confirmed", "error-renewal-undo-confirm");
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }
}

/// POST `/orgs/{org}/certification/renewed`: records the renewal decision of the current cycle.
pub async fn decide(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<OrgPath>,
    form: web::Form<DecisionForm>,
) -> AppResult<HttpResponse> {
    let user = viewer.user()?;
    let form = form.into_inner();
    let history = store::certifications::history(&state.db, path.org).await?;
    let Some(current) = history.first() else { return Err(AppError::NotFound) };
    let window = state.settings.renewal.window(current.valid_until);
    let decision = match form.parse(current, &window, state.clock.today()) {
        Ok(decision) => decision,
        Err(errors) => {
            let shown = Shown { decision: Some(FormState::refused(DECISION_FORM, form, errors)), ..Shown::default() };
            return page(&state, &viewer, path.org, shown, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let txn = state.db.begin().await?;
    match store::certifications::record_renewal(&txn, &Actor::user(user.id, &user.email), current, &decision).await {
        Ok(_) => {
            txn.commit().await?;
            viewer.flash(FlashKind::Success, "certification-renewed", None);
        }
        Err(e) if store::is_unique_violation(&e) => {
            viewer.flash(FlashKind::Error, "certification-already-renewed", None)
        }
        Err(e) => return Err(e.into()),
    }
    Ok(see_other(&format!("/orgs/{}/certification", path.org)))
}

/// POST `/orgs/{org}/certification/renewed/undo`: removes the latest cycle, which a renewal
/// decision started, so that the previous one is current again (admins).
pub async fn undo(
    state: web::Data<AppState>,
    viewer: Viewer,
    path: web::Path<OrgPath>,
    form: web::Form<UndoForm>,
) -> AppResult<HttpResponse> {
    let user = viewer.user()?;
    let form = form.into_inner();
    let history = store::certifications::history(&state.db, path.org).await?;
    let (Some(latest), Some(previous)) = (history.first(), history.get(1)) else { return Err(AppError::NotFound) };
    if let Err(errors) = form.parse(latest) {
        let shown = Shown { undo: Some(FormState::refused(UNDO_FORM, form, errors)), ..Shown::default() };
        return page(&state, &viewer, path.org, shown, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let txn = state.db.begin().await?;
    if store::certifications::undo_renewal(&txn, &Actor::user(user.id, &user.email), latest, previous).await? {
        txn.commit().await?;
        viewer.flash(FlashKind::Success, "certification-renewal-undone", None);
    } else {
        viewer.flash(FlashKind::Error, "certification-renewal-already-undone", None);
    }
    Ok(see_other(&format!("/orgs/{}/certification", path.org)))
}
