//! One reminder pass: for every organisation's current Privacy Mark cycle, enqueue the reminders
//! due today (once per key: a restart or a second instance adds nothing), then send what is
//! pending through the configured transport, retrying failures with backoff.

use std::collections::HashMap;

use askama::Template;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::ConnectionTrait;

use crate::domain::Lang;
use crate::domain::certification::CertificationStatus;
use crate::domain::reminders::{self, PlannedReminder, Relevance};
use crate::domain::renewal::RenewalWindow;
use crate::i18n::{self, Translator};
use crate::mail::{Composed, Mailer};
use crate::settings::Settings;
use crate::store::{self, outbox::NewMessage};

/// Sends no more than this many messages per pass.
const BATCH: u64 = 100;
/// A claimed row is held this long by its sender.
const LEASE_MINUTES: i64 = 10;
/// Longest wait between retries, and attempts before giving up.
const RETRY_CAP_HOURS: i64 = 6;
const MAX_ATTEMPTS: u32 = 8;

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
    /// The window of the cycle the reminder belongs to.
    pub window: RenewalWindow,
    pub reminder: PlannedReminder,
}

/// What one pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PassReport {
    pub enqueued: usize,
    pub skipped: usize,
    pub sent: usize,
    pub failed: usize,
}

/// The reminders due on `today` for every organisation with a recorded cycle.
///
/// # Errors
/// When a query fails.
pub async fn plan<C: ConnectionTrait>(db: &C, settings: &Settings, today: NaiveDate) -> anyhow::Result<Vec<Planned>> {
    let calendar = settings.renewal.calendar();
    let names: HashMap<i32, String> =
        store::organisations::all(db).await?.into_iter().map(|org| (org.id, org.name)).collect();
    let mut planned = Vec::new();
    for cycle in store::certifications::current_of_all(db).await? {
        let Some(name) = names.get(&cycle.organisation_id) else { continue };
        let window = RenewalWindow::for_expiry(cycle.valid_until, settings.renewal.prepare_months, &calendar);
        let status = CertificationStatus::parse(&cycle.status).unwrap_or(CertificationStatus::Valid);
        for reminder in reminders::due(cycle.organisation_id, &window, status, today) {
            planned.push(Planned {
                organisation_id: cycle.organisation_id,
                organisation: name.clone(),
                window,
                reminder,
            });
        }
    }
    Ok(planned)
}

/// Enqueues the planned reminders, one row per recipient language (admins and officers).
///
/// # Errors
/// When a query or a template fails.
pub async fn enqueue<C: ConnectionTrait>(
    db: &C,
    public_url: &str,
    planned: &[Planned],
    now: DateTime<Utc>,
) -> anyhow::Result<(usize, usize)> {
    let (mut enqueued, mut skipped) = (0, 0);
    let mut audience_of: HashMap<i32, Audience> = HashMap::new();
    for item in planned {
        if let std::collections::hash_map::Entry::Vacant(slot) = audience_of.entry(item.organisation_id) {
            slot.insert(Audience::load(db, item.organisation_id).await?);
        }
        let audience = &audience_of[&item.organisation_id];
        let window = &item.window;
        for lang in Lang::ALL {
            // A renewal reminder is the certification contract's business, not a legal duty: a
            // member may opt out of it.
            let recipients = audience.recipients(lang, false);
            if recipients.is_empty() {
                continue;
            }
            let ctx = || Translator { lang };
            let milestone = i18n::t(lang, &item.reminder.milestone.label_key());
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
            let subject = i18n::t_args(
                lang,
                "mail-renewal-subject",
                &[("organisation", item.organisation.clone()), ("milestone", milestone.clone())],
            );
            let skip_reason = match item.reminder.relevance {
                Relevance::Send => None,
                Relevance::Skip(reason) => Some(reason.as_str().to_owned()),
            };
            let is_skip = skip_reason.is_some();
            let message = NewMessage {
                organisation_id: Some(item.organisation_id),
                dedupe_key: format!("{}:{}", item.reminder.key, lang.code()),
                kind: "renewal_reminder".to_owned(),
                recipients,
                lang: lang.code().to_owned(),
                subject,
                body_text: text,
                body_html: html,
                skip_reason,
            };
            if store::outbox::enqueue(db, message, now).await? {
                if is_skip { skipped += 1 } else { enqueued += 1 }
            }
        }
    }
    Ok((enqueued, skipped))
}

