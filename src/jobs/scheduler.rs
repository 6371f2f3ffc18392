//! The reminder scheduler inside `serve`: a pass at start, every `reminders.interval_minutes`,
//! and whenever something asks for one now (a test e-mail, a retried row). What its last pass did
//! is kept here so the dashboard shows a scheduler that stopped or fails.

use std::sync::{Arc, RwLock};

use chrono::{DateTime, Duration, Utc};
use tokio::sync::Notify;

use crate::jobs::pass::PassReport;

/// How the last pass ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PassOutcome {
    Completed(PassReport),
    /// The pass stopped with an error (details are in the server log).
    Failed,
}

/// One finished pass.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastPass {
    pub finished_at: DateTime<Utc>,
    pub outcome: PassOutcome,
}

/// What the scheduler of this server is doing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchedulerState {
    /// `reminders.interval_minutes = 0`: nothing is sent automatically.
    Disabled,
    /// The mail settings do not work, so the scheduler did not start.
    MailSettingsBroken,
    /// Started; no pass has finished yet.
    Starting,
    Ran(LastPass),
}

/// How the dashboard should show the scheduler.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Health {
    Ok,
    /// Off, broken, failing, or no pass for much longer than the interval.
    Attention,
}

/// Shared between the scheduler task and the pages.
#[derive(Clone)]
pub struct Scheduler {
    state: Arc<RwLock<SchedulerState>>,
    wake: Arc<Notify>,
    interval_minutes: u64,
}

impl Scheduler {
    pub fn new(interval_minutes: u64) -> Self {
        let initial = if interval_minutes == 0 { SchedulerState::Disabled } else { SchedulerState::Starting };
        Self { state: Arc::new(RwLock::new(initial)), wake: Arc::new(Notify::new()), interval_minutes }
    }

    pub fn interval_minutes(&self) -> u64 {
        self.interval_minutes
    }

    /// The current state (a copy).
    pub fn state(&self) -> SchedulerState {
        self.state.read().map(|s| s.clone()).unwrap_or(SchedulerState::Starting)
    }

    pub fn set(&self, state: SchedulerState) {
        if let Ok(mut current) = self.state.write() {
            *current = state;
        }
    }

    /// Asks for a pass now instead of at the next tick (no-op when the scheduler is off).
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Waits until `wake` is called.
    pub async fn woken(&self) {
        self.wake.notified().await;
    }

    /// Whether the state needs somebody's attention at `now`: a pass is overdue when none
    /// finished for twice the interval plus five minutes.
    pub fn health(&self, now: DateTime<Utc>) -> Health {
        match self.state() {
            SchedulerState::Disabled | SchedulerState::MailSettingsBroken => Health::Attention,
            SchedulerState::Starting => Health::Ok,
            SchedulerState::Ran(pass) => {
                let minutes = i64::try_from(self.interval_minutes).unwrap_or(i64::MAX / 120);
                let late = pass.finished_at + Duration::minutes(minutes.saturating_mul(2).saturating_add(5)) < now;
                if late || pass.outcome == PassOutcome::Failed { Health::Attention } else { Health::Ok }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_recent_completed_pass_is_healthy_and_an_old_or_failed_one_is_not() {
        let now = Utc::now();
        let scheduler = Scheduler::new(5);
        assert_eq!(scheduler.health(now), Health::Ok, "starting");
        let completed = |at| {
            SchedulerState::Ran(LastPass { finished_at: at, outcome: PassOutcome::Completed(PassReport::default()) })
        };
        scheduler.set(completed(now - Duration::minutes(14)));
        assert_eq!(scheduler.health(now), Health::Ok);
        scheduler.set(completed(now - Duration::minutes(16)));
        assert_eq!(scheduler.health(now), Health::Attention, "no pass for over twice the interval");
        scheduler.set(SchedulerState::Ran(LastPass { finished_at: now, outcome: PassOutcome::Failed }));
        assert_eq!(scheduler.health(now), Health::Attention);
    }

    #[test]
    fn a_disabled_scheduler_needs_attention() {
        assert_eq!(Scheduler::new(0).state(), SchedulerState::Disabled);
        assert_eq!(Scheduler::new(0).health(Utc::now()), Health::Attention);
    }
}
