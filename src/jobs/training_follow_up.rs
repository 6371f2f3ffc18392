//! The follow-up notices of a training (追加教育のご案内): an officer asks for them on the training
//! page, and each person who has not attended, failed the test or joined since is told at their
//! own address, or through their department head (see `domain::training_follow_up`). The notices
//! go through the outbox like every e-mail, at most once per addressee and day.

use std::collections::HashMap;

use askama::Template;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ConnectionTrait;

use crate::domain::outbox::MessageKind;
use crate::domain::people::PmsRole;
use crate::domain::training::Standing;
use crate::domain::training_follow_up::{self, Addressee, Due, Head, Notice};
use crate::entities::{department, person, training};
use crate::i18n::Locale;
use crate::i18n::{self, Translator};
use crate::store::{self, outbox::NewMessage};

/// A person as a notice lists them.
pub struct Listed {
    pub name: String,
    pub employee_number: String,
    /// Translation key of their standing.
    pub standing_key: String,
}

#[derive(Template)]
#[template(path = "email/training_follow_up.txt")]
struct NoticeText<'a> {
    ctx: Translator,
    organisation: &'a str,
    addressee: &'a str,
    through_head: bool,
    training: &'a training::Model,
    people: &'a [Listed],
}

#[derive(Template)]
#[template(path = "email/training_follow_up.html")]
struct NoticeHtml<'a> {
    ctx: Translator,
    organisation: &'a str,
    addressee: &'a str,
    through_head: bool,
    training: &'a training::Model,
    people: &'a [Listed],
}

/// What the notices of a training would be, before they are sent.
pub struct Plan {
    pub notices: Vec<Notice>,
    /// People to tell another way (no address, no head with one), by name.
    pub unreachable: Vec<String>,
    /// The people due for a follow-up.
    people: HashMap<i32, (person::Model, Standing)>,
    heads: HashMap<i32, person::Model>,
}

impl Plan {
    /// How many people are due for a follow-up.
    pub fn due(&self) -> usize {
        self.people.len()
    }

    /// How many notices go to the people themselves.
    pub fn direct(&self) -> usize {
        self.notices.iter().filter(|n| matches!(n.to, Addressee::Person(_))).count()
    }

    /// How many people the department heads' notices cover.
    pub fn through_heads(&self) -> usize {
        self.notices.iter().filter(|n| matches!(n.to, Addressee::Head(_))).map(|n| n.people.len()).sum()
    }
}

/// Whether `person` is still in post on `today`.
fn in_post(person: &person::Model, today: NaiveDate) -> bool {
    person.left_on.is_none_or(|left| left > today)
}

/// The notices for the people of `training` who still need it on `today` (leavers left out),
/// given their `standings` (`store::trainings::state`) and the organisation's departments.
///
/// # Errors
/// When a query fails.
pub async fn plan<C: ConnectionTrait>(
    db: &C,
    training: &training::Model,
    standings: &[(person::Model, Standing)],
    departments: &[department::Model],
    today: NaiveDate,
) -> anyhow::Result<Plan> {
    let due: Vec<(person::Model, Standing)> = standings
        .iter()
        .filter(|(person, standing)| standing.needs_follow_up() && in_post(person, today))
        .cloned()
        .collect();
    let heads: Vec<person::Model> =
        store::people::in_post_with_role(db, training.organisation_id, PmsRole::DepartmentHead, today)
            .await?
            .into_iter()
            .filter(|p| p.email.as_deref().is_some_and(|e| !e.trim().is_empty()) && p.department_id.is_some())
            .collect();
    let parents: HashMap<i32, Option<i32>> = departments.iter().map(|d| (d.id, d.parent_id)).collect();
    let (notices, unreachable) = training_follow_up::route(
        &due.iter()
            .map(|(p, _)| Due { person_id: p.id, department_id: p.department_id, email: p.email.clone() })
            .collect::<Vec<_>>(),
        &heads
            .iter()
            .filter_map(|h| Some(Head { person_id: h.id, department_id: h.department_id?, email: h.email.clone()? }))
            .collect::<Vec<_>>(),
        &parents,
    );
    let people: HashMap<i32, (person::Model, Standing)> = due.into_iter().map(|(p, s)| (p.id, (p, s))).collect();
    Ok(Plan {
        unreachable: unreachable.iter().filter_map(|id| people.get(id).map(|(p, _)| p.name.clone())).collect(),
        notices,
        heads: heads.into_iter().map(|h| (h.id, h)).collect(),
        people,
    })
}

/// Enqueues the plan's notices in `lang`, once per addressee and day (asking twice the same day
/// adds nothing). Returns how many were added.
///
/// # Errors
/// When a query or a template fails.
pub async fn enqueue<C: ConnectionTrait + sea_orm::TransactionTrait>(
    db: &C,
    organisation: &str,
    training: &training::Model,
    plan: &Plan,
    locale: Locale,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> anyhow::Result<u64> {
    let lang = locale.lang;
    let ctx = || Translator::new(locale);
    let mut messages = Vec::with_capacity(plan.notices.len());
    for notice in &plan.notices {
        let (addressee, key, through_head) = match notice.to {
            Addressee::Person(id) => (plan.people.get(&id).map(|(p, _)| p.name.clone()), format!("p{id}"), false),
            Addressee::Head(id) => (plan.heads.get(&id).map(|h| h.name.clone()), format!("h{id}"), true),
        };
        let addressee = addressee.unwrap_or_default();
        let people: Vec<Listed> = notice
            .people
            .iter()
            .filter_map(|id| plan.people.get(id))
            .map(|(p, standing)| Listed {
                name: p.name.clone(),
                employee_number: p.employee_number.clone(),
                standing_key: standing.label_key(),
            })
            .collect();
        let subject = i18n::t_args(lang, "mail-follow-up-subject", &[("training", training.title.clone())]);
        let text =
            NoticeText { ctx: ctx(), organisation, addressee: &addressee, through_head, training, people: &people }
                .render()?;
        let html =
            NoticeHtml { ctx: ctx(), organisation, addressee: &addressee, through_head, training, people: &people }
                .render()?;
        messages.push(NewMessage {
            organisation_id: Some(training.organisation_id),
            dedupe_key: format!("training-follow-up:{}:{key}:{today}", training.id),
            kind: MessageKind::TrainingFollowUp,
            recipients: vec![notice.email.clone()],
            lang,
            subject,
            body_text: text,
            body_html: html,
            skip_reason: None,
        });
    }
    Ok(store::outbox::enqueue_many(db, messages, now).await?)
}
