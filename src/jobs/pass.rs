//! One pass of the background mail work: enqueue the renewal reminders and the incident digests
//! due today (the Japan day of `now`), from a fixed number of grouped queries, then send what is
//! pending in the outbox through the configured transport until it is drained (at most
//! `mail.max_per_minute`, for at most one scheduler interval), retrying failures with backoff.
//! `serve` runs a pass every `reminders.interval_minutes`; `pmark remind` runs one.

use std::time::Instant;

use chrono::{DateTime, Duration, Utc};
use sea_orm::ConnectionTrait;

use crate::jobs::{incident_digest, renewal_reminders};
use crate::mail::{Composed, Mailer};
use crate::settings::Settings;
use crate::store;

/// Rows claimed at once; a sender claims again until nothing is due.
const BATCH: u64 = 100;
/// A claimed row is held this long by its sender unless renewed (see `send_pending`).
pub const LEASE_MINUTES: i64 = 10;
/// Longest wait between retries, and attempts before giving up.
const RETRY_CAP_HOURS: i64 = 6;
const MAX_ATTEMPTS: u32 = 8;

/// How fast, and for how long, a sender sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pace {
    /// At most this many messages a minute; 0 = as fast as the transport takes them.
    pub max_per_minute: u32,
    /// Stop claiming more rows after this long (what is left goes in the next pass); None = drain.
    pub budget: Option<std::time::Duration>,
}

impl Pace {
    /// As fast as the transport takes them, until the outbox is drained.
    pub const UNLIMITED: Pace = Pace { max_per_minute: 0, budget: None };

    /// The pace of a pass: `mail.max_per_minute`, for at most one `reminders.interval_minutes`
    /// (so that a long queue does not hold up the next pass's reminders).
    pub fn of(settings: &Settings) -> Self {
        let minutes = settings.reminders.interval_minutes;
        Pace {
            max_per_minute: settings.mail.max_per_minute,
            budget: (minutes > 0).then(|| std::time::Duration::from_secs(minutes.saturating_mul(60))),
        }
    }

    /// Rows to claim at once: no more than can be sent in half a lease at this pace.
    fn batch(self, lease: Duration) -> u64 {
        if self.max_per_minute == 0 {
            return BATCH;
        }
        let minutes = u64::try_from(lease.num_minutes()).unwrap_or(0);
        (u64::from(self.max_per_minute) * minutes / 2).clamp(1, BATCH)
    }

    /// A ticker that lets one message through per tick, or None without a limit.
    fn ticker(self) -> Option<tokio::time::Interval> {
        (self.max_per_minute > 0).then(|| {
            let every = std::time::Duration::from_secs(60) / self.max_per_minute;
            let mut ticker = tokio::time::interval(every);
            ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            ticker
        })
    }
}

/// What one pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PassReport {
    pub enqueued: usize,
    pub skipped: usize,
    pub sent: usize,
    pub failed: usize,
}

/// Sends pending rows claimed by `sender` for `lease`, batch after batch until none is due (or
/// the pace's budget is spent), no faster than the pace allows. A batch is claimed at once, but
/// each row's claim is proved (and extended) right before it is sent, and extended while a slow
/// relay takes it: a row whose lease ran out and that another sender took over is left to that
/// sender, so a message is delivered once even when the relay is slower than the lease.
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
    pace: Pace,
) -> anyhow::Result<(usize, usize)> {
    // The pass's clock: `now` moved on by the real time spent since.
    let started = Instant::now();
    let clock = || now + Duration::from_std(started.elapsed()).unwrap_or_default();
    let mut ticker = pace.ticker();
    let (mut sent, mut failed) = (0, 0);
    loop {
        if pace.budget.is_some_and(|budget| started.elapsed() >= budget) {
            break;
        }
        let batch = store::outbox::claim_due(db, sender, clock(), lease, pace.batch(lease)).await?;
        if batch.is_empty() {
            break;
        }
        for row in batch {
            if let Some(ticker) = ticker.as_mut() {
                ticker.tick().await;
            }
            match send_one(db, mailer, from, sender, row, lease, &clock).await? {
                Some(true) => sent += 1,
                Some(false) => failed += 1,
                None => {}
            }
        }
    }
    Ok((sent, failed))
}

