//! Which renewal reminders are due on a day. A reminder belongs to a milestone of one cycle; it is
//! due from the milestone's date and stays relevant until the next milestone (the expiry reminder
//! for a week). One that became due while pmark was down is still sent if relevant, and recorded
//! as skipped, with the reason, once a later milestone has passed. Nothing is reminded once the
//! renewal was applied for, or the mark lapsed or was revoked.

use chrono::{Days, NaiveDate};

use crate::domain::Lang;
use crate::domain::certification::CertificationStatus;
use crate::domain::renewal::{Milestone, RenewalWindow};

/// How long after expiry the expiry reminder is still worth sending.
const EXPIRY_RELEVANCE_DAYS: u64 = 7;

/// Whether a due reminder should go out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relevance {
    Send,
    /// Not sent; the outbox row records why.
    Skip(SkipReason),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkipReason {
    /// A later milestone has already passed.
    Superseded,
    /// The renewal was applied for, or the mark lapsed or was revoked.
    NotApplicable,
    /// The cycle it belonged to was removed (its renewal decision was undone) before it was sent.
    CycleRemoved,
}

impl SkipReason {
    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::Superseded => "superseded",
            SkipReason::NotApplicable => "not_applicable",
            SkipReason::CycleRemoved => "cycle_removed",
        }
    }
}

/// A reminder to enqueue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedReminder {
    pub milestone: Milestone,
    pub date: NaiveDate,
    /// Unique per organisation, milestone and cycle (the outbox key).
    pub key: String,
    pub relevance: Relevance,
}

/// The outbox key of a milestone's reminder for the cycle expiring on `expiry` (one message per
/// recipient language adds `:{lang}`).
pub fn key(organisation_id: i32, milestone: Milestone, expiry: NaiveDate) -> String {
    format!("{organisation_id}:renewal:{}:{expiry}", milestone.as_str())
}

/// The outbox key of the message of a reminder (`key`) in one recipient language.
pub fn message_key(key: &str, lang: Lang) -> String {
    format!("{key}:{}", lang.code())
}

/// The outbox keys of every message of every reminder of the cycle expiring on `expiry`.
pub fn message_keys_of_cycle(organisation_id: i32, expiry: NaiveDate) -> Vec<String> {
    Milestone::ALL
        .iter()
        .flat_map(|milestone| {
            let key = key(organisation_id, *milestone, expiry);
            Lang::ALL.into_iter().map(move |lang| message_key(&key, lang))
        })
        .collect()
}

/// The reminders due on `today` for one organisation's cycle (milestones not reached yet are not
/// listed). Enqueueing them is idempotent: each has its unique key.
pub fn due(
    organisation_id: i32,
    window: &RenewalWindow,
    status: CertificationStatus,
    today: NaiveDate,
) -> Vec<PlannedReminder> {
    let milestones = window.milestones();
    milestones
        .iter()
        .enumerate()
        .filter(|(_, (_, date))| *date <= today)
        .map(|(i, (milestone, date))| {
            let relevant_until = match milestones.get(i + 1) {
                Some((_, next)) => *next,
                None => *date + Days::new(EXPIRY_RELEVANCE_DAYS),
            };
            let relevance = if status != CertificationStatus::Valid {
                Relevance::Skip(SkipReason::NotApplicable)
            } else if today >= relevant_until {
                Relevance::Skip(SkipReason::Superseded)
            } else {
                Relevance::Send
            };
            PlannedReminder {
                milestone: *milestone,
                date: *date,
                key: key(organisation_id, *milestone, window.expiry),
                relevance,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::renewal::BusinessCalendar;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default()
    }

    fn window() -> RenewalWindow {
        RenewalWindow::for_expiry(d(2024, 12, 1), 9, &BusinessCalendar::default())
    }

    #[test]
    fn nothing_is_due_before_preparation_starts() {
        assert!(due(1, &window(), CertificationStatus::Valid, d(2024, 2, 29)).is_empty());
    }

    #[test]
    fn on_the_opening_day_the_preparation_reminder_is_superseded_and_the_opening_one_is_sent() {
        let planned = due(7, &window(), CertificationStatus::Valid, d(2024, 4, 2));
        assert_eq!(planned.len(), 2);
        assert_eq!(planned[0].milestone, Milestone::PrepareFrom);
        assert_eq!(planned[0].relevance, Relevance::Skip(SkipReason::Superseded));
        assert_eq!(planned[1].milestone, Milestone::WindowOpens);
        assert_eq!(planned[1].relevance, Relevance::Send);
        assert_eq!(planned[1].key, "7:renewal:window_opens:2024-12-01");
    }

    #[test]
    fn after_a_week_of_downtime_only_the_latest_reminder_is_sent() {
        // The server was down from before 2024-07-01 to 2024-07-26.
        let planned = due(1, &window(), CertificationStatus::Valid, d(2024, 7, 26));
        let sent: Vec<_> = planned.iter().filter(|p| p.relevance == Relevance::Send).map(|p| p.milestone).collect();
        assert_eq!(sent, vec![Milestone::OneWeekBeforeClose]);
        assert_eq!(planned.len(), 5);
    }

    #[test]
    fn the_expiry_reminder_lasts_a_week_and_an_application_silences_everything() {
        let at_expiry = due(1, &window(), CertificationStatus::Valid, d(2024, 12, 1));
        assert_eq!(at_expiry.last().map(|p| (p.milestone, p.relevance)), Some((Milestone::Expiry, Relevance::Send)));
        let later = due(1, &window(), CertificationStatus::Valid, d(2024, 12, 8));
        assert_eq!(later.last().map(|p| p.relevance), Some(Relevance::Skip(SkipReason::Superseded)));
        let applied = due(1, &window(), CertificationStatus::RenewalApplied, d(2024, 7, 26));
        assert!(applied.iter().all(|p| p.relevance == Relevance::Skip(SkipReason::NotApplicable)));
    }

    #[test]
    fn keys_differ_by_cycle_so_the_next_cycle_is_reminded_again() {
        let next = RenewalWindow::for_expiry(d(2026, 12, 1), 9, &BusinessCalendar::default());
        let a = due(1, &window(), CertificationStatus::Valid, d(2024, 4, 2));
        let b = due(1, &next, CertificationStatus::Valid, d(2026, 4, 2));
        assert_ne!(a[1].key, b[1].key);
    }

    #[test]
    fn the_message_keys_of_a_cycle_are_those_of_its_reminders_in_every_language() {
        let keys = message_keys_of_cycle(7, d(2024, 12, 1));
        assert_eq!(keys.len(), 7 * Lang::ALL.len());
        for reminder in due(7, &window(), CertificationStatus::Valid, d(2024, 12, 1)) {
            assert!(keys.contains(&message_key(&reminder.key, Lang::Ja)), "{}", reminder.key);
        }
        assert!(keys.contains(&"7:renewal:expiry:2024-12-01:en".to_owned()));
        assert!(!message_keys_of_cycle(7, d(2026, 12, 1)).iter().any(|k| keys.contains(k)));
    }
}
