//! The reminder pass at a consultancy's size: planning and enqueueing take a fixed number of
//! grouped queries whatever the number of organisations, and sending drains the outbox instead
//! of stopping after a batch.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::Utc;
use pmark::domain::outbox::OutboxState;
use pmark::jobs::pass::{Pace, enqueue_due, send_pending};
use pmark::mail::Mailer;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::helpers::spawn_app;

/// What the first and the second pass of a day cost and did over `orgs` demo organisations.
#[derive(Debug)]
struct Passes {
    first_queries: usize,
    first: (usize, usize),
    second_queries: usize,
    second: (usize, usize),
    digests: u64,
}

async fn two_passes_over(orgs: usize) -> Passes {
    let app = spawn_app().await;
    let now = Utc::now();
    let catalogs = pmark::domain::catalog::Catalogs::builtin().unwrap();
    let today = pmark::domain::calendar::japan_day(now);
    let seeded = pmark::cli::demo_orgs::seed(&app.db, catalogs.current(), orgs, "not-a-hash", today).await.unwrap();
    assert_eq!(seeded.organisations, orgs);

    let counter = Arc::new(AtomicUsize::new(0));
    let mut db = pmark::store::connect(&app.settings.database).await.unwrap();
    let count = counter.clone();
    db.set_metric_callback(move |_| {
        count.fetch_add(1, Ordering::SeqCst);
    });
    let first = enqueue_due(&db, &app.settings, &app.address, now).await.unwrap();
    let first_queries = counter.swap(0, Ordering::SeqCst);
    let second = enqueue_due(&db, &app.settings, &app.address, now + chrono::Duration::minutes(5)).await.unwrap();
    let second_queries = counter.load(Ordering::SeqCst);
    let digests = pmark::entities::outbox::Entity::find()
        .filter(pmark::entities::outbox::Column::Kind.eq(pmark::domain::outbox::MessageKind::IncidentDigest))
        .count(&app.db)
        .await
        .unwrap();
    Passes { first_queries, first, second_queries, second, digests }
}

#[tokio::test]
async fn a_reminder_pass_takes_the_same_queries_for_ten_and_for_two_hundred_organisations() {
    let ten = two_passes_over(10).await;
    let two_hundred = two_passes_over(200).await;
    // Something is due at both sizes: renewal reminders (sent and skipped) and incident digests.
    assert!(ten.first.0 >= 2 && ten.first.1 >= 1 && ten.digests == 1, "{ten:?}");
    assert!(two_hundred.first.0 > 10 * ten.first.0 / 2 && two_hundred.digests == 10, "{two_hundred:?}");
    // A second pass the same day finds everything enqueued and renders nothing.
    assert_eq!(ten.second, (0, 0), "{ten:?}");
    assert_eq!(two_hundred.second, (0, 0), "{two_hundred:?}");
    assert_eq!(ten.first_queries, two_hundred.first_queries, "{ten:?} {two_hundred:?}");
    assert_eq!(ten.second_queries, two_hundred.second_queries, "{ten:?} {two_hundred:?}");
    // Sixteen, and four for the digest's PMS plan (duties, their records, trainings, reviews due).
    assert!(ten.first_queries <= 20, "{ten:?}: grouped queries, not one per organisation");
}

#[tokio::test]
async fn one_pass_sends_every_due_message_not_just_a_first_batch() {
    use pmark::store::outbox::{NewMessage, enqueue_many};
    let app = spawn_app().await;
    let messages: Vec<NewMessage> = (1..=250)
        .map(|i| NewMessage {
            organisation_id: None,
            dedupe_key: format!("drain-{i}"),
            kind: pmark::domain::outbox::MessageKind::Test,
            recipients: vec![format!("person{i}@example.jp")],
            lang: pmark::domain::Lang::Ja,
            subject: format!("drain-{i}"),
            body_text: "text".into(),
            body_html: "<p>html</p>".into(),
            skip_reason: None,
        })
        .collect();
    assert_eq!(enqueue_many(&app.db, messages.clone(), Utc::now()).await.unwrap(), 250);
    assert_eq!(enqueue_many(&app.db, messages, Utc::now()).await.unwrap(), 0, "a key is enqueued once");
    let (mailer, from) = Mailer::from_settings(&app.settings.mail).unwrap();
    let lease = chrono::Duration::minutes(10);
    let (sent, failed) = send_pending(&app.db, &mailer, &from, "a", Utc::now(), lease, Pace::UNLIMITED).await.unwrap();
    assert_eq!((sent, failed), (250, 0));
    let pending = pmark::entities::outbox::Entity::find()
        .filter(pmark::entities::outbox::Column::State.eq(OutboxState::Pending))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(pending, 0);
    let files = std::fs::read_dir(&app.settings.mail.file_dir).unwrap().count();
    assert_eq!(files, 250, "every message reached the transport once");
}