/// Who receives an organisation's reminders: its admins and officers, and its extra addresses.
pub struct Audience {
    members: Vec<store::organisations::Member>,
    extra: Vec<crate::entities::reminder_recipient::Model>,
}

impl Audience {
    /// The organisation's members and extra addresses.
    ///
    /// # Errors
    /// When a query fails.
    pub async fn load<C: ConnectionTrait>(db: &C, organisation_id: i32) -> Result<Self, sea_orm::DbErr> {
        Ok(Self {
            members: store::organisations::members(db, organisation_id).await?,
            extra: store::reminder_recipients::list(db, organisation_id).await?,
        })
    }

    /// The addresses that read `lang`: admins and officers (except those who opted out, unless
    /// the reminder is about a `legal_duty`), then the extra addresses.
    pub fn recipients(&self, lang: Lang, legal_duty: bool) -> Vec<String> {
        let members = self
            .members
            .iter()
            .filter(|m| m.role.can_edit() && (legal_duty || !m.reminders_opt_out))
            .filter(|m| Lang::parse(&m.user.locale).unwrap_or_default() == lang)
            .map(|m| m.user.email.clone());
        let extra =
            self.extra.iter().filter(|r| Lang::parse(&r.lang).unwrap_or_default() == lang).map(|r| r.email.clone());
        let mut all: Vec<String> = members.chain(extra).collect();
        all.sort_unstable_by_key(|a| a.to_lowercase());
        all.dedup_by_key(|a| a.to_lowercase());
        all
    }
}

/// Sends pending rows claimed by `sender`.
///
/// # Errors
/// When a query fails (delivery failures are recorded, not returned).
pub async fn send_pending<C: ConnectionTrait>(
    db: &C,
    mailer: &Mailer,
    from: &lettre::message::Mailbox,
    sender: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<(usize, usize)> {
    let (mut sent, mut failed) = (0, 0);
    for row in store::outbox::claim_due(db, sender, now, Duration::minutes(LEASE_MINUTES), BATCH).await? {
        let recipients: Vec<String> = serde_json::from_str(&row.recipients).unwrap_or_default();
        let composed = Composed {
            to: recipients,
            subject: row.subject.clone(),
            text: row.body_text.clone(),
            html: row.body_html.clone(),
        };
        let outcome = match crate::mail::build(from, &composed) {
            Ok(message) => mailer.send(message).await,
            Err(e) => Err(e.to_string()),
        };
        match outcome {
            Ok(()) => {
                store::outbox::mark_sent(db, row.id, sender, Utc::now()).await?;
                sent += 1;
            }
            Err(error) => {
                tracing::warn!(outbox_id = row.id, error = %error, "delivery failed; will retry");
                store::outbox::mark_failed(
                    db,
                    &row,
                    sender,
                    &error,
                    Utc::now(),
                    Duration::hours(RETRY_CAP_HOURS),
                    MAX_ATTEMPTS,
                )
                .await?;
                failed += 1;
            }
        }
    }
    Ok((sent, failed))
}

/// One full pass: plan, enqueue, send.
///
/// # Errors
/// When a query or a template fails.
pub async fn run_once<C: ConnectionTrait>(
    db: &C,
    settings: &Settings,
    public_url: &str,
    mailer: &Mailer,
    from: &lettre::message::Mailbox,
    sender: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<PassReport> {
    let today = now.date_naive();
    let planned = plan(db, settings, today).await?;
    let (mut enqueued, skipped) = enqueue(db, public_url, &planned, now).await?;
    let japan_today = crate::jobs::incident_reminders::japan_day(now);
    // A failing digest must not hold up the renewal reminders or the sending below.
    match crate::jobs::incident_reminders::plan(db, japan_today).await {
        Ok(digests) => match crate::jobs::incident_reminders::enqueue(db, public_url, &digests, japan_today, now).await
        {
            Ok(n) => enqueued += n,
            Err(e) => tracing::error!(error = %e, "incident digests could not be enqueued"),
        },
        Err(e) => tracing::error!(error = %e, "incident digests could not be planned"),
    }
    let (sent, failed) = send_pending(db, mailer, from, sender, now).await?;
    Ok(PassReport { enqueued, skipped, sent, failed })
}