/// Sends one claimed row: Some(true) when delivered, Some(false) when the attempt failed (and is
/// recorded for a retry), None when another sender had taken the row over.
async fn send_one<C: ConnectionTrait>(
    db: &C,
    mailer: &Mailer,
    from: &lettre::message::Mailbox,
    sender: &str,
    row: crate::entities::outbox::Model,
    lease: Duration,
    clock: &impl Fn() -> DateTime<Utc>,
) -> anyhow::Result<Option<bool>> {
    if !store::outbox::renew_claim(db, row.id, sender, clock() + lease).await? {
        tracing::info!(outbox_id = row.id, "another sender took this message over; not sending it");
        return Ok(None);
    }
    let recipients: Vec<String> = serde_json::from_str(&row.recipients).unwrap_or_default();
    let composed = Composed {
        to: recipients,
        subject: row.subject.clone(),
        text: row.body_text.clone(),
        html: row.body_html.clone(),
    };
    let outcome = match crate::mail::build(from, &composed) {
        Ok(message) => send_holding_claim(db, mailer, message, row.id, sender, lease, clock).await?,
        Err(e) => Err(e.to_string()),
    };
    match outcome {
        Ok(()) => {
            store::outbox::mark_sent(db, row.id, sender, Utc::now()).await?;
            Ok(Some(true))
        }
        Err(error) => {
            tracing::warn!(outbox_id = row.id, error = %error, "delivery failed; will retry");
            store::outbox::mark_failed(
                db,
                &row,
                sender,
                &error,
                // The retry is due after the backoff on the pass's clock, so a drain does not
                // take the row again at once.
                clock(),
                Duration::hours(RETRY_CAP_HOURS),
                MAX_ATTEMPTS,
            )
            .await?;
            Ok(Some(false))
        }
    }
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

/// Plans and enqueues what is due on the Japan day of `now`: the renewal reminders and the
/// incident digests, from a fixed number of grouped queries. Returns (enqueued, skipped).
///
/// # Errors
/// When a query or a template of the renewal reminders fails (a failing digest is logged, so it
/// does not hold up the renewal reminders).
pub async fn enqueue_due<C: ConnectionTrait + sea_orm::TransactionTrait>(
    db: &C,
    settings: &Settings,
    public_url: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<(usize, usize)> {
    let today = crate::domain::calendar::japan_day(now);
    let planned = renewal_reminders::plan(db, settings, today).await?;
    let (mut enqueued, skipped) = renewal_reminders::enqueue(db, public_url, &planned, now).await?;
    match incident_digest::plan(db, today).await {
        Ok(digests) => match incident_digest::enqueue(db, public_url, &digests, today, now).await {
            Ok(n) => enqueued += n,
            Err(e) => tracing::error!(error = %e, "incident digests could not be enqueued"),
        },
        Err(e) => tracing::error!(error = %e, "incident digests could not be planned"),
    }
    Ok((enqueued, skipped))
}

/// One full pass: plan, enqueue, send at the configured pace.
///
/// # Errors
/// When a query or a template fails.
pub async fn run_once<C: ConnectionTrait + sea_orm::TransactionTrait>(
    db: &C,
    settings: &Settings,
    public_url: &str,
    mailer: &Mailer,
    from: &lettre::message::Mailbox,
    sender: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<PassReport> {
    let (enqueued, skipped) = enqueue_due(db, settings, public_url, now).await?;
    let lease = Duration::minutes(LEASE_MINUTES);
    let (sent, failed) = send_pending(db, mailer, from, sender, now, lease, Pace::of(settings)).await?;
    Ok(PassReport { enqueued, skipped, sent, failed })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_paced_sender_claims_no_more_than_it_sends_in_half_a_lease() {
        let lease = Duration::minutes(10);
        assert_eq!(Pace::UNLIMITED.batch(lease), BATCH);
        assert_eq!(Pace { max_per_minute: 6, budget: None }.batch(lease), 30);
        assert_eq!(Pace { max_per_minute: 1000, budget: None }.batch(lease), BATCH);
        assert_eq!(Pace { max_per_minute: 1, budget: None }.batch(Duration::seconds(30)), 1);
        assert!(Pace::UNLIMITED.ticker().is_none());
    }

    #[tokio::test]
    async fn a_paced_sender_lets_one_message_through_per_tick() {
        let ticker = Pace { max_per_minute: 120, budget: None }.ticker().expect("a limit makes a ticker");
        assert_eq!(ticker.period(), std::time::Duration::from_millis(500));
    }
}
