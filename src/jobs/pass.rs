//! One pass of the background mail work: enqueue the renewal reminders and the incident digests
//! due today (the Japan day of `now`), then send what is pending in the outbox through the
//! configured transport, retrying failures with backoff. `serve` runs a pass every
//! `reminders.interval_minutes`; `pmark remind` runs one.

use std::time::Instant;

use chrono::{DateTime, Duration, Utc};
use sea_orm::ConnectionTrait;

use crate::jobs::{incident_digest, renewal_reminders};
use crate::mail::{Composed, Mailer};
use crate::settings::Settings;
use crate::store;

/// Sends no more than this many messages per pass.
const BATCH: u64 = 100;
/// A claimed row is held this long by its sender unless renewed (see `send_pending`).
const LEASE_MINUTES: i64 = 10;
/// Longest wait between retries, and attempts before giving up.
const RETRY_CAP_HOURS: i64 = 6;
const MAX_ATTEMPTS: u32 = 8;

/// What one pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PassReport {
    pub enqueued: usize,
    pub skipped: usize,
    pub sent: usize,
    pub failed: usize,
}

/// Sends pending rows claimed by `sender` for `lease`. A batch is claimed at once, but each row's
/// claim is proved (and extended) right before it is sent, and extended while a slow relay takes
/// it: a row whose lease ran out and that another sender took over is left to that sender, so a
/// message is delivered once even when the relay is slower than the lease.
///
/// # Errors
/// When a query fails (delivery failures are recorded, not returned).
pub async fn send_pending<C: ConnectionTrait>(
    db: &C,
    mailer: &Mailer,
    from: &lettre::message::Mailbox,
    sender: &str,
    now: DateTime<Utc>,
    lease: Duration,
) -> anyhow::Result<(usize, usize)> {
    // The pass's clock: `now` moved on by the real time spent since.
    let started = Instant::now();
    let clock = || now + Duration::from_std(started.elapsed()).unwrap_or_default();
    let (mut sent, mut failed) = (0, 0);
    for row in store::outbox::claim_due(db, sender, now, lease, BATCH).await? {
        if !store::outbox::renew_claim(db, row.id, sender, clock() + lease).await? {
            tracing::info!(outbox_id = row.id, "another sender took this message over; not sending it");
            continue;
        }
        let recipients: Vec<String> = serde_json::from_str(&row.recipients).unwrap_or_default();
        let composed = Composed {
            to: recipients,
            subject: row.subject.clone(),
            text: row.body_text.clone(),
            html: row.body_html.clone(),
        };
        let outcome = match crate::mail::build(from, &composed) {
            Ok(message) => send_holding_claim(db, mailer, message, row.id, sender, lease, &clock).await?,
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

/// Sends one message, extending the row's claim every third of the lease until the relay answers.
async fn send_holding_claim<C: ConnectionTrait>(
    db: &C,
    mailer: &Mailer,
    message: lettre::Message,
    id: i64,
    sender: &str,
    lease: Duration,
    clock: &impl Fn() -> DateTime<Utc>,
) -> anyhow::Result<Result<(), String>> {
    let every =
        (lease / 3).to_std().unwrap_or(std::time::Duration::from_secs(1)).max(std::time::Duration::from_millis(10));
    let mut renewals = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    let send = mailer.send(message);
    tokio::pin!(send);
    loop {
        tokio::select! {
            outcome = &mut send => return Ok(outcome),
            _ = renewals.tick() => {
                // A message half handed over cannot be taken back; a lost claim can only be reported.
                if !store::outbox::renew_claim(db, id, sender, clock() + lease).await? {
                    tracing::warn!(outbox_id = id, "the claim on a message was lost while it was being sent");
                }
            }
        }
    }
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
    let today = crate::domain::calendar::japan_day(now);
    let planned = renewal_reminders::plan(db, settings, today).await?;
    let (mut enqueued, skipped) = renewal_reminders::enqueue(db, public_url, &planned, now).await?;
    // A failing digest must not hold up the renewal reminders or the sending below.
    match incident_digest::plan(db, today).await {
        Ok(digests) => match incident_digest::enqueue(db, public_url, &digests, today, now).await {
            Ok(n) => enqueued += n,
            Err(e) => tracing::error!(error = %e, "incident digests could not be enqueued"),
        },
        Err(e) => tracing::error!(error = %e, "incident digests could not be planned"),
    }
    let (sent, failed) = send_pending(db, mailer, from, sender, now, Duration::minutes(LEASE_MINUTES)).await?;
    Ok(PassReport { enqueued, skipped, sent, failed })
}
