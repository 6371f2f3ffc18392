//! Renewal reminders: for every organisation's current Privacy Mark cycle, the reminders of the
//! renewal milestones due today, enqueued once per key (a restart or a second instance adds
//! nothing). `jobs::pass` runs them with the incident digest and sends the outbox.

use crate::domain::outbox::MessageKind;
use std::collections::HashMap;

use askama::Template;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::ConnectionTrait;

use crate::domain::Lang;
use crate::domain::lang::DateStyle;
use crate::domain::reminders::{self, PlannedReminder, Relevance};
use crate::domain::renewal::RenewalWindow;
use crate::i18n::{self, Translator};
use crate::jobs::audience::Audience;
use crate::settings::Settings;
use crate::store::{self, outbox::NewMessage};

#[derive(Template)]
#[template(path = "email/renewal_reminder.txt")]
struct ReminderText<'a> {
    ctx: Translator,
    organisation: &'a str,
    milestone: &'a str,
    date: NaiveDate,
    window: &'a RenewalWindow,
    link: &'a str,
}

#[derive(Template)]
#[template(path = "email/renewal_reminder.html")]
struct ReminderHtml<'a> {
    ctx: Translator,
    organisation: &'a str,
    milestone: &'a str,
    date: NaiveDate,
    window: &'a RenewalWindow,
    link: &'a str,
}

/// A reminder the pass would enqueue, for `--dry-run`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    pub organisation_id: i32,
    pub organisation: String,
    /// How the organisation writes dates (西暦 or 和暦).
    pub dates: DateStyle,
    /// The window of the cycle the reminder belongs to.
    pub window: RenewalWindow,
    pub reminder: PlannedReminder,
}

/// The reminders due on `today` for every organisation with a recorded cycle.
///
/// # Errors
/// When a query fails.
pub async fn plan<C: ConnectionTrait>(db: &C, settings: &Settings, today: NaiveDate) -> anyhow::Result<Vec<Planned>> {
    let calendar = settings.renewal.calendar();
    let names: HashMap<i32, (String, DateStyle)> =
        store::organisations::all(db).await?.into_iter().map(|org| (org.id, (org.name, org.date_style))).collect();
    let mut planned = Vec::new();
    let mut windows: HashMap<NaiveDate, RenewalWindow> = HashMap::new();
    for cycle in store::certifications::current_of_all(db).await? {
        let Some((name, dates)) = names.get(&cycle.organisation_id) else { continue };
        // Organisations share expiry dates: each window (holidays looked up) is computed once.
        let window = *windows.entry(cycle.valid_until).or_insert_with(|| {
            RenewalWindow::for_expiry(cycle.valid_until, settings.renewal.prepare_months, &calendar)
        });
        let status = cycle.status;
        for reminder in reminders::due(cycle.organisation_id, &window, status, today) {
            planned.push(Planned {
                organisation_id: cycle.organisation_id,
                organisation: name.clone(),
                dates: *dates,
                window,
                reminder,
            });
        }
    }
    Ok(planned)
}

/// Enqueues the planned reminders, one row per recipient language (admins and officers). The
/// keys already in the outbox are looked up first, so only new reminders are rendered; the
/// audiences and the inserts are grouped (no query per organisation).
///
/// # Errors
/// When a query or a template fails.
pub async fn enqueue<C: ConnectionTrait + sea_orm::TransactionTrait>(
    db: &C,
    public_url: &str,
    planned: &[Planned],
    now: DateTime<Utc>,
) -> anyhow::Result<(usize, usize)> {
    let key = |item: &Planned, lang: Lang| reminders::message_key(&item.reminder.key, lang);
    let keys: Vec<String> =
        planned.iter().flat_map(|item| Lang::ALL.into_iter().map(move |lang| key(item, lang))).collect();
    let started = std::time::Instant::now();
    let existing = store::outbox::existing_keys(db, &keys).await?;
    tracing::debug!(keys = keys.len(), elapsed = ?started.elapsed(), "renewal reminders: keys looked up");
    let new: Vec<(&Planned, Lang)> = planned
        .iter()
        .flat_map(|item| Lang::ALL.into_iter().map(move |lang| (item, lang)))
        .filter(|(item, lang)| !existing.contains(&key(item, *lang)))
        .collect();
    let mut organisations: Vec<i32> = new.iter().map(|(item, _)| item.organisation_id).collect();
    organisations.sort_unstable();
    organisations.dedup();
    let audiences = Audience::load_many(db, &organisations).await?;
    tracing::debug!(organisations = organisations.len(), elapsed = ?started.elapsed(), "renewal reminders: audiences loaded");
    let (mut to_send, mut to_skip) = (Vec::new(), Vec::new());
    for (item, lang) in new {
        let Some(audience) = audiences.get(&item.organisation_id) else { continue };
        // A renewal reminder is the certification contract's business, not a legal duty: a
        // member may opt out of it.
        let recipients = audience.recipients(lang, false);
        if recipients.is_empty() {
            continue;
        }
        let message = compose(public_url, item, lang, key(item, lang), recipients)?;
        if message.skip_reason.is_some() { to_skip.push(message) } else { to_send.push(message) }
    }
    tracing::debug!(messages = to_send.len() + to_skip.len(), elapsed = ?started.elapsed(), "renewal reminders: rendered");
    let enqueued = store::outbox::enqueue_many(db, to_send, now).await?;
    let skipped = store::outbox::enqueue_many(db, to_skip, now).await?;
    Ok((usize::try_from(enqueued)?, usize::try_from(skipped)?))
}

/// The message of one planned reminder in one language. A reminder recorded as skipped (a
/// milestone passed over) is never sent nor shown with its text: it keeps its subject for the
/// outbox list and no body, which spares rendering most of a first pass's rows.
fn compose(
    public_url: &str,
    item: &Planned,
    lang: Lang,
    dedupe_key: String,
    recipients: Vec<String>,
) -> anyhow::Result<NewMessage> {
    let window = &item.window;
    let ctx = || Translator { lang, dates: item.dates };
    let milestone = i18n::t(lang, &item.reminder.milestone.label_key());
    let subject = i18n::t_args(
        lang,
        "mail-renewal-subject",
        &[("organisation", item.organisation.clone()), ("milestone", milestone.clone())],
    );
    let message = |body_text, body_html, skip_reason| NewMessage {
        organisation_id: Some(item.organisation_id),
        dedupe_key,
        kind: MessageKind::RenewalReminder,
        recipients,
        lang,
        subject,
        body_text,
        body_html,
        skip_reason,
    };
    if let Relevance::Skip(reason) = item.reminder.relevance {
        return Ok(message(String::new(), String::new(), Some(reason.as_str().to_owned())));
    }
    let link = format!("{public_url}/orgs/{}/certification", item.organisation_id);
    let text = ReminderText {
        ctx: ctx(),
        organisation: &item.organisation,
        milestone: &milestone,
        date: item.reminder.date,
        window,
        link: &link,
    }
    .render()?;
    let html = ReminderHtml {
        ctx: ctx(),
        organisation: &item.organisation,
        milestone: &milestone,
        date: item.reminder.date,
        window,
        link: &link,
    }
    .render()?;
    Ok(message(text, html, None))
}
