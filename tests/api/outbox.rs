//! The outbox's guarantees at the store level: a key is enqueued once, a row is claimed by one
//! sender at a time (two instances on one database included), failures back off and give up.

use std::collections::HashSet;

use chrono::{Duration, Utc};
use pmark::store::outbox::{self, NewMessage};

use crate::helpers::spawn_app;

fn message(key: &str) -> NewMessage {
    NewMessage {
        organisation_id: None,
        dedupe_key: key.to_owned(),
        kind: pmark::domain::outbox::MessageKind::RenewalReminder,
        recipients: vec!["officer@example.jp".into()],
        lang: pmark::domain::Lang::Ja,
        subject: "【pmark】Pマーク更新申請の受付期間が始まりました".into(),
        body_text: "本文".into(),
        body_html: "<p>本文</p>".into(),
        skip_reason: None,
    }
}

#[tokio::test]
async fn a_key_is_enqueued_once() {
    let app = spawn_app().await;
    let now = Utc::now();
    assert!(outbox::enqueue(&app.db, message("1:renewal:window_opens:2026"), now).await.unwrap());
    assert!(!outbox::enqueue(&app.db, message("1:renewal:window_opens:2026"), now).await.unwrap());
    let claimed = outbox::claim_due(&app.db, "a", now, Duration::minutes(5), 100).await.unwrap();
    assert_eq!(claimed.len(), 1);
}

#[tokio::test]
async fn two_instances_claiming_at_once_never_get_the_same_row() {
    let app = spawn_app().await;
    let now = Utc::now();
    for n in 0..40 {
        outbox::enqueue(&app.db, message(&format!("key-{n}")), now).await.unwrap();
    }
    // A second instance: its own connection pool on the same database.
    let other = pmark::store::connect(&app.settings.database).await.unwrap();
    let (first, second) = tokio::join!(
        outbox::claim_due(&app.db, "instance-a", now, Duration::minutes(5), 100),
        outbox::claim_due(&other, "instance-b", now, Duration::minutes(5), 100),
    );
    let first: HashSet<i64> = first.unwrap().into_iter().map(|r| r.id).collect();
    let second: HashSet<i64> = second.unwrap().into_iter().map(|r| r.id).collect();
    assert!(first.is_disjoint(&second), "a row was claimed twice");
    assert_eq!(first.len() + second.len(), 40, "every row was claimed by someone");
    // Nothing is left to claim while the leases run.
    assert!(outbox::claim_due(&other, "instance-c", now, Duration::minutes(5), 100).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_crashed_senders_rows_are_claimed_again_after_the_lease_and_it_cannot_finish_them() {
    let app = spawn_app().await;
    let now = Utc::now();
    outbox::enqueue(&app.db, message("lease"), now).await.unwrap();
    let crashed = outbox::claim_due(&app.db, "crashed", now, Duration::minutes(5), 10).await.unwrap();
    assert_eq!(crashed.len(), 1);
    let later = now + Duration::minutes(6);
    let again = outbox::claim_due(&app.db, "healthy", later, Duration::minutes(5), 10).await.unwrap();
    assert_eq!(again.len(), 1);
    assert!(!outbox::mark_sent(&app.db, crashed[0].id, "crashed", later).await.unwrap(), "the lease moved on");
    assert!(outbox::mark_sent(&app.db, again[0].id, "healthy", later).await.unwrap());
    assert!(
        outbox::claim_due(&app.db, "anyone", later + Duration::hours(1), Duration::minutes(5), 10)
            .await
            .unwrap()
            .is_empty(),
        "sent once"
    );
}

#[tokio::test]
async fn failures_back_off_then_give_up_and_an_admin_can_retry() {
    let app = spawn_app().await;
    let now = Utc::now();
    outbox::enqueue(&app.db, message("flaky"), now).await.unwrap();
    let cap = Duration::hours(1);
    let mut clock = now;
    for attempt in 1..=3 {
        let row =
            outbox::claim_due(&app.db, "s", clock, Duration::minutes(5), 10).await.unwrap().pop().expect("due again");
        assert_eq!(row.attempts, attempt - 1);
        assert!(outbox::mark_failed(&app.db, &row, "s", "connection refused", clock, cap, 3).await.unwrap());
        let stored = pmark::store::outbox::claim_due(&app.db, "peek", clock, Duration::minutes(5), 10).await.unwrap();
        assert!(stored.is_empty(), "not due before its backoff");
        clock += pmark::domain::retry::backoff(u32::try_from(attempt).unwrap(), cap) + Duration::seconds(1);
    }
    assert!(
        outbox::claim_due(&app.db, "s", clock + Duration::days(1), Duration::minutes(5), 10).await.unwrap().is_empty(),
        "given up after 3"
    );
    use sea_orm::EntityTrait;
    let row = pmark::entities::outbox::Entity::find().one(&app.db).await.unwrap().unwrap();
    assert_eq!(
        (row.state.as_str(), row.attempts, row.last_error.as_deref()),
        ("failed", 3, Some("connection refused"))
    );
    let org = app.set_up_admin().await;
    // Retrying is per organisation: this row has none, so it is not found there.
    assert!(!outbox::retry(&app.db, org, row.id, clock).await.unwrap());
}

/// Adds a row of `org` that has given up (state `failed`), and returns its id.
pub async fn failed_row(app: &crate::helpers::TestApp, org: i32) -> i64 {
    let now = Utc::now();
    let key = format!("failed-{org}-{}", now.timestamp_nanos_opt().unwrap_or_default());
    outbox::enqueue(&app.db, NewMessage { organisation_id: Some(org), ..message(&key) }, now).await.unwrap();
    let row = outbox::claim_due(&app.db, "giving-up", now, Duration::minutes(5), 100)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.dedupe_key == key)
        .unwrap();
    assert!(
        outbox::mark_failed(&app.db, &row, "giving-up", "550 mailbox unavailable", now, Duration::hours(1), 1)
            .await
            .unwrap()
    );
    row.id
}
